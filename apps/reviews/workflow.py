"""The five levels, the channels, and the life of a bad review's rectification case and of
an appeal (DOMAIN R1, R3, R4, R7).

Read the tables top to bottom to know every path a case or an appeal can take. Each edge is
taken by exactly one service in :mod:`apps.reviews.services`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The national five levels (国办发〔2019〕51号); the last two are bad reviews (差评).

    The values are shared with the hotline's call-back rating, which becomes a review."""

    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
BAD_VALUES = tuple(sorted(level.value for level in BAD_LEVELS))
# The order people read them in, best first (forms, charts, tables).
LEVEL_ORDER = (
    Level.VERY_SATISFIED,
    Level.SATISFIED,
    Level.BASICALLY_SATISFIED,
    Level.DISSATISFIED,
    Level.VERY_DISSATISFIED,
)
# Five-point score for the average (满意度得分).
SCORE = {
    Level.VERY_SATISFIED: 5,
    Level.SATISFIED: 4,
    Level.BASICALLY_SATISFIED: 3,
    Level.DISSATISFIED: 2,
    Level.VERY_DISSATISFIED: 1,
}


def is_bad(level: str) -> bool:
    return level in BAD_VALUES


class Channel(models.TextChoices):
    """R1: every channel a service is rated on; each review carries its channel."""

    WEB = "web", _("政务服务网")
    WINDOW = "window", _("窗口现场")
    MOBILE = "mobile", _("移动端")
    SELF_SERVICE = "self_service", _("自助终端")
    HOTLINE = "hotline", _("12345热线")


# Channels a client may post to the API (the web and the window have their own pages).
API_CHANNELS = frozenset({Channel.MOBILE, Channel.SELF_SERVICE, Channel.HOTLINE, Channel.WEB})


class EventKind(models.TextChoices):
    """What was rated: one service event, rated once (一次一评、一事一评, R7)."""

    APPLICATION = "application", _("网上办件")
    WINDOW_VISIT = "window_visit", _("窗口服务")
    HALL_TICKET = "hall_ticket", _("大厅取号服务")
    HOTLINE_TICKET = "hotline_ticket", _("12345工单")
    OTHER = "other", _("其他服务")


class CaseState(models.TextChoices):
    CALLBACK_DUE = "callback_due", _("待回访核实")
    RECTIFYING = "rectifying", _("限期整改中")
    APPEALED = "appealed", _("申诉复核中")
    RECTIFIED = "rectified", _("已整改")
    EXPLAINED = "explained", _("已解释说明")
    REVISITED = "revisited", _("已回访")
    EXCLUDED = "excluded", _("申诉成立")


CASE_TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    # R3: the call-back decides: fix now, fix by a deadline, explain, or (malicious) appeal.
    CaseState.CALLBACK_DUE: frozenset(
        {
            CaseState.RECTIFIED,
            CaseState.RECTIFYING,
            CaseState.EXPLAINED,
            CaseState.APPEALED,
            CaseState.EXCLUDED,
        }
    ),
    CaseState.RECTIFYING: frozenset({CaseState.RECTIFIED, CaseState.EXCLUDED}),
    # R4: a refused appeal sends the department back to rectify by a deadline.
    CaseState.APPEALED: frozenset({CaseState.RECTIFYING, CaseState.EXCLUDED}),
    # R4/R7: re-visit the reviewer once the case is handled.
    CaseState.RECTIFIED: frozenset({CaseState.REVISITED, CaseState.EXCLUDED}),
    CaseState.EXPLAINED: frozenset({CaseState.REVISITED, CaseState.EXCLUDED}),
    CaseState.REVISITED: frozenset({CaseState.EXCLUDED}),
    CaseState.EXCLUDED: frozenset(),
}

# States with a deadline the supervision sweep watches (R3, R7).
DEADLINE_STATES = frozenset({CaseState.CALLBACK_DUE, CaseState.RECTIFYING})
DEADLINE_VALUES = tuple(sorted(s.value for s in DEADLINE_STATES))
# The department has answered the reviewer: counted as handled (办结) in the figures.
RESOLVED_STATES = frozenset({CaseState.RECTIFIED, CaseState.EXPLAINED, CaseState.REVISITED})


class Outcome(models.TextChoices):
    """R3/R7: what the call-back found."""

    FIXED_NOW = "fixed_now", _("情况属实，立行立改")
    FIX_BY_DEADLINE = "fix_by_deadline", _("情况属实，限期整改")
    NOT_REASONABLE = "not_reasonable", _("诉求不合理，已解释说明")
    MALICIOUS = "malicious", _("恶意差评，提出申诉")


OUTCOME_TARGET = {
    Outcome.FIXED_NOW: CaseState.RECTIFIED,
    Outcome.FIX_BY_DEADLINE: CaseState.RECTIFYING,
    Outcome.NOT_REASONABLE: CaseState.EXPLAINED,
    Outcome.MALICIOUS: CaseState.APPEALED,
}


class AppealGround(models.TextChoices):
    MALICIOUS = "malicious", _("恶意差评")
    MISDIRECTED = "misdirected", _("评价对象错误（非本部门/本人服务）")
    NOT_SERVICE = "not_service", _("与政务服务无关")


class AppealState(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REFUSED = "refused", _("申诉不成立")


APPEAL_TRANSITIONS: dict[AppealState, frozenset[AppealState]] = {
    AppealState.PENDING: frozenset({AppealState.UPHELD, AppealState.REFUSED}),
    AppealState.UPHELD: frozenset(),
    AppealState.REFUSED: frozenset(),
}


def case_can(source: str, target: str) -> bool:
    return CaseState(target) in CASE_TRANSITIONS[CaseState(source)]
