"""The rating form: its shape only; the rules (reasons and text for a bad review, one
review per service) are checked by the service so every channel agrees (DOMAIN C6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.reviews.models import ReviewTag
from apps.reviews.workflow import LEVEL_ORDER


class ReviewForm(forms.Form):
    level = forms.ChoiceField(
        label=_("评价等级"),
        choices=[(level.value, level.label) for level in LEVEL_ORDER],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价等级。"), "invalid_choice": _("评价等级无效。")},
    )
    tags = forms.MultipleChoiceField(
        label=_("差评原因（可多选）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(
        label=_("评价内容"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("选择“不满意”或“非常不满意”时，请写明具体情况。"),
    )
    anonymous = forms.BooleanField(
        label=_("匿名评价（部门看不到您的身份，也无法回访您）"), required=False
    )

    def __init__(self, *args, allow_real_name: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [
            (t.code, t.label) for t in ReviewTag.objects.filter(is_active=True)
        ]
        if not allow_real_name:
            del self.fields["anonymous"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "tags": data.get("tags") or [],
            "text": data.get("text") or "",
            "anonymous": bool(data.get("anonymous", True)),
        }


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label=_("追评内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
