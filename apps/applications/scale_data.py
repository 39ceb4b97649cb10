"""Scale data for benchmarks and load tests (issue 16): applications with their timeline rows
across departments, states and three years, written by the database itself
(``INSERT … SELECT generate_series``, in chunks), so a million rows take minutes.

Never for a database with real data: it creates its own departments (codes ``SCALE-…``),
items, guides, staff and citizens and only ever adds rows. Re-running with a larger total
adds the difference (numbers continue from the last one), so a benchmark can measure at
10,000 and then grow the same database to 1,000,000.

The shape, per 100 applications: 1 draft, 2 waiting for intake, 11 with a running clock
(about a fifth of them overdue, due dates spread from 8 days ago to a month ahead), 1 in
correction, 85 finished (approved, denied, archived) over three years; about 3.5 timeline
rows each. One citizen (``scale-heavy``) has 200 applications, half through a company.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Company, Department, User
from apps.accounts.roles import Role, group_name
from apps.applications.models import Application, TimelineEvent
from apps.catalogue.models import ItemType, ServiceGuide, ServiceItem, ServiceTarget
from apps.catalogue.public_cache import public_catalogue_changed
from apps.catalogue.search import compute_search_fields

DEPARTMENTS = 20
ITEMS_PER_DEPARTMENT = 5
CITIZENS = 50_000
HEAVY_CITIZEN_APPLICATIONS = 200
CHUNK = 250_000
PREFIX = "SC"


@dataclass(frozen=True)
class ScaleWorld:
    departments: list[int]
    items: list[int]
    guides: list[int]
    item_departments: list[int]
    first_citizen: int
    citizens: int
    heavy: int
    company: int


def _guide(item: ServiceItem) -> ServiceGuide:
    guide, _ = ServiceGuide.objects.get_or_create(
        item=item,
        version=1,
        defaults={
            "status": ServiceGuide.Status.PUBLISHED,
            "published_at": timezone.now(),
            "acceptance_conditions": "规模测试",
            "review_standards": "规模测试",
            "legal_time_limit_days": 20,
            "promised_time_limit_days": 10,
            "result_name": "规模测试证",
            "where_to_apply": "市民中心",
            "office_hours": "工作日",
            "consultation": "12345",
            "complaint": "12345",
        },
    )
    return guide


def _staff(username: str, role: Role, departments: list[Department]) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": username, "kind": User.Kind.STAFF, "is_staff": True},
    )
    if created:
        user.set_password("Scale#2026")
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name(role)))
        user.departments.add(*departments)
    return user


def _citizens(count: int) -> int:
    """``count`` citizens with consecutive ids; returns the first id."""
    first = User.objects.filter(username="scale-u1").values_list("pk", flat=True).first()
    if first is not None:
        return first
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, created_at, updated_at, username,
                full_name, kind, phone, phone_hash, id_number, id_number_hash, email, email_hash,
                is_staff, is_active, date_joined)
            SELECT '!', false, now(), now(), 'scale-u' || g, '规模用户' || g, 'citizen', '', '',
                   '', '', '', '', false, true, now()
            FROM generate_series(1, %s) AS g ORDER BY g
            """,
            [count],
        )
    return User.objects.get(username="scale-u1").pk


