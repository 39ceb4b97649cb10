"""Policy push: matching 1,000,000 profiles in the database vs row by row in Python; fan-out.

DOMAIN PO3 asks that eligible companies be found from shared data and told point to point.

* **Matching**: one policy with five criteria (industry prefix, scale, employees range, tax
  credit grade, years since establishment) over 1,000,000 company profiles written with
  ``COPY`` in chunks. Timed: ``policy_match`` — the criteria compiled to one query,
  ``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the matches, then the pushes queued and
  the 免申即享 entitlements created the same way. Baseline in the same run: the same
  criteria evaluated row by row in Python (``criteria_met``) over every profile streamed
  from the database, and the same match and push rows written with ``bulk_create``. Both
  sides must find the same set or the run stops. Match tables are emptied between samples.
  Both sides write the same ~9 % of rows (matches, pushes, entitlements), which bounds the
  end-to-end ratio; the selection alone (one SELECT vs streaming and evaluating in Python)
  is measured as well.
* **Fan-out**: 20,000 matched people with accounts, pushed inbox + SMS in batches of 500
  (``policy_push_send_batch``, ``notify_bulk``) against the per-message path a caller would
  otherwise write (``notify()`` per person); then a re-run, which must send nothing.

``BENCH_POLICIES_PROFILES`` and ``BENCH_POLICIES_PEOPLE`` change the sizes.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.common.pii import encrypt, keyed_hash
from apps.notifications.models import Notification
from apps.notifications.services import notify
from apps.policies.criteria import criteria_met, parse_criteria
from apps.policies.models import (
    CompanyProfile,
    Entitlement,
    PersonProfile,
    Policy,
    PolicyMatch,
    PolicyPush,
)
from apps.policies.services import policy_match, policy_push_send_batch
from apps.policies.services.matching import eligible_profiles
from apps.policies.services.push import message_for
from benchmarks.harness import Result, Timing

PROFILES = int(os.environ.get("BENCH_POLICIES_PROFILES", "1000000"))
PEOPLE = int(os.environ.get("BENCH_POLICIES_PEOPLE", "20000"))
COPY_CHUNK = 100_000
REPEAT = 3
TODAY = timezone.localdate()
CRITERIA = [
    {"attribute": "industry", "operator": "prefix", "value": ["I65", "C39", "M73"]},
    {"attribute": "scale", "operator": "in", "value": ["micro", "small"]},
    {"attribute": "employees", "operator": "between", "value": [10, 300]},
    {"attribute": "tax_credit_grade", "operator": "in", "value": ["A", "B"]},
    {"attribute": "company_age", "operator": "gte", "value": 2},
]
_INDUSTRIES = ["I6513", "I6511", "C3911", "C1810", "F5123", "E4710", "M7320", "H6210"]
_SCALES = ["micro", "micro", "micro", "small", "small", "medium", "large"]
_GRADES = ["A", "B", "B", "M", "C", "D"]
_COMPANY_COLUMNS = (
    "created_at, updated_at, credit_code, name, industry_code, scale, district_code, "
    "established_on, employees, high_tech, tax_credit_grade, data_as_of"
)


def _policy(department: Department, **kwargs) -> Policy:
    values = {
        "code": f"BENCH{Policy.objects.count():04d}",
        "title": "基准政策",
        "policy_class": "enterprise",
        "department": department,
        "subject_kind": "company",
        "summary": "基准",
        "benefit": "基准",
        "conditions_text": "基准",
        "procedure_text": "基准",
        "time_limit_text": "基准",
        "legal_basis": "基准",
        "fulfilment": "automatic",
        "valid_from": TODAY - datetime.timedelta(days=1),
        "valid_until": TODAY + datetime.timedelta(days=365),
        "state": "published",
        "criteria": CRITERIA,
    }
    return Policy.objects.create(**{**values, **kwargs})


# --- data ------------------------------------------------------------------------------------


def _company_rows(rng: random.Random, start: int, stop: int, now: str) -> io.StringIO:
    out = io.StringIO()
    for n in range(start, stop):
        founded = TODAY - datetime.timedelta(days=rng.randint(30, 8000))
        missing = rng.random() < 0.05
        out.write(
            "\t".join(
                (
                    now,
                    now,
                    f"91350100{n:010d}",
                    f"基准企业{n}",
                    "\\N" if missing else rng.choice(_INDUSTRIES),
                    rng.choice(_SCALES),
                    "350102",
                    founded.isoformat(),
                    "\\N" if missing else str(rng.randint(1, 500)),
                    "f",
                    rng.choice(_GRADES),
                    TODAY.isoformat(),
                )
            )
            + "\n"
        )
    out.seek(0)
    return out


def _copy_companies(count: int) -> float:
    rng = random.Random(1)
    now = timezone.now().isoformat()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for start in range(0, count, COPY_CHUNK):
            rows = _company_rows(rng, start, min(start + COPY_CHUNK, count), now)
            cursor.cursor.copy_expert(
                f"COPY policies_companyprofile ({_COMPANY_COLUMNS}) FROM STDIN", rows
            )
        cursor.execute("ANALYZE policies_companyprofile")
    return time.perf_counter() - started


def _empty_matches() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE policies_pushdelivery, policies_policypush, policies_entitlement, "
            "policies_historicalentitlement, policies_policymatch CASCADE"
        )


# --- matching ---------------------------------------------------------------------------------


def _select_in_python(policy: Policy) -> list[int]:
    """Stream every profile and evaluate the criteria row by row in Python."""
    conditions = parse_criteria("company", policy.criteria, today=TODAY)
    columns = ["id", "industry_code", "scale", "employees", "tax_credit_grade", "established_on"]
    rows = CompanyProfile.objects.values(*columns).iterator(chunk_size=20_000)
    return [row["id"] for row in rows if criteria_met(conditions, row, TODAY)]


def _in_python(policy: Policy) -> int:
    """The baseline: the Python selection, then the same rows written with bulk_create."""
    matched = _select_in_python(policy)
    now = timezone.now()
    with transaction.atomic():
        matches = PolicyMatch.objects.bulk_create(
            [PolicyMatch(policy=policy, company_id=pk, matched_at=now) for pk in matched],
            batch_size=5000,
        )
        PolicyPush.objects.bulk_create(
            [PolicyPush(match=m, policy=policy, queued_at=now) for m in matches], batch_size=5000
        )
        Entitlement.objects.bulk_create(
            [
                Entitlement(match=m, policy=policy, notice_number=f"MS{policy.code}-{m.pk}")
                for m in matches
            ],
            batch_size=5000,
        )
    return len(matched)


def _sample(fn, policy: Policy) -> tuple[float, set[int]]:
    _empty_matches()
    started = time.perf_counter()
    fn(policy)
    elapsed = time.perf_counter() - started
    return elapsed, set(
        PolicyMatch.objects.filter(policy=policy).values_list("company_id", flat=True)
    )


def _matching_results(department: Department) -> list[Result]:
    inserted = _copy_companies(PROFILES)
    print(f"\n   COPY {PROFILES:,} company profiles in {inserted:.1f} s")
    policy = _policy(department)

    def in_database(p: Policy) -> None:
        report = policy_match(policy_id=p.pk, today=TODAY)
        if not report.matched:
            raise SystemExit("matching found nothing")

    db_samples, python_samples, found = [], [], None
    for _ in range(REPEAT):
        elapsed, ids = _sample(in_database, policy)
        db_samples.append(elapsed)
        found = ids if found is None else found
        if ids != found:
            raise SystemExit("two database runs disagree")
    for _ in range(2 if PROFILES <= 200_000 else 1):
        elapsed, ids = _sample(_in_python, policy)
        python_samples.append(elapsed)
        if ids != found:
            raise SystemExit(f"Python found {len(ids)}, the database {len(found)}")
    print(f"   both sides matched {len(found):,} of {PROFILES:,} profiles")
    _empty_matches()
    select_db, select_python = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        ids = set(eligible_profiles(policy, today=TODAY).values_list("id", flat=True))
        select_db.append(time.perf_counter() - started)
        if ids != found:
            raise SystemExit("the selection disagrees with the match table")
    started = time.perf_counter()
    if set(_select_in_python(policy)) != found:
        raise SystemExit("the Python selection disagrees")
    select_python.append(time.perf_counter() - started)
    python_name = f"row by row in Python ({PROFILES:,} profiles)"
    select_name = f"selection only, Python ({PROFILES:,} profiles)"
    return [
        Result(select_name, Timing(tuple(select_python)), note="stream + criteria_met, no writes"),
        Result(
            f"selection only, one query ({PROFILES:,} profiles)",
            Timing(tuple(select_db)),
            baseline=select_name,
            note="the compiled criteria: one SELECT of the matching ids",
        ),
        Result(
            python_name,
            Timing(tuple(python_samples)),
            note="stream, criteria_met per row, bulk_create matches + pushes + entitlements",
        ),
        Result(
            f"policy_match in the database ({PROFILES:,} profiles)",
            Timing(tuple(db_samples)),
            baseline=python_name,
            note="one INSERT … SELECT … ON CONFLICT, lapse check, pushes + entitlements queued",
        ),
    ]


# --- fan-out ----------------------------------------------------------------------------------


def _people(count: int) -> list[int]:
    """``count`` citizens with a phone, each with the person profile of their ID number."""
    now = timezone.now()
    users, profiles = [], []
    for n in range(count):
        id_number = f"350102199001{n:06d}"  # shape only: the bench never validates it
        digest = keyed_hash(id_number)
        users.append(
            User(
                username=f"bench-person-{n}",
                full_name=f"基准{n}",
                kind=User.Kind.CITIZEN,
                phone=f"139{n:08d}",
                phone_hash=keyed_hash(f"139{n:08d}"),
                id_number_hash=digest,
                password="!",  # unusable
            )
        )
        profiles.append(
            PersonProfile(
                id_number=encrypt(id_number),
                id_number_hash=digest,
                name=f"基准{n}",
                birth_date=datetime.date(1990, 1, 1),
                data_as_of=TODAY,
                created_at=now,
                updated_at=now,
            )
        )
    made = User.objects.bulk_create(users, batch_size=2000)
    # The encrypted value is written as is: the field would encrypt it a second time.
    with connection.cursor() as cursor:
        for start in range(0, len(profiles), 2000):
            chunk = profiles[start : start + 2000]
            cursor.executemany(
                "INSERT INTO policies_personprofile (created_at, updated_at, id_number, "
                "id_number_hash, name, birth_date, data_as_of) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        p.created_at,
                        p.updated_at,
                        p.id_number,
                        p.id_number_hash,
                        p.name,
                        p.birth_date,
                        p.data_as_of,
                    )
                    for p in chunk
                ],
            )
    return [u.pk for u in made]


def _fan_out(policy: Policy) -> int:
    sent = 0
    while True:
        batch = policy_push_send_batch(policy_id=policy.pk, batch_size=500, today=TODAY)
        sent += batch.sent
        if not batch.more:
            return sent


def _notify_each(policy: Policy, user_ids: list[int]) -> None:
    """The baseline: one ``notify()`` per person (get_or_create per channel)."""
    users = User.objects.in_bulk(user_ids)
    matches = {
        m.person.id_number_hash: m
        for m in PolicyMatch.objects.select_related("person").filter(policy=policy)
    }
    for start in range(0, len(user_ids), 500):
        with transaction.atomic():
            for pk in user_ids[start : start + 500]:
                user = users[pk]
                title, body = message_for(policy, matches[user.id_number_hash])
                notify(
                    recipient=user,
                    title=title,
                    body=body,
                    category="policy",
                    link="/policies/mine/",
                    channels=("inbox", "sms"),
                    dedupe_key=f"bench-notify:{policy.pk}:{pk}",
                )


def _fan_out_results(department: Department) -> list[Result]:
    settings.POLICY_PUSH_RATE_PER_MINUTE = 10**9  # measure the work, not the pacing
    user_ids = _people(PEOPLE)
    policy = _policy(department, subject_kind="person", criteria=[], title="基准推送")
    policy_match(policy_id=policy.pk, today=TODAY)

    started = time.perf_counter()
    sent = _fan_out(policy)
    fan_out = time.perf_counter() - started
    notifications = Notification.objects.filter(category="policy").count()
    started = time.perf_counter()
    again = _fan_out(policy)
    rerun = time.perf_counter() - started
    after = Notification.objects.filter(category="policy").count()
    print(
        f"\n   fan-out: {sent:,} pushes, {notifications:,} notifications "
        f"({sent / fan_out:,.0f} pushes/s); re-run sent {again} and wrote "
        f"{after - notifications} notifications in {rerun * 1000:.0f} ms"
    )
    if again or after != notifications:
        raise SystemExit("a re-run sent something")

    started = time.perf_counter()
    _notify_each(policy, user_ids)
    per_message = time.perf_counter() - started
    return [
        Result(
            f"notify() per person ({PEOPLE:,})",
            Timing((per_message,)),
            ops=PEOPLE,
            note="inbox + SMS, one get_or_create per channel",
        ),
        Result(
            f"push fan-out ({PEOPLE:,} people, batches of 500)",
            Timing((fan_out,)),
            baseline=f"notify() per person ({PEOPLE:,})",
            ops=sent,
            note="claim SKIP LOCKED, preferences, notify_bulk, push rows settled",
        ),
        Result("re-run of the fan-out", Timing((rerun,)), note="claims nothing, sends nothing"),
    ]


def run() -> list[Result]:
    department = Department.objects.create(code="BENCH-POL", name="基准政策局")
    results = _fan_out_results(department)
    results += _matching_results(department)
    return results
