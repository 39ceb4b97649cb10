"""The Content-Security-Policy holds in a real browser (issue 16, hostile input).

The policy allows scripts and styles only from the portal's own files: no 'unsafe-inline',
no 'unsafe-eval'. A page that still had an inline ``<script>``, ``<style>``, ``style="…"``
or ``on…=`` handler would lose it silently, so every page is opened in Chromium with a
``securitypolicyviolation`` listener registered before the page's own code, and every
violation and console error is collected: the public pages (every one the accessibility scan
finds), a citizen's own pages, the staff console (queue, case page, 12345 intake with the
assistant box, the guide editor with its live form preview) and the supervisors' dashboard
with its ECharts charts drawn and a tooltip shown.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.catalogue.models import ServiceGuide
from tests.accounts.factories import DepartmentFactory, StaffFactory, UserFactory
from tests.applications.factories import ApplicationFactory, guide_for
from tests.catalogue.factories import PublishedBundleFactory
from tests.e2e.test_accessibility import (
    SEARCH,
    _html_pages,
    _seed,
    _session_cookie,
    public_routes,
)
from tests.halls.conftest import build_hall
from tests.reviews.factories import item_for, review, window_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOT_FOUND_PAGE = "/verify/no-such-token/"  # the sample of the accessibility scan
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    (e.sourceFile || "") + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


class Watch:
    """Violations (read from each frame before leaving it) and console errors of a page."""

    def __init__(self, context) -> None:
        context.add_init_script(script=LISTEN)
        self.page = context.new_page()
        self.page.set_default_timeout(20_000)
        self.found: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.found.append(f"script error: {e}"))

    def _console(self, message) -> None:
        url = message.location.get("url", "")
        # The not-found sample answers 404 on purpose; the browser asks for /favicon.ico
        # on its own (the portal has none), which is not a page's doing.
        if message.type != "error" or url.endswith((NOT_FOUND_PAGE, "/favicon.ico")):
            return
        self.found.append(f"console: {message.text} ({url})")

    def collect(self, where: str) -> None:
        for frame in self.page.frames:
            for violation in self._violations(frame):
                self.found.append(f"{where}: {violation}")

    @staticmethod
    def _violations(frame) -> list[str]:
        """A frame still loading its document (the guide editor's live preview fills its
        frame after the page's load event) is read once its new document has loaded."""
        for _ in range(5):
            try:
                return frame.evaluate("() => window.__cspViolations || []")
            except PlaywrightError as error:
                if "Execution context was destroyed" not in str(error):
                    raise
                frame.wait_for_load_state("load")
        raise AssertionError(f"the frame {frame.url} kept navigating")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status < 400 or path == NOT_FOUND_PAGE, (path, response.status)
        self.page.wait_for_load_state("load")
        self.collect(path)


def _context(browser, live_server, user=None, width: int = 1366):
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
    )
    if user is not None:
        context.add_cookies([_session_cookie(user, live_server.url)])
    return context


def test_the_policy_refuses_inline_code_in_the_browser(browser, live_server):
    """The header is there and the browser enforces it: an injected inline script does not
    run and is reported as a violation (what the listener below counts)."""
    context = _context(browser, live_server)
    watch = Watch(context)
    response = watch.page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    watch.page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    watch.page.wait_for_timeout(200)
    assert watch.page.evaluate("() => window.__ran") is None
    violations = watch.page.evaluate("() => window.__cspViolations")
    assert any(v.startswith("script-src") for v in violations), violations
    context.close()


def test_api_docs_break_no_policy(browser, live_server):
    """The self-hosted Swagger UI draws the whole API under the same policy."""
    context = _context(browser, live_server)
    watch = Watch(context)
    watch.visit(reverse("api-docs"))
    # The schema is generated on request: seconds on a busy machine.
    expect(watch.page.locator(".swagger-ui .info .title")).to_contain_text(
        "政务服务", timeout=90_000
    )
    expect(watch.page.locator(".opblock").first).to_be_visible()
    watch.page.locator(".opblock-summary").first.click()
    watch.page.wait_for_timeout(300)
    watch.collect("api docs")
    context.close()
    assert watch.found == [], "\n".join(watch.found)


def test_browsable_api_breaks_no_policy(browser, live_server, citizen, department):
    """DRF's browsable API pages (what a browser gets at /api/v1/…) under the same policy:
    DRF writes its code highlighting as an inline <style> and two buttons with style="…";
    the portal's templates/rest_framework/ move them to a static stylesheet. 0 violations,
    and the styling is there (the highlighted JSON, the Filters button floated right)."""
    item = guide_for(department).item
    ApplicationFactory(guide=guide_for(department), applicant=citizen)
    found: list[str] = []
    for user, paths in (
        (None, ["/api/v1/catalogue/items/", f"/api/v1/catalogue/items/{item.code}/"]),
        (citizen, ["/api/v1/applications/", "/api/v1/notifications/"]),
    ):
        context = _context(browser, live_server, user)
        watch = Watch(context)
        for path in paths:
            watch.visit(path)
            expect(watch.page.locator(".response-info pre")).to_be_visible()
        if user is None:
            watch.visit("/api/v1/catalogue/items/")
            filters = watch.page.locator("button[data-target='#filtersModal']")
            assert filters.evaluate("b => getComputedStyle(b).float") == "right"
            key = watch.page.locator(".response-info pre .str").first  # a highlighted string
            assert key.evaluate("e => getComputedStyle(e).color") != "rgb(0, 0, 0)"
        found += watch.found
        context.close()
    assert found == [], "\n".join(found)


