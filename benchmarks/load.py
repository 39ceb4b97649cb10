"""Load test (issue 16): Locust against gunicorn on the scale database, the real mix of
citizens, window staff and supervisors, at 1, 16 and 64 users, each level bounded in time;
prints requests per second, p50/p95 per page and failures beside Open Zaak's published figures.

    make load                                   # LOAD_DATABASE_URL=… (a scale database)
    LOAD_USERS=1,16 LOAD_SECONDS=20 LOAD_WARMUP_SECONDS=5 GUNICORN_WORKERS=3 make load

This is the driver; the users are ``benchmarks/locustfile.py``. It

1. grows the database with ``generate_scale_data`` to ``LOAD_SIZE`` (default 1,000,000);
2. signs the simulated people in by writing their sessions straight to the database (no
   password round trip) and writes the plan the locustfile reads (``build_plan``);
3. starts gunicorn from ``govservice/gunicorn_conf.py`` with production settings, the
   per-client rate limits lifted (every simulated user comes from one address);
4. warms up (the mix, ``LOAD_WARMUP_SECONDS``, not measured), then runs
   ``locust --headless -u N -r N -t Ss --csv …`` per level and prints one table.

Below 10 users (the personas' weights 6 : 3 : 1 add up to 10) a level cannot hold the mix,
so each persona runs alone with N users for ``LOAD_SECONDS`` in turn; throughput is then all
requests over all the time. Everything started is killed at the end, even on error.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOCUSTFILE = ROOT / "benchmarks" / "locustfile.py"
PERSONAS = ("Citizen", "WindowStaff", "Supervisor")
MIX_USERS = 10  # the sum of the personas' weights
CPU_TYPE = "CPU"  # the locustfile's pseudo-requests carrying each page's server CPU time
# Open Zaak's published performance figures (1M cases, their reference machine).
ANCHORS = (
    "Open Zaak (1M cases): list p50 150–200 ms at 1 user, 320–430 ms at 16 users; "
    "25 req/s needs 4 CPUs"
)
# Every simulated user comes from this one address: the per-client rate limits (search,
# anonymous API) would answer 429 to the load itself, so they are lifted for the run.
LIFTED_LIMITS = {
    "SEARCH_RATE": "1000000/min",
    "API_ANON_READ_RATE": "1000000/min",
    "API_ANON_WRITE_RATE": "1000000/min",
}
# Pages in the order the table prints them (others, if any, follow).
PAGE_ORDER = (
    "search 2 chars",
    "search 4 chars",
    "guide",
    "apply: start",
    "apply: create draft",
    "apply: draft form",
    "apply: submit",
    "application",
    "我的办件",
    "我的办件 (200 cases)",
    "API 我的申请",
    "queue 新申请",
    "queue 已超期",
    "queue 全部",
    "staff application",
    "staff accept",
    "dashboard",
    "dashboard panel (JSON)",
    "电子监察",
)


# --- The plan: who signs in, what they ask for ------------------------------------------------


def _session_key(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def build_plan(*, citizens: int = 64) -> dict:
    """Sessions for each persona and the pages they ask for, from ``generate_scale_data``'s
    world (its departments ``SCALE-…``, citizens ``scale-u…``, staff and supervisor)."""
    from apps.accounts.models import User
    from apps.applications.models import Application
    from apps.dashboard.panels import panels_for

    people = list(User.objects.filter(username__startswith="scale-u").order_by("pk")[:citizens])
    heavy = User.objects.get(username="scale-heavy")
    window = User.objects.get(username="scale-window")
    supervisor = User.objects.get(username="scale-supervisor")
    # The window staff works SCALE-00: citizens apply there so staff can accept their cases.
    # A running case if there is one (a small database may have none: then any sent one).
    cases = Application.objects.filter(department__code="SCALE-00").exclude(state="draft")
    staff_case = (cases.filter(state="accepted") or cases).values_list("pk", flat=True)[0]
    return {
        "sessions": {
            "citizen": [_session_key(u) for u in people],
            "heavy": [_session_key(heavy)],
            "window": [_session_key(window)],
            "supervisor": [_session_key(supervisor)],
        },
        "search_2": ["规模", "事项"],
        "search_4": ["规模事项", "规模测试"],
        "items": [f"SCALE-{d:02d}-{k}" for d in range(0, 20, 3) for k in range(5)],
        "apply_items": [f"SCALE-00-{k}" for k in range(5)],
        "heavy_case": Application.objects.filter(applicant=heavy).values_list("pk", flat=True)[0],
        "staff_case": staff_case,
        "panels": [p.key for p in panels_for(supervisor)],
    }


# --- Running Locust and reading its figures ---------------------------------------------------


@dataclass
class Page:
    name: str
    requests: int = 0
    failures: int = 0
    p50: float = 0.0
    p95: float = 0.0
    cpu_p50: float | None = None  # the worker's CPU ms per request (X-Load-CPU-Ms), median


@dataclass
class Level:
    users: int
    seconds: float = 0.0
    pages: dict[str, Page] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # CPU seconds the server spent in the level: gunicorn's workers and the database
    # backends serving them. A busy machine stretches wall times, not these.
    app_cpu: float = 0.0
    db_cpu: float = 0.0
    # Locust's own CPU: on one machine the client takes its share of the cores too.
    client_cpu: float = 0.0

    def cpu_ms(self, seconds: float) -> float:
        return 1000 * seconds / self.requests if self.requests else 0.0

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.pages.values())

    @property
    def failed(self) -> int:
        return sum(p.failures for p in self.pages.values())

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(response_times: dict[str, int], q: float) -> float:
    """Nearest rank over Locust's response-time buckets (ms → count), as its CSV does."""
    total = sum(response_times.values())
    seen = 0
    for ms, count in sorted((float(k), v) for k, v in response_times.items()):
        seen += count
        if seen >= q * total:
            return ms
    return 0.0


