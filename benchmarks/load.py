"""Load test (issue 16): gunicorn on the scale database, the real mix of pages, at 1, 16
and 64 concurrent users, each level bounded in time; prints requests per second and
p50/p95 per page beside Open Zaak's published figures.

    make load                                   # LOAD_DATABASE_URL=… (a scale database)
    LOAD_USERS=1,16 LOAD_SECONDS=20 make load

The database must hold ``generate_scale_data`` rows (the run grows it to ``LOAD_SIZE``,
default 1,000,000, if it has fewer). Users are signed in by creating their sessions in the
database (no password round trip); each simulated user loops over its persona's pages
without think time, so the figures are the server's capacity, not a user's pace. Personas:
citizens (search, guide, 我的办件, an application), window staff (queue tabs, an
application), supervisors (电子监察, the dashboard panel), in the proportion 6 : 3 : 1.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORT = int(os.environ.get("LOAD_PORT", "8716"))
BASE = f"http://127.0.0.1:{PORT}"
USERS = [int(u) for u in os.environ.get("LOAD_USERS", "1,16,64").split(",")]
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
SIZE = int(os.environ.get("LOAD_SIZE", "1000000"))
WORKERS = os.environ.get("GUNICORN_WORKERS", "3")
# Open Zaak's published performance figures (1M cases, their reference machine).
ANCHORS = {
    "list p50, 1 user": "150–200 ms",
    "list p50, 16 users": "320–430 ms",
    "throughput": "25 req/s on 4 CPUs",
}


# The sessions this script writes must be read by the server: same signing key.
SECRET_KEY = os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-" + "x" * 50)
# Every simulated user comes from this one address: the per-client rate limits (search,
# anonymous API) would answer 429 to the load itself, so they are lifted for the run.
for _limit in ("SEARCH_RATE", "API_ANON_READ_RATE", "API_ANON_WRITE_RATE"):
    os.environ.setdefault(_limit, "1000000/min")


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govservice.settings.test")
    import django

    django.setup()


def _sessions() -> dict[str, list[str]]:
    """Session cookies for a few users of each persona (created in the database)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from apps.accounts.models import User

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    citizens = list(User.objects.filter(username__startswith="scale-u").order_by("pk")[:50])
    return {
        "citizen": [session(u) for u in citizens]
        + [session(User.objects.get(username="scale-heavy"))],
        "window": [session(User.objects.get(username="scale-window"))],
        "supervisor": [session(User.objects.get(username="scale-supervisor"))],
    }


def _pages() -> dict[str, list[tuple[str, str]]]:
    from apps.applications.models import Application

    heavy_case = Application.objects.filter(applicant__username="scale-heavy").first()
    staff_case = Application.objects.filter(department__code="SCALE-00", state="accepted").first()
    return {
        "citizen": [
            ("search 2 chars", "/search/?q=规模"),
            ("search 4 chars", "/search/?q=规模事项"),
            ("guide", "/items/SCALE-03-2/"),
            ("我的办件", "/applications/"),
            ("application", f"/applications/{heavy_case.pk}/"),
            ("API 我的申请", "/api/v1/applications/"),
        ],
        "window": [
            ("queue 新申请", "/admin/applications/application/queue/?tab=new"),
            ("queue 已超期", "/admin/applications/application/queue/?tab=overdue"),
            ("queue 全部", "/admin/applications/application/queue/?tab=all"),
            ("staff application", f"/admin/applications/application/{staff_case.pk}/change/"),
        ],
        "supervisor": [
            ("电子监察", "/admin/applications/application/supervision/"),
            ("dashboard panel", "/dashboard/panels/applications-timeliness/"),
        ],
    }


MIX = ["citizen"] * 6 + ["window"] * 3 + ["supervisor"]


def _user(n: int, sessions, pages, deadline: float, out: dict[str, list[float]], errors):
    persona = MIX[n % len(MIX)]
    http = requests.Session()
    http.cookies.set("sessionid", random.choice(sessions[persona]))
    mine = pages["citizen"][:3] if persona == "citizen" and n % 2 else pages[persona]
    if persona == "citizen" and not n % 2:
        http.cookies.set("sessionid", sessions["citizen"][-1])  # the citizen with 200 cases
    i = n
    while time.perf_counter() < deadline:
        name, path = mine[i % len(mine)]
        i += 1
        start = time.perf_counter()
        try:
            response = http.get(BASE + path, timeout=30, allow_redirects=False)
            ok = response.status_code == 200
            status = str(response.status_code)
        except requests.RequestException as exc:
            ok, status = False, type(exc).__name__
        if not ok:
            errors.setdefault(f"{name} → {status}", []).append(0.0)
            errors["_all"].append(0.0)
            continue
        elapsed = time.perf_counter() - start
        out[name].append(elapsed)


def _level(users: int, sessions, pages) -> tuple[dict[str, list[float]], dict, float]:
    out: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[float]] = defaultdict(list)
    deadline = time.perf_counter() + SECONDS
    threads = [
        threading.Thread(target=_user, args=(n, sessions, pages, deadline, out, errors))
        for n in range(users)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, errors, time.perf_counter() - started


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _serve() -> subprocess.Popen:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="govservice.settings.production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        PII_ENCRYPTION_KEYS="dGVzdC1vbmx5LXBpaS1rZXktLS0tLS0tLS0tLS0tLS0=",
        PII_HASH_KEY="test-only-pii-hash-key",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_WORKERS=WORKERS,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "govservice.wsgi:application",
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
    for _ in range(100):
        try:
            if requests.get(BASE + "/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not come up: " + server.stderr.read().decode()[-2000:])


def main() -> int:
    _django()
    from apps.applications.scale_data import generate_scale_data, scale_count

    if scale_count() < SIZE:
        print(f"growing the scale data to {SIZE:,} applications…", flush=True)
        generate_scale_data(SIZE)
    sessions, pages = _sessions(), _pages()
    server = _serve()
    try:
        print(
            f"gunicorn: {WORKERS} sync workers, DB_CONN_MAX_AGE="
            f"{os.environ.get('DB_CONN_MAX_AGE', '60')}; {scale_count():,} applications; "
            f"{SECONDS:.0f} s per level; Open Zaak anchors: {ANCHORS}"
        )
        for users in USERS:
            out, errors, wall = _level(users, sessions, pages)
            total = sum(len(v) for v in out.values())
            failed = {k: len(v) for k, v in errors.items() if k != "_all"}
            print(
                f"\n== {users} user(s): {total / wall:.1f} req/s, "
                f"{len(errors.get('_all', []))} errors {failed or ''}"
            )
            print(f"   {'page':22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
            for name, samples in sorted(out.items()):
                print(
                    f"   {name:22} {len(samples):6d} {_pct(samples, 0.5):8.0f} "
                    f"{_pct(samples, 0.95):8.0f}"
                )
            every = [s for v in out.values() for s in v]
            if every:
                print(
                    f"   {'all pages':22} {len(every):6d} {_pct(every, 0.5):8.0f} "
                    f"{_pct(every, 0.95):8.0f}  (median {statistics.median(every) * 1000:.0f})"
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