@transaction.atomic
def scale_world() -> ScaleWorld:
    """The departments, items, guides, people the rows refer to (created once)."""
    departments = [
        Department.objects.get_or_create(code=f"SCALE-{n:02d}", defaults={"name": f"规模局{n}"})[0]
        for n in range(DEPARTMENTS)
    ]
    items, guides, item_departments = [], [], []
    unsearchable = []
    for d, department in enumerate(departments):
        for k in range(ITEMS_PER_DEPARTMENT):
            name = f"规模事项{d}-{k}"
            item, _ = ServiceItem.objects.get_or_create(
                code=f"SCALE-{d:02d}-{k}",
                defaults={
                    "name": name,
                    "item_type": ItemType.LICENSING,
                    "target": ServiceTarget.BOTH,
                    "competent_department": department,
                    "implementing_department": department,
                    "legal_basis": "规模测试",
                    # The search columns, so the load test's 规模 / 规模事项 searches find them.
                    **compute_search_fields(name, "")._asdict(),
                },
            )
            if not item.search_text:
                unsearchable.append(item)
            items.append(item.pk)
            guides.append(_guide(item).pk)
            item_departments.append(department.pk)
    for item in unsearchable:  # made by a generator that left the search columns empty
        fields = compute_search_fields(item.name, item.keywords)._asdict()
        ServiceItem.objects.filter(pk=item.pk).update(**fields)
    if unsearchable:
        public_catalogue_changed()  # update() sends no signal
    _staff("scale-window", Role.WINDOW_STAFF, departments[:1])
    _staff("scale-supervisor", Role.SUPERVISOR, [])
    heavy, _ = User.objects.get_or_create(
        username="scale-heavy", defaults={"full_name": "规模重度用户", "kind": User.Kind.CITIZEN}
    )
    company, _ = Company.objects.get_or_create(
        credit_code="91350100MA2SCALE1X", defaults={"name": "规模示范有限公司"}
    )
    heavy.companies.add(company)
    first = _citizens(CITIZENS)
    return ScaleWorld(
        departments=[d.pk for d in departments],
        items=items,
        guides=guides,
        item_departments=item_departments,
        first_citizen=first,
        citizens=CITIZENS,
        heavy=heavy.pk,
        company=company.pk,
    )


# r = a per-row number in 0..99 fixing the row's state (see the module docstring).
_INSERT = """
WITH src AS (
    SELECT g, (g * 37) %% 100 AS r, 1 + ((g * 48271) %% 1000003) %% %(n_items)s AS i,
           now() - ((g * 7919) %% (3 * 365 * 86400)) * interval '1 second' AS old,
           now() - ((g * 7919) %% (60 * 86400)) * interval '1 second' AS recent
    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
), rows AS (
    SELECT g, r, i,
        CASE WHEN r < 1 THEN 'draft' WHEN r < 3 THEN 'submitted'
             WHEN r < 8 THEN 'accepted' WHEN r < 14 THEN 'under_review'
             WHEN r < 15 THEN 'correction_requested' WHEN r < 60 THEN 'archived'
             WHEN r < 95 THEN 'approved' ELSE 'denied' END AS state,
        CASE WHEN r < 15 THEN recent ELSE old END AS created,
        current_date + ((g / 100) %% 40 - 8)::int AS running_due
    FROM src
)
INSERT INTO applications_application (
    number, item_id, guide_id, department_id, applicant_id, company_id, applicant_name,
    applicant_type, channel, state, outcome, is_immediate, deemed_accepted, extension_days,
    warning_level, pledge_signed, calendar_provisional, created_at, updated_at, submitted_at,
    intake_due_date, accepted_at, time_limit_days, due_date, yellow_on, decided_at, archived_at
)
SELECT %(prefix)s || lpad(g::text, 10, '0'),
    (%(items)s::bigint[])[i], (%(guides)s::bigint[])[i], (%(depts)s::bigint[])[i],
    %(first)s + (g * 104729) %% %(citizens)s, NULL, '规模用户', 'natural_person', 'online',
    state, CASE WHEN state IN ('approved', 'denied') THEN state
                WHEN state = 'archived' THEN 'approved' ELSE '' END,
    false, false, 0,
    CASE WHEN state IN ('accepted', 'under_review') AND running_due < current_date THEN 'red'
         WHEN state IN ('accepted', 'under_review') AND running_due - 3 <= current_date
              THEN 'yellow' ELSE 'green' END,
    false, false, created, created,
    CASE WHEN state = 'draft' THEN NULL ELSE created END,
    CASE WHEN state = 'draft' THEN NULL ELSE (created + interval '7 days')::date END,
    CASE WHEN r >= 3 AND r <> 14 THEN created + interval '1 day' END,
    CASE WHEN r >= 3 AND r <> 14 THEN 10 END,
    CASE WHEN state IN ('accepted', 'under_review') THEN running_due
         WHEN r >= 15 THEN (created + interval '20 days')::date END,
    CASE WHEN state IN ('accepted', 'under_review') THEN running_due - 3
         WHEN r >= 15 THEN (created + interval '17 days')::date END,
    CASE WHEN r >= 15 THEN created + interval '12 days' END,
    CASE WHEN state = 'archived' THEN created + interval '13 days' END
FROM rows
"""

