"""Supervision of bad-review handling (DOMAIN R3, R4, R7): a reminder to the department on
the reminder day of a call-back or rectification deadline, and an escalation to the
supervisors (and the department's heads) when it is missed; each once per case and
threshold.

Cost follows what is due: every selection is a range over a partial index walked in keyset
chunks, rows are locked with SKIP LOCKED, and a ``CaseMark`` unique row plus the
notification dedupe key make a second run, a retry or a concurrent run a no-op. A handled
case leaves the index (its alert level or state changes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import notify
from apps.reviews.models import AlertLevel, CaseEvent, CaseMark, RectificationCase
from apps.reviews.selectors import due
from apps.reviews.services import _base
from apps.reviews.workflow import CaseState

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class CaseSupervisionReport:
    reminded: int = 0
    escalated: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class _Recipients:
    """Looked up once per department per run, not once per case."""

    def __init__(self) -> None:
        self._handlers: dict[int, list[User]] = {}
        self._heads: dict[int, list[User]] = {}
        self._supervisors: list[User] | None = None

    def handlers(self, case: RectificationCase) -> list[User]:
        if case.department_id not in self._handlers:
            self._handlers[case.department_id] = list(_base.department_handlers(case.department_id))
        return self._handlers[case.department_id]

    def escalation(self, case: RectificationCase) -> list[User]:
        if case.department_id not in self._heads:
            self._heads[case.department_id] = list(_base.department_appealers(case.department_id))
        if self._supervisors is None:
            self._supervisors = list(_base.supervisors())
        people = [*self._heads[case.department_id], *self._supervisors]
        return list({u.pk: u for u in people}.values())


def _mark_new(case_ids: list[int], thresholds: dict[int, str]) -> set[int]:
    """One INSERT … ON CONFLICT DO NOTHING for the chunk; the ids marked *now*."""
    if not case_ids:
        return set()
    rows = ", ".join(["(%s, %s, %s)"] * len(case_ids))
    now = timezone.now()
    params: list = []
    for pk in case_ids:
        params += [pk, thresholds[pk], now]
    table = CaseMark._meta.db_table
    sql = (
        f"INSERT INTO {table} (case_id, threshold, created_at) VALUES {rows} "  # noqa: S608
        "ON CONFLICT (case_id, threshold) DO NOTHING RETURNING case_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _sweep(
    qs: QuerySet[RectificationCase],
    date_field: str,
    *,
    suffix: str,
    level: int,
    kind: str,
    recipients: Callable[[RectificationCase], list[User]],
    title: Callable[[RectificationCase], str],
    batch_size: int,
) -> int:
    done = 0
    for ids in due.keyset(qs, date_field, batch_size):
        with transaction.atomic():
            cases = list(
                qs.filter(pk__in=ids)
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("pk")
            )
            # The deadline is part of the threshold: a new deadline is supervised afresh.
            thresholds = {c.pk: f"{c.state}:{suffix}:{c.due_on}" for c in cases}
            new = _mark_new([c.pk for c in cases], thresholds)
            events = []
            for case in (c for c in cases if c.pk in new):
                people = recipients(case)
                for user in people:
                    notify(
                        recipient=user,
                        title=title(case),
                        body=_("差评整改（%(state)s）期限：%(due)s。")
                        % {"state": CaseState(case.state).label, "due": case.due_on},
                        category=_base.NOTIFICATION_CATEGORY,
                        link=_base.case_link(case.pk),
                        dedupe_key=f"review-case:{case.pk}:{thresholds[case.pk]}:user:{user.pk}",
                    )
                events.append(
                    CaseEvent(
                        case=case,
                        kind=kind,
                        note=title(case),
                        payload={"threshold": thresholds[case.pk], "recipients": len(people)},
                    )
                )
            CaseEvent.objects.bulk_create(events)
            RectificationCase.objects.filter(pk__in=[c.pk for c in cases]).update(alert_level=level)
            done += len(new)
    return done


def supervise_review_cases(
    *, today: date | None = None, batch_size: int = BATCH_SIZE
) -> CaseSupervisionReport:
    """One pass (Celery beat, four times an hour): escalate what is late, then remind what
    is due. Late first: a case already late gets no "due soon" reminder."""
    today = today or timezone.localdate()
    recipients = _Recipients()
    report = CaseSupervisionReport()
    report.escalated = _sweep(
        due.cases_late(today),
        "due_on",
        suffix="late",
        level=AlertLevel.LATE,
        kind=CaseEvent.Kind.ESCALATED,
        recipients=recipients.escalation,
        title=lambda case: _("差评整改已逾期，请督办"),
        batch_size=batch_size,
    )
    report.reminded = _sweep(
        due.cases_to_remind(today),
        "remind_on",
        suffix="remind",
        level=AlertLevel.REMINDED,
        kind=CaseEvent.Kind.REMINDER,
        recipients=recipients.handlers,
        title=lambda case: _("差评整改即将到期"),
        batch_size=batch_size,
    )
    logger.info("supervise_review_cases %s", report.as_dict())
    return report
