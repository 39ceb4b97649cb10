"""Intake (受理, DOMAIN H4, H5): every channel makes a ticket through one function; an
enquiry may be answered from the knowledge base on the spot (首问负责), an emergency is
transferred with one key (H3), and a likely duplicate is flagged and can be merged (H9)."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.hotline.kb_search import current_articles
from apps.hotline.models import Category, KnowledgeArticle, Open311ApiKey, Ticket, TicketEvent
from apps.hotline.models.tickets import caller_phone_hash
from apps.hotline.services import _base
from apps.hotline.services.deadlines import today
from apps.hotline.services.numbering import number_after_insert, number_at_insert
from apps.hotline.workflow import (
    MERGEABLE_STATES,
    Channel,
    Closure,
    TicketState,
    TicketType,
    TransferTarget,
    Urgency,
)

_PHONE = re.compile(r"^\+?\d{7,15}$")
_MERGEABLE = [s.value for s in MERGEABLE_STATES]


@dataclass
class TicketInput:
    """What any channel gives for a new ticket (checked by :func:`_create`)."""

    ticket_type: str
    category_id: int | str | None
    content: str
    caller_phone: str = ""
    caller_name: str = ""
    is_anonymous: bool = False
    urgency: str = Urgency.NORMAL
    title: str = ""
    address: str = ""
    district: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    media_url: str = ""
    extra: dict = field(default_factory=dict)


def normalise_phone(value: str | None) -> str:
    phone = re.sub(r"[\s\-()]", "", value or "")
    if phone and not _PHONE.match(phone):
        raise ApplicationError(_("电话号码格式不正确。"), code="invalid_phone")
    return phone


def _clean(
    data: TicketInput,
    *,
    phone_required: bool,
    categories: Mapping[int, Category] | None = None,
) -> dict:
    """The ticket's values, checked (H4, H9 routing by category). ``categories`` is a
    batch's one read of the active subcategories (id → row); without it, it is read."""
    content = _base.require_text(data.content, _("请填写诉求内容。"), code="content_required")
    if data.ticket_type not in TicketType.values:
        raise ApplicationError(_("请选择诉求类型。"), code="invalid_type")
    if data.urgency not in Urgency.values:
        raise ApplicationError(_("紧急程度无效。"), code="invalid_urgency")
    try:
        category_id = int(str(data.category_id))
        if categories is None:
            category = Category.objects.get(pk=category_id, is_active=True, parent__isnull=False)
        else:
            category = categories[category_id]
    except (Category.DoesNotExist, KeyError, TypeError, ValueError):
        raise ApplicationError(_("诉求分类不存在或已停用。"), code="unknown_category") from None
    if data.district and data.district not in settings.HOTLINE_DISTRICTS:
        raise ApplicationError(_("所属区县不在本市范围内。"), code="unknown_district")
    phone = normalise_phone(data.caller_phone)
    if phone_required and not phone:
        raise ApplicationError(_("请填写来电号码。"), code="phone_required")
    for value, low, high, name in (
        (data.latitude, -90, 90, _("纬度")),
        (data.longitude, -180, 180, _("经度")),
    ):
        if value is not None and not (low <= value <= high):
            raise ApplicationError(
                _("%(name)s超出范围。") % {"name": name}, code="invalid_location"
            )
    texts = [data.title, data.address, data.caller_name, data.media_url]
    if any("\x00" in (t or "") for t in texts):
        raise ApplicationError(_("内容含有不允许的字符。"), code="invalid_character")
    return {
        "ticket_type": data.ticket_type,
        "category": category,
        "urgency": data.urgency,
        "title": (data.title or content[:40]).strip()[:100],
        "content": content,
        "address": (data.address or "").strip()[:200],
        "district": data.district or "",
        "latitude": data.latitude,
        "longitude": data.longitude,
        "media_url": (data.media_url or "")[:500],
        "caller_phone": phone,
        "caller_name": (data.caller_name or "").strip()[:64],
        "is_anonymous": bool(data.is_anonymous),
    }


