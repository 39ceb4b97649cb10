"""Every write of the halls app (CONVENTIONS: one service per state change)."""

from apps.halls.services.booking import (
    appointment_book,
    appointment_cancel,
    appointment_mark_no_show,
    appointment_remind,
)
from apps.halls.services.queue import (
    ticket_call_next,
    ticket_finish,
    ticket_recall,
    ticket_skip,
    ticket_start,
    ticket_take,
    ticket_take_by_code,
    ticket_transfer,
)
from apps.halls.services.setup import (
    group_create,
    group_update,
    hall_configure,
    hours_publish,
    shift_add,
    slots_open,
    window_place,
)

__all__ = [
    "appointment_book",
    "appointment_cancel",
    "appointment_mark_no_show",
    "appointment_remind",
    "group_create",
    "group_update",
    "hall_configure",
    "hours_publish",
    "shift_add",
    "slots_open",
    "ticket_call_next",
    "ticket_finish",
    "ticket_recall",
    "ticket_skip",
    "ticket_start",
    "ticket_take",
    "ticket_take_by_code",
    "ticket_transfer",
    "window_place",
]

from apps.halls.services.hard_cases import (
    hard_case_assign,
    hard_case_conclude,
    hard_case_escalate,
    hard_case_feedback,
    hard_case_open,
)

__all__ += [
    "hard_case_assign",
    "hard_case_conclude",
    "hard_case_escalate",
    "hard_case_feedback",
    "hard_case_open",
]

from apps.halls.services.supervision import (  # noqa: E402
    opinion_answer,
    opinion_assign,
    opinion_confirm,
    opinion_escalate,
    opinion_submit,
    supervisor_appoint,
)

__all__ += [
    "opinion_answer",
    "opinion_assign",
    "opinion_confirm",
    "opinion_escalate",
    "opinion_submit",
    "supervisor_appoint",
]

from apps.halls.services.assistance import assistance_record  # noqa: E402

__all__ += ["assistance_record"]

from apps.halls.services.hand_outs import hand_out  # noqa: E402

__all__ += ["hand_out"]
