"""The basic catalogue (基本目录, DOMAIN C1, C2): kinds of item, topics and the items."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.accounts.models import Department
from apps.common.models import BaseModel


class ItemType(models.TextChoices):
    """C1: the ten kinds of administrative power, and public services."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COMPULSION = "compulsion", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class ServiceTarget(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")
    BOTH = "both", _("自然人、法人")


class TongbanScope(models.TextChoices):
    """C9: where else the item can be handled."""

    NONE = "none", _("不通办")
    CITY = "city", _("全市通办")
    CROSS_REGION = "cross_region", _("跨域通办")
    CROSS_PROVINCE = "cross_province", _("跨省通办")


class RiskArea(models.TextChoices):
    """C12 / P5: areas where 告知承诺 is never allowed."""

    NONE = "", _("无")
    NATIONAL_SECURITY = "national_security", _("国家安全")
    PUBLIC_SAFETY = "public_safety", _("公共安全")
    FINANCIAL = "financial", _("金融业审慎监管")
    ECOLOGICAL = "ecological", _("生态环境保护")
    HEALTH_LIFE = "health_life", _("直接涉及人身健康、生命财产安全")


class Topic(BaseModel):
    """A way to browse: a theme (教育, 社会保障…), a life event (出生, 入学…) or a company
    stage (开办, 变更, 注销…)."""

    class Kind(models.TextChoices):
        THEME = "theme", _("主题分类")
        LIFE_EVENT = "life_event", _("个人生命周期")
        COMPANY_STAGE = "company_stage", _("企业生命周期")

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("办事分类")
        verbose_name_plural = _("办事分类")
        ordering = ["kind", "order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(BaseModel):
    """政务服务事项 — the basic catalogue entry (C1, C2)."""

    code = models.CharField(_("事项编码"), max_length=64, unique=True)
    name = models.CharField(_("事项名称"), max_length=200, db_index=True)
    item_type = models.CharField(_("事项类型"), max_length=20, choices=ItemType.choices)
    target = models.CharField(_("服务对象"), max_length=16, choices=ServiceTarget.choices)
    competent_department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="competent_items",
    )
    implementing_department = models.ForeignKey(
        Department,
        verbose_name=_("实施主体"),
        on_delete=models.PROTECT,
        related_name="implemented_items",
    )
    legal_basis = models.TextField(_("设定依据"))
    level = models.CharField(
        _("行使层级"),
        max_length=16,
        choices=Department.Level.choices,
        default=Department.Level.CITY,
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("办事分类"), blank=True, related_name="items"
    )
    keywords = models.CharField(
        _("检索关键词"),
        max_length=200,
        blank=True,
        help_text=_("俗称、简称，用逗号分隔，例如：营业执照,开公司"),
    )
    risk_area = models.CharField(
        _("高风险领域"),
        max_length=24,
        choices=RiskArea.choices,
        default=RiskArea.NONE,
        blank=True,
        help_text=_("涉及以上领域的事项不得适用告知承诺制"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    # The English edition (issue #17): shown on /en/ pages; blank → the Chinese name, marked.
    name_en = models.CharField(
        _("英文名称"),
        max_length=200,
        blank=True,
        help_text=_("英文版页面显示的事项名称；留空则显示中文名称并注明仅有中文"),
    )
    summary_en = models.TextField(
        _("英文简介"), blank=True, help_text=_("英文版页面显示的一两句事项简介")
    )
    # Derived by the catalogue services whenever name/keywords change; used by search.
    search_text = models.TextField(editable=False, default="")
    pinyin_initials = models.CharField(max_length=200, editable=False, default="", db_index=True)
    # The name cut into words, space separated (居民 身份证 申领): "contains the query as a
    # word" is decided on it (apps.catalogue.search).
    name_words = models.TextField(editable=False, default="")
    # Applications made for the item in the last year, refreshed by a periodic task from
    # the apps that record them (apps.catalogue.hooks); ranks equal search matches.
    demand = models.PositiveIntegerField(_("近一年申办量"), editable=False, default=0)
    history = HistoricalRecords(
        excluded_fields=["search_text", "pinyin_initials", "name_words", "demand"]
    )

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_high_risk(self) -> bool:
        return bool(self.risk_area)