def likely_duplicate(ticket: Ticket, *, at: datetime.datetime | None = None) -> Ticket | None:
    """H9 并单: the oldest ticket still being handled from the same caller, or about the
    same place and category, within ``HOTLINE_DUPLICATE_WINDOW_DAYS`` of ``at`` (default:
    the ticket's creation; a ticket not yet inserted passes the time of its intake)."""
    since = (at or ticket.created_at) - datetime.timedelta(
        days=settings.HOTLINE_DUPLICATE_WINDOW_DAYS
    )
    # No default ordering inside the UNION's parts (SQLite refuses an ORDER BY there).
    recent = Ticket.objects.filter(created_at__gte=since, state__in=_MERGEABLE).order_by()
    if ticket.pk is not None:
        recent = recent.exclude(pk=ticket.pk)
    # Two index range scans (caller; category + district) in one UNION query, not one OR
    # over the table.
    candidates = []
    if ticket.caller_phone_hash:
        candidates.append(recent.filter(caller_phone_hash=ticket.caller_phone_hash))
    if ticket.address:
        candidates.append(
            recent.filter(
                category_id=ticket.category_id, district=ticket.district, address=ticket.address
            )
        )
    if not candidates:
        return None
    found = candidates[0].union(*candidates[1:]) if len(candidates) > 1 else candidates[0]
    return found.order_by("created_at", "id").first()


def _create(
    data: TicketInput,
    *,
    channel: str,
    actor: User | None,
    citizen: User | None = None,
    open311_key: Open311ApiKey | None = None,
    phone_required: bool = True,
) -> Ticket:
    values = _clean(data, phone_required=phone_required)
    with transaction.atomic():
        ticket = Ticket(
            channel=channel,
            operator=actor if channel == Channel.PHONE else None,
            citizen=citizen,
            open311_key=open311_key,
            open311_token=secrets.token_hex(16) if open311_key else None,
            **values,
        )
        ticket.caller_phone_hash = caller_phone_hash(ticket.caller_phone)
        # Looked for before the insert, so the row (and its history) is written with it.
        duplicate = likely_duplicate(ticket, at=_base.now())
        ticket.possible_duplicate_of = duplicate
        numbered = number_at_insert([ticket])
        _base.save(ticket, actor, insert=numbered)
        number_after_insert(ticket)  # a no-op unless no sequence, or midnight passed
        _base.event(
            ticket,
            kind=TicketEvent.Kind.CREATED,
            title=_("受理登记"),
            actor=actor,
            payload={"channel": channel},
            to_state=ticket.state,
        )
        if duplicate is not None:
            _base.event(
                ticket,
                kind=TicketEvent.Kind.DUPLICATE_FLAGGED,
                title=_("疑似重复工单"),
                actor=None,
                reason=_("与工单 %(number)s 疑似重复。") % {"number": duplicate.number},
                payload={"duplicate_of": duplicate.pk},
                visible_to_caller=False,
            )
        _base.tell_caller(
            ticket,
            event_key="received",
            title=_("您的诉求已受理"),
            body=_("工单编号 %(number)s，可凭编号和手机号码查询办理进度。")
            % {"number": ticket.number},
            new_ticket=True,
        )
    return ticket


def ticket_take_call(*, actor: User, data: TicketInput) -> Ticket:
    """An operator registers a call (H4)."""
    _base.check_centre(actor)
    return _create(data, channel=Channel.PHONE, actor=actor)


def ticket_submit_online(
    *, actor: User | None, data: TicketInput, verified_phone: str = ""
) -> Ticket:
    """A citizen submits on the web: logged in (their account's number unless they give
    another), or with a phone number verified by a one-time code (H4)."""
    if actor is not None and actor.is_authenticated and actor.kind != User.Kind.STAFF:
        if not data.caller_phone:
            data.caller_phone = actor.phone
        data.caller_name = data.caller_name or actor.full_name
        return _create(data, channel=Channel.WEB, actor=actor, citizen=actor)
    if not verified_phone:
        raise ApplicationError(_("请先登录或验证手机号码。"), code="phone_not_verified")
    data.caller_phone = verified_phone
    return _create(data, channel=Channel.WEB, actor=None)


def ticket_submit_via_channel(*, actor: User, channel: str, data: TicketInput) -> Ticket:
    """WeChat and app clients, through the authenticated API (H4)."""
    if channel not in (Channel.WECHAT, Channel.APP):
        raise ApplicationError(_("渠道无效。"), code="invalid_channel")
    _base.check_centre(actor, "hotline.submit_via_channel")
    return _create(data, channel=channel, actor=actor)


