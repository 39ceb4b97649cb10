"""The case itself: one ``Application`` per item, grouped by a ``BundleApplication`` for a
一件事 (DOMAIN A1, A7, A15, C5, C8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Company, Department
from apps.applications.workflow import (
    ACCEPTED_OPEN_STATES,
    CLOCK_RUNNING_STATES,
    CLOCK_RUNNING_VALUES,
    State,
)
from apps.catalogue.models import Bundle, ServiceGuide, ServiceItem
from apps.common.history import HistoryManager
from apps.common.models import BaseModel

_RUNNING = Q(state__in=list(CLOCK_RUNNING_VALUES))
# Sorted, so the partial-index condition reads the same in every process and migration.
_ACCEPTED_OPEN = Q(state__in=sorted(s.value for s in ACCEPTED_OPEN_STATES))
# Where a deadline is on show and may still move with the calendar (see deadline_provisional).
_DEADLINE_OPEN_STATES = ACCEPTED_OPEN_STATES | {State.SUBMITTED}


class Channel(models.TextChoices):
    """C6: every channel reads the same guide and follows the same rules."""

    ONLINE = "online", _("网上办理")
    WINDOW = "window", _("窗口办理")
    MOBILE = "mobile", _("掌上办理")
    ASSISTED = "assisted", _("帮办代办")


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")


class WarningLevel(models.TextChoices):
    """A15: green while on time, yellow near the deadline, red when overdue."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临期预警")
    RED = "red", _("超期")


class BundleOutcome(models.TextChoices):
    """C8: the one result of a 一件事, from its members' outcomes."""

    ALL_APPROVED = "all_approved", _("全部准予")
    PARTLY_APPROVED = "partly_approved", _("部分准予")
    NONE_APPROVED = "none_approved", _("均未准予")


