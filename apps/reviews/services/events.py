"""Opening the service events people rate, and the short-lived links of window ratings
(DOMAIN R1, R7: 一次一评 at the window, 一事一评 online).

Other apps create the events for their own services through :func:`review_event_open`
(the halls app for a queue number, the hotline for a ticket); the applications app's
closing hook creates the one for a decided application (:mod:`apps.reviews.integrations`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import Department, ServiceWindow, User
from apps.applications.models import Application
from apps.catalogue.models import ServiceItem
from apps.common.errors import ApplicationError
from apps.reviews.models import ServiceEvent
from apps.reviews.services import _base
from apps.reviews.workflow import EventKind

TOKEN_SALT = "reviews.window-event"  # noqa: S105 - a signing salt, not a secret
COUNTER_SALT = "reviews.counter"


def review_event_open(
    *,
    kind: str,
    reference: str,
    department: Department,
    item: ServiceItem | None = None,
    window: ServiceWindow | None = None,
    staff: User | None = None,
    subject: User | None = None,
    application: Application | None = None,
    opened_by: User | None = None,
    expires_at: datetime | None = None,
    at: datetime | None = None,
) -> ServiceEvent:
    """The event ``(kind, reference)``, created now or found as it was (idempotent).

    ``reference`` is the owning app's own id for the service (an application id, a queue
    number's id, a ticket id). The targets of every review of it (R1) are ``department``,
    ``item``, ``window`` and ``staff``; ``subject`` is the person served, when known (only
    they may rate it on the web or the app).
    """
    if kind not in EventKind.values:
        raise ApplicationError(_("服务类型无效。"), code="invalid_kind")
    reference = str(reference).strip()[:64]
    if not reference:
        raise ApplicationError(_("缺少业务编号。"), code="reference_required")
    values = {
        "department": department,
        "item": item,
        "window": window,
        "staff": staff,
        "subject": subject,
        "application": application,
        "opened_by": opened_by,
        "expires_at": expires_at,
    }
    try:
        with transaction.atomic():
            event, created = ServiceEvent.objects.get_or_create(
                kind=kind, reference=reference, defaults=values
            )
    except IntegrityError:  # a concurrent twin created it first
        event, created = ServiceEvent.objects.get(kind=kind, reference=reference), False
    if created and at is not None:
        ServiceEvent.objects.filter(pk=event.pk).update(created_at=at)
        event.created_at = at
    return event


def window_event_open(
    *,
    actor: User,
    window: ServiceWindow,
    department: Department,
    item: ServiceItem | None = None,
    application: Application | None = None,
    at: datetime | None = None,
) -> ServiceEvent:
    """一次一评 at the window: the staff member who just served someone opens a rating for
    that visit; its link (a QR code, or the counter tablet) is valid for
    ``REVIEWS_WINDOW_TOKEN_MINUTES`` and rates only this visit, once."""
    _base.check_staff_permission(actor, "reviews.open_window_event")
    _base.check_department(actor, department.pk)
    if not window.departments.filter(pk=department.pk).exists() and not window.is_comprehensive:
        raise ApplicationError(_("该窗口不受理本部门业务。"), code="window_department")
    if application is not None and application.department_id != department.pk:
        raise ApplicationError(_("办件不属于所选部门。"), code="application_department")
    return review_event_open(
        kind=EventKind.WINDOW_VISIT,
        reference=uuid.uuid4().hex,
        department=department,
        item=item or (application.item if application else None),
        window=window,
        staff=actor,
        subject=application.applicant if application else None,
        application=application,
        opened_by=actor,
        # The link is valid from now, also for a visit recorded late (``at``).
        expires_at=_base.stamp() + timedelta(minutes=settings.REVIEWS_WINDOW_TOKEN_MINUTES),
        at=at,
    )


def event_token(event: ServiceEvent) -> str:
    """The signed, short-lived token of a window event's rating link."""
    return signing.dumps({"e": event.pk}, salt=TOKEN_SALT, compress=True)


def event_rating_url(event: ServiceEvent) -> str:
    """Where the event is rated: the token page for a window event, the signed-in page
    otherwise."""
    if event.expires_at is not None:
        return reverse("reviews:token_rate", args=[event_token(event)])
    return reverse("reviews:rate", args=[event.pk])


def event_from_token(token: str) -> ServiceEvent:
    """The event a token names; refused when forged or expired (R1: never a free form)."""
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.REVIEWS_WINDOW_TOKEN_MINUTES * 60
        )
    except signing.SignatureExpired:
        raise ApplicationError(
            _("评价码已过期，请向窗口工作人员重新获取。"), code="token_expired"
        ) from None
    except signing.BadSignature:
        raise ApplicationError(_("评价码无效。"), code="token_invalid") from None
    event = ServiceEvent.objects.filter(pk=data.get("e")).first()
    if event is None or event.expires_at is None:
        raise ApplicationError(_("评价码无效。"), code="token_invalid")
    return event


def counter_key(window: ServiceWindow) -> str:
    """The counter tablet's address for a window: signed, so windows are not enumerable."""
    return signing.Signer(salt=COUNTER_SALT, sep=".").sign(str(window.pk))


def window_from_counter_key(key: str) -> ServiceWindow | None:
    try:
        pk = signing.Signer(salt=COUNTER_SALT, sep=".").unsign(key)
    except signing.BadSignature:
        return None
    return ServiceWindow.objects.select_related("center").filter(pk=pk).first()
