"""告知承诺制 (DOMAIN P1–P6, P3a, C12): the signed pledge, the verification afterwards, the
rectification order, and the credit records that restrict the route (P4).

State changes go through :mod:`apps.pledges.services` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.applications.models import Application, private_storage
from apps.catalogue.models import GuideMaterial, ServiceGuide
from apps.common.models import BaseModel
from apps.pledges.workflow import CreditStatus, RepairStatus, VerificationState


class PledgeKind(models.TextChoices):
    """P6: the two kinds of 告知承诺."""

    CERTIFICATE = "certificate", _("证明事项告知承诺")
    LICENSING = "licensing", _("涉企经营许可事项告知承诺")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("自然人")
    COMPANY = "company", _("法人或非法人组织")


class PledgeableCertificate(BaseModel):
    """P6: a certificate (证明) the guide lists that an applicant may pledge instead of
    bringing; with what must be certified, told once in writing."""

    material = models.OneToOneField(
        GuideMaterial,
        verbose_name=_("证明材料"),
        on_delete=models.CASCADE,
        related_name="pledge_option",
    )
    certified_matter = models.CharField(_("需证明的事项"), max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("可承诺替代的证明")
        verbose_name_plural = _("可承诺替代的证明")

    def __str__(self) -> str:
        return self.material.name


class ImmutableRowError(Exception):
    pass


class Pledge(models.Model):
    """承诺书: what the applicant signed, exactly as shown (P1, P3a). Written once and never
    edited: the row refuses a second save and the admin shows it read-only."""

    application = models.OneToOneField(
        Application, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="pledge"
    )
    guide = models.ForeignKey(
        ServiceGuide, verbose_name=_("办事指南版本"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("承诺类型"), max_length=16, choices=PledgeKind.choices)
    pledge_text = models.TextField(_("承诺内容"))
    liability_text = models.TextField(_("虚假承诺的法律责任"))
    # [{"material_id", "name", "matter"}]: the certificates this pledge replaces (P6).
    certificates = models.JSONField(_("以承诺替代的证明"), default=list, blank=True)
    text_sha256 = models.CharField(_("承诺文本摘要"), max_length=64)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签署人账号"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_name = models.CharField(_("签署姓名"), max_length=64)
    subject_kind = models.CharField(_("承诺主体类型"), max_length=8, choices=SubjectKind.choices)
    subject_hash = models.CharField(_("主体标识（密钥哈希）"), max_length=64, db_index=True)
    subject_name = models.CharField(_("承诺主体"), max_length=200)
    signed_at = models.DateTimeField(_("签署时间"))
    ip_address = models.GenericIPAddressField(_("签署IP"), null=True, blank=True)
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("告知承诺书"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("告知承诺书")
        verbose_name_plural = _("告知承诺书")
        ordering = ["-signed_at", "-id"]
        permissions = [
            ("approve_pledged_application", "可按告知承诺直接作出决定"),
            ("terminate_pledged_application", "可终止办理虚假承诺的办件"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRowError("a signed pledge can never be edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("a signed pledge can never be deleted")


class VerificationTask(BaseModel):
    """事中事后核查 of one pledged approval (P3), due within the guide's period; selected
    by the applicant's credit (P3a), the draw recorded so it can be audited."""

    class Selection(models.TextChoices):
        FIRST_TIME = "first_time", _("首次适用告知承诺，必查")
        WARNED = "warned", _("有失信或整改记录，必查")
        SAMPLED = "sampled", _("信用良好，抽中")
        NOT_SAMPLED = "not_sampled", _("信用良好，未抽中")

    application = models.OneToOneField(
        Application,
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        related_name="pledge_verification",
    )
    pledge = models.OneToOneField(
        Pledge, verbose_name=_("告知承诺书"), on_delete=models.PROTECT, related_name="verification"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("核查部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=VerificationState.choices, db_index=True
    )
    due_date = models.DateField(_("核查期限"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    selection = models.CharField(_("核查方式"), max_length=16, choices=Selection.choices)
    sample_percent = models.PositiveSmallIntegerField(_("抽查比例（%）"))
    sample_value = models.PositiveSmallIntegerField(_("抽签值（0–99）"))
    rectify_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    false_pledge = models.BooleanField(_("认定虚假承诺"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("核查任务")
        verbose_name_plural = _("核查任务")
        ordering = ["due_date", "id"]
        indexes = [
            # The sweep walks only what is still owed a check or a rectification.
            models.Index(
                fields=["due_date", "id"],
                name="pledge_verify_pending_idx",
                condition=Q(state="pending"),
            ),
            models.Index(
                fields=["rectify_deadline", "id"],
                name="pledge_verify_rectify_idx",
                condition=Q(state="rectifying"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rectifying") | Q(rectify_deadline__isnull=False),
                name="pledge_rectifying_has_deadline",
            ),
        ]
        permissions = [
            ("verify_pledge", "可核查告知承诺"),
            ("revoke_pledged_decision", "可撤销告知承诺作出的许可决定"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_state_display()}"


class VerificationCheck(models.Model):
    """One inspection and its evidence (text, file, date, place)."""

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", _("符合承诺")
        NON_COMPLIANT = "non_compliant", _("不符合承诺，责令整改")
        STILL_NON_COMPLIANT = "still_non_compliant", _("整改后仍不符合")

    task = models.ForeignKey(
        VerificationTask,
        verbose_name=_("核查任务"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    outcome = models.CharField(_("核查结论"), max_length=24, choices=Outcome.choices)
    evidence = models.TextField(_("核查情况"))
    place = models.CharField(_("核查地点"), max_length=200)
    inspected_on = models.DateField(_("核查日期"))
    # Personal evidence lives in the private storage, served only by a checked view (A17).
    evidence_file = models.FileField(
        _("证据材料"),
        upload_to="pledges/evidence/%Y/",
        storage=private_storage,
        blank=True,
        max_length=200,
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.get_outcome_display()}"


class RectificationOrder(models.Model):
    """责令限期整改 (P3): the items and the deadline, sent to the applicant as a document."""

    task = models.ForeignKey(
        VerificationTask,
        verbose_name=_("核查任务"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    check_record = models.OneToOneField(
        VerificationCheck, verbose_name=_("核查记录"), on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField(_("整改事项"), default=list)
    deadline = models.DateField(_("整改期限"))
    document = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("责令整改通知书"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责令整改")
        verbose_name_plural = _("责令整改")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task.application.number} {self.deadline}"


class VerificationMark(models.Model):
    """A reminder or escalation already sent for this task and threshold: the unique row
    makes every sweep, retry and race a no-op the second time."""

    class Threshold(models.TextChoices):
        VERIFY_SOON = "verify_soon", _("核查临期提醒")
        VERIFY_OVERDUE = "verify_overdue", _("核查超期督办")
        RECTIFY_SOON = "rectify_soon", _("整改临期提醒")
        RECTIFY_LAPSED = "rectify_lapsed", _("整改期满")

    task = models.ForeignKey(
        VerificationTask, verbose_name=_("核查任务"), on_delete=models.CASCADE, related_name="marks"
    )
    threshold = models.CharField(_("阈值"), max_length=16, choices=Threshold.choices)
    # A task may be ordered to rectify more than once: the mark is per order.
    order_id = models.PositiveBigIntegerField(_("整改通知"), default=0)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核查督办记录")
        verbose_name_plural = _("核查督办记录")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "threshold", "order_id"], name="uniq_pledge_verification_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.threshold}"


class PledgeEvent(models.Model):
    """Who did what to a pledge, a verification or a credit record, when and why."""

    class Kind(models.TextChoices):
        SIGNED = "signed", _("签署告知承诺书")
        APPROVED = "approved", _("按承诺直接作出决定")
        TERMINATED = "terminated", _("虚假承诺，终止办理")
        TASK_CREATED = "task_created", _("生成核查任务")
        ASSIGNED = "assigned", _("指派核查人员")
        CHECKED = "checked", _("记录核查结论")
        RECTIFY_ORDERED = "rectify_ordered", _("责令整改")
        RECTIFY_LAPSED = "rectify_lapsed", _("整改期满")
        REVOKED = "revoked", _("撤销许可决定")
        CREDIT_RECORDED = "credit_recorded", _("记入失信记录")
        CREDIT_REPAIRED = "credit_repaired", _("信用修复")
        CREDIT_EXPIRED = "credit_expired", _("失信记录到期")
        REPAIR_REQUESTED = "repair_requested", _("申请信用修复")
        REPAIR_REFUSED = "repair_refused", _("不予信用修复")
        REMINDER = "reminder", _("提醒督办")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    application = models.ForeignKey(
        Application,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    task = models.ForeignKey(
        VerificationTask,
        verbose_name=_("核查任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    credit_record = models.ForeignKey(
        "pledges.CreditRecord",
        verbose_name=_("失信记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("说明"), blank=True)
    payload = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("告知承诺记录")
        verbose_name_plural = _("告知承诺记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class CreditRecord(BaseModel):
    """失信记录 (P3a, P4, P6): who (by keyed hash of the ID number or USCC), why, on which
    legal basis, since when and until when. An active, unexpired record closes the pledge
    route until it is repaired."""

    class Source(models.TextChoices):
        REVOCATION = "revocation", _("虚假承诺，撤销许可决定")
        TERMINATION = "termination", _("虚假承诺，终止办理")
        STAFF = "staff", _("工作人员录入")

    subject_kind = models.CharField(_("主体类型"), max_length=8, choices=SubjectKind.choices)
    subject_hash = models.CharField(_("主体标识（密钥哈希）"), max_length=64)
    subject_name = models.CharField(_("主体名称"), max_length=200)
    # The identifier as printed where a role may not see it whole (A17).
    masked_identifier = models.CharField(_("证件号码（脱敏）"), max_length=32)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    basis = models.TextField(_("认定依据"))
    reason = models.TextField(_("失信事实"))
    recorded_on = models.DateField(_("认定日期"))
    repairable_on = models.DateField(_("可申请修复日期"))
    expires_on = models.DateField(_("到期日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CreditStatus.choices, default=CreditStatus.ACTIVE
    )
    repaired_at = models.DateTimeField(_("修复时间"), null=True, blank=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("关联办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")
        ordering = ["-recorded_on", "-id"]
        indexes = [
            # The eligibility check: one range over active records of the subjects asked.
            models.Index(
                fields=["subject_hash", "expires_on"],
                name="credit_active_subject_idx",
                condition=Q(status="active"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("recorded_on")),
                name="credit_expires_after_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="repaired") | Q(repaired_at__isnull=False),
                name="credit_repaired_has_time",
            ),
        ]
        permissions = [
            ("record_credit", "可录入失信记录"),
            ("decide_credit_repair", "可审核信用修复"),
            ("view_pledge_figures", "可查看告知承诺统计"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.recorded_on}"


def repair_evidence_upload_to(instance: CreditRepairRequest, filename: str) -> str:
    return f"pledges/repair/{instance.record_id}/{filename}"


class CreditRepairRequest(BaseModel):
    """信用修复申请 (P4): reasons and evidence; a supervisor approves or refuses."""

    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("失信记录"),
        on_delete=models.CASCADE,
        related_name="repair_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reasons = models.TextField(_("修复理由"))
    evidence = models.FileField(
        _("证明材料"), upload_to=repair_evidence_upload_to, storage=private_storage, max_length=200
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=RepairStatus.choices, default=RepairStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status="pending"),
                name="one_pending_repair_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.get_status_display()}"
