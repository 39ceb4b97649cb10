"""Guide versions and their lines (实施清单 / 办事指南, DOMAIN C3–C5, C7, C11, A8)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.catalogue.models.items import ServiceItem, TongbanScope
from apps.common.models import BaseModel


class ServiceGuide(BaseModel):
    """办事指南: one version of an item's implementation list and guide (C3, C5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        SUPERSEDED = "superseded", _("已废止")

    class ResultType(models.TextChoices):
        LICENCE = "licence", _("证照")
        APPROVAL = "approval", _("批准文书")
        FILING = "filing", _("备案回执")
        OTHER = "other", _("其他")

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="guides"
    )
    version = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    change_note = models.CharField(_("修订说明"), max_length=200, blank=True)

    # C3 elements
    acceptance_conditions = models.TextField(_("受理条件"))
    review_standards = models.TextField(_("审查标准"))
    legal_time_limit_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    promised_time_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))
    is_immediate = models.BooleanField(_("即办件"), default=False)
    result_name = models.CharField(_("结果名称"), max_length=200)
    result_type = models.CharField(
        _("结果类型"), max_length=16, choices=ResultType.choices, default=ResultType.APPROVAL
    )
    result_sample = models.FileField(_("结果样本"), upload_to="catalogue/results/", blank=True)
    fee_required = models.BooleanField(_("是否收费"), default=False)
    fee_standard = models.TextField(_("收费标准"), blank=True, default="不收费")
    fee_basis = models.TextField(_("收费依据"), blank=True)
    online_available = models.BooleanField(_("网上办理"), default=True)
    window_available = models.BooleanField(_("窗口办理"), default=True)
    mobile_available = models.BooleanField(_("掌上办理"), default=False)
    post_available = models.BooleanField(_("邮寄办理"), default=False)
    tongban_scope = models.CharField(
        _("通办范围"), max_length=16, choices=TongbanScope.choices, default=TongbanScope.NONE
    )
    appointment = models.CharField(
        _("预约办理"), max_length=200, blank=True, default="支持网上预约"
    )
    max_visits = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    where_to_apply = models.TextField(_("办理地点"))
    office_hours = models.CharField(_("办理时间"), max_length=200)
    consultation = models.TextField(_("咨询方式"))
    complaint = models.TextField(_("监督投诉方式"))
    tolerance_note = models.TextField(_("容缺受理说明"), blank=True)
    # Q2/A5: may an application go in with a required material or field still missing?
    # Then the department sends the one-time correction notice (A5) before accepting.
    incomplete_submission_allowed = models.BooleanField(
        _("允许缺项提交"),
        default=True,
        help_text=_("勾选后，申请人缺少必需的材料或信息时仍可提交，由部门一次性告知补正。"),
    )
    # 在线填报: the application form of this version and the decision fields of its result
    # template (docs/application-forms.md). Fixed with the version once published (C5).
    application_form = models.JSONField(_("在线申请表"), default=dict, blank=True)
    result_fields = models.JSONField(_("结果模板：决定事项"), default=list, blank=True)

    # C12 告知承诺 settings (never on a high-risk item)
    pledge_enabled = models.BooleanField(_("适用告知承诺制"), default=False)
    pledge_text = models.TextField(_("承诺内容"), blank=True)
    pledge_liability_text = models.TextField(_("虚假承诺的法律责任"), blank=True)
    pledge_verification_days = models.PositiveSmallIntegerField(
        _("事后核查期限（工作日）"), null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="uniq_guide_version"),
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status="published"),
                name="one_published_guide_per_item",
            ),
            models.CheckConstraint(
                condition=Q(promised_time_limit_days__lte=models.F("legal_time_limit_days")),
                name="promised_limit_within_legal_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name}（第{self.version}版）"


class GuideMaterial(models.Model):
    """申请材料: one line of the exhaustive materials list (C4, C11, A3)."""

    class Importance(models.TextChoices):
        MAIN = "main", _("主要材料")
        TOLERABLE = "tolerable", _("可容缺材料")

    class Reuse(models.TextChoices):
        NONE = "none", _("申请人提供")
        E_LICENCE = "e_licence", _("电子证照调取")
        SHARED_DATA = "shared_data", _("部门共享获取")

    guide = models.ForeignKey(
        ServiceGuide, verbose_name=_("办事指南"), on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    description = models.TextField(_("填报说明"), blank=True)
    originals = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    electronic_formats = models.CharField(
        _("电子版格式"), max_length=64, default="pdf,jpg,png", help_text=_("逗号分隔的文件扩展名")
    )
    max_size_mb = models.PositiveSmallIntegerField(_("单个文件大小上限（MB）"), default=10)
    is_required = models.BooleanField(_("必须提交"), default=True)
    importance = models.CharField(
        _("材料类别"), max_length=16, choices=Importance.choices, default=Importance.MAIN
    )
    supplement_days = models.PositiveSmallIntegerField(
        _("容缺补正期限（工作日）"), null=True, blank=True
    )
    reuse = models.CharField(
        _("获取方式"), max_length=16, choices=Reuse.choices, default=Reuse.NONE
    )
    e_licence_type = models.CharField(_("电子证照类型"), max_length=100, blank=True)
    blank_form = models.FileField(_("空白表格"), upload_to="catalogue/forms/", blank=True)
    sample = models.FileField(_("填写样本"), upload_to="catalogue/samples/", blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["guide", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(importance="tolerable") | Q(supplement_days__gt=0),
                name="tolerable_material_has_supplement_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_tolerable(self) -> bool:
        return self.importance == self.Importance.TOLERABLE


class GuideStep(models.Model):
    """办理流程: one step of the process, in order."""

    guide = models.ForeignKey(
        ServiceGuide, verbose_name=_("办事指南"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    name = models.CharField(_("环节名称"), max_length=100)
    description = models.TextField(_("环节说明"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("环节时限（工作日）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理流程")
        ordering = ["guide", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SpecialProcedure(models.Model):
    """特别程序 (A8): runs with its own limit while the main clock pauses."""

    class Kind(models.TextChoices):
        SITE_INSPECTION = "site_inspection", _("现场勘验")
        TECHNICAL_REVIEW = "technical_review", _("技术审查")
        HEARING = "hearing", _("听证论证")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        TESTING = "testing", _("检验检测")
        PUBLIC_NOTICE = "public_notice", _("公示")

    guide = models.ForeignKey(
        ServiceGuide,
        verbose_name=_("办事指南"),
        on_delete=models.CASCADE,
        related_name="special_procedures",
    )
    kind = models.CharField(_("特别程序"), max_length=24, choices=Kind.choices)
    time_limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        constraints = [
            models.UniqueConstraint(fields=["guide", "kind"], name="uniq_special_procedure_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
