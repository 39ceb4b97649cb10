"""The load test's users (issue 16), for Locust: citizens, window staff and supervisors.

Run by ``benchmarks/load.py`` (``make load``), which prepares the database, writes the plan
this file reads (``LOAD_PLAN``: session keys and what to ask for, see ``load.build_plan``),
starts gunicorn and runs ``locust --headless`` once per level. By hand::

    locust -f benchmarks/locustfile.py --headless -u 16 -r 16 -t 20s --host http://127.0.0.1:8716

Every request is named after its page, so Locust's statistics are per page. Each user
first visits each of its pages once (in a shuffled order), then picks pages at random by
their weights. No think time unless ``LOAD_THINK_SECONDS`` is set: the figures are the
server's capacity, not a person's pace. A response that is not the expected status counts
as a failure. ``LOAD_TOUR_ONLY=1`` (the scenario's test) stops Locust once every user has
made its tour.

The users are ``FastHttpUser`` (geventhttpclient, shipped with Locust): on the same two cores
as the server, ``HttpUser``'s ``requests`` client spent 3–4 ms of CPU per request, a tenth of
the server's. The scenario is the same: one cookie jar per user, the forms posted with their
CSRF token, redirects answered, not followed.
"""

from __future__ import annotations

import json
import os
import random
import re

import gevent
from locust import FastHttpUser, constant, task
from requests.cookies import create_cookie

PLAN: dict = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
CPU_HEADER = "X-Load-CPU-Ms"
THINK = float(os.environ.get("LOAD_THINK_SECONDS", "0"))

# The scenario's own test: each user makes its tour, and Locust stops when all have.
TOUR_ONLY = os.environ.get("LOAD_TOUR_ONLY") == "1"
_toured_users = 0

_HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|idempotency_key)" value="([^"]+)"')
_DETAIL = re.compile(r"/applications/(\d+)/")
_CASE = re.compile(r"/admin/applications/application/(\d+)/change/")


def _hidden(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))


def _toured(environment) -> None:
    global _toured_users
    _toured_users += 1
    if _toured_users >= environment.parsed_options.num_users:
        gevent.spawn(environment.runner.quit)  # not from inside a user's own greenlet


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = constant(THINK)
    persona = ""

    def on_start(self) -> None:
        session = random.choice(PLAN["sessions"][self.persona])
        self.client.cookiejar.set_cookie(create_cookie("sessionid", session))
        # First a tour of every page once, so even a short run measures each of them; in an
        # order of its own, so many users do not walk the same page at the same moment.
        tour = list(dict.fromkeys(self.tasks))
        random.shuffle(tour)
        for page in tour:
            page(self)
        if TOUR_ONLY:
            _toured(self.environment)

    def get(self, path: str, name: str, *, expect: int = 200, cookies: dict | None = None):
        """``cookies``: sent instead of the user's own of the same name, for this request only
        (the jar then adds none of its own, so all are sent here)."""
        headers = {"Cookie": self._cookie_header(cookies)} if cookies else None
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, headers=headers
        ) as response:
            self._check(response, expect, name)
        return response

    def post(self, path: str, name: str, data: dict, *, expect: int = 302):
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            self._check(response, expect, name)
        return response

    def _check(self, response, expect: int, name: str) -> None:
        if response.status_code != expect:
            response.failure(f"{response.status_code} (expected {expect})")
        cpu = response.headers.get(CPU_HEADER)
        if cpu is not None:  # benchmarks/load_wsgi.py: the worker's CPU time for this request
            self.environment.events.request.fire(
                request_type="CPU",
                name=name,
                response_time=float(cpu),
                response_length=0,
                exception=None,
                context={},
            )
        # Production sets the cookies Secure; the test talks plain HTTP to gunicorn, as a
        # TLS proxy would, so keep sending them.
        for cookie in self.client.cookiejar:
            cookie.secure = False

    def _cookie_header(self, overrides: dict[str, str]) -> str:
        cookies = {cookie.name: cookie.value for cookie in self.client.cookiejar}
        return "; ".join(f"{name}={value}" for name, value in {**cookies, **overrides}.items())


