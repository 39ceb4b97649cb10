"""Every write to a 12345 ticket (CONVENTIONS: one function per transition).

Split by sub-domain: :mod:`.intake` (H3, H4, H5, H9 并单), :mod:`.batch_intake` (many
at once, all or nothing), :mod:`.handling` (H1, H8, H9:
dispatch, sign-off, return, extension, reply, close), :mod:`.callback` (回访, 重办, R1),
:mod:`.supervision` (督办), :mod:`.kb` (H2) and :mod:`.access` (Open311 keys, SMS codes).
"""

from apps.hotline.services._base import TicketNotFoundError
from apps.hotline.services.access import (
    category_save,
    open311_key_authenticate,
    open311_key_create,
    open311_key_revoke,
    phone_code_send,
    phone_code_verify,
    time_limit_save,
)
from apps.hotline.services.batch_intake import (
    ChannelTicket,
    TicketBatchResult,
    ticket_intake_batch,
)
from apps.hotline.services.callback import ticket_callback, ticket_record_satisfaction_review
from apps.hotline.services.extensions import ticket_decide_extension, ticket_request_extension
from apps.hotline.services.handling import (
    ticket_close,
    ticket_co_reply,
    ticket_dispatch,
    ticket_redispatch,
    ticket_reject_return,
    ticket_reply,
    ticket_return,
    ticket_send_back,
    ticket_sign,
)
from apps.hotline.services.intake import (
    TicketInput,
    ticket_answer_on_spot,
    ticket_merge,
    ticket_submit_online,
    ticket_submit_open311,
    ticket_submit_via_channel,
    ticket_take_call,
    ticket_transfer,
)
from apps.hotline.services.kb import (
    article_review,
    article_save,
    article_submit,
    article_withdraw,
)
from apps.hotline.services.supervision import TicketSupervisionReport, supervise_tickets

__all__ = [
    "ChannelTicket",
    "TicketBatchResult",
    "TicketInput",
    "TicketNotFoundError",
    "TicketSupervisionReport",
    "article_review",
    "article_save",
    "article_submit",
    "article_withdraw",
    "category_save",
    "open311_key_authenticate",
    "open311_key_create",
    "open311_key_revoke",
    "phone_code_send",
    "phone_code_verify",
    "supervise_tickets",
    "ticket_answer_on_spot",
    "ticket_callback",
    "ticket_close",
    "ticket_co_reply",
    "ticket_decide_extension",
    "ticket_dispatch",
    "ticket_intake_batch",
    "ticket_merge",
    "ticket_record_satisfaction_review",
    "ticket_redispatch",
    "ticket_reject_return",
    "ticket_reply",
    "ticket_request_extension",
    "ticket_return",
    "ticket_send_back",
    "ticket_sign",
    "ticket_submit_online",
    "ticket_submit_open311",
    "ticket_submit_via_channel",
    "ticket_take_call",
    "ticket_transfer",
    "time_limit_save",
]
