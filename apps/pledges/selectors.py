"""Reads of the pledge route (DOMAIN C12, P3a, P4, P5, P6): may this reader take the route,
what a guide asks to be pledged, the staff's queues, the supervisors' figures."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Company, User
from apps.accounts.selectors import scope_by_department
from apps.applications.models import Application
from apps.applications.workflow import State
from apps.catalogue.models import RiskArea, ServiceGuide
from apps.pledges.identity import Subject, applicant_subject, company_subject, person_subject
from apps.pledges.models import (
    CreditRecord,
    CreditRepairRequest,
    Pledge,
    PledgeableCertificate,
    VerificationTask,
)
from apps.pledges.workflow import CreditStatus, RepairStatus, VerificationState

RESTRICTED_PERSON = _("你存在未修复的失信记录，暂不能适用告知承诺制，请按一般程序办理。")


@dataclass(frozen=True)
class RouteOffer:
    """Whether "告知承诺办理" is offered, and in plain Chinese why not (never a rule id)."""

    offered: bool
    reason: str = ""
    needs_login: bool = False
    # For a company agent: the companies that may pledge, and those that may not.
    companies: tuple[Company, ...] = ()
    restricted: tuple[str, ...] = field(default_factory=tuple)


def guide_route_refusal(guide: ServiceGuide) -> str:
    """Why the guide itself does not offer the route (C12, P5), or ``""``."""
    if not guide.pledge_enabled:
        return _("本事项未纳入告知承诺制事项清单，请按一般程序办理。")
    if guide.item.risk_area:
        return _(
            "本事项涉及%(area)s，风险较大、纠错成本高，不适用告知承诺制，请按一般程序办理。"
        ) % {"area": RiskArea(guide.item.risk_area).label}
    return ""


def restricted_hashes(hashes: Iterable[str], *, today: date | None = None) -> set[str]:
    """P4: which of ``hashes`` have an active, unexpired credit record (one query)."""
    today = today or timezone.localdate()
    return set(
        CreditRecord.objects.filter(
            status=CreditStatus.ACTIVE, subject_hash__in=list(hashes), expires_on__gt=today
        ).values_list("subject_hash", flat=True)
    )


def is_restricted(subject: Subject) -> bool:
    return bool(restricted_hashes([subject.hash]))


def restriction_reason(subject: Subject) -> str:
    if subject.kind == "company":
        return _("“%(name)s”存在未修复的失信记录，暂不能适用告知承诺制，请按一般程序办理。") % {
            "name": subject.name
        }
    return str(RESTRICTED_PERSON)


def pledge_route_for(*, guide: ServiceGuide, user, company: Company | None = None) -> RouteOffer:
    """May ``user`` (for ``company``, if given) take the pledge route on ``guide``? At most
    two queries: the agent's companies and one range over active credit records."""
    refusal = guide_route_refusal(guide)
    if refusal:
        return RouteOffer(False, refusal)
    if not user.is_authenticated:
        return RouteOffer(True, needs_login=True)
    if user.kind == User.Kind.STAFF:
        return RouteOffer(False, _("工作人员请通过窗口代办功能办理。"))
    if company is not None or user.kind != User.Kind.COMPANY_AGENT:
        subject = applicant_subject(user, company)
        if restricted_hashes([subject.hash]):
            return RouteOffer(False, restriction_reason(subject))
        return RouteOffer(True, companies=(company,) if company else ())
    companies = list(user.companies.order_by("name"))
    subjects = {c.pk: company_subject(c) for c in companies}
    blocked = restricted_hashes(s.hash for s in subjects.values())
    allowed = tuple(c for c in companies if subjects[c.pk].hash not in blocked)
    restricted = tuple(c.name for c in companies if subjects[c.pk].hash in blocked)
    if not allowed:
        reason = (
            restriction_reason(subjects[companies[0].pk])
            if len(companies) == 1
            else _("您代理的单位均存在未修复的失信记录，暂不能适用告知承诺制，请按一般程序办理。")
        )
        return RouteOffer(False, reason if companies else _("请先绑定您代理的单位。"))
    return RouteOffer(True, companies=allowed, restricted=restricted)


def certificates_of(guide: ServiceGuide) -> list[PledgeableCertificate]:
    """P6: the certificates of ``guide`` an applicant may pledge instead of bringing."""
    return list(
        PledgeableCertificate.objects.filter(material__guide=guide)
        .select_related("material")
        .order_by("material__order", "material_id")
    )


