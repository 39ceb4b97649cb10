"""Every write of the policies app (CONVENTIONS: one function per change).

Split by sub-domain: :mod:`.policies` (draft, publish, resume, expire — PO1, PO2),
:mod:`.halts` (PO5), :mod:`.imports` and :mod:`.profiles` (shared data, A17),
:mod:`.matching` and :mod:`.push` (PO3), :mod:`.entitlements` (免申即享), :mod:`.claims`
(申请兑现, PO4) and :mod:`.reminders`.
"""

from apps.policies.services._base import NotFoundError
from apps.policies.services.claims import policy_claim
from apps.policies.services.entitlements import (
    entitlement_cancel,
    entitlement_decline,
    entitlement_grant,
    entitlement_mark_paid,
    entitlement_mark_payment_failed,
)
from apps.policies.services.halts import (
    policy_halt_approve,
    policy_halt_reject,
    policy_halt_request,
    policy_halt_withdraw,
)
from apps.policies.services.imports import ProfileImportError, profile_import
from apps.policies.services.matching import (
    MatchReport,
    import_rematch,
    matching_count,
    policy_match,
)
from apps.policies.services.policies import (
    policies_expire_due,
    policy_create,
    policy_expire,
    policy_publish,
    policy_resume,
    policy_set_title_en,
    policy_update,
)
from apps.policies.services.profiles import profile_facts, profile_view
from apps.policies.services.push import (
    PushBatch,
    policy_push_send_batch,
    policy_pushes_requeue_for_user,
    policy_pushes_requeue_reachable,
)
from apps.policies.services.reminders import policy_expiry_reminders

__all__ = [
    "MatchReport",
    "NotFoundError",
    "ProfileImportError",
    "PushBatch",
    "entitlement_cancel",
    "entitlement_decline",
    "entitlement_grant",
    "entitlement_mark_paid",
    "entitlement_mark_payment_failed",
    "import_rematch",
    "matching_count",
    "policies_expire_due",
    "policy_claim",
    "policy_create",
    "policy_expire",
    "policy_expiry_reminders",
    "policy_halt_approve",
    "policy_halt_reject",
    "policy_halt_request",
    "policy_halt_withdraw",
    "policy_match",
    "policy_publish",
    "policy_push_send_batch",
    "policy_pushes_requeue_for_user",
    "policy_pushes_requeue_reachable",
    "policy_resume",
    "policy_set_title_en",
    "policy_update",
    "profile_facts",
    "profile_import",
    "profile_view",
]
