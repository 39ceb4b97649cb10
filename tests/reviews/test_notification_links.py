"""Every link a reviews notification carries opens for the person it was sent to: the
invitation, the department's new bad review, reminders and escalations, 督办, the
reviewer's outcome, appeals filed and decided (DOMAIN R1, R3, R4)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from apps.notifications.models import Notification
from apps.reviews import services
from apps.reviews.workflow import Outcome
from tests.reviews.factories import decided_application, review

SH = ZoneInfo("Asia/Shanghai")


def test_every_reviews_notification_link_opens_for_its_recipient(
    client, department, citizen, other_citizen, window_staff, approver, supervisor
):
    decided_application(citizen, department, approver)
    with time_machine.travel(datetime(2025, 3, 14, 19, 30, tzinfo=SH), tick=False):
        late = review(department, citizen, "dissatisfied").case
        handled = review(department, other_citizen, "very_dissatisfied").case
    services.supervise_review_cases(today=date(2025, 3, 17))
    services.supervise_review_cases(today=date(2025, 3, 18))
    services.case_supervise(case_id=late.pk, actor=supervisor, note="请尽快回访。")
    services.case_record_callback(
        case_id=handled.pk, actor=window_staff, outcome=Outcome.FIXED_NOW, note="已处理。"
    )
    appeal = services.appeal_file(
        review_id=late.review_id, actor=approver, ground="misdirected", reason="非本部门。"
    )
    services.appeal_decide(appeal_id=appeal.pk, actor=supervisor, upheld=False, note="不成立。")

    notifications = list(Notification.objects.exclude(link="").select_related("recipient"))
    titles = {n.title for n in notifications}
    assert {
        "请对本次服务作出评价",
        "收到差评，请及时回访核实",
        "差评整改即将到期",
        "差评整改已逾期，请督办",
        "差评整改督办",
        "您的评价已核实处理",
        "有新的评价申诉待复核",
        "评价申诉复核结果：申诉不成立",
    } <= titles
    for notification in notifications:
        client.force_login(notification.recipient)
        response = client.get(notification.link)
        assert response.status_code == 200, (notification.title, notification.link)
