"""Where the reviews app takes part in lower apps' pages and services, through their named
hooks (CONVENTIONS: hooks, not signals). Registered from :meth:`ReviewsConfig.ready`.

* ``applications.hooks.case_closed_listeners`` → :func:`invite_on_case_closed`: a decided
  application becomes a service event and the applicant is invited to rate it (R1);
* ``applications.hooks.applicant_panels`` → :func:`applicant_panel`: 服务评价 on the detail;
  ``applicant_page_flags`` → :func:`applicant_page_flags`: whether the case has a service
  event at all, asked with the page's other flags;
* ``applications.hooks.applicant_list_actions`` → :func:`list_actions`: 去评价 in 我的办件;
* ``applications.hooks.staff_panels`` → :func:`staff_panel`: 现场评价 for the window;
* ``catalogue.hooks.item_page_panels`` → :func:`item_panel`: the item's rating (R2).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import hooks as application_hooks
from apps.applications.models import Application
from apps.applications.workflow import State
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.models import ServiceGuide
from apps.notifications.services import notify
from apps.reviews.models import ServiceEvent
from apps.reviews.selectors import reviews as review_selectors
from apps.reviews.selectors import stats
from apps.reviews.services import review_event_open
from apps.reviews.workflow import EventKind

# A withdrawal is the applicant's own choice, not a service given: nothing to rate.
NOT_RATED = frozenset({State.WITHDRAWN})


def invite_on_case_closed(application: Application, actor: User | None) -> None:
    """R1 (一事一评): the decided application is one service event; the applicant is
    invited (inbox and SMS) with a link to rate it. Inside the closing transaction."""
    if application.state in NOT_RATED:
        return
    event = review_event_open(
        kind=EventKind.APPLICATION,
        reference=str(application.pk),
        department=application.department,
        item=application.item,
        staff=application.handled_by,
        subject=application.applicant,
        application=application,
    )
    notify(
        recipient=application.applicant,
        title=_("请对本次服务作出评价"),
        body=_("您申请的“%(item)s”（%(number)s）已办结，欢迎对本次服务作出评价。")
        % {"item": application.item.name, "number": application.number},
        category="review",
        link=reverse("reviews:rate", args=[event.pk]),
        channels=("inbox", "sms"),
        dedupe_key=f"review-invite:{event.pk}",
    )


def applicant_page_flags() -> dict:
    # Any service event of the case; the panel looks for its web event when there is one.
    return {"reviews_has_event": ServiceEvent}


def applicant_panel(request: HttpRequest, application: Application):
    """服务评价 on the applicant's page: 去评价 while unrated, the rating once given."""
    if not application_hooks.page_flag(application, "reviews_has_event"):
        return None
    event = review_selectors.events_by_application(application_ids=[application.pk]).get(
        application.pk
    )
    if event is None:
        return None
    review = getattr(event, "review", None)
    return application_hooks.Panel(
        template="reviews/_applicant_panel.html",
        context={"event": event, "review": review},
    )


def list_actions(
    request: HttpRequest, applications: Sequence[Application]
) -> dict[int, application_hooks.Action]:
    """去评价 beside every decided application of the page not rated yet (one query)."""
    decided = [a.pk for a in applications if a.decided_at is not None]
    if not decided:
        return {}
    events = review_selectors.unrated_events_by_application(application_ids=decided)
    if not events:
        return {}
    label = _("去评价")
    url = reverse("reviews:rate", args=[0]).replace("/0/", "/{}/")  # reversed once a page
    return {
        application_id: application_hooks.Action(label=label, url=url.format(event_id))
        for application_id, event_id in events.items()
    }


def staff_panel(request: HttpRequest, application: Application):
    """现场评价: window staff invite the person in front of them to rate this visit."""
    if not request.user.has_perm("reviews.open_window_event"):
        return None
    return application_hooks.Panel(
        template="reviews/admin/_staff_panel.html",
        context={
            "url": reverse("admin:reviews_serviceevent_window_open")
            + f"?application={application.pk}"
        },
    )


def item_panel(request: HttpRequest, guide: ServiceGuide):
    """R2: the item's rating over the last twelve months on its guide page."""
    figures = stats.item_rating(guide.item_id, today=timezone.localdate())
    return catalogue_hooks.Panel(
        template="reviews/_item_panel.html",
        context={"figures": figures, "results_url": reverse("reviews:results")},
    )


def register() -> None:
    application_hooks.register(application_hooks.case_closed_listeners, invite_on_case_closed)
    application_hooks.register(application_hooks.applicant_panels, applicant_panel)
    application_hooks.register(application_hooks.applicant_page_flags, applicant_page_flags)
    application_hooks.register(application_hooks.applicant_list_actions, list_actions)
    application_hooks.register(application_hooks.staff_panels, staff_panel)
    catalogue_hooks.register(catalogue_hooks.item_page_panels, item_panel)
