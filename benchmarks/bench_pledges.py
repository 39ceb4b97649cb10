"""Pledge verification sweep: 1,000 due among 1,000,000 tasks vs 1,000 due among 1,000;
and the pledge-route eligibility check against 100,000 credit records.

The sweep (beat, twice an hour) reminds inspectors of verifications due soon; its cost must
follow what is *due*, not how many pledged approvals exist. Applications, documents,
pledges and tasks are bulk-inserted with ``INSERT … SELECT generate_series`` (chunks of
200,000); 1,000 tasks are due within the reminder window, the rest far ahead or closed:

* baseline: 1,000 tasks, all 1,000 due;
* 1,000,000 tasks, 1,000 due — the ratio to the baseline should be ~1;
* 1,000,000 tasks, nothing due — index look-ups only.

Before each sample the marks, notifications and events of the previous one are deleted,
untimed. ``EXPLAIN`` of the selection shows the partial index in use. The eligibility
check (one range over ``credit_active_subject_idx``) is timed with 100 and with 100,000
credit records on the table. Set ``BENCH_PLEDGES_TASKS`` for another large size.
"""

from __future__ import annotations

import datetime
import os
import time

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.catalogue.models import ItemType, ServiceGuide, ServiceItem, ServiceTarget
from apps.pledges.models import VerificationTask
from apps.pledges.selectors import pledge_route_for
from apps.pledges.services import supervise_pledge_verifications
from benchmarks.harness import Result, Timing, measure

DUE = 1_000
LARGE = int(os.environ.get("BENCH_PLEDGES_TASKS", "1000000"))
CHUNK = 200_000
REPEAT = 5
BASELINE = "1,000 tasks / 1,000 due"


def _setup() -> dict[str, int]:
    department = Department.objects.create(code="BENCH-PLG", name="基准承诺局")
    approver = User.objects.create_user(
        username="bench-plg-approver", full_name="基准审批", kind=User.Kind.STAFF, is_staff=True
    )
    approver.groups.add(Group.objects.get(name=group_name(Role.DEPARTMENT_APPROVER)))
    approver.departments.add(department)
    applicant = User.objects.create_user(username="bench-plg-citizen", full_name="基准申请人")
    item = ServiceItem.objects.create(
        code="BENCH-PLG-1",
        name="基准承诺许可",
        item_type=ItemType.LICENSING,
        target=ServiceTarget.BOTH,
        competent_department=department,
        implementing_department=department,
        legal_basis="基准",
    )
    guide = ServiceGuide.objects.create(
        item=item,
        version=1,
        status=ServiceGuide.Status.PUBLISHED,
        published_at=timezone.now(),
        acceptance_conditions="基准",
        review_standards="基准",
        legal_time_limit_days=20,
        promised_time_limit_days=10,
        result_name="基准证",
        where_to_apply="基准",
        office_hours="基准",
        consultation="12345",
        complaint="12345",
        pledge_enabled=True,
        pledge_text="基准承诺",
        pledge_liability_text="基准责任",
        pledge_verification_days=10,
    )
    return {
        "item": item.pk,
        "guide": guide.pk,
        "department": department.pk,
        "applicant": applicant.pk,
    }


_APPLICATIONS = """
INSERT INTO applications_application (
    number, item_id, guide_id, department_id, applicant_id, applicant_name, applicant_type,
    channel, state, outcome, is_immediate, deemed_accepted, extension_days, warning_level,
    pledge_signed, created_at, updated_at, calendar_provisional
)
SELECT %(prefix)s || g, %(item)s, %(guide)s, %(department)s, %(applicant)s, '基准申请人',
       'natural_person', 'online', 'approved', 'approved', false, false, 0, 'green', false,
       now(), now(), false
FROM generate_series(%(start)s, %(stop)s) AS g
"""
_DOCUMENTS = """
INSERT INTO documents_issueddocument (
    number, kind, department_id, year, sequence, applicant_name, title, body, reference,
    extra, issued_at, status, verification_token, site_url, render_status, render_attempts,
    render_error, pdf, sha256, revoke_reason, created_at, updated_at
)
SELECT %(prefix)s || g, 'pledge_notice', %(department)s, 2000 + %(year)s, g, '基准申请人',
       '告知承诺书', '基准', %(prefix)s || g, '{}', now(), 'valid', %(prefix)s || 'T' || g, '',
       'pending', 0, '', '', '', '', now(), now()
FROM generate_series(%(start)s, %(stop)s) AS g
"""
_PLEDGES = """
INSERT INTO pledges_pledge (
    application_id, guide_id, kind, pledge_text, liability_text, certificates, text_sha256,
    signer_id, signed_name, subject_kind, subject_hash, subject_name, signed_at, document_id
)
SELECT a.id, %(guide)s, 'certificate', '基准承诺', '基准责任', '[]', '', %(applicant)s,
       '基准申请人', 'person', 'bench', '基准申请人', now(), d.id
FROM applications_application a JOIN documents_issueddocument d ON d.reference = a.number
WHERE a.number LIKE %(like)s
"""
_TASKS = """
INSERT INTO pledges_verificationtask (
    application_id, pledge_id, department_id, item_id, state, due_date, selection,
    sample_percent, sample_value, false_pledge, created_at, updated_at
)
SELECT p.application_id, p.id, %(department)s, %(item)s,
       CASE WHEN p.id %% 5 = 0 THEN 'pending' ELSE 'compliant' END,
       %(due)s::date + (p.id %% 200)::int, 'sampled', 20, 0, false, now(), now()
FROM pledges_pledge p JOIN applications_application a ON a.id = p.application_id
WHERE a.number LIKE %(like)s
"""


