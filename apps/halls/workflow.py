"""States and allowed transitions of the halls' rows (CONVENTIONS: one readable table)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合窗口")
    DEPARTMENTAL = "departmental", _("部门专窗")
    HARD_CASE = "hard_case", _("“办不成事”反映窗口")
    ASSISTED = "assisted", _("帮办代办（绿色通道）窗口")
    COMPLAINT = "complaint", _("投诉窗口")


class HoursKind(models.TextChoices):
    EXTENDED = "extended", _("延时服务")
    OFF_PEAK = "off_peak", _("错峰服务")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已取号")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("爽约")


APPOINTMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentState.BOOKED: frozenset(
        {AppointmentState.CHECKED_IN, AppointmentState.CANCELLED, AppointmentState.NO_SHOW}
    ),
    AppointmentState.CHECKED_IN: frozenset(),
    AppointmentState.CANCELLED: frozenset(),
    AppointmentState.NO_SHOW: frozenset(),
}


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLING = "calling", _("叫号中")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    SKIPPED = "skipped", _("过号")


TICKET_TRANSITIONS: dict[str, frozenset[str]] = {
    # A transfer puts a called ticket back in the queue of another window group.
    TicketState.WAITING: frozenset({TicketState.CALLING}),
    TicketState.CALLING: frozenset(
        {TicketState.SERVING, TicketState.SKIPPED, TicketState.WAITING, TicketState.DONE}
    ),
    TicketState.SERVING: frozenset({TicketState.DONE, TicketState.WAITING}),
    TicketState.DONE: frozenset(),
    TicketState.SKIPPED: frozenset(),
}

# A ticket a window holds: at most one per window at a time (a DB constraint).
HELD_STATES = (TicketState.CALLING, TicketState.SERVING)


class Priority(models.IntegerChoices):
    """Queue order by rule, not by hand (DOMAIN A13; seed 002 §10): the green channel first,
    then appointment holders, then walk-ins; first come first served within each."""

    WALK_IN = 0, _("现场取号")
    APPOINTMENT = 1, _("预约")
    GREEN_CHANNEL = 2, _("绿色通道")


class GreenReason(models.TextChoices):
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    PREGNANT = "pregnant", _("孕妇")
    SERVICE_MEMBER = "service_member", _("现役军人、退役军人等优抚对象")


class HardCaseState(models.TextChoices):
    OPEN = "open", _("已登记")
    COORDINATING = "coordinating", _("协调办理中")
    RESOLVED = "resolved", _("已解决")
    UNRESOLVABLE = "unresolvable", _("无法解决（已说明理由）")
    CLOSED = "closed", _("已回访办结")


HARD_CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    HardCaseState.OPEN: frozenset({HardCaseState.COORDINATING}),
    HardCaseState.COORDINATING: frozenset({HardCaseState.RESOLVED, HardCaseState.UNRESOLVABLE}),
    HardCaseState.RESOLVED: frozenset({HardCaseState.CLOSED}),
    HardCaseState.UNRESOLVABLE: frozenset({HardCaseState.CLOSED}),
    HardCaseState.CLOSED: frozenset(),
}

OPEN_HARD_CASE_STATES = (HardCaseState.OPEN, HardCaseState.COORDINATING)


class HardCaseCause(models.TextChoices):
    """What made it hard (DOMAIN S3): the dashboard groups the cases by it."""

    EXTRA_CONDITIONS = "extra_conditions", _("要求指南以外的条件或材料")
    NOT_ACCEPTED = "not_accepted", _("符合条件不予受理")
    LATE = "late", _("超时未办结")
    PASSING_THE_BUCK = "passing_the_buck", _("部门间推诿、职责不清")
    POLICY_GAP = "policy_gap", _("政策空白或规定冲突")
    SYSTEM = "system", _("系统不通、数据不共享")
    OTHER = "other", _("其他")


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class SupervisorCategory(models.TextChoices):
    DEPUTY = "deputy", _("人大代表")
    COMMITTEE = "committee", _("政协委员")
    BUSINESS = "business", _("企业代表")
    CITIZEN = "citizen", _("群众代表")


class OpinionState(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ASSIGNED = "assigned", _("办理中")
    ANSWERED = "answered", _("已答复，待确认")
    CLOSED = "closed", _("已确认办结")


OPINION_TRANSITIONS: dict[str, frozenset[str]] = {
    OpinionState.SUBMITTED: frozenset({OpinionState.ASSIGNED}),
    OpinionState.ASSIGNED: frozenset({OpinionState.ANSWERED}),
    # Not satisfied with the answer: back to the handler, deadline unchanged.
    OpinionState.ANSWERED: frozenset({OpinionState.CLOSED, OpinionState.ASSIGNED}),
    OpinionState.CLOSED: frozenset(),
}


class AssistanceReason(models.TextChoices):
    """Why an application was made for the applicant at a 帮办代办 window (DOMAIN A13)."""

    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    PREGNANT = "pregnant", _("孕妇")
    SERVICE_MEMBER = "service_member", _("现役军人、退役军人等优抚对象")
    COMPANY_PROJECT = "company_project", _("企业项目帮办服务")
    OTHER = "other", _("其他")
