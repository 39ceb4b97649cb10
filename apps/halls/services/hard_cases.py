"""The 办不成事 window (DOMAIN S2, S3, H5): the person who first hears the problem records
it (首问负责), a coordinator brings the departments together by a deadline, the outcome is
told, the citizen's feedback closes it; an open case past its deadline goes to the
supervisors, once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.halls.models import HallEvent, HallProfile, HardCase
from apps.halls.services._base import check_edge, check_staff, local_now, now, record
from apps.halls.workflow import (
    HARD_CASE_TRANSITIONS,
    OPEN_HARD_CASE_STATES,
    Feedback,
    HardCaseCause,
    HardCaseState,
)
from apps.notifications.services import notify
from apps.workdays.calendar import add_working_days

HANDLE = "halls.handle_hard_cases"
DEFAULT_WORKING_DAYS = 5


def _lock(case_id: int) -> HardCase:
    try:
        return (
            HardCase.objects.select_for_update(of=("self",))
            .select_related("hall__center", "citizen", "coordinator")
            .get(pk=case_id)
        )
    except HardCase.DoesNotExist as exc:
        raise ApplicationError(_("记录不存在。"), code="not_found") from exc


def _move(case: HardCase, state: str, actor: User | None, kind: str, note: str = "") -> None:
    check_edge(HARD_CASE_TRANSITIONS, case.state, state, case.get_state_display())
    case.state = state
    set_history_user(case, actor)
    case.save()
    record(kind, actor=actor, hard_case=case, note=note)


def hard_case_open(
    *,
    actor: User,
    hall: HallProfile,
    contact_name: str,
    problem: str,
    cause: str,
    item: ServiceItem | None = None,
    citizen: User | None = None,
    departments: Iterable[Department] = (),
) -> HardCase:
    """首问负责 (H5): whoever takes the problem records it; the deadline defaults to five
    working days."""
    check_staff(actor, HANDLE)
    problem, contact_name = (problem or "").strip(), (contact_name or "").strip()
    if len(problem) < 5:
        raise ApplicationError(_("请具体描述问题（至少5个字）。"), code="problem_required")
    if not contact_name:
        raise ApplicationError(_("请填写反映人姓名。"), code="contact_required")
    if cause not in HardCaseCause.values:
        raise ApplicationError(_("难办原因无效。"), code="invalid_cause")
    today = local_now().date()
    with transaction.atomic():
        case = HardCase(
            hall=hall,
            number=f"tmp-{now().timestamp()}-{actor.pk}"[:20],
            citizen=citizen,
            contact_name=contact_name,
            item=item,
            problem=problem,
            cause=cause,
            received_by=actor,
            deadline=add_working_days(today, DEFAULT_WORKING_DAYS),
        )
        set_history_user(case, actor)
        case.save()
        case.number = f"BCS{today:%Y%m%d}{case.pk:05d}"
        case.save(update_fields=["number"])
        case.departments.set(list(departments))
        record(HallEvent.Kind.CASE_OPENED, actor=actor, hard_case=case)
    return case


def hard_case_assign(
    *,
    actor: User,
    case_id: int,
    coordinator: User,
    deadline: datetime.date | None = None,
    departments: Iterable[Department] = (),
) -> HardCase:
    check_staff(actor, HANDLE)
    if not coordinator.is_active or not coordinator.has_perm(HANDLE):
        raise ApplicationError(_("协调人须为可办理“办不成事”的工作人员。"), code="bad_coordinator")
    with transaction.atomic():
        case = _lock(case_id)
        if deadline is not None:
            if deadline < local_now().date():
                raise ApplicationError(_("办理期限不能早于今天。"), code="deadline_past")
            case.deadline = deadline
        case.coordinator = coordinator
        _move(
            case,
            HardCaseState.COORDINATING,
            actor,
            HallEvent.Kind.CASE_ASSIGNED,
            note=coordinator.full_name,
        )
        if departments:
            case.departments.add(*departments)
        notify(
            recipient=coordinator,
            title=_("请协调办理“办不成事”%(n)s") % {"n": case.number},
            body=_("办理期限：%(d)s。") % {"d": f"{case.deadline:%Y-%m-%d}"},
            category="hall",
            link=reverse("halls:hard_case", args=[case.pk]),
            dedupe_key=f"hard-case:{case.pk}:assign:{coordinator.pk}",
        )
    return case


def hard_case_conclude(*, actor: User, case_id: int, resolved: bool, outcome: str) -> HardCase:
    """The coordinator records the outcome; unresolvable needs the reasons told (S2)."""
    check_staff(actor, HANDLE)
    outcome = (outcome or "").strip()
    if len(outcome) < 5:
        raise ApplicationError(_("请填写办理结果或无法解决的理由。"), code="outcome_required")
    with transaction.atomic():
        case = _lock(case_id)
        check_edge(
            HARD_CASE_TRANSITIONS,
            case.state,
            HardCaseState.RESOLVED,
            case.get_state_display(),
        )
        if case.coordinator_id != actor.pk and not actor.has_perm("halls.manage_halls"):
            raise PermissionDeniedError(_("只有协调人可以登记办理结果。"))
        case.outcome = outcome
        state = HardCaseState.RESOLVED if resolved else HardCaseState.UNRESOLVABLE
        _move(case, state, actor, HallEvent.Kind.CASE_CONCLUDED, note=outcome)
        if case.citizen is not None:
            notify(
                recipient=case.citizen,
                title=_("您反映的问题有了结果"),
                body=outcome,
                category="hall",
                channels=("inbox", "sms"),
                dedupe_key=f"hard-case:{case.pk}:concluded",
            )
    return case


def hard_case_feedback(*, actor: User, case_id: int, feedback: str, note: str = "") -> HardCase:
    """回访: the citizen's view of the outcome closes the case."""
    check_staff(actor, HANDLE)
    if feedback not in Feedback.values:
        raise ApplicationError(_("评价无效。"), code="invalid_feedback")
    with transaction.atomic():
        case = _lock(case_id)
        case.feedback, case.feedback_note = feedback, (note or "").strip()
        _move(case, HardCaseState.CLOSED, actor, HallEvent.Kind.CASE_FEEDBACK, note=note)
    return case


def supervisors() -> list[User]:
    group = Group.objects.filter(name=group_name(Role.SUPERVISOR)).first()
    if group is None:
        return []
    return list(User.objects.filter(groups=group, is_active=True))


def hard_case_escalate(*, case_id: int) -> bool:
    """An open case past its deadline goes to the supervisors, once (idempotent)."""
    with transaction.atomic():
        case = _lock(case_id)
        if case.state not in OPEN_HARD_CASE_STATES or case.escalated_at is not None:
            return False
        if case.deadline is None or case.deadline >= local_now().date():
            return False
        case.escalated_at = now()
        set_history_user(case, None)
        case.save(update_fields=["escalated_at", "updated_at"])
        record(HallEvent.Kind.CASE_ESCALATED, actor=None, hard_case=case)
        for person in supervisors():
            notify(
                recipient=person,
                title=_("“办不成事”%(n)s 已逾期，请督办") % {"n": case.number},
                body=case.problem[:200],
                category="hall",
                link=reverse("halls:hard_case", args=[case.pk]),
                dedupe_key=f"hard-case:{case.pk}:escalated:{person.pk}",
            )
    return True
