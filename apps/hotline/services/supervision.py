"""督办 (DOMAIN H8, H9): a reminder (催办) before the reply is due, then escalation level by
level when sign-off or the reply is overdue — 督办 when the due time passes, 书面督办 a day
later, 通报 when the due date is ``HOTLINE_CRITICISE_AFTER_WORKING_DAYS`` working days past —
and the call-back reminder; each once per ticket, dispatch round and threshold.

Cost follows what is *due*, not what is open: each step is a range over a partial index
holding only the tickets that step is still owed for (``Ticket.Meta.indexes``), walked in
keyset order in chunks; a handled row leaves its index (its stage changes). A second run, a
retry or a concurrent run finds nothing new: rows are locked with SKIP LOCKED, and the
``TicketMark`` unique row plus the notification dedupe keys make each step a no-op the
second time.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.hotline.models import ReplyStage, Ticket, TicketEvent, TicketMark
from apps.hotline.services import _base
from apps.hotline.services.deadlines import start_of_day
from apps.hotline.workflow import CLOCK_VALUES, TicketState
from apps.workdays.calendar import SHANGHAI, add_working_days, local_date

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
ONE_DAY = datetime.timedelta(days=1)
_CLOCK = list(CLOCK_VALUES)
Threshold = TicketMark.Threshold


@dataclass
class TicketSupervisionReport:
    sign_overdue: int = 0
    reminded: int = 0
    overdue: int = 0
    written: int = 0
    criticised: int = 0
    callback_due: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Step:
    """One supervision step: which tickets are due, who is told, what is recorded."""

    threshold: str
    queryset: QuerySet[Ticket]
    key_field: str
    title: str
    body: str
    roles: tuple[Role, ...]  # department roles told (of the lead department)
    centre_roles: tuple[Role, ...]  # centre roles told
    stage_field: str | None
    stage: int
    level: int


def _keyset(qs: QuerySet, key_field: str, batch_size: int) -> Iterator[list[int]]:
    last = None
    while True:
        page = qs
        if last is not None:
            page = qs.filter(
                Q(**{f"{key_field}__gt": last[0]}) | Q(**{key_field: last[0], "pk__gt": last[1]})
            )
        rows = list(page.order_by(key_field, "pk").values_list(key_field, "pk")[:batch_size])
        if not rows:
            return
        yield [pk for _k, pk in rows]
        last = rows[-1]


def _mark_new(tickets: list[Ticket], threshold: str) -> set[int]:
    """Insert the marks of a chunk in one statement; return the ticket ids marked now."""
    if not tickets:
        return set()
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(tickets))
    params: list = []
    stamp = _base.now()
    for ticket in tickets:
        params += [ticket.pk, ticket.cycle, threshold, stamp]
    table = TicketMark._meta.db_table
    # Only placeholders and our own table name are interpolated; values go as parameters.
    sql = (
        f"INSERT INTO {table} (ticket_id, cycle, threshold, created_at) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (ticket_id, cycle, threshold) DO NOTHING RETURNING ticket_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


class _Recipients:
    """Staff to tell, looked up once per department and role per run."""

    def __init__(self) -> None:
        self._cache: dict[tuple, list[User]] = {}

    def department(self, department_id: int | None, roles: tuple[Role, ...]) -> list[User]:
        if department_id is None or not roles:
            return []
        key = (department_id, roles)
        if key not in self._cache:
            self._cache[key] = list(_base.department_handlers(department_id, roles))
        return self._cache[key]

    def centre(self, roles: tuple[Role, ...]) -> list[User]:
        key = ("centre", roles)
        if key not in self._cache:
            self._cache[key] = [u for role in roles for u in _base.role_members(role)]
        return self._cache[key]


def _fmt(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _run_step(step: Step, recipients: _Recipients, batch_size: int) -> int:
    """Per chunk: lock the rows (SKIP LOCKED), mark them in one INSERT … ON CONFLICT, tell
    the people of the newly marked ones, write their timeline rows, move the stage."""
    done = 0
    for ids in _keyset(step.queryset, step.key_field, batch_size):
        with transaction.atomic():
            tickets = list(
                step.queryset.filter(pk__in=ids)
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("pk")
            )
            new = _mark_new(tickets, step.threshold)
            events = []
            for ticket in (t for t in tickets if t.pk in new):
                users = [
                    *recipients.department(ticket.department_id, step.roles),
                    *recipients.centre(step.centre_roles),
                ]
                body = step.body % {
                    "number": ticket.number,
                    "due": _fmt(ticket.reply_due_at),
                    "sign_due": _fmt(ticket.sign_due_at),
                }
                _base.tell_staff(
                    users,
                    ticket,
                    event_key=f"{step.threshold}:{ticket.cycle}",
                    title=step.title,
                    body=body,
                )
                events.append(
                    TicketEvent(
                        ticket=ticket,
                        kind=TicketEvent.Kind.SUPERVISION,
                        title=step.title,
                        reason=body,
                        department_id=ticket.department_id,
                        payload={"threshold": step.threshold, "cycle": ticket.cycle},
                        visible_to_caller=False,
                    )
                )
            TicketEvent.objects.bulk_create(events)
            _advance([t.pk for t in tickets], step)
            done += len(new)
    return done


def _advance(ids: list[int], step: Step) -> None:
    """Every locked row leaves the step's index, whether marked now or before."""
    if not ids:
        return
    rows = Ticket.objects.filter(pk__in=ids)
    if step.stage_field == "reply_stage":
        rows.filter(reply_stage__lt=step.stage).update(reply_stage=step.stage)
    elif step.stage_field == "sign_stage":
        rows.update(sign_stage=step.stage)
    elif step.stage_field == "callback_reminded":
        rows.update(callback_reminded=True)
    if step.level:
        rows.filter(escalation_level__lt=step.level).update(escalation_level=step.level)


