"""Input shapes of the tolerance pages; the rules are the services' (C6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PledgeForm(forms.Form):
    """T1: the applicant confirms the pledge text shown to them, with their name."""

    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirmed = forms.BooleanField(label=_("本人已阅读并同意以上容缺受理承诺"), required=False)
    signer_name = forms.CharField(label=_("签署人姓名"), max_length=100, required=False)


class SupplementUploadForm(forms.Form):
    guide_material = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("补交文件"))


class TolerantAcceptForm(forms.Form):
    """A4(4) at the window: which tolerable materials are missing, and — without an online
    pledge — the paper signature witnessed by the member of staff, with its scan."""

    missing = forms.TypedMultipleChoiceField(
        label=_("容缺的材料"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    signer_name = forms.CharField(label=_("签字的申请人姓名"), max_length=100, required=False)
    scan = forms.FileField(label=_("签字的承诺书扫描件"), required=False)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, materials=(), pledge=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [
            (m.pk, f"{m.name}（{m.supplement_days}个工作日内补齐）") for m in materials
        ]
        self.fields["missing"].initial = [m.pk for m in materials]
        if pledge is not None:  # signed online: no paper signature to take
            del self.fields["signer_name"]
            del self.fields["scan"]
