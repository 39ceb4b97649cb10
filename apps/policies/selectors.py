"""Reads of the policies app, scoped by who asks (CONVENTIONS: scoping lives here).

* The public lists show every published policy (PO1) — never drafts.
* "我的政策" shows the matches of the signed-in person or of companies they act for (PO4).
* Staff see their departments' policies and records; supervisors and admins see all.
* Every list is built so its query count does not grow with its rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.selectors import scope_by_department
from apps.applications.workflow import State as ApplicationState
from apps.policies.criteria import Reason, SubjectKind, explain, parse_criteria
from apps.policies.models import (
    CompanyProfile,
    Entitlement,
    Fulfilment,
    PersonProfile,
    Policy,
    PolicyClaim,
    PolicyMatch,
    PolicyPush,
    ProfileImport,
    PushDelivery,
)
from apps.policies.workflow import GRANTED_STATES, EntitlementState, PolicyState, PushStatus


class Validity:
    CURRENT = "current"
    UPCOMING = "upcoming"
    ENDED = "ended"
    CHOICES = ((CURRENT, "有效期内"), (UPCOMING, "即将生效"), (ENDED, "已失效"))


# --- Who a subject is ----------------------------------------------------------------------


def owned_subjects_q(user: User) -> Q:
    """Matches whose subject is ``user`` (by ID-number hash) or a company they act for."""
    if not user.is_authenticated or user.kind == User.Kind.STAFF:
        return Q(pk__in=[])
    q = Q(company__credit_code__in=user.companies.values("credit_code"))
    if user.id_number_hash:
        q |= Q(person__id_number_hash=user.id_number_hash)
    return q


def person_profile_of(user: User) -> PersonProfile | None:
    if not user.is_authenticated or not user.id_number_hash:
        return None
    return PersonProfile.objects.filter(id_number_hash=user.id_number_hash).first()


def company_profiles_of(user: User) -> QuerySet[CompanyProfile]:
    if not user.is_authenticated:
        return CompanyProfile.objects.none()
    return CompanyProfile.objects.filter(
        credit_code__in=user.companies.values("credit_code")
    ).order_by("name")


# --- Public --------------------------------------------------------------------------------


def policy_list_public(
    *,
    policy_class: str = "",
    department_code: str = "",
    validity: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Policy]:
    """PO1: the published lists, by class, issuing department and validity."""
    today = today or timezone.localdate()
    qs = Policy.objects.listed().select_related("department", "service_item")
    if policy_class:
        qs = qs.filter(policy_class=policy_class)
    if department_code:
        qs = qs.filter(department__code=department_code)
    if validity == Validity.CURRENT:
        qs = qs.filter(
            state__in=[PolicyState.PUBLISHED, PolicyState.SUSPENDED],
            valid_from__lte=today,
            valid_until__gte=today,
        )
    elif validity == Validity.UPCOMING:
        qs = qs.filter(state=PolicyState.PUBLISHED, valid_from__gt=today)
    elif validity == Validity.ENDED:
        qs = qs.filter(
            Q(state__in=[PolicyState.EXPIRED, PolicyState.STOPPED]) | Q(valid_until__lt=today)
        )
    return qs.order_by("-valid_from", "code")


def policy_get_public(*, code: str) -> Policy:
    policy = policy_list_public().filter(code=code).first()
    if policy is None:
        raise Http404
    return policy


# --- Mine (PO4) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """One identity the user acts as: themself, or a company they are an agent of."""

    key: str  # "person" or "company-<id>", for the page's subject switch
    label: str
    profile: CompanyProfile | PersonProfile


def subjects_for(user: User) -> list[Subject]:
    subjects = []
    person = person_profile_of(user)
    if person is not None:
        subjects.append(Subject("person", person.name, person))
    for company in company_profiles_of(user):
        subjects.append(Subject(f"company-{company.pk}", company.name, company))
    return subjects


@dataclass
class MyPolicy:
    match: PolicyMatch
    policy: Policy
    reasons: list[Reason] = field(default_factory=list)
    entitlement: Entitlement | None = None
    claim: PolicyClaim | None = None


def my_policies(
    *, user: User, subject: Subject, today: datetime.date | None = None
) -> list[MyPolicy]:
    """The subject's current matches, each with the criteria it meets and what came of it.
    Three queries, whatever the number of matches."""
    today = today or timezone.localdate()
    kind = SubjectKind.PERSON if isinstance(subject.profile, PersonProfile) else SubjectKind.COMPANY
    matches = (
        PolicyMatch.objects.filter(owned_subjects_q(user))
        .filter(**{kind: subject.profile, "lapsed_at__isnull": True})
        .exclude(policy__state=PolicyState.DRAFT)
        .select_related("policy__department", "policy__service_item", "entitlement")
        .order_by("policy__valid_until", "pk")
    )
    claims = {
        c.match_id: c
        for c in PolicyClaim.objects.filter(match__in=matches).select_related("application")
    }
    values = {f.attname: getattr(subject.profile, f.attname) for f in subject.profile._meta.fields}
    rows = []
    for match in matches:
        conditions = parse_criteria(match.policy.subject_kind, match.policy.criteria, today=today)
        rows.append(
            MyPolicy(
                match=match,
                policy=match.policy,
                reasons=explain(conditions, values, today),
                entitlement=getattr(match, "entitlement", None),
                claim=claims.get(match.pk),
            )
        )
    return rows


def entitlement_get_for_beneficiary(*, user: User, entitlement_id: int) -> Entitlement:
    entitlement = (
        Entitlement.objects.select_related("policy__department", "match__company", "match__person")
        .filter(match__in=PolicyMatch.objects.filter(owned_subjects_q(user)), pk=entitlement_id)
        .first()
    )
    if entitlement is None:
        raise Http404
    return entitlement


# --- Staff ---------------------------------------------------------------------------------


def policy_list_for_staff(*, user: User) -> QuerySet[Policy]:
    return scope_by_department(Policy.objects.select_related("department"), user)


def entitlement_list_for_staff(*, user: User) -> QuerySet[Entitlement]:
    return scope_by_department(
        Entitlement.objects.select_related("policy", "match__company", "match__person"),
        user,
        field="policy__department",
    )


def push_list_for_staff(*, user: User) -> QuerySet[PolicyPush]:
    return scope_by_department(
        PolicyPush.objects.select_related("policy", "match__company", "match__person"),
        user,
        field="policy__department",
    )


def policy_ids_with_queued_pushes() -> list[int]:
    return sorted(
        set(
            PolicyPush.objects.filter(status=PushStatus.QUEUED)
            .order_by()
            .values_list("policy_id", flat=True)
            .distinct()
        )
    )


def import_ids_awaiting_rematch(*, older_than: datetime.datetime) -> list[int]:
    """Imports whose changed profiles were never matched again (a lost task)."""
    return list(
        ProfileImport.objects.filter(
            status=ProfileImport.Status.SUCCEEDED,
            rematched_at__isnull=True,
            created_at__lt=older_than,
        )
        .exclude(created_count=0, changed_count=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def policy_ids_due_for_matching(*, today: datetime.date | None = None) -> list[int]:
    """Active policies never matched: those whose validity began since the last round."""
    today = today or timezone.localdate()
    return list(
        Policy.objects.active_on(today)
        .filter(matched_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Figures (supervisors' dashboard panel) -------------------------------------------------


def _count(qs: QuerySet) -> Coalesce:
    counted = qs.order_by().values("policy").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_APPROVED = Q(application__state=ApplicationState.APPROVED) | Q(
    application__state=ApplicationState.ARCHIVED, application__outcome=ApplicationState.APPROVED
)
FIGURE_NAMES = ("matched", "pushed", "delivered", "claimed", "declined", "granted", "paid")


def policy_figures(*, user: User) -> QuerySet[Policy]:
    """Per policy: matched, pushed, delivered, claimed, declined, granted, paid — one query.

    *claimed*: 申请兑现 applications made; *granted*: 免申即享 entitlements granted (paid
    or not) plus 申请兑现 applications approved; *delivered*: pushes with at least one
    message delivered (an inbox message counts when it is written).
    """
    mine = OuterRef("pk")
    delivered_push = PolicyPush.objects.filter(policy=mine, status=PushStatus.SENT).filter(
        Exists(PushDelivery.objects.filter(push=OuterRef("pk"), notification__status="sent"))
    )
    entitlements = Entitlement.objects.filter(policy=mine)
    return (
        scope_by_department(Policy.objects.listed().select_related("department"), user)
        .annotate(
            matched=_count(PolicyMatch.objects.filter(policy=mine, lapsed_at__isnull=True)),
            pushed=_count(PolicyPush.objects.filter(policy=mine, status=PushStatus.SENT)),
            delivered=_count(delivered_push),
            claimed=_count(PolicyClaim.objects.filter(policy=mine)),
            declined=_count(entitlements.filter(state=EntitlementState.DECLINED)),
            granted_entitlements=_count(entitlements.filter(state__in=list(GRANTED_STATES))),
            granted_claims=_count(PolicyClaim.objects.filter(policy=mine).filter(_APPROVED)),
            paid=_count(entitlements.filter(state=EntitlementState.PAID)),
        )
        .order_by("department__code", "code")
    )


def figures_summary(*, user: User) -> dict:
    """The figures by policy and by department, and their totals (one query)."""
    policies: list[dict[str, Any]] = []
    departments: dict[str, dict[str, Any]] = {}
    totals = dict.fromkeys(FIGURE_NAMES, 0)
    rows = policy_figures(user=user).values(
        "pk",
        "code",
        "title",
        "department__code",
        "department__name",
        "fulfilment",
        "state",
        "granted_entitlements",
        "granted_claims",
        *(name for name in FIGURE_NAMES if name != "granted"),
    )
    for policy in rows:
        figures = {name: policy.get(name, 0) for name in FIGURE_NAMES}
        figures["granted"] = policy["granted_entitlements"] + policy["granted_claims"]
        policies.append(
            {
                "id": policy["pk"],
                "code": policy["code"],
                "title": policy["title"],
                "department": policy["department__name"],
                "fulfilment": str(Fulfilment(policy["fulfilment"]).label),
                "state": str(PolicyState(policy["state"]).label),
                **figures,
            }
        )
        code = policy["department__code"]
        department = departments.setdefault(
            code,
            {"code": code, "name": policy["department__name"], "policies": 0}
            | dict.fromkeys(FIGURE_NAMES, 0),
        )
        department["policies"] += 1
        for name in FIGURE_NAMES:
            department[name] += figures[name]
            totals[name] += figures[name]
    return {
        "generated_at": timezone.now().isoformat(),
        "figures": list(FIGURE_NAMES),
        "totals": totals,
        "departments": list(departments.values()),
        "policies": policies,
    }
