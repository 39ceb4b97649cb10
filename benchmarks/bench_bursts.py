"""Write bursts through the real APIs under gunicorn: review capture and 12345 ticket intake.

Issue 16: a province's peak with 10× headroom on these cores — review capture ≥ 500
reviews/s (Guangdong: 13.9M reviews a month) and hotline intake ≥ 150 tickets/s (Jiangsu's
12345: 43.67M requests a year). gunicorn (``benchmarks/wsgi.py``: the production settings
with the benchmark URLs, ``GUNICORN_WORKERS`` sync workers, persistent connections) serves
the run's own database; ``BENCH_BURST_THREADS`` client threads post without pause for
``BENCH_BURST_SECONDS`` each:

* ``POST /api/v1/reviews/`` — a hotline operator records a caller's rating of a service
  event (one event per review, 一事一评; one in ten a bad review with its reason and text),
  the rollups (day, month, staff) upserted in the review's transaction;
* ``POST /api/v1/hotline/tickets/`` — the operator takes a call (a new caller each time),
  numbered, routed by category, its notifications queued on the broker after commit;
* ``POST /api/v1/reviews/batch/`` and ``POST /api/v1/hotline/tickets/batch/`` — the same
  items ``BENCH_BURST_BATCH`` (100) to a request, as hall evaluator devices, the provincial
  platform and the channel aggregators send them (all or nothing, bulk writes, rollups
  upserted once per batch, each batch under its own batch id);
* ``GET`` of the trivial view by the same threads through the same workers: the floor.

Each write figure is printed as items (reviews, tickets) per second beside its target and
as a ratio to the trivial view's requests per second measured in the same run. Then, in
this process through Django's test client (the whole middleware stack, no HTTP), the CPU
milliseconds one item costs the application (``time.process_time``; the database's own CPU
is not in it) on each path. Every response must be a
201 (or 200 for the trivial view), or the run stops. The per-source daily review limit
(R1's ballot-stuffing guard, 20 a day per device by default) is lifted for the run: one
operator's address posts them all.
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from apps.accounts.models import Department, User
from apps.accounts.roles import Role, group_name
from apps.hotline.models import Category
from apps.reviews.models import ReviewTag, ServiceEvent
from apps.reviews.workflow import EventKind
from benchmarks.harness import Result, Timing
from benchmarks.urls import TRIVIAL_PATH

ROOT = Path(__file__).resolve().parent.parent
THREADS = int(os.environ.get("BENCH_BURST_THREADS", "12"))
BATCH = int(os.environ.get("BENCH_BURST_BATCH", "100"))
CPU_SAMPLES = int(os.environ.get("BENCH_BURST_CPU_SAMPLES", "200"))
SECONDS = float(os.environ.get("BENCH_BURST_SECONDS", "15"))
WORKERS = os.environ.get("GUNICORN_WORKERS", "3")
REVIEW_TARGET = 500.0
TICKET_TARGET = 150.0
# Enough events that no thread runs out at six times the target rate, plus the in-process
# CPU samples (single and batch).
EVENTS = int(REVIEW_TARGET * SECONDS * 6) + CPU_SAMPLES * (1 + BATCH)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _setup() -> dict:
    departments = [
        Department.objects.create(code=f"BENCH-BURST-{i}", name=f"突发基准局{i}") for i in range(6)
    ]
    parent = Category.objects.create(code="BURST", name="突发基准大类")
    categories = [
        Category.objects.create(
            code=f"BURST-{i}",
            name=f"突发基准分类{i}",
            parent=parent,
            department=departments[i % len(departments)],
        )
        for i in range(12)
    ]
    operator = User.objects.create_user(
        username="bench-burst-operator", full_name="突发话务", kind=User.Kind.STAFF, is_staff=True
    )
    operator.groups.add(Group.objects.get(name=group_name(Role.HOTLINE_OPERATOR)))
    ServiceEvent.objects.bulk_create(
        [
            ServiceEvent(
                kind=EventKind.HOTLINE_TICKET,
                reference=f"BURST-{n:07d}",
                department=departments[n % len(departments)],
            )
            for n in range(EVENTS)
        ],
        batch_size=5000,
    )
    events = list(
        ServiceEvent.objects.filter(reference__startswith="BURST-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    tag = ReviewTag.objects.filter(is_active=True).values_list("code", flat=True).first()
    return {"operator": operator, "categories": categories, "events": events, "tag": tag}


def _session(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def _serve(port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govservice.settings.production",
        DATABASE_URL=_database_url(),
        # Sessions written here are read there: the same signing and PII keys.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        PII_ENCRYPTION_KEYS=",".join(settings.PII_ENCRYPTION_KEYS),
        PII_HASH_KEY=settings.PII_HASH_KEY,
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", "gs-bench"),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        REVIEWS_PER_SOURCE_PER_DAY=str(10**9),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=WORKERS,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "benchmarks.wsgi:application",
            "-c",
            "python:govservice.gunicorn_conf",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            if requests.get(base + TRIVIAL_PATH, timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not come up: " + server.stderr.read().decode()[-2000:])


def _http(session_key: str, csrf: str) -> requests.Session:
    http = requests.Session()
    http.cookies.set("sessionid", session_key)
    http.cookies.set("csrftoken", csrf)
    http.headers.update({"X-CSRFToken": csrf})
    return http


def _burst(
    base: str,
    session_key: str,
    request: Callable[[requests.Session, str, int], requests.Response],
    ok: int,
) -> tuple[float, Timing]:
    """``THREADS`` threads call ``request`` for ``SECONDS``: (requests per second, latencies)."""
    csrf = secrets.token_hex(16)  # a 32-character secret: cookie and header agree
    deadline = time.perf_counter() + SECONDS
    latencies: list[float] = []
    failures: list[str] = []
    counter = iter(range(10**9))
    lock = threading.Lock()

    def worker() -> None:
        http = _http(session_key, csrf)
        mine = []
        while time.perf_counter() < deadline and not failures:
            with lock:
                n = next(counter)
            start = time.perf_counter()
            try:
                response = request(http, base, n)
            except (requests.RequestException, IndexError) as exc:
                failures.append(repr(exc))
                break
            mine.append(time.perf_counter() - start)
            if response.status_code != ok:
                failures.append(f"answered {response.status_code}: {response.text[:500]}")
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"bench_bursts: {failures[0]}")
    return len(latencies) / elapsed, Timing(tuple(latencies))


def _result(
    name: str,
    rate: float,
    timing: Timing,
    target: float | None,
    trivial: float,
    noun: str,
    cpu_ms: float,
) -> Result:
    note = f"{rate:.0f} {noun}/s ({rate / trivial:.2f}× the trivial view's {trivial:.0f} req/s)"
    note += f"; {cpu_ms:.2f} ms CPU per item in process"
    if target is not None:
        verdict = "met" if rate >= target else "MISSED"
        note += f"; target ≥ {target:.0f}/s: {verdict}"
    return Result(name, timing, None if target is None else "GET trivial view", note=note)


class _Pool:
    """Unrated events handed out once each, across threads and bursts."""

    def __init__(self, events: list[int]) -> None:
        self._events = iter(events)
        self._lock = threading.Lock()

    def take(self, n: int) -> list[int]:
        with self._lock:
            taken = list(itertools.islice(self._events, n))
        if len(taken) < n:
            raise IndexError("bench_bursts: out of service events; raise EVENTS")
        return taken


def _review_body(event: int, n: int, tag: str | None) -> dict:
    bad = n % 10 == 9 and tag
    return {
        "event": event,
        "channel": "hotline",
        "level": "very_dissatisfied" if bad else "very_satisfied",
        "tags": [tag] if bad else [],
        "text": "办理时间太长，窗口说明不清楚。" if bad else "",
    }


def _ticket_body(categories: list[Category], n: int) -> dict:
    return {
        "ticket_type": "complaint",
        "category_id": categories[n % len(categories)].pk,
        "content": "突发基准：夜间施工噪声扰民。",
        "caller_phone": f"135{n:08d}",
        "district": "鼓楼区",
        "address": f"基准路{n}号",
    }


def _requests(setup: dict, pool: _Pool, run_id: str) -> dict[str, Callable]:
    """One request of each kind; ``n`` numbers the request within its burst."""
    categories, tag = setup["categories"], setup["tag"]
    tickets = itertools.count(10**7 * (1 + len(run_id) % 7))  # a new caller each time

    def review(http, base: str, n: int):
        return http.post(base + "/api/v1/reviews/", json=_review_body(pool.take(1)[0], n, tag))

    def review_batch(http, base: str, n: int):
        items = [_review_body(e, i, tag) for i, e in enumerate(pool.take(BATCH))]
        body = {"batch_id": f"{run_id}-r{n}", "items": items}
        return http.post(base + "/api/v1/reviews/batch/", json=body)

    def ticket(http, base: str, n: int):
        return http.post(
            base + "/api/v1/hotline/tickets/", json=_ticket_body(categories, next(tickets))
        )

    def ticket_batch(http, base: str, n: int):
        items = [_ticket_body(categories, next(tickets)) for _ in range(BATCH)]
        body = {"batch_id": f"{run_id}-t{n}", "items": items}
        return http.post(base + "/api/v1/hotline/tickets/batch/", json=body)

    return {
        "review": review,
        "review_batch": review_batch,
        "ticket": ticket,
        "ticket_batch": ticket_batch,
    }


class _ClientAdapter:
    """Django's test client with the ``requests.Session`` calls the request functions use."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def post(self, url: str, json: dict):
        return self.client.post(url, data=json, content_type="application/json")