def test_public_and_citizen_pages_break_no_policy(browser, live_server, citizen, department):
    """Every public page and a citizen's own pages: 0 CSP violations, 0 console errors."""
    samples = _seed()
    plain, _ = public_routes()
    public = [*_html_pages(plain), SEARCH, reverse("staff-login"), *samples.values()]
    assert "/" in public and len(public) >= 20
    guide = guide_for(department)
    application = ApplicationFactory(guide=guide, applicant=citizen)
    bundle = PublishedBundleFactory(lead_department=department)

    context = _context(browser, live_server)
    watch = Watch(context)
    for path in public:
        watch.visit(path)
    context.close()

    context = _context(browser, live_server, citizen)
    watch_citizen = Watch(context)
    for path in (
        reverse("applications:new", args=[guide.item.code]),
        reverse("applications:list"),
        reverse("applications:detail", args=[application.pk]),
        reverse("catalogue:bundle", args=[bundle.code]),
        reverse("notifications:list"),
        reverse("accounts:profile"),
        reverse("policies:mine"),
        reverse("reviews:mine"),
    ):
        watch_citizen.visit(path)
    context.close()

    found = watch.found + watch_citizen.found
    assert found == [], "\n".join(found)


def test_staff_console_breaks_no_policy(
    browser, live_server, window_staff, hotline_operator, system_admin, department
):
    """The staff console as the staff who use it: 0 CSP violations, 0 console errors; the
    scripts moved out of the templates still work (the guide editor's live preview fills
    its frame, the intake screen's assistant box answers)."""
    application = ApplicationFactory(guide=guide_for(department))
    build_hall(
        department=department, manager=system_admin, staff=[window_staff], day=timezone.localdate()
    )
    console = "/admin/applications/application/"
    found: list[str] = []

    context = _context(browser, live_server, window_staff)
    watch = Watch(context)
    for path in (
        console,
        f"{console}queue/",
        f"{console}window-create/",
        f"{console}{application.pk}/change/",
        reverse("halls:my_windows"),
    ):
        watch.visit(path)
    found += watch.found
    context.close()

    context = _context(browser, live_server, hotline_operator)
    watch = Watch(context)
    watch.visit("/admin/hotline/ticket/intake/")
    watch.page.get_by_label("来电人的问题").fill("孩子出生了要办什么")
    watch.page.locator("#assistant-intake-ask").click()
    expect(watch.page.locator("#assistant-intake-answer")).not_to_be_empty()
    watch.visit("/admin/hotline/ticket/queue/")
    watch.visit("/admin/hotline/ticket/analysis/")
    watch.collect("hotline")
    found += watch.found
    context.close()

    context = _context(browser, live_server, system_admin)
    watch = Watch(context)
    draft = ServiceGuide.objects.filter(item=application.guide.item).first()
    watch.visit(f"/admin/catalogue/serviceguide/{draft.pk}/change/")
    preview = watch.page.frame_locator("#form-preview")
    expect(preview.locator("main")).to_be_visible()
    watch.collect("guide editor with its preview")
    watch.visit("/admin/catalogue/serviceitem/worklist/")
    found += watch.found
    context.close()

    assert found == [], "\n".join(found)


@pytest.mark.parametrize("width", [1366, 390])
def test_dashboard_charts_break_no_policy(browser, live_server, department, width, screenshot):
    """The supervisors' dashboard draws its ECharts charts (styles set through the CSSOM,
    which CSP allows) and shows a tooltip on hover with 0 violations."""
    for index, d in enumerate([department, DepartmentFactory(name="市民政局")]):
        staff = StaffFactory(departments=[d], full_name=f"窗口{index}号")
        window = window_for(d, number=f"0{index + 1}")
        item = item_for(d)
        for level in ["very_satisfied"] * 5 + ["dissatisfied"] * (1 + 2 * index):
            review(d, UserFactory(), level, item=item, window=window, staff=staff)
    supervisor = StaffFactory(username="csp-supervisor", role=Role.SUPERVISOR)

    context = _context(browser, live_server, supervisor, width)
    watch = Watch(context)
    watch.visit(reverse("dashboard:home"))
    trend = watch.page.locator("#panel-reviews-trend")
    expect(trend).to_have_attribute("data-drawn", "1")
    levels = watch.page.locator("#panel-reviews-levels .db-chart canvas")
    expect(levels).to_have_count(1)
    box = levels.bounding_box()
    levels.scroll_into_view_if_needed()
    box = levels.bounding_box()
    watch.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 10)
    bars = watch.page.locator("#panel-reviews-departments .db-chart canvas")
    bars.scroll_into_view_if_needed()
    box = bars.bounding_box()
    watch.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    watch.page.wait_for_timeout(800)
    screenshot(watch.page, f"dashboard-csp-{width}")
    watch.collect("dashboard")
    watch.visit(reverse("dashboard:report"))
    context.close()

    assert watch.found == [], "\n".join(watch.found)
