"""Electronic supervision (DOMAIN A4a, A5, A14, A15, T3): deemed acceptance of undecided
intakes, deemed withdrawal of applications whose correction notice lapsed, and reminders at
each threshold, once per application and threshold.

Cost follows what is *due*, not what is open: every selection is a range over a partial
index that holds only the rows a reminder is still owed for (``Application.Meta.indexes``),
walked in keyset order in chunks, and a handled row leaves its index (state or warning
level changes). A second run, a retry or a concurrent run finds nothing new: rows are
locked with SKIP LOCKED and the ``SupervisionMark`` unique row plus the notification
dedupe key make each reminder a no-op the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.applications import due_selectors as due
from apps.applications import receipts
from apps.applications.console_selectors import counts_by_department
from apps.applications.models import (
    Application,
    CorrectionRequest,
    SupervisionFigure,
    SupervisionMark,
    TimelineEvent,
    WarningLevel,
)
from apps.applications.selectors import SOON_WORKING_DAYS
from apps.applications.services import _base
from apps.applications.services.clock import start_clock
from apps.applications.services.closing import Ending, Message, close_case
from apps.applications.workflow import CLOCK_RUNNING_VALUES, State
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.notifications.services import notify
from apps.workdays.calendar import add_working_days

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
Threshold = SupervisionMark.Threshold


@dataclass
class SupervisionReport:
    deemed_accepted: int = 0
    intake_warned: int = 0
    red: int = 0
    yellow: int = 0
    correction_reminded: int = 0
    deemed_withdrawn: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _Recipients:
    """Staff to tell, looked up once per department per run (not once per application)."""

    def __init__(self) -> None:
        self._by_role: dict[tuple[int, str], list[User]] = {}
        self._supervisors: list[User] | None = None

    def department(self, department_id: int, role: Role) -> list[User]:
        key = (department_id, role)
        if key not in self._by_role:
            self._by_role[key] = list(_base.department_staff(department_id, role))
        return self._by_role[key]

    def supervisors(self) -> list[User]:
        if self._supervisors is None:
            self._supervisors = list(
                User.objects.filter(
                    is_active=True, groups__name=group_name(Role.SUPERVISOR)
                ).distinct()
            )
        return self._supervisors

    def handlers(self, application: Application) -> list[User]:
        if application.handled_by is not None:
            return [application.handled_by]
        return self.department(application.department_id, Role.WINDOW_STAFF)


def _mark_new(application_ids: list[int], threshold: str) -> set[int]:
    """Insert the marks of a chunk in one statement; return the ids marked *now*. A mark
    that already exists (an earlier run, a retry, a concurrent run) is left alone."""
    if not application_ids:
        return set()
    rows = ", ".join(["(%s, %s, %s)"] * len(application_ids))
    now = _base.stamp()
    params: list = []
    for pk in application_ids:
        params += [pk, threshold, now]
    # Only placeholders and our own table name are interpolated; values go as parameters.
    table = SupervisionMark._meta.db_table
    sql = (
        f"INSERT INTO {table} (application_id, threshold, created_at) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (application_id, threshold) DO NOTHING "
        "RETURNING application_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _locked_chunk(qs: QuerySet, ids: list[int]) -> list[Application]:
    # SKIP LOCKED: a row a person is changing right now is picked up on the next run.
    return list(
        qs.filter(pk__in=ids)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("handled_by", "applicant")
        .order_by("pk")
    )


def _run_chunks(
    qs: QuerySet, date_field: str, handle: Callable[[Application], None], batch_size: int
) -> int:
    done = 0
    for ids in due.keyset(qs, date_field, batch_size):
        with transaction.atomic():
            for application in _locked_chunk(qs, ids):
                handle(application)
                done += 1
    return done


def _remind_chunks(
    qs: QuerySet,
    date_field: str,
    *,
    threshold: str,
    level: str | None,
    recipients: Callable[[Application], list[User]],
    title: str,
    body: Callable[[Application], str],
    batch_size: int,
) -> int:
    """Per chunk: lock the rows, mark them (one INSERT … ON CONFLICT), tell the people of
    the newly marked ones, write their timeline rows, set the warning level (one UPDATE)."""
    done = 0
    for ids in due.keyset(qs, date_field, batch_size):
        with transaction.atomic():
            applications = _locked_chunk(qs, ids)
            new = _mark_new([a.pk for a in applications], threshold)
            events = []
            for application in (a for a in applications if a.pk in new):
                users = list({u.pk: u for u in recipients(application)}.values())
                for user in users:
                    notify(
                        recipient=user,
                        title=title,
                        body=body(application),
                        category="supervision",
                        link=reverse(
                            "admin:applications_application_change", args=[application.pk]
                        ),
                        dedupe_key=f"application:{application.pk}:{threshold}:user:{user.pk}",
                    )
                events.append(
                    TimelineEvent(
                        application=application,
                        kind=TimelineEvent.Kind.REMINDER,
                        reason=title,
                        payload={"threshold": threshold, "recipients": len(users)},
                        visible_to_applicant=False,
                    )
                )
            TimelineEvent.objects.bulk_create(events)
            if level is not None:
                Application.objects.filter(pk__in=[a.pk for a in applications]).update(
                    warning_level=level
                )
            done += len(applications)
    return done


# --- A4a: intake within 5 days ----------------------------------------------------------


def application_deem_accepted(*, application: Application) -> Application:
    """A4a (行政许可法 §32): no intake decision or correction notice within 5 days of
    receiving the materials → accepted from the day they were received; the clock runs
    from then. Called by the supervision task on a locked row."""
    received = application.materials_received_at
    if received is None:  # overdue_intakes selects received cases only
        raise InvalidTransitionError(_("办件尚未收到申请材料，不能视为受理。"))
    start_clock(application, accepted_at=received)
    application.deemed_accepted = True
    _base.transition(
        application,
        State.ACCEPTED,
        actor=None,
        action=_("视为受理"),
        kind=TimelineEvent.Kind.DEEMED_ACCEPTED,
        reason=_(
            "收到申请材料之日起5个工作日内未作出受理决定或一次性告知补正，"
            "依法视为自收到材料之日起受理。"
        ),
        payload={"materials_received_at": received.isoformat()},
    )
    receipts.issue(
        application,
        kind=receipts.Kind.ACCEPTANCE_NOTICE,
        actor=None,
        body=_(
            "你（单位）提交的%(item)s申请，本部门未在法定期限内作出受理决定，依照《中华人民"
            "共和国行政许可法》第三十二条，自收到申请材料之日起即为受理。承诺办结期限：%(due)s。"
        )
        % {"item": application.item.name, "due": application.due_date},
    )
    _base.tell_applicant(
        application,
        event="accepted",
        title=_("您的申请已受理"),
        body=_("申请编号 %(number)s 自收到材料之日起视为受理，办结期限 %(due)s。")
        % {"number": application.number, "due": application.due_date},
        sms=True,
    )
    return application


def _deem_all(today: date, batch_size: int) -> int:
    qs = due.overdue_intakes(today).select_related("guide", "item", "department")

    def handle(application: Application) -> None:
        application_deem_accepted(application=application)

    return _run_chunks(qs, "intake_due_date", handle, batch_size)


def _warn_intakes(today: date, batch_size: int, recipients: _Recipients) -> int:
    """A4a: warn the window on the last day; deemed acceptance follows the day after."""
    return _remind_chunks(
        due.intakes_due_today(today),
        "intake_due_date",
        threshold=Threshold.INTAKE_DUE,
        level=None,
        recipients=lambda a: recipients.department(a.department_id, Role.WINDOW_STAFF),
        title=_("今日须作出受理决定"),
        body=lambda a: (
            _("办件 %(number)s 今日受理期限届满，逾期将依法视为受理。") % {"number": a.number}
        ),
        batch_size=batch_size,
    )


# --- A15: yellow and red ---------------------------------------------------------------------


def _red_all(today: date, batch_size: int, recipients: _Recipients) -> int:
    """Overdue → the handling staff, the department approvers and the supervisors."""
    return _remind_chunks(
        due.red_due(today),
        "due_date",
        threshold=Threshold.RED,
        level=WarningLevel.RED,
        recipients=lambda a: [
            *recipients.handlers(a),
            *recipients.department(a.department_id, Role.DEPARTMENT_APPROVER),
            *recipients.supervisors(),
        ],
        title=_("办件已超期"),
        body=lambda a: (
            _("办件 %(number)s 已超过办结期限 %(due)s，请立即督办。")
            % {"number": a.number, "due": a.due_date}
        ),
        batch_size=batch_size,
    )


def _yellow_all(today: date, batch_size: int, recipients: _Recipients) -> int:
    """At most ratio × limit left → the handling staff."""
    return _remind_chunks(
        due.yellow_due(today),
        "yellow_on",
        threshold=Threshold.YELLOW,
        level=WarningLevel.YELLOW,
        recipients=recipients.handlers,
        title=_("办件临近办结期限"),
        body=lambda a: (
            _("办件 %(number)s 将于 %(due)s 到期，请抓紧办理。")
            % {"number": a.number, "due": a.due_date}
        ),
        batch_size=batch_size,
    )


# --- A14: correction deadline near -----------------------------------------------------------


def _correction_reminders(today: date, batch_size: int) -> int:
    qs = due.corrections_to_remind(today)
    done = 0
    for ids in due.keyset(qs, "remind_on", batch_size):
        with transaction.atomic():
            rows = (
                qs.filter(pk__in=ids)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("application__applicant")
            )
            for correction in rows:
                application = correction.application
                if application.state == State.CORRECTION_REQUESTED and _mark_new(
                    [application.pk], Threshold.CORRECTION_DUE
                ):
                    _base.tell_applicant(
                        application,
                        event=f"correction_due:{correction.pk}",
                        title=_("补正期限临近"),
                        body=_("申请编号 %(number)s 请于 %(deadline)s 前提交补正材料。")
                        % {"number": application.number, "deadline": correction.deadline},
                        sms=True,
                    )
                correction.reminded_at = _base.stamp()
                correction.save(update_fields=["reminded_at", "updated_at"])
                done += 1
    return done


# --- A5 / T3: correction deadline passed unanswered -------------------------------------------


def application_deem_withdrawn(
    *, application_id: int, actor: User | None = None, today: date
) -> Application:
    """A5, T3: the applicant did not answer the one-time correction notice by its deadline
    → the application is deemed withdrawn (视为撤回申请).

    Why withdrawn and not rejected: a correction notice does not decide the application; it
    tells the applicant, once and completely (A5), what to supply and by when, and the
    intake period stops meanwhile. An applicant who lets that period pass without supplying
    anything has, in 行政许可 practice, given the application up: the department has nothing
    new to decide on, and none of the grounds for refusing (不予受理, A4: not ours, not a
    catalogue item) applies to materials the applicant was entitled to complete. The same
    rule is written down for tolerant acceptance — materials not supplied in time mean the
    application is deemed withdrawn (T3) — and the correction notice is the analogous,
    earlier stage. Nothing is lost to the applicant: the materials are returned and they
    may apply again as a new application. Supervision (A15) applies it without anyone
    having to remember the deadline.

    The deadline is a calendar date told to the applicant: the deadline day still counts
    (``deadline < today`` to lapse). Called by the supervision pass on a locked row; safe to
    call again (a second call finds no open lapsed notice and changes nothing, A15).
    """
    with transaction.atomic():
        application = _base.lock_application(application_id)
        correction = (
            due.lapsed_corrections(today)
            .filter(application=application)
            .order_by("deadline")
            .first()
        )
        if correction is None or application.state != State.CORRECTION_REQUESTED:
            raise ApplicationError(
                _("该办件没有逾期未补正的补正告知，不能视为撤回。"),
                code="correction_not_lapsed",
            )
        now = _base.stamp()
        # Every open notice of this application is closed with it (normally there is one).
        CorrectionRequest.objects.filter(
            application=application, answered_at__isnull=True, lapsed_at__isnull=True
        ).update(lapsed_at=now, updated_at=now)
        return close_case(
            application,
            actor=actor,
            ending=Ending(
                target=State.WITHDRAWN,
                action=_("视为撤回"),
                reason=_("逾期未补正，视为撤回申请"),
                payload={
                    "correction_id": correction.pk,
                    "deadline": correction.deadline.isoformat(),
                },
                decided_at=now,
                message=Message(
                    event="deemed_withdrawn",
                    title=_("申请已视为撤回"),
                    body=_(
                        "申请编号 %(number)s 的补正期限（%(deadline)s）已届满，您未提交补正材料，"
                        "视为撤回申请。原提交的申请材料予以退回；如需继续办理，可作为新申请"
                        "重新提交。"
                    )
                    % {"number": application.number, "deadline": correction.deadline},
                ),
            ),
        )


def _withdraw_lapsed(today: date, batch_size: int) -> int:
    """Per chunk of lapsed notices: lock them and their applications (SKIP LOCKED), deem
    the applications still waiting for correction withdrawn, and close the notices of those
    that have moved on (e.g. the applicant withdrew) so they leave the index."""
    qs = due.lapsed_corrections(today)
    done = 0
    for ids in due.keyset(qs, "deadline", batch_size):
        with transaction.atomic():
            corrections = list(
                qs.filter(pk__in=ids).select_for_update(skip_locked=True).order_by("pk")
            )
            locked = {
                a.pk: a
                for a in Application.objects.filter(pk__in={c.application_id for c in corrections})
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .only("pk", "state")
            }
            stale = []
            for application_id in sorted({c.application_id for c in corrections}):
                application = locked.get(application_id)
                if application is None:
                    continue  # someone is changing it right now: the next run decides
                if application.state == State.CORRECTION_REQUESTED:
                    application_deem_withdrawn(application_id=application_id, today=today)
                    done += 1
                else:
                    stale.append(application_id)
            if stale:
                now = _base.stamp()
                qs.filter(pk__in=ids, application_id__in=stale).update(
                    lapsed_at=now, updated_at=now
                )
    return done


def supervise_applications(
    *, today: date | None = None, batch_size: int = BATCH_SIZE
) -> SupervisionReport:
    """One supervision pass (the Celery beat task calls it every 15 minutes)."""
    today = today or _base.today()
    recipients = _Recipients()
    report = SupervisionReport()
    report.deemed_accepted = _deem_all(today, batch_size)
    report.intake_warned = _warn_intakes(today, batch_size, recipients)
    report.red = _red_all(today, batch_size, recipients)
    report.yellow = _yellow_all(today, batch_size, recipients)
    # Lapses first: a notice already past its deadline gets no "deadline near" reminder.
    report.deemed_withdrawn = _withdraw_lapsed(today, batch_size)
    report.correction_reminded = _correction_reminders(today, batch_size)
    logger.info("supervise_applications %s", report.as_dict())
    return report


def supervision_figures_refresh(*, today: date) -> int:
    """Count, once per pass, the running cases overdue and due within the warning horizon
    per department, and store them as ``today``'s figures (issue 16): the 电子监察 page and
    the dashboard read these rows instead of counting per request. Returns the departments
    stored. Earlier days' rows are removed."""
    horizon = add_working_days(today, SOON_WORKING_DAYS)
    running = Application.objects.filter(state__in=list(CLOCK_RUNNING_VALUES))
    overdue = counts_by_department(running.filter(due_date__lt=today))
    soon = counts_by_department(running.filter(due_date__gte=today, due_date__lte=horizon))
    now = timezone.now()
    rows = [
        SupervisionFigure(
            day=today,
            department_id=pk,
            overdue=overdue.get(pk, 0),
            due_soon=soon.get(pk, 0),
            computed_at=now,
        )
        for pk in set(overdue) | set(soon)
    ]
    if not rows:
        # One row even when nothing is due: "counted, and nothing is due" is a figure too.
        first = Department.objects.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            rows = [SupervisionFigure(day=today, department_id=first, computed_at=now)]
    with transaction.atomic():
        SupervisionFigure.objects.filter(day__lte=today).delete()
        SupervisionFigure.objects.bulk_create(rows)
    return len(rows)