def ticket_submit_open311(*, api_key: Open311ApiKey, data: TicketInput) -> Ticket:
    """An Open311 client posts a service request (the key was checked by the caller)."""
    if not api_key.is_active:
        raise ApplicationError(_("接口密钥无效。"), code="invalid_api_key")
    return _create(
        data, channel=Channel.OPEN311, actor=None, open311_key=api_key, phone_required=False
    )


def ticket_answer_on_spot(
    *, ticket_id: int, actor: User, article_id: int, note: str = ""
) -> Ticket:
    """H2, H5 首问负责: an enquiry answered from a current knowledge-base article is closed
    on the spot, recording which article answered it."""
    _base.check_centre(actor)
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        if ticket.ticket_type != TicketType.ENQUIRY:
            raise ApplicationError(
                _("只有咨询类诉求可以用知识库当场解答办结。"), code="not_an_enquiry"
            )
        article = current_articles(today()).filter(pk=article_id).first()
        if article is None:
            raise ApplicationError(
                _("该知识库文章不存在、未发布或已过期。"), code="article_not_current"
            )
        ticket.kb_article = article
        ticket.closure = Closure.ANSWERED_ON_SPOT
        ticket.closed_at = _base.now()
        ticket.reply_text = (note or "").strip() or article.body
        _base.transition(
            ticket,
            TicketState.CLOSED,
            actor=actor,
            action=_("当场解答办结"),
            reason=_("依据知识库“%(title)s”当场解答。") % {"title": article.title},
            payload={"article_id": article.pk},
        )
        _tell_answer(ticket, article)
    return ticket


def _tell_answer(ticket: Ticket, article: KnowledgeArticle) -> None:
    _base.tell_caller(
        ticket,
        event_key="answered",
        title=_("您的咨询已解答"),
        body=_("工单 %(number)s：%(title)s。") % {"number": ticket.number, "title": article.title},
    )


def ticket_transfer(*, ticket_id: int, actor: User, target: str, note: str = "") -> Ticket:
    """H3 one-key transfer to 110/119/120/122 or a utility line; recorded with time and
    target, and the ticket is closed as transferred."""
    _base.check_centre(actor)
    if target not in TransferTarget.values:
        raise ApplicationError(_("请选择转接对象。"), code="invalid_target")
    with transaction.atomic():
        ticket = _base.lock_ticket(ticket_id)
        ticket.transfer_target = target
        ticket.transferred_at = _base.now()
        label = TransferTarget(target).label
        _base.transition(
            ticket,
            TicketState.TRANSFERRED,
            actor=actor,
            action=_("一键转接"),
            reason=_("已转接%(target)s。%(note)s") % {"target": label, "note": note or ""},
            payload={"target": target, "at": ticket.transferred_at.isoformat()},
        )
    return ticket


def ticket_merge(*, ticket_id: int, main_id: int, actor: User, reason: str = "") -> Ticket:
    """H9 并单: a duplicate is merged into the main ticket; its caller is told the main
    ticket's number, and is told its result when it is closed."""
    _base.check_centre(actor)
    if int(ticket_id) == int(main_id):
        raise ApplicationError(_("不能与工单自身合并。"), code="merge_self")
    with transaction.atomic():
        # Lock both rows in id order so two merges never deadlock.
        first, second = sorted([int(ticket_id), int(main_id)])
        locked = {first: _base.lock_ticket(first), second: _base.lock_ticket(second)}
        ticket, main = locked[int(ticket_id)], locked[int(main_id)]
        if main.state not in MERGEABLE_STATES:
            raise ApplicationError(
                _("主工单 %(number)s 已办结或已并单，不能并入。") % {"number": main.number},
                code="main_not_open",
            )
        ticket.merged_into = main
        _base.transition(
            ticket,
            TicketState.MERGED,
            actor=actor,
            action=_("并单"),
            reason=reason
            or _("与工单 %(number)s 反映同一问题，合并办理。") % {"number": main.number},
            payload={"main_id": main.pk},
        )
        _base.event(
            main,
            kind=TicketEvent.Kind.TRANSITION,
            title=_("并入重复工单"),
            actor=actor,
            reason=_("工单 %(number)s 已并入本工单。") % {"number": ticket.number},
            payload={"merged_id": ticket.pk},
            visible_to_caller=False,
        )
        _base.tell_caller(
            ticket,
            event_key="merged",
            title=_("您的诉求已合并办理"),
            body=_("工单 %(number)s 已与工单 %(main)s 合并办理，可凭原编号查询进度。")
            % {"number": ticket.number, "main": main.number},
        )
    return ticket