def steps(now: datetime.datetime) -> list[Step]:
    """The steps in the order a run takes them (later thresholds first, so a ticket found
    long overdue gets the highest step at once and not every step in one run)."""
    today = local_date(now)
    cutoff = add_working_days(today, -settings.HOTLINE_CRITICISE_AFTER_WORKING_DAYS)
    clock = Ticket.objects.filter(state__in=_CLOCK)
    dept = (Role.WINDOW_STAFF, Role.DEPARTMENT_APPROVER)
    return [
        Step(
            Threshold.REPLY_CRITICISED,
            clock.filter(reply_stage__lt=4, reply_due_at__lt=start_of_day(cutoff + ONE_DAY)),
            "reply_due_at",
            _("工单超期通报"),
            _("工单 %(number)s 答复期限 %(due)s 已过多个工作日仍未答复，予以通报。"),
            (Role.DEPARTMENT_APPROVER,),
            (Role.SUPERVISOR,),
            "reply_stage",
            ReplyStage.CRITICISED,
            3,
        ),
        Step(
            Threshold.REPLY_WRITTEN,
            clock.filter(reply_stage__lt=3, reply_due_at__lt=now - ONE_DAY),
            "reply_due_at",
            _("工单书面督办"),
            _("工单 %(number)s 已超过答复期限 %(due)s，现书面督办，请立即办理并说明原因。"),
            (Role.DEPARTMENT_APPROVER,),
            (Role.SUPERVISOR,),
            "reply_stage",
            ReplyStage.WRITTEN,
            2,
        ),
        Step(
            Threshold.REPLY_OVERDUE,
            clock.filter(reply_stage__lt=2, reply_due_at__lt=now),
            "reply_due_at",
            _("工单已超期"),
            _("工单 %(number)s 已超过答复期限 %(due)s，请立即办理。"),
            dept,
            (),
            "reply_stage",
            ReplyStage.OVERDUE,
            1,
        ),
        Step(
            Threshold.REPLY_REMIND,
            clock.filter(reply_stage__lt=1, reply_remind_at__lte=now),
            "reply_remind_at",
            _("工单即将到期"),
            _("工单 %(number)s 将于 %(due)s 到期，请抓紧办理答复。"),
            dept,
            (),
            "reply_stage",
            ReplyStage.REMINDED,
            0,
        ),
        Step(
            Threshold.SIGN_OVERDUE,
            Ticket.objects.filter(state=TicketState.DISPATCHED, sign_stage=0, sign_due_at__lt=now),
            "sign_due_at",
            _("工单签收超时"),
            _("工单 %(number)s 应于 %(sign_due)s 前签收，请立即签收。"),
            dept,
            (),
            "sign_stage",
            1,
            1,
        ),
        Step(
            Threshold.CALLBACK_DUE,
            Ticket.objects.filter(
                state=TicketState.CLOSED,
                called_back_at__isnull=True,
                callback_reminded=False,
                callback_due_on__lte=today,
            ),
            "callback_due_on",
            _("工单待回访"),
            _("工单 %(number)s 已到回访期限，请回访来电人。"),
            (),
            (Role.HOTLINE_OPERATOR,),
            "callback_reminded",
            1,
            0,
        ),
    ]


_REPORT_FIELD: dict[str, str] = {
    Threshold.REPLY_CRITICISED: "criticised",
    Threshold.REPLY_WRITTEN: "written",
    Threshold.REPLY_OVERDUE: "overdue",
    Threshold.REPLY_REMIND: "reminded",
    Threshold.SIGN_OVERDUE: "sign_overdue",
    Threshold.CALLBACK_DUE: "callback_due",
}


def supervise_tickets(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> TicketSupervisionReport:
    """One supervision pass (the Celery beat task calls it every 10 minutes)."""
    now = now or _base.now()
    recipients = _Recipients()
    report = TicketSupervisionReport()
    for step in steps(now):
        setattr(report, _REPORT_FIELD[step.threshold], _run_step(step, recipients, batch_size))
    logger.info("supervise_tickets %s", report.as_dict())
    return report
