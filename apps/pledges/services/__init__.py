"""Every write of the pledge route (DOMAIN P1–P6, P3a, C12, A9, A16), by sub-domain:
:mod:`.signing` (the pledge), :mod:`.deciding` (direct approval, termination),
:mod:`.verification` (the check afterwards, rectification, revocation), :mod:`.credit`
(credit records and repair) and :mod:`.sweep` (reminders and escalation)."""

from apps.pledges.services.credit import (
    credit_record_create,
    credit_records_expire,
    credit_repair_decide,
    credit_repair_request,
    record_false_pledge,
)
from apps.pledges.services.deciding import pledge_approve, pledge_terminate
from apps.pledges.services.signing import pledge_sign, pledge_start, waived_materials
from apps.pledges.services.sweep import SweepReport, supervise_pledge_verifications
from apps.pledges.services.verification import (
    on_case_closed,
    sample_value,
    verification_assign,
    verification_for_application,
    verification_record,
    verification_revoke,
    verification_task_create,
)

__all__ = [
    "SweepReport",
    "credit_record_create",
    "credit_records_expire",
    "credit_repair_decide",
    "credit_repair_request",
    "on_case_closed",
    "pledge_approve",
    "pledge_sign",
    "pledge_start",
    "pledge_terminate",
    "record_false_pledge",
    "sample_value",
    "supervise_pledge_verifications",
    "verification_assign",
    "verification_for_application",
    "verification_record",
    "verification_revoke",
    "verification_task_create",
    "waived_materials",
]
