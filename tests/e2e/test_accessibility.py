"""Accessibility, measured (issue #17, DOMAIN Q1): axe-core scans every public page for
WCAG 2.1 A and AA, in normal and large-text (长辈版/大字模式) mode, at desktop and phone
widths, and finds nothing.

The pages come from the URL conf itself: every pattern without parameters that an anonymous
visitor gets as an HTML page, plus one sample per parameterised public pattern. A new
parameterised pattern must be given a sample here or be named as not a public page, so a new
page cannot escape the scan."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from apps.accounts.roles import Role
from apps.catalogue.models import ServiceItem
from apps.halls import services as hall_services
from apps.halls.models import Slot
from apps.halls.views.public import ticket_url
from apps.reviews.services.events import counter_key, event_token, window_event_open
from tests.accounts.factories import DepartmentFactory, StaffFactory
from tests.applications.factories import (
    ApplicationFactory,
    GuideFactory,
    GuideMaterialFactory,
    ServiceItemFactory,
    guide_for,
)
from tests.catalogue.factories import (
    PublicBundleStepFactory,
    PublicGuideMaterialFactory,
    PublicGuideStepFactory,
    PublicTopicFactory,
    PublishedBundleFactory,
    published_item,
)
from tests.halls.conftest import build_hall
from tests.hotline.factories import published_article
from tests.pledges.factories import pledge_guide
from tests.policies.factories import PolicyFactory
from tests.reviews.factories import window_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
MODES = ["normal", "large"]  # large: 长辈版/大字模式, the reader's remembered choice
WIDTHS = [1366, 390]
SEARCH = "/search/?q=食品"  # a search with results: highlighted keywords

# The verification page for a token that names no document answers 404 with its own page.
UNKNOWN_DOCUMENT = "/verify/no-such-token/"
NOT_FOUND_PAGES = {UNKNOWN_DOCUMENT, f"/en{UNKNOWN_DOCUMENT}"}

# Whole parts of the URL conf that are not public pages: the staff admin site, the JSON API
# (its Swagger page is the third-party drf-spectacular UI) and the Open311 feed.
NOT_PAGES_PREFIXES = ("admin/", "api/", "open311/")

# Parameterised patterns that are not public pages: they need a signed-in owner, or they
# answer with a file or JSON. Every other parameterised pattern needs a sample below.
NOT_PUBLIC = {
    "catalogue:result_sample": "file download",
    "catalogue:material_file": "file download",
    "catalogue:form_printable": "PDF",
    "catalogue:region_children": "JSON",
    "dashboard:panel": "staff JSON",
    "dashboard:export": "staff file export",
    "applications:*": "the applicant's own cases, signed in",
    "policies:claim": "signed-in company or person",
    "policies:decline": "signed-in company or person",
    "policies:notice": "signed-in company or person (PDF)",
    "notifications:detail": "the recipient's own inbox",
    "reviews:rate": "signed-in reviewer",
    "reviews:follow_up": "signed-in reviewer",
    "halls:book": "signed-in citizen (POST only)",
    "halls:appointment": "the citizen's own appointment, signed in",
    "halls:cancel": "the citizen's own appointment, signed in (POST only)",
    "halls:screen_feed": "JSON",
    "halls:desk": "window staff",
    "halls:desk_action": "window staff (POST only)",
    "halls:hard_case": "staff",
    "halls:opinion": "staff or the signed-in citizen who wrote it",
    "halls:assistance_record": "window staff (POST only)",
    "halls:assistance_authorisation": "a scanned file for the staff and the signed-in applicant",
    "halls:hand_out": "window staff (POST only)",
    "pledges:start": "signed-in applicant",
    "tolerance:*": "the applicant's own case or staff (POST only)",
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, route, ns)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name}" if entry.name else "", entry.pattern


def public_routes() -> tuple[list[str], list[str]]:
    """The routes of the URL conf outside the staff, API and feed parts: (paths of the
    patterns without parameters, names of the parameterised ones)."""
    plain, parameterised = [], []
    for route, name, pattern in _walk(get_resolver()):
        if route.startswith(NOT_PAGES_PREFIXES) or not name:
            continue
        if getattr(pattern, "converters", None) or "<" in route or "(?P" in route:
            parameterised.append(name)
        else:
            plain.append(reverse(name))
    return sorted(set(plain)), sorted(set(parameterised))


def _not_public(name: str) -> bool:
    return name in NOT_PUBLIC or f"{name.split(':')[0]}:*" in NOT_PUBLIC


def _seed() -> dict[str, str]:
    """A small public catalogue, one policy, one service window, one hall with a ticket and
    one knowledge article; returns one sample URL per parameterised public pattern."""
    market = DepartmentFactory(code="SCJGJ", name="市市场监督管理局", short_name="市场监管")
    topic = PublicTopicFactory(code="company_open", name="开办企业")
    food = published_item(
        "食品经营许可",
        keywords="食品,餐饮",
        item={"code": "350100-SCJGJ-XK-0001", "competent_department": market, "topics": [topic]},
        promised_time_limit_days=5,
        legal_time_limit_days=20,
        result_name="食品经营许可证",
    )
    guide = food.guides.get()
    PublicGuideMaterialFactory(guide=guide, order=1, name="食品经营许可申请书", originals=1)
    PublicGuideStepFactory(guide=guide, order=1, name="申请")
    bundle = PublishedBundleFactory(code="open-restaurant", name="我要开餐馆")
    PublicBundleStepFactory(bundle=bundle, item=food, stage=1)
    policy = PolicyFactory(code="ZC202600001", department=market)
    window = window_for(market, "3")
    staff = StaffFactory(username="a11y-window", role=Role.WINDOW_STAFF, departments=[market])
    event = window_event_open(actor=staff, window=window, department=market, item=food)
    hall = _seed_hall(market)
    article = published_article(department=market, title="电动自行车上牌")
    return {
        "catalogue:audience": reverse("catalogue:audience", args=["person"]),
        "catalogue:item_type": reverse("catalogue:item_type", args=["licensing"]),
        "catalogue:department": reverse("catalogue:department", args=[market.code]),
        "catalogue:topic": reverse("catalogue:topic", args=[topic.code]),
        "catalogue:item": reverse("catalogue:item", args=[food.code]),
        "catalogue:bundle": reverse("catalogue:bundle", args=[bundle.code]),
        "policies:detail": reverse("policies:detail", args=[policy.code]),
        "reviews:window": reverse("reviews:window", args=[window.pk]),
        "reviews:token_rate": reverse("reviews:token_rate", args=[event_token(event)]),
        "reviews:counter": reverse("reviews:counter", args=[counter_key(window)]),
        "documents:verify": UNKNOWN_DOCUMENT,
        "halls:hall": f"{reverse('halls:hall', args=[hall.hall.pk])}?item={hall.item.pk}",
        "halls:kiosk": reverse("halls:kiosk", args=[hall.hall.pk]),
        "halls:screen": reverse("halls:screen", args=[hall.hall.pk]),
        "halls:ticket": ticket_url(hall.ticket),
        "halls:window": reverse("halls:window", args=[hall.windows[0].pk]),
        "halls:desk_card": reverse("halls:desk_card", args=[hall.windows[0].pk]),
        "assistant:article": reverse("assistant:article", args=[article.pk]),
    }


def _seed_hall(department):
    """A hall with two window groups, staff on duty today, open slots and one walk-in ticket."""
    manager = StaffFactory(username="a11y-hall", role=Role.SUPERVISOR)
    on_duty = [
        StaffFactory(username=f"a11y-desk{n}", role=Role.WINDOW_STAFF, departments=[department])
        for n in (1, 2)
    ]
    today = timezone.localdate()
    hall = build_hall(department=department, manager=manager, staff=on_duty, day=today)
    hall_services.slots_open(hall=hall.hall, start=today, days=2)
    hall.ticket = hall_services.ticket_take(hall=hall.hall, item=hall.item)
    return hall


def _html_pages(paths: list[str]) -> list[str]:
    """The paths an anonymous visitor gets as an HTML page (a redirect to the login page,
    a 405 for a POST-only action or a JSON answer is not a public page)."""
    client = Client()
    pages = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(path)
    return pages


def _describe(violation: dict) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    suffix = f" (+{more} more)" if more > 0 else ""
    return f"{violation['id']} [{violation['impact']}] {targets}{suffix}"


def _session_cookie(user, url: str) -> dict:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}


def _scan(browser, live_server, pages_by_user: dict, screenshot=None, samples=None):
    """Scan each page once per mode, at every width; ``pages_by_user`` maps a user (or ""
    for an anonymous visitor) to the paths it visits. Returns (violations, scans)."""
    axe = Axe()
    found: list[str] = []
    scans = 0
    for mode in MODES:
        for user, paths in pages_by_user.items():
            # One context per mode and visitor; each page is loaded once and scanned at
            # every width (the layout follows the viewport through media queries).
            context = browser.new_context(
                locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url
            )
            cookies = [_session_cookie(user, live_server.url)] if user else []
            if mode == "large":
                cookies.append({"name": "a11y", "value": "1", "url": live_server.url})
            context.add_cookies(cookies)
            context.add_init_script(script=axe.axe_script)
            page = context.new_page()
            page.set_default_timeout(15_000)
            for path in paths:
                response = page.goto(path)
                assert response.status < 400 or path in NOT_FOUND_PAGES, (path, response.status)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    results = page.evaluate("opts => axe.run(document, opts)", AXE_OPTIONS)
                    scans += 1
                    for violation in results["violations"]:
                        found.append(f"{mode} {width}px {path}: {_describe(violation)}")
            if screenshot and samples:
                shots = [
                    ("bundle", samples["catalogue:bundle"]),  # styles the scan made us change
                    ("search", SEARCH),
                    ("hall", samples["halls:hall"]),  # the new apps' layouts, to look at
                    ("window", samples["halls:window"]),
                ]
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    for name, path in shots:
                        page.goto(path)
                        screenshot(page, f"{name}-{mode}-{width}")
            context.close()
    return found, scans


def test_every_parameterised_route_is_scanned_or_named_not_public(db):
    """A new parameterised page must get a sample in _seed() or a reason in NOT_PUBLIC."""
    samples = _seed()
    _, parameterised = public_routes()
    unclassified = [n for n in parameterised if n not in samples and not _not_public(n)]
    assert unclassified == []


def test_public_pages_have_no_wcag_violations(browser, live_server, screenshot):
    """DOMAIN Q1: 0 axe-core violations at WCAG 2.1 A/AA on every public page, in normal and
    large-text mode, at 1366 px and 390 px."""
    samples = _seed()
    plain, _ = public_routes()
    # The staff sign-in page sits in the admin part but anyone can open it.
    pages = [*_html_pages(plain), SEARCH, reverse("staff-login"), *samples.values()]
    assert "/" in pages and len(pages) >= 20

    started = time.monotonic()
    found, scans = _scan(browser, live_server, {"": pages}, screenshot, samples)
    print(f"{scans} axe scans of {len(pages)} pages in {time.monotonic() - started:.0f} s:", *pages)
    print("\n".join(found))
    assert found == [], f"{len(found)} axe-core violations:\n" + "\n".join(found)


def test_staff_console_pages_have_no_wcag_violations(
    browser, live_server, window_staff, approver, supervisor, department
):
    """The applications app's staff console (worklist, queue, application page, window
    intake, supervision), the hall desk, 办不成事, 意见, the 容缺 figures and the assistant's
    worklist, as the staff who use them: 0 violations at WCAG 2.1 A/AA."""
    application = ApplicationFactory(guide=guide_for(department))
    hall = build_hall(
        department=department, manager=supervisor, staff=[window_staff], day=timezone.localdate()
    )
    desk = hall.windows[0].pk
    console = "/admin/applications/application/"
    pages_by_user = {
        window_staff: [
            console,
            f"{console}queue/",
            f"{console}window-create/",
            f"{console}{application.pk}/change/",
            reverse("halls:my_windows"),
            reverse("halls:desk", args=[desk]),
            reverse("halls:hard_cases"),
        ],
        approver: [console, f"{console}{application.pk}/change/"],
        supervisor: [
            f"{console}supervision/",
            f"{console}supervision/?list=overdue",
            reverse("tolerance:figures"),
            reverse("assistant:worklist"),
            reverse("halls:opinions"),
        ],
    }
    started = time.monotonic()
    found, scans = _scan(browser, live_server, pages_by_user)

    print(f"{scans} axe scans of staff pages in {time.monotonic() - started:.0f} s")
    print("\n".join(found))
    assert found == [], f"{len(found)} axe-core violations:\n" + "\n".join(found)


def test_citizen_pages_have_no_wcag_violations(browser, live_server, citizen, department):
    """A signed-in citizen's own pages (apply, my applications, one application, inbox,
    profile, my policies, my reviews, my appointments, one appointment, a pledge, my credit
    records): 0 violations at WCAG 2.1 A/AA."""
    item = ServiceItemFactory(competent_department=department)
    guide = GuideFactory(item=item, promised_time_limit_days=5, legal_time_limit_days=20)
    GuideMaterialFactory(guide=guide, order=1, name="申请书", electronic_formats="pdf,png")
    application = ApplicationFactory(guide=guide, applicant=citizen)
    hall = _seed_hall(department)
    slot = Slot.objects.filter(group=hall.departmental, day__gt=timezone.localdate()).first()
    booked = hall_services.appointment_book(citizen=citizen, slot_id=slot.pk, item=hall.item)
    pledged = pledge_guide(department)
    pages_by_user = {
        citizen: [
            reverse("applications:new", args=[item.code]),
            reverse("applications:list"),
            reverse("applications:detail", args=[application.pk]),
            reverse("notifications:list"),
            reverse("accounts:profile"),
            reverse("policies:mine"),
            reverse("reviews:mine"),
            reverse("halls:mine"),
            reverse("halls:appointment", args=[booked.code]),
            reverse("pledges:start", args=[pledged.item.code]),
            reverse("pledges:credit"),
        ]
    }
    started = time.monotonic()
    found, scans = _scan(browser, live_server, pages_by_user)

    print(f"{scans} axe scans of citizen pages in {time.monotonic() - started:.0f} s")
    print("\n".join(found))
    assert found == [], f"{len(found)} axe-core violations:\n" + "\n".join(found)


def test_english_pages_have_no_wcag_violations(browser, live_server, screenshot):
    """Issue #17, English edition: the English home, search, item pages (one with an
    English name, one marked Chinese only), bundle and verification pages declare
    ``lang="en"`` and have 0 violations at WCAG 2.1 A/AA."""
    samples = _seed()
    food = ServiceItem.objects.get(code="350100-SCJGJ-XK-0001")
    ServiceItem.objects.filter(pk=food.pk).update(
        name_en="Food business licence", summary_en="A licence to sell or serve food."
    )
    chinese_only = published_item(
        "食品经营许可注销", item={"competent_department": food.competent_department}
    )
    pages = [
        "/en/",
        f"/en{SEARCH}",
        f"/en{samples['catalogue:item']}",
        f"/en{reverse('catalogue:item', args=[chinese_only.code])}",
        f"/en{samples['catalogue:bundle']}",
        f"/en{reverse('catalogue:audience', args=['person'])}",
        f"/en{UNKNOWN_DOCUMENT}",
    ]
    client = Client()
    # The test client's /en/ requests activate English in this thread: restore Chinese.
    with translation.override(settings.LANGUAGE_CODE):
        for path in pages:
            html = client.get(path).content.decode()
            assert '<html lang="en"' in html, path
    found, scans = _scan(browser, live_server, {"": pages})
    print(f"{scans} axe scans of English pages:", *pages)
    print("\n".join(found))
    assert found == [], f"{len(found)} axe-core violations:\n" + "\n".join(found)
