"""Service halls: 叫号 under 8 concurrent windows, slot booking under 50 concurrent citizens.

Each figure is wall time per operation with every thread started at once (a barrier), as a
ratio to the trivial view requested by the same number of threads in the same way. Each
thread is one client with its own database connection, as windows and citizens are.

* 叫号: 8 windows of one comprehensive group, each pressing 叫号 then 办结 ``CALLS`` times
  through the API over one shared queue (``SKIP LOCKED``). After the run: no number was
  called twice.
* 预约: 50 citizens each booking one place in the same few slots through the API (each
  booking locks its slot row). After the run: no slot holds more than its capacity, also
  for a slot of 5 places raced by 50 people.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Department, ServiceCenter, ServiceWindow, User
from apps.accounts.roles import Role, group_name
from apps.catalogue.models import ServiceItem
from apps.halls import services
from apps.halls.models import Appointment, Slot, Ticket
from apps.halls.workflow import WindowKind
from apps.workdays.calendar import add_working_days
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH

WINDOWS = 8
CALLS = 10
CITIZENS = 50
REPEAT = 3


def _race(clients: list[Client], work: Callable[[int, Client], None]) -> float:
    """Run ``work(i, client)`` in one thread per client, all released together; wall time."""
    barrier = threading.Barrier(len(clients) + 1)
    errors: list[BaseException] = []

    def run(i: int, client: Client) -> None:
        try:
            barrier.wait()
            work(i, client)
        except BaseException as exc:  # reported after the join
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start


def _timed(clients: list[Client], work: Callable[[int, Client], None], ops: int) -> Timing:
    _race(clients, work)  # warm-up
    return Timing(tuple(_race(clients, work) / ops for _ in range(REPEAT)))


def _trivial(i: int, client: Client, n: int) -> None:
    for _ in range(n):
        if client.get(TRIVIAL_PATH).status_code != 200:
            raise RuntimeError("trivial view failed")


def _staff(username: str, role: Role, department: Department) -> User:
    user = User.objects.create_user(
        username=username, full_name=username, kind=User.Kind.STAFF, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name(role)))
    user.departments.add(department)
    return user


def _setup():
    department = Department.objects.create(code="BENCH-HALL", name="基准局")
    item = ServiceItem.objects.create(
        code="BENCH-HALL-ITEM",
        name="基准事项",
        item_type="licensing",
        target="both",
        competent_department=department,
        implementing_department=department,
        legal_basis="基准",
    )
    center = ServiceCenter.objects.create(
        code="BENCH-HALL", name="基准大厅", kind="center", level="city", address="基准路1号"
    )
    admin = User.objects.create_superuser(username="bench-hall-admin", full_name="基准管理")
    hall = services.hall_configure(actor=admin, center=center)
    group = services.group_create(
        actor=admin,
        hall=hall,
        name="综合受理",
        letter="A",
        kind=WindowKind.COMPREHENSIVE,
        items=[item],
        capacity_per_slot=0,
    )
    today = timezone.localdate()
    clerks = []
    for n in range(WINDOWS):
        window = ServiceWindow.objects.create(center=center, number=str(n + 1), name="综合")
        services.window_place(actor=admin, window=window, group=group)
        clerk = _staff(f"bench-clerk-{n}", Role.WINDOW_STAFF, department)
        services.shift_add(
            actor=admin,
            window=window,
            staff=clerk,
            day=today,
            starts=datetime.time(0, 0),
            ends=datetime.time(23, 59, 59),
        )
        clerks.append((clerk, window))
    return hall, group, item, clerks


def _calling(hall, item, clerks) -> list[Result]:
    for _ in range(WINDOWS * CALLS * (REPEAT + 1) + 20):
        services.ticket_take(hall=hall, item=item)
    clients = []
    for clerk, _window in clerks:
        client = Client()
        client.force_login(clerk)
        clients.append(client)

    def call_and_finish(i: int, client: Client) -> None:
        window = clerks[i][1]
        for _ in range(CALLS):
            called = client.post(f"/api/v1/halls/windows/{window.pk}/call")
            if called.status_code != 200 or called.json().get("ticket", 1) is None:
                raise RuntimeError(f"call failed: {called.status_code} {called.content[:200]}")
            if client.post(f"/api/v1/halls/windows/{window.pk}/finish").status_code != 200:
                raise RuntimeError("finish failed")

    ops = WINDOWS * CALLS * 2
    baseline = _timed(clients, lambda i, c: _trivial(i, c, CALLS * 2), ops)
    timing = _timed(clients, call_and_finish, ops)
    served = Ticket.objects.filter(state="done")
    if (
        served.values("pk").distinct().count() != served.count()
        or served.filter(window__isnull=True).exists()
    ):
        raise RuntimeError("a number was called twice")
    name = f"trivial view ×{WINDOWS} threads"
    return [
        Result(name, baseline, ops=1),
        Result(
            f"叫号 + 办结, {WINDOWS} windows at once (API)",
            timing,
            name,
            note=f"{served.count()} numbers served, each by exactly one window",
        ),
    ]


def _booking(group, item) -> list[Result]:
    day = add_working_days(timezone.localdate(), 2)
    slots = [
        Slot.objects.create(
            group=group,
            day=day,
            starts=datetime.time(9 + h),
            ends=datetime.time(9 + h, 30),
            capacity=CITIZENS * (REPEAT + 1),
        )
        for h in range(3)
    ]
    citizen_group = Group.objects.get(name=group_name(Role.CITIZEN))
    rounds = iter(range(REPEAT + 2))

    def people(r: int) -> list[Client]:
        clients = []
        for n in range(CITIZENS):
            user = User.objects.create_user(username=f"bench-citizen-{r}-{n}", full_name="基准")
            user.groups.add(citizen_group)
            client = Client()
            client.force_login(user)
            clients.append(client)
        return clients

    pools = [people(r) for r in range(REPEAT + 2)]

    def book(i: int, client: Client) -> None:
        slot = slots[i % len(slots)]
        response = client.post("/api/v1/halls/appointments", {"slot": slot.pk, "item": item.pk})
        if response.status_code != 201:
            raise RuntimeError(f"booking failed: {response.content[:200]}")

    baseline = Timing(
        tuple(_race(pools[0], lambda i, c: _trivial(i, c, 1)) / CITIZENS for _ in range(REPEAT))
    )
    next(rounds)
    samples = [_race(pools[next(rounds)], book) / CITIZENS for _ in range(REPEAT + 1)][1:]

    small = Slot.objects.create(
        group=group, day=day, starts=datetime.time(15), ends=datetime.time(15, 30), capacity=5
    )

    def book_small(i: int, client: Client) -> None:
        client.post("/api/v1/halls/appointments", {"slot": small.pk, "item": item.pk})

    _race(pools[0], book_small)
    small.refresh_from_db()
    if small.booked != 5 or Appointment.objects.filter(slot=small).count() != 5:
        raise RuntimeError("a slot was overbooked")
    name = f"trivial view ×{CITIZENS} threads"
    return [
        Result(name, baseline, ops=1),
        Result(
            f"预约, {CITIZENS} citizens at once (API)",
            Timing(tuple(samples)),
            name,
            note="and 50 people racing for a slot of 5: exactly 5 booked",
        ),
    ]


def run() -> list[Result]:
    hall, group, item, clerks = _setup()
    return [*_calling(hall, item, clerks), *_booking(group, item)]
