"""Public forms: they check the shape of the input; the services check the domain rules."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.accounts import services
from apps.accounts.backends import MOBILE_RE, normalize_phone
from apps.accounts.models import PersonalDataAccess, User
from apps.common.errors import ApplicationError
from apps.common.idnumbers import validate_credit_code

ID_NUMBER_SHAPE = RegexValidator(
    r"^\d{17}[\dXx]$", _("身份证号码应为18位：前17位为数字，最后一位为数字或X。")
)
CREDIT_CODE_SHAPE = RegexValidator(
    r"^[0-9A-Za-z]{18}$", _("统一社会信用代码应为18位数字或大写字母。")
)


class PhoneField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "tel"})

    def clean(self, value):
        value = normalize_phone(super().clean(value))
        if value and not MOBILE_RE.match(value):
            raise forms.ValidationError(_("请输入正确的11位手机号码。"), code="invalid_phone")
        return value


def _credit_code(value: str) -> None:
    if re.fullmatch(r"[0-9A-Z]{18}", value.upper()):
        validate_credit_code(value)


class IdNumberField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("身份证号码"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault("validators", [ID_NUMBER_SHAPE])
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off"})

    def to_python(self, value):
        return re.sub(r"\s", "", super().to_python(value)).upper()


class CitizenRegisterForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = PhoneField()
    id_number = IdNumberField()
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    password1 = forms.CharField(
        label=_("设置密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少8位，不能全是数字，不能与姓名、手机号相近。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    privacy_consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护告知》"),
        error_messages={"required": _("请阅读并勾选同意《个人信息保护告知》后再注册。")},
    )

    # Service error field → form field that shows it.
    service_fields = {"password": "password1"}

    def clean(self):
        """Every problem at once: what the shape checks let through is checked by the
        service's rules here too (the ID number's parts, a taken phone, the password)."""
        data = super().clean()
        password = data.get("password1")
        problems = services.registration_problems(
            full_name=data.get("full_name"),
            phone=data.get("phone"),
            id_number=data.get("id_number"),
            password=password,
            email=data.get("email") or "",
        )
        for field, message in problems.items():
            self.add_service_error(field, message)
        if password and data.get("password2") != password:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data

    def service_kwargs(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "phone": data["phone"],
            "id_number": data["id_number"],
            "email": data.get("email") or "",
            "password": data["password1"],
            "privacy_consent": data["privacy_consent"],
        }

    def add_service_error(self, field: str | None, message: str) -> None:
        field = self.service_fields.get(field or "", field)
        self.add_error(field if field in self.fields else None, message)

    def add_service_errors(self, exc: ApplicationError) -> None:
        """Each of the service's problems beside its own field (all of them at once)."""
        errors = exc.extra.get("errors") or {exc.extra.get("field") or "": exc.message}
        for field, message in errors.items():
            if field in self.errors or self.service_fields.get(field) in self.errors:
                continue  # the form already says what is wrong there
            self.add_service_error(field, message)


class CompanyAgentRegisterForm(CitizenRegisterForm):
    company_name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, validators=[CREDIT_CODE_SHAPE, _credit_code]
    )
    legal_representative = forms.CharField(
        label=_("法定代表人（选填）"), max_length=64, required=False
    )

    field_order = [
        "company_name",
        "credit_code",
        "legal_representative",
        "full_name",
        "phone",
        "id_number",
        "email",
        "password1",
        "password2",
        "privacy_consent",
    ]

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()

    def service_kwargs(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            **super().service_kwargs(),
            "company_name": data["company_name"],
            "credit_code": data["credit_code"],
            "legal_representative": data.get("legal_representative") or "",
        }


class AddCompanyForm(forms.Form):
    """成为法人经办人: a signed-in person adds the company they act for."""

    company_name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=24, validators=[CREDIT_CODE_SHAPE, _credit_code]
    )
    legal_representative = forms.CharField(
        label=_("法定代表人（选填）"), max_length=64, required=False
    )

    def clean_credit_code(self) -> str:
        return self.cleaned_data["credit_code"].strip().upper()


class PublicLoginForm(AuthenticationForm):
    """Phone number + password. Staff accounts sign in at /admin/ only."""

    username = PhoneField()

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("手机号或密码不正确。连续输错5次，账户将被暂时锁定。"),
        "inactive": _("该账户已停用，请拨打12345热线咨询。"),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.kind == User.Kind.STAFF:
            raise self.get_invalid_login_error()


class RevealForm(forms.Form):
    """Admin: which number to see in full, and why (DOMAIN A17)."""

    field = forms.ChoiceField(
        label=_("查看内容"), choices=PersonalDataAccess.Field.choices, widget=forms.RadioSelect
    )
    purpose = forms.CharField(
        label=_("查看用途"),
        max_length=200,
        help_text=_("例如：办件编号、核验身份的事由。每次查看都会留痕。"),
    )
