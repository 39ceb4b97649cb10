"""Demo halls for ``manage.py seed_demo`` (issue #15), made through the real services: the
accounts demo's three service centres get their hours, window groups (a comprehensive
window everywhere; departmental, 帮办代办/绿色通道 and 办不成事 windows in the city centre),
延时/错峰 hours, a rota for the coming working days, free slots, a morning's queue in the
city centre (some served), an appointment for the demo citizen, one 办不成事 case and — when
the demo is loaded during the rota's hours — one decided case taken in at the comprehensive
window, waiting there to be handed out (A11 综合窗口出件), and the demo citizen's 退休一件事
submitted, its second stage waiting for the first (C8).

Idempotent: a hall that already has window groups is left as it is.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.demo import CITY_CENTER_CODE, COUNTY_CENTER_CODE, VILLAGE_STATION_CODE
from apps.accounts.models import ServiceCenter, ServiceWindow, User
from apps.applications import services as application_services
from apps.applications.demo import DEMO_PDF, fill_draft
from apps.applications.models import Application, BundleApplication
from apps.catalogue.models import Bundle, ServiceGuide, ServiceItem
from apps.common.errors import ApplicationError
from apps.halls import selectors, services
from apps.halls.models import HallProfile, HandOut, Slot, Ticket
from apps.halls.services._base import local_now
from apps.halls.workflow import HoursKind, WindowKind
from apps.workdays.calendar import is_workday

# (letter, name, kind, window numbers, department codes of the items it lists)
CITY_GROUPS = [
    ("A", "综合受理", WindowKind.COMPREHENSIVE, ["01"], []),
    ("B", "市场主体登记", WindowKind.DEPARTMENTAL, ["02"], ["SCJGJ"]),
    ("C", "户政出入境", WindowKind.DEPARTMENTAL, ["03"], ["GAJ"]),
    ("D", "社保就业", WindowKind.DEPARTMENTAL, ["04"], ["RSJ", "YBJ"]),
    ("E", "税务", WindowKind.DEPARTMENTAL, ["05"], ["SWJ"]),
    ("F", "不动产与工程建设", WindowKind.DEPARTMENTAL, ["06"], ["ZRZYJ", "ZJJ"]),
    ("G", "帮办代办（绿色通道）", WindowKind.ASSISTED, ["07"], []),
    ("H", "“办不成事”反映", WindowKind.HARD_CASE, ["08"], []),
]
NEW_WINDOWS = {"07": "帮办代办（绿色通道）窗口", "08": "“办不成事”反映窗口"}
# The demo's working day runs long so the queue can be called whenever the demo is opened.
SHIFT = (datetime.time(7, 0), datetime.time(22, 0))


def _items(codes: list[str]) -> list[ServiceItem]:
    published = ServiceGuide.objects.filter(status=ServiceGuide.Status.PUBLISHED)
    return list(
        ServiceItem.objects.filter(
            implementing_department__code__in=codes,
            is_active=True,
            guides__in=published,
        )
        .distinct()
        .order_by("code")[:12]
    )


def _window(center: ServiceCenter, number: str, name: str) -> ServiceWindow:
    window, _ = ServiceWindow.objects.get_or_create(
        center=center, number=number, defaults={"name": name}
    )
    return window


def _city(admin: User, center: ServiceCenter) -> HallProfile:
    hall = services.hall_configure(actor=admin, center=center)
    for letter, name, kind, numbers, codes in CITY_GROUPS:
        group = services.group_create(
            actor=admin,
            hall=hall,
            name=name,
            letter=letter,
            kind=kind,
            items=_items(codes),
            capacity_per_slot=0 if kind == WindowKind.HARD_CASE else 3,
        )
        for number in numbers:
            window = _window(center, number, NEW_WINDOWS.get(number, name))
            window.departments.set(
                center.departments.all() if not codes else window.departments.all()
            )
            services.window_place(actor=admin, window=window, group=group)
    some = _items(["SCJGJ", "GAJ"])[:4]
    services.hours_publish(
        actor=admin,
        hall=hall,
        kind=HoursKind.EXTENDED,
        weekday=2,
        opens=datetime.time(17, 0),
        closes=datetime.time(19, 0),
        place="一楼综合受理区",
        items=some,
    )
    services.hours_publish(
        actor=admin,
        hall=hall,
        kind=HoursKind.OFF_PEAK,
        weekday=5,
        opens=datetime.time(9, 0),
        closes=datetime.time(12, 0),
        place="一楼综合受理区",
        items=some,
    )
    return hall


def _small(admin: User, center: ServiceCenter, codes: list[str]) -> HallProfile:
    hall = services.hall_configure(actor=admin, center=center)
    group = services.group_create(
        actor=admin,
        hall=hall,
        name="综合受理",
        letter="A",
        kind=WindowKind.COMPREHENSIVE,
        items=_items(codes),
        capacity_per_slot=2,
    )
    window = _window(center, "01", "综合受理窗口")
    window.departments.set(center.departments.all())
    services.window_place(actor=admin, window=window, group=group)
    return hall


def _rota(admin: User, center: ServiceCenter, today: datetime.date) -> None:
    staff = {u.username: u for u in User.objects.filter(username__in=["window_scjg", "window_gaj"])}
    places = [("window_scjg", "01", "综合窗口受理"), ("window_gaj", "03", "户政窗口受理")]
    day, found = today, 0
    while found < 5:
        if is_workday(day) or day == today:
            found += 1
            for username, number, post in places:
                person = staff.get(username)
                window = ServiceWindow.objects.filter(center=center, number=number).first()
                if person is None or window is None:
                    continue
                services.shift_add(
                    actor=admin,
                    window=window,
                    staff=person,
                    day=day,
                    starts=SHIFT[0],
                    ends=SHIFT[1],
                    post=post,
                )
        day += datetime.timedelta(days=1)


def _morning_queue(hall: HallProfile) -> None:
    """A dozen numbers at the city centre; the comprehensive window serves three."""
    if Ticket.objects.filter(hall=hall, day=local_now().date()).exists():
        return
    item = ServiceItem.objects.filter(window_groups__hall=hall).order_by("code").first()
    if item is None:
        return
    reasons = ["", "", "elderly", "", "", "pregnant", "", "", "", "disabled", "", ""]
    for reason in reasons:
        services.ticket_take(hall=hall, item=item, green_reason=reason)
    services.ticket_take(hall=hall, group=hall.groups.get(letter="C"))
    staff = User.objects.filter(username="window_scjg").first()
    window = ServiceWindow.objects.filter(center=hall.center, number="01").first()
    if staff is None or window is None:
        return
    if not selectors.is_on_duty(staff=staff, window=window, at=timezone.now()):
        return
    for _n in range(3):
        if services.ticket_call_next(actor=staff, window=window) is None:
            break
        services.ticket_finish(actor=staff, window=window)


def _appointment(hall: HallProfile) -> None:
    citizen = User.objects.filter(username="demo_citizen").first()
    if citizen is None or selectors.active_appointments(citizen=citizen).exists():
        return
    item = ServiceItem.objects.filter(window_groups__hall=hall).order_by("code").first()
    if item is None:
        return
    free = selectors.free_slots(
        item=item, hall=hall, after=timezone.now() + datetime.timedelta(days=1)
    )
    if free:
        services.appointment_book(citizen=citizen, slot_id=free[0].pk, item=item)


def _hard_case(admin: User, hall: HallProfile) -> None:
    if hall.hard_cases.exists():
        return
    staff = User.objects.filter(username="window_scjg").first() or admin
    services.hard_case_open(
        actor=staff,
        hall=hall,
        contact_name="王小明",
        problem="办理个体工商户变更时被要求提供房东的房产证原件，指南未列此项，跑了两次没办成。",
        cause="extra_conditions",
        item=ServiceItem.objects.filter(window_groups__hall=hall).order_by("code").first(),
    )


HAND_OUT_KEY = "demo-hand-out"


def _hand_out_item() -> ServiceGuide | None:
    """A 市场监管 item taken in at a window on PDF scans alone (no online form to fill)."""
    guides = ServiceGuide.objects.filter(
        status=ServiceGuide.Status.PUBLISHED,
        window_available=True,
        item__implementing_department__code="SCJGJ",
        item__target__in=["natural_person", "both"],
        item__is_active=True,
        application_form={},
    ).order_by("item__code")
    for guide in guides[:10]:
        formats = [m.electronic_formats.lower() for m in guide.materials.all()]
        if all("pdf" in f for f in formats):
            return guide
    return None


def _pending_hand_out() -> None:
    """A decided case taken in at comprehensive window 01 (A11), back there for handing out.
    Made through the real services; only while window_scjg is on the rota (07:00–22:00)."""
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    staff, approver = users.get("window_scjg"), users.get("approver_scjg")
    citizen = users.get("demo_citizen")
    guide = _hand_out_item()
    if None in (staff, approver, citizen, guide) or HandOut.objects.exists():
        return
    if Application.objects.filter(idempotency_key=HAND_OUT_KEY).exists():
        return
    assert staff is not None and approver is not None and citizen is not None
    assert guide is not None
    materials = [
        (m.pk, SimpleUploadedFile(f"{m.name}.pdf", DEMO_PDF, "application/pdf"))
        for m in guide.materials.all()
    ]
    try:
        with transaction.atomic():
            application = application_services.application_window_create(
                actor=staff,
                applicant_id=citizen.pk,
                item_id=guide.item_id,
                idempotency_key=HAND_OUT_KEY,
                materials=materials,
            )
            application_services.application_accept(application_id=application.pk, actor=staff)
            application_services.application_start_review(
                application_id=application.pk, actor=staff
            )
            application_services.application_approve(
                application_id=application.pk,
                actor=approver,
                result_text="经审查，符合法定条件，准予许可。",
            )
    except ApplicationError:
        return  # the demo catalogue changed; the rest of the demo stands without it


SERIAL_BUNDLE_CODE = "YJS-TX"  # 退休一件事: 退休审批 first, then the pension and medical steps


def _serial_bundle() -> None:
    """C8: the demo citizen's 一件事 submitted; the later stage waits for the first."""
    citizen = User.objects.filter(username="demo_citizen", is_active=True).first()
    bundle = Bundle.objects.filter(code=SERIAL_BUNDLE_CODE, status=Bundle.Status.PUBLISHED).first()
    if citizen is None or bundle is None:
        return
    if BundleApplication.objects.filter(bundle=bundle, applicant=citizen).exists():
        return
    try:
        with transaction.atomic():
            group = application_services.application_bundle_create_drafts(
                actor=citizen, bundle_id=bundle.pk
            )
            for member in group.members.select_related("guide").order_by("pk"):
                fill_draft(member, citizen)
            application_services.application_bundle_submit(
                bundle_application_id=group.pk, actor=citizen
            )
    except ApplicationError:
        return  # the demo catalogue changed; the rest of the demo stands without it


