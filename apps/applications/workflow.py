"""The states of an application and the allowed changes between them (DOMAIN A4–A12).

Read the table top to bottom to know every path an application can take. Each edge is
taken by exactly one service in :mod:`apps.applications.services`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    # C8: a 一件事 member of a later serial stage, submitted with the bundle and held until
    # every member of the earlier stages is approved; then it goes to intake.
    WAITING = "waiting", _("待前序阶段办结")
    SUBMITTED = "submitted", _("已提交")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    TOLERANT_ACCEPTED = "tolerant_accepted", _("容缺受理")
    UNDER_REVIEW = "under_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序中")
    APPROVED = "approved", _("准予许可/办结")
    # P3, P6: a decision made on a pledge that was not kept (or was false) is revoked
    # afterwards (依法撤销决定); the case keeps the revocation as its outcome.
    DECISION_REVOKED = "decision_revoked", _("许可决定已撤销")
    # T3: decided before a tolerated material lapsed; the result is never released.
    RESULT_WITHHELD = "result_withheld", _("结果不予发放")
    DENIED = "denied", _("不予许可")
    REJECTED = "rejected", _("不予受理")
    TRANSFERRED = "transferred", _("非本部门(已告知)")
    WITHDRAWN = "withdrawn", _("已撤回")
    REVOKED = "revoked", _("撤销受理")
    ARCHIVED = "archived", _("已归档")


ALLOWED_TRANSITIONS: dict[State, frozenset[State]] = {
    # The applicant prepares and sends.
    State.DRAFT: frozenset({State.SUBMITTED, State.WAITING, State.WITHDRAWN}),
    # C8: released to intake when the earlier stages are approved; ended (终止) when one of
    # their members is not, or withdrawn by the applicant.
    State.WAITING: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    # A4: the five intake outcomes, A5 one-time correction notice, A4a deemed acceptance.
    State.SUBMITTED: frozenset(
        {
            State.ACCEPTED,
            State.TOLERANT_ACCEPTED,
            State.CORRECTION_REQUESTED,
            State.REJECTED,
            State.TRANSFERRED,
            State.WITHDRAWN,
        }
    ),
    State.CORRECTION_REQUESTED: frozenset({State.SUBMITTED, State.WITHDRAWN}),
    # A6: an immediate item goes accepted → approved at the window.
    State.ACCEPTED: frozenset(
        {State.UNDER_REVIEW, State.APPROVED, State.DENIED, State.WITHDRAWN, State.REVOKED}
    ),
    # T1: review starts once the pledge is signed; T3: late supply revokes acceptance.
    State.TOLERANT_ACCEPTED: frozenset({State.UNDER_REVIEW, State.WITHDRAWN, State.REVOKED}),
    State.UNDER_REVIEW: frozenset(
        {State.SUSPENDED, State.APPROVED, State.DENIED, State.WITHDRAWN, State.REVOKED}
    ),
    # A8: a special procedure pauses the clock; review resumes afterwards.
    State.SUSPENDED: frozenset({State.UNDER_REVIEW, State.WITHDRAWN, State.REVOKED}),
    # A12: every finished application is archived. After the decision (P3, P6, T3): an
    # approval is revoked when its pledge is not kept or false, or its result withheld when a
    # tolerated material lapses; a withheld result's decision may still be revoked.
    State.APPROVED: frozenset({State.ARCHIVED, State.DECISION_REVOKED, State.RESULT_WITHHELD}),
    State.RESULT_WITHHELD: frozenset({State.ARCHIVED, State.DECISION_REVOKED}),
    State.DECISION_REVOKED: frozenset({State.ARCHIVED}),
    State.DENIED: frozenset({State.ARCHIVED}),
    State.REJECTED: frozenset({State.ARCHIVED}),
    State.TRANSFERRED: frozenset({State.ARCHIVED}),
    State.WITHDRAWN: frozenset({State.ARCHIVED}),
    State.REVOKED: frozenset({State.ARCHIVED}),
    State.ARCHIVED: frozenset(),
}

# The time limit runs in these states (A7); it is paused in SUSPENDED (A8).
CLOCK_RUNNING_STATES = frozenset({State.ACCEPTED, State.TOLERANT_ACCEPTED, State.UNDER_REVIEW})
# Sorted values for queries and partial-index conditions: a set's order changes between
# processes, and the index condition must read the same in every migration and query.
CLOCK_RUNNING_VALUES = tuple(sorted(s.value for s in CLOCK_RUNNING_STATES))
# Accepted and not yet decided: what the department still owes the applicant.
ACCEPTED_OPEN_STATES = CLOCK_RUNNING_STATES | {State.SUSPENDED}
# An outcome the applicant has been given; only archiving follows (and, for an approval, the
# changes after the decision below).
FINISHED_STATES = frozenset(
    {
        State.APPROVED,
        State.DENIED,
        State.REJECTED,
        State.TRANSFERRED,
        State.WITHDRAWN,
        State.REVOKED,
        State.DECISION_REVOKED,
        State.RESULT_WITHHELD,
    }
)
# Changes after the decision (P3, P6, T3). An archived case takes them too: its state stays
# archived and its outcome changes (A12: the file still says how the case ended).
AFTER_DECISION_STATES = frozenset({State.DECISION_REVOKED, State.RESULT_WITHHELD})


def can_transition(source: str, target: str) -> bool:
    return State(target) in ALLOWED_TRANSITIONS[State(source)]
