"""GeoReport v2 resources (every field as the specification names it).

* ``GET services.{fmt}`` — our leaf categories as services (service_code = category code);
* ``GET services/{code}.{fmt}`` — the service definition with its attributes;
* ``POST requests.{fmt}`` — create a ticket (``api_key`` required; a location required);
* ``GET requests.{fmt}`` — filters ``service_request_id``, ``service_code``, ``start_date``,
  ``end_date``, ``status``; by default the last 90 days, at most 1,000;
* ``GET requests/{id}.{fmt}``, ``GET tokens/{token}.{fmt}``.

Status: ``closed`` for closed, merged and transferred tickets, ``open`` otherwise. Public
reads never show a caller; reports (举报) and anonymous (保密) tickets are not listed, and
descriptions are passed through the personal-number mask.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from apps.common.errors import ApplicationError
from apps.common.logging import mask_text
from apps.hotline import services
from apps.hotline.models import Category, Ticket
from apps.hotline.open311 import attributes
from apps.hotline.open311.errors import Open311Error
from apps.hotline.open311.render import error, respond
from apps.hotline.services import TicketInput
from apps.hotline.workflow import FINISHED_VALUES, TicketType

MAX_IDS = 100
logger = logging.getLogger(__name__)


def _params(request: HttpRequest) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    values = {key: data.get(key, "") for key in data}
    if any("\x00" in k or "\x00" in v for k, v in values.items()):
        raise Open311Error(400, _("参数含有不允许的字符。"))
    jurisdiction = values.get("jurisdiction_id")
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
        raise Open311Error(404, _("jurisdiction_id 不存在。"))
    return values


def _path(value: str) -> str:
    if "\x00" in value:
        raise Open311Error(400, _("参数含有不允许的字符。"))
    return value


def _handle(fmt: str, fn) -> HttpResponse:
    """Every answer in the specification's format, an unexpected failure included."""
    try:
        return fn()
    except Open311Error as exc:
        return error(fmt, exc.status, exc.description)
    except Exception:
        logger.exception("Open311 request failed")
        return error(fmt, 500, _("服务器内部错误，请稍后再试。"))


def _services() -> list[Category]:
    return list(
        Category.objects.filter(is_active=True, parent__isnull=False, parent__is_active=True)
        .select_related("parent")
        .order_by("parent__order", "parent__code", "order", "code")
    )


def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    def run():
        _params(request)
        data = [
            {
                "service_code": c.code,
                "service_name": c.name,
                "description": c.description,
                "metadata": True,
                "type": "realtime",
                "keywords": c.keywords.replace("，", ","),
                "group": c.parent.name,
            }
            for c in _services()
        ]
        return respond(data, fmt, root="services", item="service")

    return _handle(fmt, run)


def _service(code: str) -> Category:
    category = (
        Category.objects.filter(code=code, is_active=True, parent__isnull=False)
        .select_related("parent")
        .first()
    )
    if category is None:
        raise Open311Error(404, _("service_code 不存在：%(code)s") % {"code": code[:32]})
    return category


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    def run():
        _params(request)
        category = _service(_path(code))
        data = {"service_code": category.code, "attributes": attributes.definitions()}
        return respond(data, fmt, root="service_definition", item=None)

    return _handle(fmt, run)


# --- Service requests -------------------------------------------------------------------------


