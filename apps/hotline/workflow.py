"""The states of a 12345 ticket and the allowed changes between them (DOMAIN H1, H3, H5, H8, H9).

The national loop 受理 → 派单 → 办理 → 答复 → 督办 → 办结 → 回访 → 评价, read top to bottom.
Each edge is taken by exactly one service in :mod:`apps.hotline.services`; supervision
(督办) changes no state, it escalates a ticket whose clock has run out.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketState(models.TextChoices):
    PENDING_DISPATCH = "pending_dispatch", _("待派单")
    DISPATCHED = "dispatched", _("待签收")
    RETURNED = "returned", _("退单待审核")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复待审核")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并单")
    TRANSFERRED = "transferred", _("已转接")


S = TicketState

ALLOWED_TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    # H5: answered on the spot (closed), H3: transferred, H9: merged, or dispatched (H1).
    S.PENDING_DISPATCH: frozenset({S.DISPATCHED, S.CLOSED, S.MERGED, S.TRANSFERRED}),
    # The department signs (签收) or objects (退单); a duplicate may still be merged.
    S.DISPATCHED: frozenset({S.IN_PROGRESS, S.RETURNED, S.MERGED}),
    # H9: an objection is reviewed by the centre: re-dispatched elsewhere or sent back.
    S.RETURNED: frozenset({S.DISPATCHED, S.MERGED}),
    # The lead department replies (答复).
    S.IN_PROGRESS: frozenset({S.REPLIED, S.MERGED}),
    # The centre reviews the reply: closes the ticket (办结) or sends it back.
    S.REPLIED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    # H9: an unsatisfied call-back caused by the department reopens it (重办).
    S.CLOSED: frozenset({S.DISPATCHED}),
    S.MERGED: frozenset(),
    S.TRANSFERRED: frozenset(),
}

# The handling clock (sign-off and reply deadlines) runs in these states.
CLOCK_STATES = frozenset({S.DISPATCHED, S.IN_PROGRESS})
CLOCK_VALUES = tuple(sorted(s.value for s in CLOCK_STATES))
# Open311 "closed": nothing more will happen to the request.
FINISHED_STATES = frozenset({S.CLOSED, S.MERGED, S.TRANSFERRED})
FINISHED_VALUES = tuple(sorted(s.value for s in FINISHED_STATES))
# A duplicate can only be merged into a ticket that is still being handled.
MERGEABLE_STATES = frozenset({S.PENDING_DISPATCH, S.DISPATCHED, S.RETURNED, S.IN_PROGRESS})


class TicketType(models.TextChoices):
    """H4: what the caller wants."""

    ENQUIRY = "enquiry", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    HELP = "help", _("求助")
    SUGGESTION = "suggestion", _("建议")
    REPORT = "report", _("举报")
    PRAISE = "praise", _("表扬")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    """H4: 24-hour intake by phone, WeChat, app and web; Open311 for other clients."""

    PHONE = "phone", _("电话")
    WEB = "web", _("网站")
    WECHAT = "wechat", _("微信")
    APP = "app", _("移动客户端")
    OPEN311 = "open311", _("Open311接口")


class Satisfaction(models.TextChoices):
    """DOMAIN §5 / R1: the five national levels; the last two are bad reviews (差评)."""

    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


UNSATISFIED = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})
SATISFACTION_SCORE = {
    Satisfaction.VERY_SATISFIED: 5,
    Satisfaction.SATISFIED: 4,
    Satisfaction.BASICALLY_SATISFIED: 3,
    Satisfaction.DISSATISFIED: 2,
    Satisfaction.VERY_DISSATISFIED: 1,
}


class TransferTarget(models.TextChoices):
    """H3, H8: the emergency lines stay outside 12345; utilities keep their own lines."""

    POLICE = "110", _("110 报警服务台")
    FIRE = "119", _("119 消防救援")
    AMBULANCE = "120", _("120 医疗急救")
    TRAFFIC = "122", _("122 交通事故报警")
    POWER = "95598", _("95598 供电服务")
    WATER = "water", _("供水服务热线")
    GAS = "gas", _("燃气服务热线")
    HEATING = "heating", _("供热服务热线")
    NETWORK = "network", _("通信网络服务热线")


class Closure(models.TextChoices):
    """How a closed ticket ended."""

    ANSWERED_ON_SPOT = "answered_on_spot", _("当场解答")
    HANDLED = "handled", _("部门办结")


def can_transition(source: str, target: str) -> bool:
    return TicketState(target) in ALLOWED_TRANSITIONS[TicketState(source)]
