"""Every write to an application (CONVENTIONS: one function per transition).

Split by sub-domain: :mod:`.submission` (the applicant's side), :mod:`.intake` (A4, A5, A6,
T1), :mod:`.review` (A7–A9, A12), :mod:`.closing` (the one way a case ends),
:mod:`.after_decision` (an approval revoked or its result withheld: P3, P6, T3), :mod:`.clock`
(due dates), :mod:`.bundles`, :mod:`.bundle_release` and :mod:`.bundle_completion` (C8)
and :mod:`.supervision` (A4a, A14, A15).
"""

from apps.applications.services._base import ApplicationNotFoundError, NotFoundError
from apps.applications.services.after_decision import (
    application_revoke_decision,
    application_withhold_result,
)
from apps.applications.services.answers import (
    application_bundle_save_answers,
    application_save_answers,
)
from apps.applications.services.bundle_completion import bundle_application_complete_if_done
from apps.applications.services.bundles import (
    application_bundle_attach_material,
    application_bundle_create_drafts,
    application_bundle_submit,
)
from apps.applications.services.clock import clock_dates, time_limit_for
from apps.applications.services.closing import Ending, Letter, Message, close_case
from apps.applications.services.intake import (
    RejectionGround,
    application_accept,
    application_accept_tolerant,
    application_correct_on_spot_and_accept,
    application_decide_immediately,
    application_reject,
    application_request_correction,
    application_transfer_not_ours,
)
from apps.applications.services.materials import (
    application_attach_material,
    application_reuse_material,
)
from apps.applications.services.review import (
    REMEDIES,
    application_approve,
    application_approve_extension,
    application_archive,
    application_deny,
    application_request_extension,
    application_resume,
    application_revoke_acceptance,
    application_start_review,
    application_suspend,
    revocation_ending,
)
from apps.applications.services.submission import (
    application_create_draft,
    application_resubmit_correction,
    application_submit,
    application_window_create,
    application_withdraw,
)
from apps.applications.services.supervision import (
    SupervisionReport,
    application_deem_accepted,
    application_deem_withdrawn,
    supervise_applications,
)

__all__ = [
    "REMEDIES",
    "ApplicationNotFoundError",
    "Ending",
    "Letter",
    "Message",
    "NotFoundError",
    "RejectionGround",
    "SupervisionReport",
    "application_accept",
    "application_accept_tolerant",
    "application_approve",
    "application_approve_extension",
    "application_archive",
    "application_attach_material",
    "application_bundle_attach_material",
    "application_bundle_create_drafts",
    "application_bundle_save_answers",
    "application_bundle_submit",
    "application_correct_on_spot_and_accept",
    "application_create_draft",
    "application_decide_immediately",
    "application_deem_accepted",
    "application_deem_withdrawn",
    "application_deny",
    "application_reject",
    "application_request_correction",
    "application_request_extension",
    "application_resubmit_correction",
    "application_resume",
    "application_reuse_material",
    "application_revoke_acceptance",
    "application_revoke_decision",
    "application_save_answers",
    "application_start_review",
    "application_submit",
    "application_suspend",
    "application_transfer_not_ours",
    "application_window_create",
    "application_withdraw",
    "application_withhold_result",
    "bundle_application_complete_if_done",
    "clock_dates",
    "close_case",
    "revocation_ending",
    "supervise_applications",
    "time_limit_for",
]