def _w3c(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _status(ticket: Ticket) -> str:
    return "closed" if ticket.state in FINISHED_VALUES else "open"


def _status_notes(ticket: Ticket) -> str:
    if ticket.state in FINISHED_VALUES and ticket.reply_text:
        return mask_text(ticket.reply_text)[:500]
    return ticket.get_state_display()


def request_fields(ticket: Ticket) -> dict:
    """One service request, every field of the specification in its order."""
    return {
        "service_request_id": ticket.number,
        "status": _status(ticket),
        "status_notes": _status_notes(ticket),
        "service_name": ticket.category.name,
        "service_code": ticket.category.code,
        "description": mask_text(ticket.content),
        "agency_responsible": ticket.department.name if ticket.department_id else _("12345热线"),
        "service_notice": "",
        "requested_datetime": _w3c(ticket.created_at),
        "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(ticket.reply_due_at),
        "address": f"{ticket.district}{ticket.address}",
        "address_id": "",
        "zipcode": "",
        "lat": float(ticket.latitude) if ticket.latitude is not None else None,
        "long": float(ticket.longitude) if ticket.longitude is not None else None,
        "media_url": ticket.media_url,
    }


def _public_requests():
    return (
        Ticket.objects.select_related("category", "department")
        .exclude(is_anonymous=True)
        .exclude(ticket_type=TicketType.REPORT)
        .exclude(number__isnull=True)
    )


def _date_param(value: str, name: str) -> datetime.datetime | None:
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None or moment.tzinfo is None:
        raise Open311Error(
            400,
            _("%(name)s 应为带时区的 W3C 日期时间，例如 2026-11-01T00:00:00+08:00。")
            % {"name": name},
        )
    return moment


def _filtered(params: dict[str, str]):
    qs = _public_requests()
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The specification: with service_request_id, the other parameters are ignored.
        return qs.filter(number__in=ids[:MAX_IDS]).order_by("-created_at")
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    start = _date_param(params.get("start_date", ""), "start_date")
    end = _date_param(params.get("end_date", ""), "end_date")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=settings.OPEN311_DEFAULT_DAYS)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lte=end)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status 只能是 open 或 closed。"))
    if statuses == {"open"}:
        qs = qs.exclude(state__in=FINISHED_VALUES)
    elif statuses == {"closed"}:
        qs = qs.filter(state__in=FINISHED_VALUES)
    return qs.order_by("-created_at", "-id")


def _requests_get(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _params(request)
    tickets = list(_filtered(params)[: settings.OPEN311_MAX_REQUESTS])
    return respond(
        [request_fields(t) for t in tickets], fmt, root="service_requests", item="request"
    )


def _decimal(value: str, name: str) -> Decimal | None:
    if value == "":
        return None
    invalid = Open311Error(400, _("%(name)s 不是有效的数字。") % {"name": name})
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise invalid from None
    # Range first: quantizing a huge number would itself fail.
    if not number.is_finite() or abs(number) > 180:
        raise invalid
    return number.quantize(Decimal("0.000001"))


def _district_of(address: str, given: str) -> str:
    if given:
        return given
    return next((d for d in settings.HOTLINE_DISTRICTS if d in address), "")


def _requests_post(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _params(request)
    key = services.open311_key_authenticate(params.get("api_key"))
    if key is None:
        raise Open311Error(403, _("api_key 无效或已停用。"))
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("缺少 service_code。"))
    category = _service(code)
    lat, lng = _decimal(params.get("lat", ""), "lat"), _decimal(params.get("long", ""), "long")
    address = params.get("address_string", "").strip() or params.get("address_id", "").strip()
    if (lat is None or lng is None) and not address:
        raise Open311Error(
            400, _("缺少位置：请提供 lat 和 long，或 address_string，或 address_id。")
        )
    values = attributes.parse(params)
    name = f"{params.get('last_name', '')}{params.get('first_name', '')}".strip()
    data = TicketInput(
        ticket_type=values["request_type"],
        category_id=category.pk,
        content=params.get("description", ""),
        caller_phone=params.get("phone", ""),
        caller_name=name,
        urgency=values["urgency"],
        address=address,
        district=_district_of(address, values["district"]),
        latitude=lat,
        longitude=lng,
        media_url=params.get("media_url", "")[:500],
    )
    try:
        ticket = services.ticket_submit_open311(api_key=key, data=data)
    except ApplicationError as exc:
        raise Open311Error(400, exc.message) from None
    body = [
        {
            "service_request_id": ticket.number,
            "service_notice": _("已受理，将按时限派单办理。"),
            "account_id": None,
        }
    ]
    return respond(body, fmt, root="service_requests", item="request", status=201)


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _handle(fmt, lambda: _requests_post(request, fmt))
    if request.method == "GET":
        return _handle(fmt, lambda: _requests_get(request, fmt))
    return error(fmt, 405, _("只支持 GET 和 POST。"))


def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    def run():
        _params(request)
        ticket = _public_requests().filter(number=_path(request_id)).first()
        if ticket is None:
            raise Open311Error(
                404, _("service_request_id 不存在：%(id)s") % {"id": request_id[:24]}
            )
        return respond([request_fields(ticket)], fmt, root="service_requests", item="request")

    return _handle(fmt, run)


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    def run():
        _params(request)
        ticket = (
            Ticket.objects.filter(open311_token=_path(token))
            .only("number", "open311_token")
            .first()
        )
        if ticket is None:
            raise Open311Error(404, _("token 不存在。"))
        data = [{"service_request_id": ticket.number, "token": ticket.open311_token}]
        return respond(data, fmt, root="service_requests", item="request")

    return _handle(fmt, run)
