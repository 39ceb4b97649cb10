# ruff: noqa: S608  (SQL here formats in only quoted identifiers and Django-built SQL; values are parameters)
"""Matching in the database (DOMAIN PO3): criteria compiled to one query, written with
``INSERT … SELECT … ON CONFLICT DO NOTHING`` into the match table.

* A new or changed policy is matched over every profile of its kind (:func:`policy_match`).
* Profiles an import changed are matched over every active policy (:func:`import_rematch`).

Each run also marks matches whose subject no longer qualifies as lapsed (and revives those
that qualify again), queues one push per current match, and — for 免申即享 policies —
creates one entitlement per match. Every statement is idempotent, so a retried or repeated
run adds nothing; the unique constraints make that hold even for two runs at once.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.policies.criteria import SubjectKind, criteria_q, parse_criteria
from apps.policies.models import (
    CompanyProfile,
    Entitlement,
    Fulfilment,
    PersonProfile,
    Policy,
    PolicyEvent,
    PolicyMatch,
    PolicyPush,
    ProfileImport,
)
from apps.policies.services import _base
from apps.policies.workflow import EntitlementState, PushStatus

PROFILE_MODELS: dict[str, type[CompanyProfile] | type[PersonProfile]] = {
    SubjectKind.COMPANY: CompanyProfile,
    SubjectKind.PERSON: PersonProfile,
}
SUBJECT_FIELDS: dict[str, str] = {SubjectKind.COMPANY: "company", SubjectKind.PERSON: "person"}


@dataclass
class MatchReport:
    policy_id: int
    matched: int = 0
    lapsed: int = 0
    revived: int = 0
    pushes_queued: int = 0
    entitlements: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def eligible_profiles(policy: Policy, *, today: datetime.date, scope: Q | None = None) -> QuerySet:
    """The profiles meeting ``policy``'s criteria today: one query, not yet run."""
    conditions = parse_criteria(policy.subject_kind, policy.criteria, today=today)
    qs = PROFILE_MODELS[policy.subject_kind].objects.filter(criteria_q(conditions, today))
    return qs.filter(scope) if scope is not None else qs


