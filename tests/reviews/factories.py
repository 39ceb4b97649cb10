"""Helpers for review tests: service events, windows, decided applications and reviews,
all made through the real services."""

from __future__ import annotations

import itertools
from datetime import datetime

from apps.accounts.models import ServiceWindow
from apps.applications import services as application_services
from apps.applications.workflow import State
from apps.reviews import services
from apps.reviews.models import Review, ServiceEvent
from apps.reviews.workflow import Channel, EventKind
from tests.accounts.factories import ServiceCenterFactory
from tests.applications.factories import ServiceItemFactory, accepted_application, guide_for

_refs = itertools.count(1)


def window_for(department, number: str = "1") -> ServiceWindow:
    window = ServiceWindow.objects.create(
        center=ServiceCenterFactory(), number=number, name=f"{number}号综合窗口"
    )
    window.departments.add(department)
    return window


def item_for(department):
    return ServiceItemFactory(competent_department=department)


def event_for(
    department,
    *,
    subject=None,
    item=None,
    window=None,
    staff=None,
    kind: str = EventKind.OTHER,
) -> ServiceEvent:
    return services.review_event_open(
        kind=kind,
        reference=f"test-{next(_refs)}",
        department=department,
        item=item,
        window=window,
        staff=staff,
        subject=subject,
    )


def review(
    department,
    reviewer,
    level: str = "satisfied",
    *,
    channel: str = Channel.MOBILE,
    anonymous: bool = False,
    at: datetime | None = None,
    item=None,
    window=None,
    staff=None,
    tags=("attitude",),
    text: str = "窗口人员态度冷淡，解释不清。",
) -> Review:
    """A review given by ``reviewer`` for a fresh event of theirs."""
    event = event_for(department, subject=reviewer, item=item, window=window, staff=staff)
    bad = level in ("dissatisfied", "very_dissatisfied")
    return services.review_submit(
        event_id=event.pk,
        channel=channel,
        level=level,
        tags=tags if bad else (),
        text=text if bad else "",
        reviewer=reviewer,
        anonymous=anonymous,
        at=at,
    )


def decided_application(applicant, department, approver):
    """An application of ``applicant`` to ``department`` approved by ``approver`` through
    the real closing service (which invites the review)."""
    application = accepted_application(
        guide=guide_for(department), applicant=applicant, state=State.UNDER_REVIEW
    )
    return application_services.application_approve(
        application_id=application.pk, actor=approver, result_text="准予许可。"
    )