class BundleApplication(BaseModel):
    """One submission of a 一件事 (C8); each member item gets its own ``Application``."""

    number = models.CharField(_("一件事编号"), max_length=32, unique=True)
    bundle = models.ForeignKey(
        Bundle, verbose_name=_("一件事"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="bundle_applications",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("申请单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bundle_applications",
    )
    # C8/A10: set once, when the last member application is finished.
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(
        _("办结结果"), max_length=24, choices=BundleOutcome.choices, blank=True
    )
    result_document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("一件事办结通知书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bundle_application",
    )

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, outcome="")
                | (Q(completed_at__isnull=False) & ~Q(outcome="")),
                name="bundle_completed_at_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Application(BaseModel):
    """办件: one request for one item, under one guide version (C5)."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="applications"
    )
    guide = models.ForeignKey(
        ServiceGuide,
        verbose_name=_("办事指南版本"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("实施部门"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    bundle_application = models.ForeignKey(
        BundleApplication,
        verbose_name=_("所属一件事"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # C8: the member's serial stage, copied from the bundle's step when the 一件事 starts, so
    # a later edit of the bundle does not reorder a submission already made.
    bundle_stage = models.PositiveSmallIntegerField(_("一件事阶段"), null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("申请单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Snapshots: what the application was made as, whatever the account says later.
    applicant_name = models.CharField(_("申请人名称"), max_length=200)
    applicant_type = models.CharField(
        _("申请人类型"),
        max_length=16,
        choices=ApplicantType.choices,
        default=ApplicantType.NATURAL_PERSON,
    )
    channel = models.CharField(
        _("申请渠道"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮办代办人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assisted_applications",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_applications",
    )
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.DRAFT)
    # The state before archiving, so an archived file still says how it ended (A12).
    outcome = models.CharField(_("办理结果"), max_length=24, choices=State.choices, blank=True)
    is_immediate = models.BooleanField(_("即办件"), default=False)

    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    materials_received_at = models.DateTimeField(_("材料接收时间"), null=True, blank=True)
    intake_due_date = models.DateField(_("受理决定期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    time_limit_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"), null=True, blank=True
    )
    extension_days = models.PositiveSmallIntegerField(_("延长天数（工作日）"), default=0)
    due_date = models.DateField(_("办结期限"), null=True, blank=True, db_index=True)
    yellow_on = models.DateField(_("预警日期"), null=True, blank=True)
    warning_level = models.CharField(
        _("预警等级"), max_length=8, choices=WarningLevel.choices, default=WarningLevel.GREEN
    )
    # Set by the clock code whenever the deadline window (intake or decision) runs through
    # a year whose holiday arrangement is not published (weekday-only fallback or
    # provisional); cleared by the recompute when that year is published (A7).
    calendar_provisional = models.BooleanField(
        _("按暂定日历计算"),
        default=False,
        help_text=_("期限所在年份的法定节假日安排尚未发布，期限暂按周一至周五计算。"),
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    transferred_to = models.ForeignKey(
        Department,
        verbose_name=_("告知的有权部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # T1 hook for the tolerance issue: the pledge the applicant signed at tolerant intake.
    pledge_signed = models.BooleanField(_("已签署容缺承诺"), default=False)
    supplement_due_date = models.DateField(_("容缺补正期限"), null=True, blank=True)

    idempotency_key = models.CharField(
        _("幂等键"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], history_manager=HistoryManager)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("intake_application", "受理办件（受理、补正、不予受理）"),
            ("decide_application", "作出办理决定（准予/不予许可、撤销受理）"),
            ("approve_extension", "批准延长办理时限"),
            ("view_all_applications", "查看全部部门办件（监督）"),
        ]
        indexes = [
            # Staff queues: one department's applications in a state, by deadline.
            models.Index(fields=["department", "state", "due_date"], name="app_dept_state_due_idx"),
            models.Index(fields=["applicant", "-created_at"], name="app_applicant_idx"),
            # Supervision reads only what is due: each partial index holds only the rows a
            # reminder is still owed for, so a run costs what is due, not what is open.
            models.Index(
                fields=["yellow_on", "id"],
                name="app_yellow_due_idx",
                condition=_RUNNING & Q(warning_level="green"),
            ),
            models.Index(
                fields=["due_date", "id"],
                name="app_red_due_idx",
                condition=_RUNNING & ~Q(warning_level="red"),
            ),
            models.Index(
                fields=["intake_due_date", "id"],
                name="app_intake_due_idx",
                condition=Q(state="submitted"),
            ),
            # A calendar change recomputes the accepted, undecided cases whose window
            # reaches the changed days: a range over open cases only (not every case ever
            # decided), so its cost follows the cases it touches.
            models.Index(
                fields=["due_date", "id"], name="app_open_due_idx", condition=_ACCEPTED_OPEN
            ),
            models.Index(
                fields=["supplement_due_date", "id"],
                name="app_supplement_due_idx",
                condition=Q(state="tolerant_accepted"),
            ),
            # City scale (issue 16): every staff queue tab is a range over one department's
            # rows in the order the tab shows, so a page reads its 50 rows, not the
            # department's history; finished cases are in none of the partial ones.
            models.Index(
                fields=["department", "due_date", "id"],
                name="app_running_dept_due_idx",
                condition=_RUNNING,
            ),
            models.Index(
                fields=["department", "intake_due_date", "id"],
                name="app_dept_intake_idx",
                condition=Q(state="submitted"),
            ),
            models.Index(
                fields=["department", "-submitted_at", "-id"],
                name="app_dept_submitted_idx",
                condition=~Q(state="draft"),
            ),
            models.Index(
                fields=["-submitted_at", "-id"],
                name="app_submitted_idx",
                condition=~Q(state="draft"),
            ),
            # Supervision counts per department: an index-only scan of the running cases
            # in the date range, never the table.
            models.Index(
                fields=["due_date", "department"],
                name="app_running_due_dept_idx",
                condition=_RUNNING,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_days__lte=45), name="app_extension_days_bounded"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def clock_running(self) -> bool:
        return self.state in CLOCK_RUNNING_STATES

    @property
    def deadline_provisional(self) -> bool:
        """The deadline on show is counted on a provisional calendar (按暂定日历计算):
        shown with the intake or decision deadline while the case is still waiting."""
        return self.calendar_provisional and self.state in _DEADLINE_OPEN_STATES
