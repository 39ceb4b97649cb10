"""Shapes of the staff forms; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.pledges.models import SubjectKind


class CheckForm(forms.Form):
    compliant = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("符合承诺")), ("0", _("不符合承诺"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=_("核查地点"), max_length=200)
    inspected_on = forms.DateField(label=_("核查日期"), initial=timezone.localdate)
    evidence_file = forms.FileField(label=_("证据材料（照片或文件）"), required=False)
    rectify_items = forms.CharField(
        label=_("整改事项（每行一项，首次不符合时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rectify_days = forms.IntegerField(
        label=_("整改期限（工作日）"), required=False, min_value=1, max_value=60
    )

    def items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["rectify_items"].splitlines()]


class RevokeForm(forms.Form):
    reasons = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}))
    false_pledge = forms.BooleanField(label=_("认定为虚假承诺（记入失信记录）"), required=False)
    basis = forms.CharField(label=_("认定依据（留空用默认依据）"), required=False)


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class CreditRecordForm(forms.Form):
    subject_kind = forms.ChoiceField(label=_("主体类型"), choices=SubjectKind.choices)
    identifier = forms.CharField(label=_("身份证号码或统一社会信用代码"), max_length=18)
    subject_name = forms.CharField(label=_("主体名称"), max_length=200)
    basis = forms.CharField(label=_("认定依据"), widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("失信事实"), widget=forms.Textarea(attrs={"rows": 2}))


class RepairDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("准予修复")), ("0", _("不予修复"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea)