class Citizen(PortalUser):
    """Searches, reads a guide, applies and submits, then follows the application."""

    weight = 6
    persona = "citizen"

    @task(2)
    def search_two_characters(self) -> None:
        self.get(f"/search/?q={random.choice(PLAN['search_2'])}", "search 2 chars")

    @task(2)
    def search_four_characters(self) -> None:
        self.get(f"/search/?q={random.choice(PLAN['search_4'])}", "search 4 chars")

    @task(2)
    def guide(self) -> None:
        self.get(f"/items/{random.choice(PLAN['items'])}/", "guide")

    @task(1)
    def apply(self) -> None:
        """在线申请 → draft → 提交申请 → the detail page, through the real forms."""
        code = random.choice(PLAN["apply_items"])
        page = self.get(f"/applications/new/{code}/", "apply: start")
        start = self.post(f"/applications/new/{code}/", "apply: create draft", _hidden(page.text))
        edit_url = start.headers.get("Location", "")
        if start.status_code != 302 or not edit_url:
            return
        draft = self.get(edit_url, "apply: draft form")
        fields = _hidden(draft.text)
        submitted = self.post(edit_url, "apply: submit", {**fields, "action": "submit"})
        found = _DETAIL.search(submitted.headers.get("Location", ""))
        if submitted.status_code == 302 and found:
            self.get(f"/applications/{found.group(1)}/", "application")

    @task(2)
    def my_applications(self) -> None:
        self.get("/applications/", "我的办件")

    @task(1)
    def my_applications_heavy(self) -> None:
        """The anchor's case: a citizen with 200 applications, half through a company."""
        heavy = {"sessionid": PLAN["sessions"]["heavy"][0]}
        self.get("/applications/", "我的办件 (200 cases)", cookies=heavy)
        self.get(f"/applications/{PLAN['heavy_case']}/", "application", cookies=heavy)

    @task(1)
    def api_list(self) -> None:
        self.get("/api/v1/applications/", "API 我的申请")


class WindowStaff(PortalUser):
    """Works the department's queue: its tabs, a case, and 受理 of the next new case."""

    weight = 3
    persona = "window"
    QUEUE = "/admin/applications/application/queue/"
    CASE = "/admin/applications/application/{}/change/"

    @task(2)
    def queue_new(self) -> None:
        self.get(f"{self.QUEUE}?tab=new", "queue 新申请")

    @task(1)
    def queue_overdue(self) -> None:
        self.get(f"{self.QUEUE}?tab=overdue", "queue 已超期")

    @task(1)
    def queue_all(self) -> None:
        self.get(f"{self.QUEUE}?tab=all", "queue 全部")

    @task(2)
    def case(self) -> None:
        self.get(self.CASE.format(PLAN["staff_case"]), "staff application")

    @task(1)
    def accept(self) -> None:
        """受理 the first case on the 新申请 tab, as the window does. Two staff users may pick
        the same case: the second is told it has been accepted already (a redirect too)."""
        queue = self.get(f"{self.QUEUE}?tab=new", "queue 新申请")
        found = _CASE.search(queue.text)
        if not found:
            return
        page = self.get(self.CASE.format(found.group(1)), "staff application")
        fields = {**_hidden(page.text), "note": ""}
        action = f"/admin/applications/application/{found.group(1)}/action/accept/"
        self.post(action, "staff accept", fields)


class Supervisor(PortalUser):
    """The 驾驶舱 (its page, then its panels' JSON as the browser fetches them) and 电子监察."""

    weight = 1
    persona = "supervisor"

    @task(1)
    def dashboard(self) -> None:
        self.get("/dashboard/", "dashboard")

    @task(3)
    def dashboard_panel(self) -> None:
        key = random.choice(PLAN["panels"])
        self.get(f"/dashboard/panels/{key}/", "dashboard panel (JSON)")

    @task(1)
    def supervision(self) -> None:
        self.get("/admin/applications/application/supervision/", "电子监察")