def _cpu_ms_per_item(session_key: str, request: Callable, items_per_request: int) -> float:
    """Application CPU per item, in this process: ``CPU_SAMPLES // items_per_request``
    requests (at least 5) through the whole middleware stack, after two warm-up requests."""
    client = Client()
    client.cookies["sessionid"] = session_key
    http = _ClientAdapter(client)
    for n in range(2):
        response = request(http, "", 10**6 + n)
        if response.status_code != 201:
            raise RuntimeError(
                f"bench_bursts (in process): {response.status_code} {response.content[:300]!r}"
            )
    count = max(5, CPU_SAMPLES // items_per_request)
    start = time.process_time()
    for n in range(count):
        response = request(http, "", 2 * 10**6 + n)
        if response.status_code != 201:
            raise RuntimeError(
                f"bench_bursts (in process): {response.status_code} {response.content[:300]!r}"
            )
    return (time.process_time() - start) * 1000 / (count * items_per_request)


def run() -> list[Result]:
    setup = _setup()
    session_key = _session(setup["operator"])
    pool = _Pool(setup["events"])
    run_id = secrets.token_hex(4)
    requests_by_kind = _requests(setup, pool, run_id)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(port)
    try:

        def trivial(http: requests.Session, base: str, n: int) -> requests.Response:
            return http.get(base + TRIVIAL_PATH)

        trivial_rate, trivial_timing = _burst(base, session_key, trivial, 200)
        measured = {}
        for kind, request in requests_by_kind.items():
            measured[kind] = _burst(base, session_key, request, 201)
            # Said as it comes: a long run that fails later keeps what it measured.
            print(f"bench_bursts: {kind} {measured[kind][0]:.1f} req/s", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # This process runs the test settings: lift the per-source limit here too (see above).
    settings.REVIEWS_PER_SOURCE_PER_DAY = 10**9
    cpu = {
        kind: _cpu_ms_per_item(session_key, request, BATCH if kind.endswith("batch") else 1)
        for kind, request in requests_by_kind.items()
    }

    title = f"{THREADS} threads × {SECONDS:.0f} s, {WORKERS} gunicorn workers"
    load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = [
        ("review", "POST /api/v1/reviews/", 1, REVIEW_TARGET, "reviews"),
        (
            "review_batch",
            f"POST /api/v1/reviews/batch/ ({BATCH} a request)",
            BATCH,
            REVIEW_TARGET,
            "reviews",
        ),
        ("ticket", "POST /api/v1/hotline/tickets/", 1, TICKET_TARGET, "tickets"),
        (
            "ticket_batch",
            f"POST /api/v1/hotline/tickets/batch/ ({BATCH} a request)",
            BATCH,
            TICKET_TARGET,
            "tickets",
        ),
    ]
    results = [
        Result(
            "GET trivial view", trivial_timing, note=f"{trivial_rate:.0f} req/s ({title}; {load})"
        )
    ]
    for kind, name, per_request, target, noun in rows:
        rate, timing = measured[kind]
        results.append(
            _result(name, rate * per_request, timing, target, trivial_rate, noun, cpu[kind])
        )
    return results


if __name__ == "__main__":  # pragma: no cover - run through benchmarks/run.py
    sys.exit("run: benchmarks/run.py --only bursts")