def seed_demo(*, stdout: TextIO | None = None) -> None:
    admin = User.objects.filter(username="admin").first()
    centers = {
        c.code: c
        for c in ServiceCenter.objects.filter(
            code__in=[CITY_CENTER_CODE, COUNTY_CENTER_CODE, VILLAGE_STATION_CODE]
        )
    }
    if admin is None or len(centers) < 3 or not ServiceItem.objects.exists():
        return
    today = local_now().date()
    with transaction.atomic():
        city = HallProfile.objects.filter(center=centers[CITY_CENTER_CODE]).first()
        if city is None or not city.groups.exists():
            city = _city(admin, centers[CITY_CENTER_CODE])
            _small(admin, centers[COUNTY_CENTER_CODE], ["GAJ", "RSJ", "MZJ", "YBJ"])
            _small(admin, centers[VILLAGE_STATION_CODE], ["MZJ", "YBJ"])
            _rota(admin, centers[CITY_CENTER_CODE], today)
        for hall in HallProfile.objects.all():
            services.slots_open(hall=hall, start=today)
        _hard_case(admin, city)
    _morning_queue(city)
    _appointment(city)
    _pending_hand_out()
    _serial_bundle()
    if stdout is not None:
        stdout.write(
            f"halls: {HallProfile.objects.count()} halls, {Slot.objects.count()} slots, "
            f"{Ticket.objects.filter(day=today).count()} numbers today, "
            f"{HandOut.objects.filter(handed_out_at__isnull=True).count()} results to hand out\n"
        )
