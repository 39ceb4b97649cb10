"""The verification sweep (DOMAIN P3, P3a, A14, A15): reminders to inspectors before a
verification is due and to applicants before a rectification deadline, escalation to the
supervisors when either is overdue, and a lapsed rectification deadline opening the
revocation step for staff (revocation itself stays a staff decision).

Cost follows what is due, not what exists: each selection is a range over a partial index
holding only open tasks (``VerificationTask.Meta.indexes``), walked in keyset chunks and
locked with SKIP LOCKED; a ``VerificationMark`` unique row per task, threshold and order
makes every reminder happen once, however often the sweep runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.applications.due_selectors import keyset
from apps.pledges.models import (
    PledgeEvent,
    RectificationOrder,
    VerificationMark,
    VerificationTask,
)
from apps.pledges.services import _base
from apps.pledges.services.credit import credit_records_expire
from apps.pledges.services.verification import _move
from apps.pledges.workflow import VerificationState
from apps.workdays.calendar import add_working_days

BATCH_SIZE = 500
Threshold = VerificationMark.Threshold


@dataclass
class SweepReport:
    verify_reminded: int = 0
    verify_escalated: int = 0
    rectify_reminded: int = 0
    rectify_lapsed: int = 0
    credit_expired: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _unmarked(qs: QuerySet, threshold: str, *, per_order: bool) -> QuerySet:
    """Tasks not yet marked for ``threshold`` (for the task's latest rectification order,
    when a task can be ordered more than once)."""
    marks = VerificationMark.objects.filter(task=OuterRef("pk"), threshold=threshold)
    if per_order:
        latest = (
            RectificationOrder.objects.filter(task=OuterRef(OuterRef("pk")))
            .order_by("-id")
            .values("id")[:1]
        )
        marks = marks.filter(order_id=Subquery(latest))
    return qs.filter(~Exists(marks))


def _mark_new(task_ids: list[int], threshold: str, order_ids: dict[int, int]) -> set[int]:
    """Insert the chunk's marks in one statement; return the task ids marked *now*."""
    if not task_ids:
        return set()
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(task_ids))
    now = _base.now()
    params: list = []
    for pk in task_ids:
        params += [pk, threshold, order_ids.get(pk, 0), now]
    table = VerificationMark._meta.db_table
    sql = (
        f"INSERT INTO {table} (task_id, threshold, order_id, created_at) "  # noqa: S608
        f"VALUES {rows} ON CONFLICT (task_id, threshold, order_id) DO NOTHING "
        "RETURNING task_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _walk(
    qs: QuerySet,
    date_field: str,
    threshold: str,
    act: Callable[[VerificationTask], None],
    *,
    per_order: bool = False,
) -> int:
    done = 0
    for ids in keyset(_unmarked(qs, threshold, per_order=per_order), date_field, BATCH_SIZE):
        with transaction.atomic():
            tasks = list(
                qs.filter(pk__in=ids)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("application", "application__applicant", "inspector")
                .order_by("pk")
            )
            orders = {t.pk: _latest_order_id(t) for t in tasks} if per_order else {}
            fresh = _mark_new([t.pk for t in tasks], threshold, orders)
            for task in tasks:
                if task.pk in fresh:
                    act(task)
                    done += 1
    return done


def _latest_order_id(task: VerificationTask) -> int:
    order = task.rectifications.order_by("-id").values_list("id", flat=True).first()
    return order or 0


class _Recipients:
    """Staff to tell, looked up once per department per run."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int | None, str], list[User]] = {}

    def role(self, department_id: int | None, role: Role) -> list[User]:
        key = (department_id, role)
        if key not in self._cache:
            self._cache[key] = list(_base.staff_with(department_id, role))
        return self._cache[key]

    def inspectors(self, task: VerificationTask) -> list[User]:
        if task.inspector is not None:
            return [task.inspector]
        return self.role(task.department_id, Role.DEPARTMENT_APPROVER)


def supervise_pledge_verifications(*, today: date | None = None) -> SweepReport:
    today = today or _base.today()
    report = SweepReport()
    people = _Recipients()
    soon = add_working_days(today, settings.PLEDGES_REMIND_WORKING_DAYS)
    pending = VerificationTask.objects.filter(state=VerificationState.PENDING)
    rectifying = VerificationTask.objects.filter(state=VerificationState.RECTIFYING)

    def remind_inspector(task: VerificationTask) -> None:
        for user in people.inspectors(task):
            _base.tell(
                user,
                key=f"task:{task.pk}:verify_soon",
                title=_("告知承诺核查即将到期"),
                body=_("办件 %(number)s 的告知承诺核查应于 %(due)s 前完成。")
                % {"number": task.application.number, "due": task.due_date},
            )
        _event(task, _("核查临期提醒"))

    def escalate_verification(task: VerificationTask) -> None:
        for user in people.role(None, Role.SUPERVISOR) + people.inspectors(task):
            _base.tell(
                user,
                key=f"task:{task.pk}:verify_overdue",
                title=_("告知承诺核查已超期"),
                body=_("办件 %(number)s 的告知承诺核查已超过期限 %(due)s，请督办。")
                % {"number": task.application.number, "due": task.due_date},
            )
        _event(task, _("核查超期，已报监督管理人员"))

    def remind_applicant(task: VerificationTask) -> None:
        _base.tell(
            task.application.applicant,
            key=f"task:{task.pk}:rectify_soon:{task.rectify_deadline}",
            title=_("整改期限即将届满"),
            body=_("办件 %(number)s 的整改期限为 %(deadline)s，请按期完成整改。")
            % {"number": task.application.number, "deadline": task.rectify_deadline},
            link=_base.application_link(task.application),
            sms=True,
        )
        _event(task, _("整改临期提醒"))

    def lapse_rectification(task: VerificationTask) -> None:
        _move(task, VerificationState.REVOCATION_DUE, actor=None)
        recipients = people.role(task.department_id, Role.DEPARTMENT_APPROVER) + people.role(
            None, Role.SUPERVISOR
        )
        for user in recipients:
            _base.tell(
                user,
                key=f"task:{task.pk}:rectify_lapsed:{task.rectify_deadline}",
                title=_("整改期满未核查合格"),
                body=_("办件 %(number)s 整改期限 %(deadline)s 已届满，请作出处理决定。")
                % {"number": task.application.number, "deadline": task.rectify_deadline},
            )
        _base.event(
            PledgeEvent.Kind.RECTIFY_LAPSED,
            actor=None,
            application=task.application,
            task=task,
        )

    report.verify_reminded = _walk(
        pending.filter(due_date__lte=soon, due_date__gte=today),
        "due_date",
        Threshold.VERIFY_SOON,
        remind_inspector,
    )
    report.verify_escalated = _walk(
        pending.filter(due_date__lt=today),
        "due_date",
        Threshold.VERIFY_OVERDUE,
        escalate_verification,
    )
    report.rectify_reminded = _walk(
        rectifying.filter(rectify_deadline__lte=soon, rectify_deadline__gte=today),
        "rectify_deadline",
        Threshold.RECTIFY_SOON,
        remind_applicant,
        per_order=True,
    )
    report.rectify_lapsed = _walk(
        rectifying.filter(rectify_deadline__lt=today),
        "rectify_deadline",
        Threshold.RECTIFY_LAPSED,
        lapse_rectification,
        per_order=True,
    )
    report.credit_expired = credit_records_expire(today=today)
    return report


def _event(task: VerificationTask, reason: str) -> None:
    _base.event(
        PledgeEvent.Kind.REMINDER,
        actor=None,
        application=task.application,
        task=task,
        reason=reason,
    )