def pledge_digest(guide: ServiceGuide, certificates: list[PledgeableCertificate]) -> str:
    """The fingerprint of exactly what the pledge page shows: a signature is accepted only
    for the text the applicant read (a text changed since is refused)."""
    parts = [guide.pledge_text, guide.pledge_liability_text]
    parts += [f"{c.material_id}:{c.material.name}:{c.certified_matter}" for c in certificates]
    return hashlib.sha256("\n\x1f".join(parts).encode()).hexdigest()


def pledge_for(application: Application) -> Pledge | None:
    return Pledge.objects.filter(application=application).first()


def subject_hashes_of(user: User) -> set[str]:
    """The subjects a citizen or agent may act for: themselves and their companies."""
    hashes = {person_subject(user).hash}
    hashes |= {company_subject(c).hash for c in user.companies.all()}
    return hashes


# --- Staff queues ---------------------------------------------------------------------


def pledged_queue(*, user: User) -> QuerySet[Application]:
    """Pledged applications waiting for the direct decision (P2), the user's departments."""
    qs = Application.objects.filter(
        pledge__isnull=False,
        state__in=[State.SUBMITTED, State.ACCEPTED, State.UNDER_REVIEW],
    ).select_related("item", "department", "pledge")
    return scope_by_department(qs, user).order_by("submitted_at", "id")


def verification_list(*, user: User) -> QuerySet[VerificationTask]:
    qs = VerificationTask.objects.select_related(
        "application", "item", "department", "inspector", "pledge"
    )
    return scope_by_department(qs, user)


def verification_get(*, user: User, task_id: int) -> VerificationTask | None:
    return verification_list(user=user).filter(pk=task_id).first()


def credit_records_for_subject(*, user: User) -> QuerySet[CreditRecord]:
    """A citizen's or agent's own records (for the repair request)."""
    return CreditRecord.objects.filter(subject_hash__in=subject_hashes_of(user))


def pending_repairs() -> QuerySet[CreditRepairRequest]:
    return CreditRepairRequest.objects.filter(status=RepairStatus.PENDING).select_related("record")


# --- Figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    label: str
    approvals: int
    checked: int
    non_compliant: int
    revoked: int
    false_pledges: int

    @property
    def coverage(self) -> float:
        return round(100 * self.checked / self.approvals, 1) if self.approvals else 0.0

    @property
    def non_compliance_rate(self) -> float:
        return round(100 * self.non_compliant / self.checked, 1) if self.checked else 0.0

    @property
    def false_pledge_rate(self) -> float:
        return round(100 * self.false_pledges / self.approvals, 1) if self.approvals else 0.0

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "approvals": self.approvals,
            "checked": self.checked,
            "coverage": self.coverage,
            "non_compliant": self.non_compliant,
            "non_compliance_rate": self.non_compliance_rate,
            "revoked": self.revoked,
            "false_pledges": self.false_pledges,
            "false_pledge_rate": self.false_pledge_rate,
        }


def pledge_figures(
    *,
    by: str = "department",
    since: date | None = None,
    until: date | None = None,
    department_id: int | None = None,
) -> list[FigureRow]:
    """Per department (or item): pledged approvals (by approval date in [since, until)),
    verifications done (coverage), found non-compliant, revocations, false pledges. One
    grouped query."""
    field_name = "department__name" if by == "department" else "item__name"
    qs = VerificationTask.objects.all()
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    if until is not None:
        qs = qs.filter(created_at__date__lt=until)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    rows = (
        qs.values(field_name)
        .annotate(
            approvals=Count("id", distinct=True),
            # A verification counts as done once an inspection is recorded.
            checked=Count("id", filter=Q(checks__isnull=False), distinct=True),
            non_compliant=Count("id", filter=Q(checks__outcome="non_compliant"), distinct=True),
            revoked=Count("id", filter=Q(state=VerificationState.REVOKED), distinct=True),
            false_pledges=Count("id", filter=Q(false_pledge=True), distinct=True),
        )
        .order_by(field_name)
    )
    return [
        FigureRow(
            label=r[field_name],
            approvals=r["approvals"],
            checked=r["checked"],
            non_compliant=r["non_compliant"],
            revoked=r["revoked"],
            false_pledges=r["false_pledges"],
        )
        for r in rows
    ]
