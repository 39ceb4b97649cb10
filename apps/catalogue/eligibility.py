"""Whether the signed-in person can apply for an item as who they are (DOMAIN A1), told on
the item page before they start instead of after clicking 开始申请 (issue #8)."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.models import User
from apps.catalogue.models import ServiceTarget


@dataclass(frozen=True)
class TargetNotice:
    """``who``: ``anonymous`` (sign in as an agent or register one) or ``citizen`` (add
    the company to this account)."""

    who: str


def target_notice(*, target: str, user) -> TargetNotice | None:
    """A notice when the item serves legal persons only and ``user`` is not acting for a
    company: the start button would be refused (the service's rule, A1)."""
    if target != ServiceTarget.LEGAL_PERSON:
        return None
    if not user.is_authenticated:
        return TargetNotice("anonymous")
    if user.kind == User.Kind.CITIZEN:
        return TargetNotice("citizen")
    return None
