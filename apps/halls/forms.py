"""Input shapes of the hall pages; the rules themselves are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.catalogue.models import ServiceItem
from apps.halls.models import HallProfile, WindowGroup
from apps.halls.workflow import AssistanceReason, GreenReason, HardCaseCause


class KioskForm(forms.Form):
    code = forms.CharField(label=_("预约码"), max_length=8, required=False)
    item = forms.ModelChoiceField(
        label=_("办理事项"), queryset=ServiceItem.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("或选择窗口"), queryset=WindowGroup.objects.none(), required=False
    )
    green_reason = forms.ChoiceField(
        label=_("绿色通道"),
        choices=[("", _("不适用")), *GreenReason.choices],
        required=False,
    )

    def __init__(self, *args, hall: HallProfile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = (
            ServiceItem.objects.filter(window_groups__hall=hall).distinct().order_by("code")
        )
        self.fields["group"].queryset = hall.groups.order_by("letter")

    def clean(self):
        data = super().clean()
        if not (data.get("code") or data.get("item") or data.get("group")):
            raise forms.ValidationError(_("请输入预约码，或选择办理事项、窗口。"))
        return data


class TransferForm(forms.Form):
    group = forms.ModelChoiceField(label=_("转至"), queryset=WindowGroup.objects.none())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, hall: HallProfile, exclude: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = hall.groups.exclude(pk=exclude).order_by("letter")


class HardCaseForm(forms.Form):
    contact_name = forms.CharField(label=_("反映人姓名"), max_length=64)
    item = forms.ModelChoiceField(
        label=_("涉及事项"), queryset=ServiceItem.objects.filter(is_active=True), required=False
    )
    problem = forms.CharField(label=_("问题描述"), widget=forms.Textarea, min_length=5)
    cause = forms.ChoiceField(label=_("难办原因"), choices=HardCaseCause.choices)


class AssistanceForm(forms.Form):
    """帮办代办 recorded at the window (A13)."""

    reason = forms.ChoiceField(label=_("帮办原因"), choices=AssistanceReason.choices)
    note = forms.CharField(label=_("原因说明"), max_length=200, required=False)
    authorisation = forms.FileField(label=_("申请人签字的授权委托书扫描件（PDF、JPG、PNG）"))


class HandOutForm(forms.Form):
    """综合窗口出件 (A11): who collected the result."""

    collector_name = forms.CharField(
        label=_("领取人"), max_length=64, required=False, help_text=_("默认为申请人本人")
    )
