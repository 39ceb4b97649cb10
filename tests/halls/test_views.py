"""The public hall pages and the window staff's screen (DOMAIN C3, C9, A13, R5)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from apps.halls import services
from apps.halls.integrations import item_panel
from apps.halls.models import Appointment, Slot, Ticket
from apps.halls.workflow import TicketState
from tests.halls.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_item_page_shows_where_to_go_with_hours_and_next_slot_C9(setup, client, hall_manager):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    services.hours_publish(
        actor=hall_manager,
        hall=setup.hall,
        kind="extended",
        weekday=2,
        opens=datetime.time(17),
        closes=datetime.time(19),
        place="一楼综合窗口",
        items=[setup.item],
    )
    response = client.get(reverse("catalogue:item", args=[setup.item.code]))
    body = response.content.decode()
    assert "现场办理地点" in body and "市民服务中心" in body
    assert "延时服务：星期三 17:00-19:00（一楼综合窗口）" in body
    assert f"{TODAY:%Y-%m-%d} 10:00" in body  # 9:30 now: the 10:00 slot is the next one


def test_item_panel_query_count_is_constant_C9(setup, rf, django_assert_max_num_queries):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    item_panel(rf.get("/"), setup.guide)  # reads the items some group lists into the cache
    with django_assert_max_num_queries(4):
        panel = item_panel(rf.get("/"), setup.guide)
        assert len(panel.context["halls"]) == 1


def test_item_panel_of_an_item_no_hall_takes_in_is_one_query_C9(
    setup, rf, django_assert_max_num_queries
):
    """Most items are taken in at no hall yet: the panel asks once, not four times (issue 16:
    the guide page)."""
    setup.item.window_groups.clear()
    with django_assert_max_num_queries(1):
        panel = item_panel(rf.get("/"), setup.guide)
    assert panel.context["halls"] == []
    with django_assert_max_num_queries(0):  # the items some group lists come from the cache
        assert item_panel(rf.get("/"), setup.guide).context["halls"] == []


def test_item_page_shows_a_hall_as_soon_as_a_group_lists_the_item_C9(setup, client):
    """The cached set of items some group lists (issue 16) follows the groups at once: an
    item a group starts or stops listing shows or loses its hall on the next visit."""
    url = reverse("catalogue:item", args=[setup.item.code])
    setup.item.window_groups.clear()
    assert "暂无提供该事项现场办理的服务大厅信息" in client.get(url).content.decode()
    setup.departmental.items.add(setup.item)
    assert "市民服务中心" in client.get(url).content.decode()
    setup.item.window_groups.clear()
    assert "暂无提供该事项现场办理的服务大厅信息" in client.get(url).content.decode()


def test_citizen_books_from_the_hall_page_and_cancels_C3(setup, client, citizen):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    page = reverse("halls:hall", args=[setup.hall.pk])
    response = client.get(page, {"item": setup.item.pk})
    assert "登录后预约" in response.content.decode()
    client.force_login(citizen)
    slot = Slot.objects.filter(group=setup.departmental, day__gt=TODAY).first()
    response = client.post(
        reverse("halls:book", args=[setup.hall.pk]), {"item": setup.item.pk, "slot": slot.pk}
    )
    appointment = Appointment.objects.get(citizen=citizen)
    assert response.url == reverse("halls:appointment", args=[appointment.code])
    detail = client.get(response.url).content.decode()
    assert appointment.code in detail and "取消预约" in detail
    client.post(reverse("halls:cancel", args=[appointment.code]))
    appointment.refresh_from_db()
    assert appointment.state == "cancelled"


def test_other_people_cannot_see_an_appointment(setup, client, citizen, other_citizen):
    services.slots_open(hall=setup.hall, start=TODAY, days=2)
    slot = Slot.objects.filter(group=setup.departmental, day__gt=TODAY).first()
    appointment = services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    client.force_login(other_citizen)
    assert client.get(reverse("halls:appointment", args=[appointment.code])).status_code == 404
    client.post(reverse("halls:cancel", args=[appointment.code]))
    appointment.refresh_from_db()
    assert appointment.state == "booked"


def test_bad_booking_input_changes_nothing(setup, client, citizen):
    client.force_login(citizen)
    url = reverse("halls:book", args=[setup.hall.pk])
    assert client.post(url, {"item": "x", "slot": "y"}).status_code == 404
    response = client.post(url, {"item": setup.item.pk, "slot": "999999"})
    assert response.status_code == 302
    assert not Appointment.objects.exists()


def test_kiosk_gives_a_number_and_the_ticket_page_shows_the_queue_A13(setup, client):
    services.ticket_take(hall=setup.hall, item=setup.item)
    response = client.post(reverse("halls:kiosk", args=[setup.hall.pk]), {"item": setup.item.pk})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "A002" in page and "您前面还有 1 人等候" in page
    bad = client.post(reverse("halls:kiosk", args=[setup.hall.pk]), {"code": "NOPE1234"})
    assert "预约码无效" in bad.content.decode()
    assert client.get(reverse("halls:ticket", args=["forged"])).status_code == 404


def test_staff_call_and_the_call_screen_shows_it_A13(setup, client, window_staff, citizen):
    services.ticket_take(hall=setup.hall, item=setup.item)
    window = setup.windows[0]
    client.force_login(citizen)
    assert client.get(reverse("halls:desk", args=[window.pk])).status_code == 404
    client.force_login(window_staff)
    assert "1号窗口" in client.get(reverse("halls:my_windows")).content.decode()
    client.post(reverse("halls:desk_action", args=[window.pk, "call"]))
    desk = client.get(reverse("halls:desk", args=[window.pk])).content.decode()
    assert "A001" in desk
    feed = client.get(reverse("halls:screen_feed", args=[setup.hall.pk])).json()
    assert feed["calls"][0] | {"called_at": None} == {
        "id": Ticket.objects.get().pk,
        "number": "A001",
        "window": "1",
        "called_at": None,
        "count": 1,
        "state": "calling",
    }
    client.post(reverse("halls:desk_action", args=[window.pk, "finish"]))
    desk = client.get(reverse("halls:desk", args=[window.pk])).content.decode()
    assert "请办事人扫码评价本次服务" in desk and "data:image/png;base64," in desk
    assert Ticket.objects.get().state == TicketState.DONE
    assert client.post(reverse("halls:desk_action", args=[window.pk, "bogus"])).status_code == 404


def test_window_page_and_desk_card_show_who_is_on_duty_R5(setup, client, window_staff):
    page = client.get(reverse("halls:window", args=[setup.windows[0].pk])).content.decode()
    assert "孙窗口" in page and "窗口受理" in page and "data:image/png;base64," in page
    card = client.get(reverse("halls:desk_card", args=[setup.windows[0].pk])).content.decode()
    assert "孙窗口" in card and "1号窗口" in card
    empty = client.get(reverse("halls:window", args=[setup.windows[2].pk])).content.decode()
    assert "当前无人值班" in empty


def test_call_feed_and_my_appointments_run_a_constant_number_of_queries(
    setup, client, citizen, window_staff, django_assert_max_num_queries
):
    for _ in range(6):
        services.ticket_take(hall=setup.hall, item=setup.item)
        services.ticket_call_next(actor=window_staff, window=setup.windows[0])
        services.ticket_finish(actor=window_staff, window=setup.windows[0])
    with django_assert_max_num_queries(4):
        feed = client.get(reverse("halls:screen_feed", args=[setup.hall.pk])).json()
    assert len(feed["calls"]) == 6
    services.slots_open(hall=setup.hall, start=TODAY, days=4)
    days = Slot.objects.filter(day__gt=TODAY).values_list("day", flat=True).distinct()
    for day in sorted(set(days)):
        slot = Slot.objects.filter(group=setup.departmental, day=day).first()
        services.appointment_book(citizen=citizen, slot_id=slot.pk, item=setup.item)
    client.force_login(citizen)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("halls:mine"))
    assert page.content.decode().count("已预约") == 3
