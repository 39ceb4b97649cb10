from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.common.models import BaseModel
from apps.common.pii import (
    EncryptedCharField,
    EncryptedEmailField,
    email_lookup_key,
    keyed_hash,
    mask_id_number,
    mask_phone,
)


class Department(BaseModel):
    """政务服务部门: the body that implements service items."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")
        TOWNSHIP = "township", _("乡镇（街道）级")
        VILLAGE = "village", _("村（社区）级")

    code = models.CharField(_("部门编码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100)
    # The English edition (issue #17): shown on /en/ pages; blank → the Chinese name, marked.
    name_en = models.CharField(
        _("英文名称"),
        max_length=200,
        blank=True,
        help_text=_("英文版页面显示的部门名称；留空则显示中文名称并注明仅有中文"),
    )
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("机关的代码以11开头")
    )
    region_code = models.CharField(
        _("行政区划代码"), max_length=12, blank=True, help_text=_("例如：350102（鼓楼区）")
    )
    phone = models.CharField(_("咨询电话"), max_length=32, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政务服务部门")
        verbose_name_plural = _("政务服务部门")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="uniq_department_credit_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceCenter(BaseModel):
    """政务服务中心 / 便民服务中心 / 便民服务站: the halls where windows sit (DOMAIN C9)."""

    class Kind(models.TextChoices):
        GOVERNMENT_SERVICE_CENTER = "center", _("政务服务中心")
        CONVENIENCE_CENTER = "convenience_center", _("便民服务中心")
        CONVENIENCE_STATION = "convenience_station", _("便民服务站")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Department.Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级中心"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=32, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("进驻部门"), blank=True, related_name="service_centers"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("政务服务场所")
        verbose_name_plural = _("政务服务场所")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceWindow(BaseModel):
    """A counter in a service centre; a comprehensive window takes every item (DOMAIN A11)."""

    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("所在场所"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=16)
    name = models.CharField(_("窗口名称"), max_length=100)
    is_comprehensive = models.BooleanField(_("综合窗口"), default=False)
    departments = models.ManyToManyField(
        Department, verbose_name=_("受理部门"), blank=True, related_name="windows"
    )

    class Meta:
        verbose_name = _("服务窗口")
        verbose_name_plural = _("服务窗口")
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="uniq_window_number")
        ]

    def __str__(self) -> str:
        return f"{self.center.name} {self.number}号窗口"


class Company(BaseModel):
    """A legal person or unincorporated organisation (DOMAIN A1)."""

    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法人")
        verbose_name_plural = _("法人")

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoUserManager):
    def _create_user(self, username, email, password, **extra_fields):
        username = username or f"u{secrets.token_hex(8)}"
        user = self.model(username=username, email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", User.Kind.STAFF)
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(username, email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    """One identity for every service (DOMAIN A2).

    Citizens and company agents log in with their phone number; staff with a username.
    Phone and ID numbers and the e-mail address are stored encrypted, with a keyed hash for
    exact look-ups.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("自然人")
        COMPANY_AGENT = "company_agent", _("法人经办人")
        STAFF = "staff", _("工作人员")

    username = models.CharField(_("登录名"), max_length=64, unique=True)
    full_name = models.CharField(_("姓名"), max_length=64)
    kind = models.CharField(
        _("用户类型"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN
    )
    phone = EncryptedCharField(_("手机号码"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    id_number = EncryptedCharField(_("身份证号码"), blank=True, default="")
    id_number_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Stored encrypted like the phone (issue 16); found by its keyed hash, never in clear.
    email = EncryptedEmailField(_("电子邮箱"), blank=True, default="")
    email_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    is_staff = models.BooleanField(_("可登录管理后台"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), auto_now_add=True)
    # When the person agreed to the 个人信息保护告知 at registration (个人信息保护法 §14, §17).
    privacy_consent_at = models.DateTimeField(_("同意个人信息保护告知时间"), null=True, blank=True)
    # 长辈版/大字模式 (large text, high contrast) chosen while signed in, applied on any browser;
    # empty until the person first chooses, so the browser's own choice still counts (DOMAIN Q1).
    accessible_mode = models.BooleanField(_("长辈版/大字模式"), null=True, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("所属部门"), blank=True, related_name="staff"
    )
    companies = models.ManyToManyField(
        Company, verbose_name=_("代理的法人"), blank=True, related_name="agents"
    )
    # Personal numbers are stored encrypted in history too (the field class is copied).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="uniq_user_phone"
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="uniq_user_id_number",
            ),
        ]
        permissions = [
            ("view_full_personal_data", "可查看完整身份证号和手机号（留痕）"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        # The look-up hashes are derived from the row itself and must never drift.
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        self.id_number_hash = keyed_hash(self.id_number) if self.id_number else ""
        self.email_hash = email_lookup_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"phone": "phone_hash", "id_number": "id_number_hash", "email": "email_hash"}
            kwargs["update_fields"] = {
                *update_fields,
                *(extra[f] for f in update_fields if f in extra),
            }
        super().save(*args, **kwargs)

    def has_perm(self, perm: str, obj=None) -> bool:
        """Django's answer, kept on this instance (issue 16): the admin's index asks a few
        hundred times a page (four permissions of each model) and Django asks every
        authentication backend each time. Kept as Django keeps the permission sets
        themselves (on the instance, for the request), by the account's state; a question
        about one object is always asked."""
        if obj is not None:
            return super().has_perm(perm, obj)
        answers = self.__dict__.setdefault("_has_perm_answers", {})
        key = (perm, self.is_active, self.is_superuser)
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = super().has_perm(perm)
        return answer

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class PersonalDataAccess(models.Model):
    """Every time staff see a person's full ID or phone number (PIPL §51; DOMAIN A17)."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("身份证号码")
        PHONE = "phone", _("手机号码")

    viewer = models.ForeignKey(
        User, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="pii_views"
    )
    subject = models.ForeignKey(
        User, verbose_name=_("被查看人"), on_delete=models.PROTECT, related_name="pii_viewed"
    )
    field = models.CharField(_("字段"), max_length=16, choices=Field.choices)
    purpose = models.CharField(_("用途"), max_length=200)
    created_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.viewer} → {self.subject} ({self.get_field_display()})"
