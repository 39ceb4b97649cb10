"""Applications (办件) and everything that happens to them (DOMAIN A1–A15, C5–C8, T1).

* ``Application`` is one request for one item under the guide version it was made under
  (C5); a ``BundleApplication`` groups the member applications of one 一件事 submission (C8).
* ``ApplicationMaterial`` is one submitted file (or a reuse of an earlier one, A3).
* ``CorrectionRequest`` is the one-time correction notice (A5), ``Suspension`` a special
  procedure (A8), ``Extension`` the once-only extension (A7, A7a).
* ``TimelineEvent`` is what the applicant sees and the audit of who did what and why (A10).
* ``SupervisionMark`` makes each reminder happen once per application and threshold (A15).

State changes go through :mod:`apps.applications.services` only.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Company, Department
from apps.applications.workflow import CLOCK_RUNNING_STATES, CLOCK_RUNNING_VALUES, State
from apps.catalogue.models import (
    Bundle,
    GuideMaterial,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.common.models import BaseModel

_RUNNING = Q(state__in=list(CLOCK_RUNNING_VALUES))


def private_storage() -> FileSystemStorage:
    """Applicants' files live outside MEDIA_ROOT and are only ever served by a view that
    checks permissions (A17): the same storage as issued documents, which has no URL."""
    from apps.documents.models import PrivateFileStorage

    return PrivateFileStorage()


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
    history = HistoricalRecords(excluded_fields=["updated_at"])

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


class ApplicationMaterial(BaseModel):
    """One submitted material: a file checked by content, or a reuse of an earlier one (A3)."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials"
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("指南材料"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(
        _("文件"),
        storage=private_storage,
        upload_to="applications/",
        max_length=300,
        blank=True,
    )
    original_filename = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    extension = models.CharField(_("格式"), max_length=16, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("复用自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reuses",
    )
    e_licence_reference = models.CharField(_("电子证照编号"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "guide_material__order", "id"]
        indexes = [models.Index(fields=["application", "guide_material"], name="appmat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(e_licence_reference="") | Q(reused_from__isnull=False),
                name="appmat_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.original_filename or self.e_licence_reference


class ToleratedMaterial(models.Model):
    """T1/T2: a tolerable material accepted as missing, to be supplied by ``due_date``.

    Written by :func:`application_accept_tolerant`; supply and T3 revocation belong to the
    tolerance issue, which reads and updates these rows.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="tolerated_materials",
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("容缺材料"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("补正期限"))
    supplied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺材料")
        verbose_name_plural = _("容缺材料")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "guide_material"], name="uniq_tolerated_material"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.guide_material}"


class CorrectionRequest(BaseModel):
    """一次性告知 (A5): everything missing or wrong, at once, with a deadline."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("告知人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    deadline = models.DateField(_("补正期限"))
    remind_on = models.DateField(_("提醒日期"))
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("补正提交时间"), null=True, blank=True)
    # Set by the supervision pass once the deadline has passed unanswered (A5, T3): the
    # notice is closed and leaves ``correction_lapse_idx``, so no later run looks at it again.
    lapsed_at = models.DateTimeField(_("逾期未补正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["remind_on", "id"],
                name="correction_remind_idx",
                condition=Q(answered_at__isnull=True, reminded_at__isnull=True),
            ),
            # Open notices only: a lapse run walks the range deadline < today and costs
            # what has lapsed, not what is open (A15).
            models.Index(
                fields=["deadline", "id"],
                name="correction_lapse_idx",
                condition=Q(answered_at__isnull=True, lapsed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} 补正告知"


class CorrectionItem(models.Model):
    correction = models.ForeignKey(
        CorrectionRequest,
        verbose_name=_("补正告知"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    guide_material = models.ForeignKey(
        GuideMaterial, verbose_name=_("材料"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("补正原因"), max_length=300)

    class Meta:
        verbose_name = _("补正事项")
        verbose_name_plural = _("补正事项")
        constraints = [
            models.UniqueConstraint(
                fields=["correction", "guide_material"], name="uniq_correction_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guide_material}：{self.reason}"


class Suspension(BaseModel):
    """A special procedure (A8) listed in the guide; the main clock pauses while it runs."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="suspensions",
    )
    procedure = models.ForeignKey(
        SpecialProcedure, verbose_name=_("特别程序"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("特别程序"), max_length=24, choices=SpecialProcedure.Kind.choices)
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    reason = models.TextField(_("原因"), blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("启动人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_on__isnull=True),
                name="one_open_suspension_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()}"


class Extension(BaseModel):
    """延长办理时限 (A7, A7a): reasons required, approved by the head, at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延长天数（工作日）"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status="refused"),
                name="at_most_one_extension",
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="extension_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} 延期{self.days}个工作日"


class TimelineEvent(models.Model):
    """One step in an application's life: the applicant's progress view and the audit (A10).

    ``payload`` holds ids and codes only, never personal data (A17).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("创建申请")
        MATERIAL_ADDED = "material_added", _("上传材料")
        TRANSITION = "transition", _("状态变更")
        DEEMED_ACCEPTED = "deemed_accepted", _("视为受理")
        CORRECTED_ON_SPOT = "corrected_on_spot", _("当场更正")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_APPROVED = "extension_approved", _("批准延期")
        EXTENSION_REFUSED = "extension_refused", _("不批准延期")
        DOCUMENT_ISSUED = "document_issued", _("出具文书")
        REMINDER = "reminder", _("督办提醒")

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    from_state = models.CharField(_("原状态"), max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=24, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("说明"), blank=True)
    visible_to_applicant = models.BooleanField(_("申请人可见"), default=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件进度")
        verbose_name_plural = _("办件进度")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="timeline_app_idx")]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class SupervisionMark(models.Model):
    """A reminder already sent for this application and threshold (A15): the unique row
    makes every supervision run, retry and race a no-op the second time."""

    class Threshold(models.TextChoices):
        INTAKE_DUE = "intake_due", _("受理期限届满")
        YELLOW = "yellow", _("临期预警")
        RED = "red", _("超期")
        CORRECTION_DUE = "correction_due", _("补正临期")

    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        on_delete=models.CASCADE,
        related_name="supervision_marks",
    )
    threshold = models.CharField(_("阈值"), max_length=16, choices=Threshold.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "threshold"], name="uniq_supervision_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_threshold_display()}"


class ApplicationDocument(models.Model):
    """A dated, sealed receipt or decision issued for an application (A4, A9, A16).

    Written in the same transaction as the outcome it records: the document exists if and
    only if the outcome does.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="documents"
    )
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("文书"),
        on_delete=models.PROTECT,
        related_name="application_link",
    )
    kind = models.CharField(_("文书类型"), max_length=32)
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办件文书")
        verbose_name_plural = _("办件文书")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.kind}"
