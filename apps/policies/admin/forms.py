"""Input shape of the policy admin screens. Domain rules are the services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.common.errors import ApplicationError
from apps.policies.criteria import SubjectKind
from apps.policies.models import LegalGround, Policy
from apps.policies.services.policies import POLICY_FIELDS, clean_policy_data
from apps.policies.workflow import HaltAction

_TEXT = {"rows": 3, "cols": 70}


class PolicyAdminForm(forms.ModelForm):
    """The policy with its criteria. The criteria widget is a JSON textarea that the
    editor script (static/js/policy-criteria.js) fills; the service validates it."""

    class Meta:
        model = Policy
        fields = list(POLICY_FIELDS)
        widgets = {
            "criteria": forms.Textarea(attrs={"rows": 6, "cols": 90, "class": "vLargeTextField"}),
            "summary": forms.Textarea(attrs=_TEXT),
            "benefit": forms.Textarea(attrs=_TEXT),
            "conditions_text": forms.Textarea(attrs=_TEXT),
            "procedure_text": forms.Textarea(attrs=_TEXT),
            "legal_basis": forms.Textarea(attrs=_TEXT),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "criteria" not in self.fields:  # a published policy: read-only but its title_en
            return
        self.fields["criteria"].required = False
        self.fields["criteria"].help_text = _(
            "条件列表（JSON），可用下方的条件编辑器生成；所有条件须同时满足，缺少数据视为不符合。"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors or "criteria" not in self.fields:  # published: the title_en alone
            return cleaned
        data = {f: cleaned.get(f) for f in POLICY_FIELDS}
        criteria = data.get("criteria")
        data["criteria"] = [] if criteria in (None, "") else criteria
        try:
            normalised = clean_policy_data(data)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            problems = exc.extra.get("problems")
            if problems:
                raise ValidationError({"criteria": problems}) from None
            raise ValidationError(
                {field: exc.message} if field in self.fields else exc.message
            ) from None
        cleaned["criteria"] = normalised["criteria"]
        return cleaned


class HaltRequestForm(forms.Form):
    """PO5: what to halt, on which statutory ground, under which article, and why."""

    action = forms.ChoiceField(label=_("申请事项"), choices=HaltAction.choices)
    legal_ground = forms.ChoiceField(label=_("法定事由"), choices=LegalGround.choices)
    legal_basis = forms.CharField(
        label=_("依据（文件名称及条款）"), widget=forms.Textarea(attrs=_TEXT), max_length=2000
    )
    reason = forms.CharField(
        label=_("具体理由"), widget=forms.Textarea(attrs=_TEXT), max_length=2000
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs=_TEXT), max_length=2000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs=_TEXT), max_length=2000)


class PaymentForm(forms.Form):
    payment_reference = forms.CharField(label=_("兑付凭证号"), max_length=64)


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("查看目的"),
        max_length=200,
        help_text=_("画像数据仅用于政策匹配，每次查看都会记录查看人、时间和目的。"),
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类型"), choices=SubjectKind.choices)
    file = forms.FileField(
        label=_("数据文件"), help_text=_("CSV（首行为列名）或 JSON 对象列表，格式见导入说明。")
    )