def _insert_matches(policy: Policy, eligible: QuerySet, now_db) -> int:
    inner, params = eligible.order_by().values_list("id", flat=True).query.sql_with_params()
    column = _q(f"{SUBJECT_FIELDS[policy.subject_kind]}_id")
    sql = (
        f"INSERT INTO {_q(PolicyMatch._meta.db_table)} "
        f"({_q('policy_id')}, {column}, {_q('matched_at')}) "
        f"SELECT %s, s.{_q('id')}, %s FROM ({inner}) s WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [policy.pk, now_db, *params])
        return cursor.rowcount


def _lapse_and_revive(policy: Policy, eligible: QuerySet, scope: Q | None, now) -> tuple[int, int]:
    subject = SUBJECT_FIELDS[policy.subject_kind]
    matches = PolicyMatch.objects.filter(policy=policy, **{f"{subject}__isnull": False})
    if scope is not None:
        in_scope = PROFILE_MODELS[policy.subject_kind].objects.filter(scope).values("pk")
        matches = matches.filter(**{f"{subject}__in": in_scope})
    # One primary-key look-up per match: the cost follows the matches, not all profiles.
    still_eligible = Exists(eligible.order_by().filter(pk=OuterRef(f"{subject}_id")))
    lapsed = matches.filter(lapsed_at__isnull=True).exclude(still_eligible).update(lapsed_at=now)
    if lapsed:
        # A queued push of a lapsed match is withdrawn.
        PolicyPush.objects.filter(
            policy=policy, status=PushStatus.QUEUED, match__lapsed_at__isnull=False
        ).update(status=PushStatus.WITHDRAWN)
    again = matches.filter(lapsed_at__isnull=False).filter(still_eligible)
    # One withdrawn earlier goes out after all if the subject qualifies again.
    PolicyPush.objects.filter(match__in=again.values("pk"), status=PushStatus.WITHDRAWN).update(
        status=PushStatus.QUEUED, queued_at=now
    )
    revived = again.update(lapsed_at=None, matched_at=now)
    return lapsed, revived


def _current_matches_sql(policy: Policy, since_db) -> tuple[str, list]:
    where = f"m.{_q('policy_id')} = %s AND m.{_q('lapsed_at')} IS NULL"
    params: list = [policy.pk]
    if since_db is not None:
        where += f" AND m.{_q('matched_at')} >= %s"
        params.append(since_db)
    return where, params


def _queue_pushes(policy: Policy, now_db, since_db) -> int:
    where, params = _current_matches_sql(policy, since_db)
    sql = (
        f"INSERT INTO {_q(PolicyPush._meta.db_table)} "
        f"({_q('match_id')}, {_q('policy_id')}, {_q('status')}, {_q('queued_at')}, "
        f"{_q('recipients')}) "
        f"SELECT m.{_q('id')}, m.{_q('policy_id')}, %s, %s, 0 "
        f"FROM {_q(PolicyMatch._meta.db_table)} m WHERE {where} ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [PushStatus.QUEUED.value, now_db, *params])
        return cursor.rowcount


def _create_entitlements(policy: Policy, now_db, since_db) -> int:
    """免申即享: one entitlement per current match, numbered after its match (PO3)."""
    where, params = _current_matches_sql(policy, since_db)
    columns = (
        "created_at",
        "updated_at",
        "match_id",
        "policy_id",
        "notice_number",
        "state",
        "amount",
        "payment_reference",
    )
    sql = (
        f"INSERT INTO {_q(Entitlement._meta.db_table)} "
        f"({', '.join(_q(c) for c in columns)}) "
        f"SELECT %s, %s, m.{_q('id')}, m.{_q('policy_id')}, "
        f"%s || CAST(m.{_q('id')} AS VARCHAR(20)), %s, %s, '' "
        f"FROM {_q(PolicyMatch._meta.db_table)} m WHERE {where} ON CONFLICT DO NOTHING"
    )
    prefix = f"MS{policy.code}-"
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [now_db, now_db, prefix, EntitlementState.NOTIFIED.value, policy.amount, *params]
        )
        return cursor.rowcount


def _run(policy: Policy, *, scope: Q | None, today: datetime.date) -> MatchReport:
    now = timezone.now()
    now_db = connection.ops.adapt_datetimefield_value(now)
    eligible = eligible_profiles(policy, today=today, scope=scope)
    report = MatchReport(policy_id=policy.pk)
    with transaction.atomic():
        # A policy never matched before has nothing to lapse or revive.
        had_matches = PolicyMatch.objects.filter(policy=policy).exists()
        report.matched = _insert_matches(policy, eligible, now_db)
        if had_matches:
            report.lapsed, report.revived = _lapse_and_revive(policy, eligible, scope, now)
        # A full run sweeps every current match (and so repairs anything missed); a run over
        # a few changed profiles looks only at what it has just matched.
        since_db = now_db if scope is not None else None
        report.pushes_queued = _queue_pushes(policy, now_db, since_db)
        if policy.fulfilment == Fulfilment.AUTOMATIC:
            report.entitlements = _create_entitlements(policy, now_db, since_db)
    return report


def policy_match(*, policy_id: int, today: datetime.date | None = None) -> MatchReport | None:
    """Match an active policy over every profile of its kind; ``None`` if it is not active.

    No row lock is held while the statements run: they are idempotent on their own.
    """
    today = today or _base.today()
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None or not policy.is_active_on(today):
        return None
    report = _run(policy, scope=None, today=today)
    with transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(matched_at=timezone.now())
        _base.record(policy, kind=PolicyEvent.Kind.MATCHED, actor=None, payload=report.as_dict())
    return report


def import_rematch(*, import_id: int, kind: str, today: datetime.date | None = None) -> list:
    """PO3: the profiles an import changed, matched over every active policy of their kind."""
    today = today or _base.today()
    scope = Q(changed_by_import_id=import_id)
    reports = []
    for policy in Policy.objects.active_on(today).filter(subject_kind=kind).order_by("pk"):
        report = _run(policy, scope=scope, today=today)
        if report.matched or report.lapsed or report.revived:
            _base.record(
                policy,
                kind=PolicyEvent.Kind.MATCHED,
                actor=None,
                payload={**report.as_dict(), "import_id": import_id},
            )
        reports.append(report)
    ProfileImport.objects.filter(pk=import_id).update(rematched_at=timezone.now())
    return reports


def matching_count(*, kind: str, criteria, today: datetime.date | None = None) -> int:
    """How many profiles would match ``criteria`` now (the editor's live count).

    Raises :class:`~apps.policies.criteria.CriteriaError` for invalid criteria.
    """
    today = today or _base.today()
    conditions = parse_criteria(kind, criteria, today=today)
    return PROFILE_MODELS[kind].objects.filter(criteria_q(conditions, today)).count()