def _read_stats(prefix: Path, level: Level) -> None:
    """Add one Locust run's final statistics (``--json-file``: written at exit, where the
    CSV lags by up to a second) to the level. Each page belongs to one persona, so runs of a
    level do not share pages."""
    entries = json.loads(Path(f"{prefix}.json").read_text(encoding="utf-8"))
    cpu = {
        e["name"]: _percentile(e["response_times"], 0.5) for e in entries if e["method"] == CPU_TYPE
    }
    for e in entries:
        if e["method"] == CPU_TYPE:
            continue
        page = Page(
            e["name"],
            e["num_requests"],
            e["num_failures"],
            _percentile(e["response_times"], 0.5),
            _percentile(e["response_times"], 0.95),
            cpu.get(e["name"]),
        )
        old = level.pages.get(page.name)
        if old is None:
            level.pages[page.name] = page
        else:  # the same page by another method: not in this scenario, but add it up
            old.requests += page.requests
            old.failures += page.failures
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with open(failures, encoding="utf-8") as rows:
            level.failures += [
                f"{r['Name']}: {r['Error']} ×{r['Occurrences']}" for r in csv.DictReader(rows)
            ]


def server_cpu(server_pid: int | None) -> tuple[dict[int, float], dict[int, float]]:
    """CPU seconds so far of each gunicorn worker and of each database backend (other than
    this process's own connection): the server's cost, whatever else the machine runs."""

    def cpu(processes) -> dict[int, float]:
        times = {}
        for process in processes:
            with contextlib.suppress(psutil.Error):
                t = process.cpu_times()
                times[process.pid] = t.user + t.system
        return times

    if server_pid is None:
        return {}, {}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = [psutil.Process(pid) for (pid,) in cursor.fetchall() if psutil.pid_exists(pid)]
    return cpu(psutil.Process(server_pid).children(recursive=True)), cpu(backends)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (each Locust run, once waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def run_locust(
    *,
    host: str,
    plan_path: Path,
    users: int,
    seconds: float,
    out_dir: Path,
    env: dict[str, str] | None = None,
    server_pid: int | None = None,
) -> Level:
    """One level: the mix at ``users`` users, or each persona in turn below the mix's size.
    With ``server_pid`` (gunicorn's master) it also measures the server's CPU per request."""
    level = Level(users, load_average=os.getloadavg())
    app_before, db_before = server_cpu(server_pid)
    runs = [PERSONAS] if users >= MIX_USERS else [(p,) for p in PERSONAS]
    out_dir.mkdir(parents=True, exist_ok=True)
    for classes in runs:
        prefix = out_dir / f"u{users}-{'-'.join(classes)}"
        command = [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds:g}s",
            "--stop-timeout",
            "5",
            "--csv",
            str(prefix),
            "--json-file",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            *classes,
        ]
        started, client_before = time.perf_counter(), _children_cpu()
        result = subprocess.run(  # noqa: S603
            command,
            env={**os.environ, **(env or {}), "LOAD_PLAN": str(plan_path)},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
        level.seconds += min(time.perf_counter() - started, seconds)
        level.client_cpu += _children_cpu() - client_before
        Path(f"{prefix}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        if not Path(f"{prefix}.json").exists():
            raise RuntimeError(f"locust failed ({result.returncode}): {result.stderr[-2000:]}")
        _read_stats(prefix, level)
    app_after, db_after = server_cpu(server_pid)
    level.app_cpu, level.db_cpu = _spent(app_before, app_after), _spent(db_before, db_after)
    return level


def print_level(level: Level) -> None:
    one, five, _ = level.load_average
    print(
        f"\n== {level.users} user(s): {level.rps:.1f} req/s, {level.requests} requests, "
        f"{level.failed} failures (load average before: {one:.1f} / {five:.1f})"
    )
    if level.app_cpu:
        print(
            f"   server CPU per request: {level.cpu_ms(level.app_cpu):.0f} ms gunicorn + "
            f"{level.cpu_ms(level.db_cpu):.0f} ms Postgres; Locust (start-up included) "
            f"{level.cpu_ms(level.client_cpu):.0f} ms"
        )
    print(f"   {'page':24} {'n':>6} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8}")
    names = [n for n in PAGE_ORDER if n in level.pages]
    names += sorted(set(level.pages) - set(names))
    for name in names:
        p = level.pages[name]
        cpu = f"{p.cpu_p50:8.0f}" if p.cpu_p50 is not None else f"{'–':>8}"
        print(f"   {name:24} {p.requests:6d} {p.failures:5d} {p.p50:8.0f} {p.p95:8.0f} {cpu}")
    for failure in level.failures[:10]:
        print(f"   ! {failure}")


def print_summary(levels: list[Level]) -> None:
    """One table: a row per page, p50 / p95 per level, throughput, the anchors beside."""
    print(f"\n{ANCHORS}")
    header = "".join(f"{f'{lv.users} user(s) p50/p95':>22}" for lv in levels)
    print(f"{'page':24}{header}{'CPU ms p50':>12}")
    names = [n for n in PAGE_ORDER if any(n in lv.pages for lv in levels)]
    for name in names:
        cells = ""
        for lv in levels:
            p = lv.pages.get(name)
            cells += f"{(f'{p.p50:.0f} / {p.p95:.0f} ms' if p else '–'):>22}"
        # The worker's CPU per request hardly depends on the load: the first level's.
        cpu = next((lv.pages[name].cpu_p50 for lv in levels if name in lv.pages), None)
        print(f"{name:24}{cells}{(f'{cpu:.0f}' if cpu is not None else '–'):>12}")
    print(f"{'req/s':24}" + "".join(f"{lv.rps:>22.1f}" for lv in levels))
    print(f"{'failures':24}" + "".join(f"{lv.failed:>22d}" for lv in levels))
    print(f"{'load average (1 min)':24}" + "".join(f"{lv.load_average[0]:>22.1f}" for lv in levels))
    cpu = [f"{lv.cpu_ms(lv.app_cpu):.0f} + {lv.cpu_ms(lv.db_cpu):.0f}" for lv in levels]
    print(f"{'CPU ms/req app + db':24}" + "".join(f"{c:>22}" for c in cpu))
    client = [f"{lv.cpu_ms(lv.client_cpu):.0f}" for lv in levels]
    print(f"{'CPU ms/req Locust':24}" + "".join(f"{c:>22}" for c in client))
    # What these cores would serve with nothing else running: cores ÷ CPU per request.
    cores = os.cpu_count() or 1
    idle = [
        f"{1000 * cores / lv.cpu_ms(lv.app_cpu + lv.db_cpu):.0f}" if lv.app_cpu else "–"
        for lv in levels
    ]
    print(f"{f'req/s if {cores} cores idle':24}" + "".join(f"{c:>22}" for c in idle))


# --- gunicorn -------------------------------------------------------------------------------


def serve(*, port: int, workers: str, secret_key: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        **LIFTED_LIMITS,
        DJANGO_SETTINGS_MODULE="govservice.settings.production",
        DJANGO_SECRET_KEY=secret_key,
        PII_ENCRYPTION_KEYS="dGVzdC1vbmx5LXBpaS1rZXktLS0tLS0tLS0tLS0tLS0=",
        PII_HASH_KEY="test-only-pii-hash-key",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=workers,
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "benchmarks.load_wsgi:application",
            "-c",
            "python:govservice.gunicorn_conf",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopped with everything it forked
    )
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not come up: " + server.stderr.read().decode()[-2000:])


def stop(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def main() -> int:
    port = int(os.environ.get("LOAD_PORT", "8716"))
    users = [int(u) for u in os.environ.get("LOAD_USERS", "1,16,64").split(",")]
    seconds = float(os.environ.get("LOAD_SECONDS", "20"))
    size = int(os.environ.get("LOAD_SIZE", "1000000"))
    warmup = float(os.environ.get("LOAD_WARMUP_SECONDS", "5"))
    workers = os.environ.get("GUNICORN_WORKERS", "3")
    # The sessions written here must be read by the server: same signing key.
    secret_key = os.environ.setdefault("DJANGO_SECRET_KEY", "load-test-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govservice.settings.test")
    import django

    django.setup()
    from apps.applications.scale_data import generate_scale_data, scale_count

    if scale_count() < size:
        print(f"growing the scale data to {size:,} applications…", flush=True)
        generate_scale_data(size)
    out_dir = Path(tempfile.mkdtemp(prefix="load-"))
    plan_path = out_dir / "plan.json"
    plan_path.write_text(json.dumps(build_plan(citizens=max(users))), encoding="utf-8")
    # A TERM (a timeout around `make load`) unwinds like an error: gunicorn is stopped below,
    # and a running Locust is killed by subprocess.run on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("load test stopped"))
    server = serve(port=port, workers=workers, secret_key=secret_key)
    levels = []
    try:
        print(
            f"gunicorn: {workers} sync workers, DB_CONN_MAX_AGE="
            f"{os.environ.get('DB_CONN_MAX_AGE', '60')}; {scale_count():,} applications; "
            f"{seconds:g} s per level; Locust CSVs in {out_dir}",
            flush=True,
        )
        if warmup > 0:  # every worker's connection and the pages' rows warm, not measured
            run_locust(
                host=f"http://127.0.0.1:{port}",
                plan_path=plan_path,
                users=MIX_USERS,
                seconds=warmup,
                out_dir=out_dir / "warm-up",
            )
        for n in users:
            level = run_locust(
                host=f"http://127.0.0.1:{port}",
                plan_path=plan_path,
                users=n,
                seconds=seconds,
                out_dir=out_dir,
                server_pid=server.pid,
            )
            levels.append(level)
            print_level(level)
        print_summary(levels)
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
