"""Citizens' forms: web submission, the phone code, the progress look-up (H4, H7)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.hotline.selectors import leaf_categories
from apps.hotline.workflow import TicketType

PUBLIC_TYPES = [c for c in TicketType.choices]


def _no_nul(value: str) -> None:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("内容含有不允许的字符。"))


class SubmitForm(forms.Form):
    ticket_type = forms.ChoiceField(
        label=_("诉求类型"), choices=PUBLIC_TYPES, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("诉求分类"), queryset=leaf_categories())
    district = forms.ChoiceField(label=_("所属区县"), required=False)
    address = forms.CharField(
        label=_("事发地址"), max_length=200, required=False, validators=[_no_nul]
    )
    content = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        validators=[_no_nul],
    )
    caller_name = forms.CharField(
        label=_("您的称呼"), max_length=64, required=False, validators=[_no_nul]
    )
    is_anonymous = forms.BooleanField(label=_("保密：承办部门看不到我的姓名和电话"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [
            ("", "——"),
            *((d, d) for d in settings.HOTLINE_DISTRICTS),
        ]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        min_length=11,
        validators=[_no_nul],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )


class CodeForm(PhoneForm):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        validators=[_no_nul],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TrackForm(forms.Form):
    number = forms.CharField(label=_("工单编号"), max_length=24, validators=[_no_nul])
    phone = forms.CharField(
        label=_("来电或登记的手机号码"),
        max_length=20,
        validators=[_no_nul],
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
