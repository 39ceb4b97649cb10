"""What the policies app does when lower apps call their hooks (registered in ``apps.py``).

* :func:`pushes_for_new_account` — ``apps.accounts.hooks.user_registered``: someone who
  matched before they had an account is told once they have one (DOMAIN PO3).
* :func:`claim_panel` — ``apps.applications.hooks.applicant_panels`` / ``staff_panels``: an
  application made by a 申请兑现 claim shows its policy and the shared data it carried, so
  the department does not ask for it again (DOMAIN A3, PO4). :func:`staff_page_flags` —
  ``staff_page_flags``: whether the case came from a claim, read with the application.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest

from apps.accounts.models import User
from apps.applications.hooks import Panel, page_flag
from apps.applications.models import Application
from apps.policies.models import PolicyClaim
from apps.policies.queue import send_pushes_now
from apps.policies.services import policy_pushes_requeue_for_user

logger = logging.getLogger(__name__)


def pushes_for_new_account(user: User) -> None:
    user_id = user.pk

    def push_to_new_account() -> None:
        # After the registration committed: a failure here is logged, never the user's error.
        for policy_id in policy_pushes_requeue_for_user(user_id=user_id):
            send_pushes_now(policy_id)

    transaction.on_commit(push_to_new_account, robust=True)


def staff_page_flags() -> dict:
    return {"policies_has_claim": PolicyClaim}


def applicant_page_flags() -> dict:
    """The applicant's page asks the same (the claim panel shows there too)."""
    return staff_page_flags()


def claim_panel(request: HttpRequest, application: Application) -> Panel | None:
    if not page_flag(application, "policies_has_claim"):
        return None
    claim = PolicyClaim.objects.select_related("policy").filter(application=application).first()
    if claim is None:
        return None
    return Panel("policies/_claim_panel.html", {"claim": claim, "policy": claim.policy})