def _populate(ids: dict[str, int], *, total: int, due: int, today: datetime.date) -> None:
    with connection.cursor() as cursor:
        # The bulk load of a million rows per table outlasts the per-statement limit the
        # portal's connections have (DB_STATEMENT_TIMEOUT_MS); the timed sweep keeps it.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(
            "TRUNCATE pledges_verificationmark, pledges_pledgeevent, pledges_verificationtask, "
            "pledges_historicalverificationtask, pledges_pledge, documents_issueddocument, "
            "applications_application, notifications_notification CASCADE"
        )
        far = today + datetime.timedelta(days=400)
        batches = [("BN", total - due, far, 1), ("BD", due, today, 2)]
        for prefix, count, due_on, year in batches:
            for start in range(1, count + 1, CHUNK):
                stop = min(start + CHUNK - 1, count)
                params = {**ids, "prefix": prefix, "start": start, "stop": stop, "year": year}
                cursor.execute(_APPLICATIONS, params)
                cursor.execute(_DOCUMENTS, params)
            like = {**ids, "like": f"{prefix}%"}
            cursor.execute(_PLEDGES, like)
            cursor.execute(_TASKS, {**like, "due": due_on})
        # The due ones: all pending, due tomorrow (inside the reminder window).
        cursor.execute(
            "UPDATE pledges_verificationtask t SET state = 'pending', due_date = %s "
            "FROM applications_application a WHERE a.id = t.application_id "
            "AND a.number LIKE 'BD%%'",
            [today + datetime.timedelta(days=1)],
        )
        cursor.execute("ANALYZE pledges_verificationtask")
        cursor.execute("ANALYZE pledges_verificationmark")
        cursor.execute("RESET statement_timeout")


def _reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pledges_verificationmark")
        cursor.execute("DELETE FROM pledges_pledgeevent")
        cursor.execute("DELETE FROM notifications_notification")


def _time_runs(today: datetime.date, expected: int) -> Timing:
    samples = []
    for _ in range(REPEAT):
        _reset()
        start = time.perf_counter()
        report = supervise_pledge_verifications(today=today)
        samples.append(time.perf_counter() - start)
        if report.verify_reminded != expected:
            raise SystemExit(f"sweep reminded {report.verify_reminded}, expected {expected}")
    return Timing(tuple(samples))


def _explain(today: datetime.date) -> str:
    qs = VerificationTask.objects.filter(
        state="pending", due_date__gte=today, due_date__lte=today + datetime.timedelta(days=3)
    )
    sql, params = qs.order_by("due_date", "pk").values_list("pk")[:500].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _credit_records(n: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pledges_creditrecord CASCADE")
        cursor.execute(
            """
            INSERT INTO pledges_creditrecord (
                subject_kind, subject_hash, subject_name, masked_identifier, source, basis,
                reason, recorded_on, repairable_on, expires_on, status, created_at, updated_at
            )
            SELECT 'person', md5(g::text), '基准', '', 'staff', '基准', '基准', current_date,
                   current_date, current_date + 365, 'active', now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [n],
        )
        cursor.execute("ANALYZE pledges_creditrecord")


def _eligibility_results(ids: dict[str, int]) -> list[Result]:
    guide = ServiceGuide.objects.select_related("item").get(pk=ids["guide"])
    applicant = User.objects.get(pk=ids["applicant"])

    def checks() -> None:
        for _ in range(200):
            if not pledge_route_for(guide=guide, user=applicant).offered:
                raise RuntimeError("the route should be offered")

    _credit_records(100)
    small = measure(checks, repeat=REPEAT)
    _credit_records(100_000)
    large = measure(checks, repeat=REPEAT)
    return [
        Result("eligibility, 100 credit records", small, ops=200),
        Result(
            "eligibility, 100,000 credit records",
            large,
            baseline="eligibility, 100 credit records",
            ops=200,
            note="one index range per check: ratio ~1",
        ),
    ]


def run() -> list[Result]:
    today = timezone.localdate()
    ids = _setup()
    eligibility = _eligibility_results(ids)

    _populate(ids, total=DUE, due=DUE, today=today)
    baseline = _time_runs(today, DUE)

    started = time.perf_counter()
    _populate(ids, total=LARGE, due=DUE, today=today)
    print(
        f"\n   inserted {VerificationTask.objects.count():,} verification tasks "
        f"in {time.perf_counter() - started:.0f} s"
    )
    large = _time_runs(today, DUE)
    plan = _explain(today)
    print("\n   EXPLAIN due selection:\n      " + plan.replace("\n", "\n      "))
    print(f"\n   partial index used: {'yes' if 'pledge_verify_pending_idx' in plan else 'NO'}")

    _reset()
    with connection.cursor() as cursor:  # nothing due: the due tasks move out of the window
        cursor.execute(
            "UPDATE pledges_verificationtask SET due_date = %s WHERE due_date < %s",
            [today + datetime.timedelta(days=100), today + datetime.timedelta(days=10)],
        )
    nothing = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        supervise_pledge_verifications(today=today)
        nothing.append(time.perf_counter() - start)

    _populate(ids, total=DUE, due=DUE, today=today)
    baseline = Timing(baseline.samples + _time_runs(today, DUE).samples)
    large_name = f"{LARGE:,} tasks / 1,000 due"
    return [
        *eligibility,
        Result(BASELINE, baseline, note="one sweep: 1,000 inspector reminders"),
        Result(
            large_name,
            large,
            baseline=BASELINE,
            note="ratio ~1: cost follows due tasks, not all tasks",
        ),
        Result(
            f"{LARGE:,} tasks / 0 due",
            Timing(tuple(nothing)),
            baseline=BASELINE,
            note="index look-ups only",
        ),
    ]
