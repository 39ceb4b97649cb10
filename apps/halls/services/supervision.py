"""特约监督员 (DOMAIN S1): deputies, committee members, business and citizen representatives
send opinions about halls, windows and items; the hall management assigns each, the
assignee answers within the deadline, and only the supervisor's confirmation closes it (an
unsatisfied supervisor sends it back). Overdue opinions go to the supervisors' desk once."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import ServiceWindow, User
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.halls.models import HallEvent, HallProfile, Opinion, SocialSupervisor
from apps.halls.services._base import check_edge, check_staff, local_now, now, record
from apps.halls.services.hard_cases import supervisors
from apps.halls.workflow import OPINION_TRANSITIONS, OpinionState, SupervisorCategory
from apps.notifications.services import notify
from apps.workdays.calendar import add_working_days

ANSWER_WORKING_DAYS = 10
MANAGE = "halls.manage_halls"


def supervisor_appoint(
    *, actor: User, user: User, category: str, organisation: str = ""
) -> SocialSupervisor:
    check_staff(actor, MANAGE)
    if category not in SupervisorCategory.values:
        raise ApplicationError(_("身份无效。"), code="invalid_category")
    if user.kind == User.Kind.STAFF:
        raise ApplicationError(_("特约监督员须为社会人士。"), code="staff_not_allowed")
    with transaction.atomic():
        supervisor, _created = SocialSupervisor.objects.select_for_update().get_or_create(
            user=user,
            defaults={"category": category, "appointed_on": local_now().date()},
        )
        supervisor.category, supervisor.organisation, supervisor.is_active = (
            category,
            organisation,
            True,
        )
        set_history_user(supervisor, actor)
        supervisor.save()
    return supervisor


def _lock(opinion_id: int) -> Opinion:
    try:
        return (
            Opinion.objects.select_for_update(of=("self",))
            .select_related("supervisor__user", "assignee")
            .get(pk=opinion_id)
        )
    except Opinion.DoesNotExist as exc:
        raise ApplicationError(_("意见不存在。"), code="not_found") from exc


def _move(opinion: Opinion, state: str, actor: User | None, kind: str, note: str = "") -> None:
    check_edge(OPINION_TRANSITIONS, opinion.state, state, opinion.get_state_display())
    opinion.state = state
    set_history_user(opinion, actor)
    opinion.save()
    record(kind, actor=actor, opinion=opinion, note=note)


def opinion_submit(
    *,
    actor: User,
    content: str,
    hall: HallProfile | None = None,
    window: ServiceWindow | None = None,
    item: ServiceItem | None = None,
) -> Opinion:
    supervisor = SocialSupervisor.objects.filter(user=actor, is_active=True).first()
    if supervisor is None:
        raise PermissionDeniedError(_("仅在聘的特约监督员可以提交监督意见。"))
    content = (content or "").strip()
    if len(content) < 5:
        raise ApplicationError(_("请具体填写意见（至少5个字）。"), code="content_required")
    with transaction.atomic():
        opinion = Opinion(
            supervisor=supervisor,
            hall=hall,
            window=window,
            item=item,
            content=content,
            due_on=add_working_days(local_now().date(), ANSWER_WORKING_DAYS),
        )
        set_history_user(opinion, actor)
        opinion.save()
        record(HallEvent.Kind.OPINION_SUBMITTED, actor=actor, opinion=opinion)
    return opinion


def opinion_assign(*, actor: User, opinion_id: int, assignee: User) -> Opinion:
    check_staff(actor, MANAGE)
    if assignee.kind != User.Kind.STAFF or not assignee.is_active:
        raise ApplicationError(_("承办人须为在岗工作人员。"), code="bad_assignee")
    with transaction.atomic():
        opinion = _lock(opinion_id)
        opinion.assignee = assignee
        _move(
            opinion,
            OpinionState.ASSIGNED,
            actor,
            HallEvent.Kind.OPINION_ASSIGNED,
            note=assignee.full_name,
        )
        notify(
            recipient=assignee,
            title=_("请答复特约监督员意见"),
            body=_("答复期限：%(d)s。") % {"d": f"{opinion.due_on:%Y-%m-%d}"},
            category="hall",
            link=reverse("halls:opinion", args=[opinion.pk]),
        )
    return opinion


def opinion_answer(*, actor: User, opinion_id: int, answer: str) -> Opinion:
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise ApplicationError(_("请填写答复内容。"), code="answer_required")
    with transaction.atomic():
        opinion = _lock(opinion_id)
        if opinion.assignee_id != getattr(actor, "pk", None):
            raise PermissionDeniedError(_("只有承办人可以答复。"))
        opinion.answer, opinion.answered_at = answer, now()
        _move(opinion, OpinionState.ANSWERED, actor, HallEvent.Kind.OPINION_ANSWERED)
        notify(
            recipient=opinion.supervisor.user,
            title=_("您的监督意见已答复，请确认"),
            body=answer[:200],
            category="hall",
            link=reverse("halls:opinion", args=[opinion.pk]),
            channels=("inbox", "sms"),
        )
    return opinion


def opinion_confirm(*, actor: User, opinion_id: int, satisfied: bool, note: str = "") -> Opinion:
    """Only the supervisor closes their opinion; not satisfied sends it back to the assignee."""
    with transaction.atomic():
        opinion = _lock(opinion_id)
        if opinion.supervisor.user_id != getattr(actor, "pk", None):
            raise PermissionDeniedError(_("只有提出意见的监督员可以确认。"))
        opinion.confirmation = (note or "").strip()
        if satisfied:
            _move(opinion, OpinionState.CLOSED, actor, HallEvent.Kind.OPINION_CONFIRMED, note)
        else:
            if not opinion.confirmation:
                raise ApplicationError(_("请说明不满意的原因。"), code="note_required")
            _move(opinion, OpinionState.ASSIGNED, actor, HallEvent.Kind.OPINION_REOPENED, note)
    return opinion


def opinion_escalate(*, opinion_id: int) -> bool:
    """Not answered by the deadline: the supervisors are told, once."""
    with transaction.atomic():
        opinion = _lock(opinion_id)
        open_states = (OpinionState.SUBMITTED, OpinionState.ASSIGNED)
        if opinion.state not in open_states or opinion.escalated_at is not None:
            return False
        if opinion.due_on >= local_now().date():
            return False
        opinion.escalated_at = now()
        opinion.save(update_fields=["escalated_at", "updated_at"])
        record(HallEvent.Kind.OPINION_ESCALATED, actor=None, opinion=opinion)
        for person in supervisors():
            notify(
                recipient=person,
                title=_("特约监督员意见逾期未答复，请督办"),
                body=opinion.content[:200],
                category="hall",
                link=reverse("halls:opinion", args=[opinion.pk]),
                dedupe_key=f"opinion:{opinion.pk}:escalated:{person.pk}",
            )
    return True


def due_for_escalation(today: datetime.date):
    return Opinion.objects.filter(
        state__in=[OpinionState.SUBMITTED, OpinionState.ASSIGNED],
        escalated_at__isnull=True,
        due_on__lt=today,
    )
