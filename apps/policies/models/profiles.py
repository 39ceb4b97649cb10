# ruff: noqa: DJ001  (missing data is NULL, see the note above CompanyProfile)
"""Company and person profiles as the data-sharing platform supplies them (DOMAIN PO3, A17).

Profiles are used for matching only. They link to accounts without storing a link: a
person profile by the keyed hash of the ID number (the same hash ``User.id_number_hash``
holds), a company profile by its 统一社会信用代码 (``Company.credit_code``). So a person who
registers later finds their policies at once. Every look at one profile is logged
(:class:`ProfileAccess`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.common.models import BaseModel
from apps.common.pii import EncryptedCharField, keyed_hash, mask_id_number
from apps.policies.criteria.registry import (
    EmploymentStatus,
    HouseholdStatus,
    Scale,
    SubjectKind,
    TaxCreditGrade,
)


class ProfileImport(models.Model):
    """One bulk import from the data-sharing platform: all rows or none (per-row errors)."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("已导入")
        REFUSED = "refused", _("未导入（数据有误）")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    kind = models.CharField(_("数据类型"), max_length=8, choices=SubjectKind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    status = models.CharField(_("结果"), max_length=12, choices=Status.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    row_count = models.PositiveIntegerField(_("记录数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    changed_count = models.PositiveIntegerField(_("更新"), default=0)
    # [{"row": 3, "field": "credit_code", "message": "…"}]; never a personal number.
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
    # Set when the changed profiles have been matched again: the sweep's outbox mark.
    rematched_at = models.DateTimeField(_("重新匹配时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("共享数据导入")
        verbose_name_plural = _("共享数据导入")
        ordering = ["-created_at", "-id"]
        permissions = [("import_profiles", "导入共享数据（企业、个人画像）")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_name}"


# Missing data is NULL, never "": "unknown" must stay distinct from any value, because a
# condition on a value the profile lacks is never met (docs/policy-criteria.md). Hence the
# nullable text columns (DJ001 is deliberately silenced on them).


class CompanyProfile(BaseModel):
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    industry_code = models.CharField(_("行业代码（GB/T 4754）"), max_length=5, null=True)
    scale = models.CharField(_("企业规模"), max_length=8, choices=Scale.choices, null=True)
    district_code = models.CharField(_("注册地区划代码"), max_length=6, null=True)
    established_on = models.DateField(_("成立日期"), null=True)
    employees = models.PositiveIntegerField(_("从业人数"), null=True)
    high_tech = models.BooleanField(_("高新技术企业"), null=True)
    tax_credit_grade = models.CharField(
        _("纳税信用级别"), max_length=1, choices=TaxCreditGrade.choices, null=True
    )
    data_as_of = models.DateField(_("数据截至"))
    # The import that last changed this row: a changed profile is re-matched (PO3).
    changed_by_import = models.ForeignKey(
        ProfileImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("企业画像")
        verbose_name_plural = _("企业画像")
        ordering = ["credit_code"]
        indexes = [
            models.Index(fields=["changed_by_import", "id"], name="company_profile_import_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonProfile(BaseModel):
    id_number = EncryptedCharField(_("身份证号码"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=64)
    birth_date = models.DateField(_("出生日期"))
    district_code = models.CharField(_("户籍或居住地区划代码"), max_length=6, null=True)
    employment_status = models.CharField(
        _("就业状态"), max_length=12, choices=EmploymentStatus.choices, null=True
    )
    has_disability = models.BooleanField(_("持有残疾人证"), null=True)
    household_status = models.CharField(
        _("家庭情况"), max_length=16, choices=HouseholdStatus.choices, null=True
    )
    data_as_of = models.DateField(_("数据截至"))
    changed_by_import = models.ForeignKey(
        ProfileImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("个人画像")
        verbose_name_plural = _("个人画像")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["changed_by_import", "id"], name="person_profile_import_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The look-up hash is derived from the row itself and must never drift.
        self.id_number_hash = keyed_hash(self.id_number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "id_number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "id_number_hash"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class ProfileAccess(models.Model):
    """Every look at a profile: who, when and why (PIPL §51; DOMAIN A17)."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    company_profile = models.ForeignKey(
        CompanyProfile,
        verbose_name=_("企业画像"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accesses",
    )
    person_profile = models.ForeignKey(
        PersonProfile,
        verbose_name=_("个人画像"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accesses",
    )
    purpose = models.CharField(_("查看目的"), max_length=200)
    created_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("画像查看记录")
        verbose_name_plural = _("画像查看记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company_profile__isnull=True) ^ Q(person_profile__isnull=True),
                name="profile_access_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.viewer} · {self.purpose}"