# created; submitted → transition; accepted → transition; decided → transition + document.
_TIMELINE = """
INSERT INTO applications_timelineevent (kind, from_state, to_state, reason,
    visible_to_applicant, payload, created_at, actor_id, application_id)
SELECT CASE WHEN k = 1 THEN 'created' WHEN k = 4 THEN 'document_issued' ELSE 'transition' END,
       '', a.state, '', true, '{}'::jsonb, a.created_at + k * interval '1 hour', NULL, a.id
FROM applications_application a
CROSS JOIN LATERAL generate_series(1, CASE a.state WHEN 'draft' THEN 1
    WHEN 'submitted' THEN 2 WHEN 'correction_requested' THEN 2
    WHEN 'accepted' THEN 3 WHEN 'under_review' THEN 3 ELSE 4 END) AS k
WHERE a.number >= %(first)s AND a.number <= %(last)s AND a.number LIKE %(like)s
"""


def _number(prefix: str, g: int) -> str:
    return f"{prefix}{g:010d}"


def scale_count(prefix: str = PREFIX) -> int:
    return Application.objects.filter(number__startswith=prefix).count()


def _heavy_citizen(world: ScaleWorld) -> None:
    """``scale-heavy``: 200 applications, every other one through their company."""
    if Application.objects.filter(applicant_id=world.heavy).exists():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE applications_application SET applicant_id = %(heavy)s,
                company_id = CASE WHEN id %% 2 = 0 THEN %(company)s END
            WHERE id IN (SELECT id FROM applications_application
                         WHERE number LIKE %(like)s ORDER BY id LIMIT %(n)s)
            """,
            {
                "heavy": world.heavy,
                "company": world.company,
                "like": f"{PREFIX}%",
                "n": HEAVY_CITIZEN_APPLICATIONS,
            },
        )


def _insert_chunk(world: ScaleWorld, start: int, stop: int) -> None:
    """Applications ``start``…``stop`` with their timelines, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")  # a chunk may take a while
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # The rows refer only to the world's departments, items, guides and people, so
            # the foreign-key triggers are skipped (a superuser may): checked at commit, they
            # took as long as the insert, and chunks written at once queued on the same
            # hundred parent rows' locks.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            _INSERT,
            {
                "start": start,
                "stop": stop,
                "prefix": PREFIX,
                "n_items": len(world.items),
                "items": world.items,
                "guides": world.guides,
                "depts": world.item_departments,
                "first": world.first_citizen,
                "citizens": world.citizens,
            },
        )
        cursor.execute(
            _TIMELINE,
            {
                "first": _number(PREFIX, start),
                "last": _number(PREFIX, stop),
                "like": f"{PREFIX}%",
            },
        )


def _insert_chunk_in_thread(world: ScaleWorld, start: int, stop: int) -> int:
    """:func:`_insert_chunk` on this thread's own connection, closed after."""
    try:
        _insert_chunk(world, start, stop)
    finally:
        connection.close()
    return stop


def generate_scale_data(
    total: int, *, progress: Callable[[str], None] | None = None, workers: int = 1
) -> ScaleWorld:
    """Grow the scale applications to ``total`` (adds what is missing), with timelines.

    ``workers`` > 1 writes that many chunks at once, each on a connection of its own (ten
    million rows on a busy machine: the database gets more than one core). Chunks are
    disjoint number ranges; should one fail, the others are kept and the numbers have a
    gap, so a failed parallel run is redone on a fresh database, not resumed."""
    world = scale_world()
    have = scale_count()
    chunks = [(start, min(start + CHUNK - 1, total)) for start in range(have + 1, total + 1, CHUNK)]
    if workers > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_insert_chunk_in_thread, world, *chunk) for chunk in chunks]
            for future in as_completed(futures):
                stop = future.result()
                if progress:
                    progress(f"applications up to {stop:,} written")
    else:
        for start, stop in chunks:
            _insert_chunk(world, start, stop)
            if progress:
                progress(f"{stop:,} applications")
    _heavy_citizen(world)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        # VACUUM sets the visibility map (index-only scans); inside a transaction (a test)
        # it cannot run, and statistics are all a test needs.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for model in (Application, TimelineEvent):
            cursor.execute(f"{command} {model._meta.db_table}")
    return world
