"""Input shape of the public and personal pages. Domain rules stay in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.models import Notification


class PushPreferenceForm(forms.Form):
    """推送设置: which channels carry policy pushes, or none at all (opt-out)."""

    channels = forms.MultipleChoiceField(
        label=_("接收渠道"),
        choices=Notification.Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opted_out = forms.BooleanField(label=_("不再接收政策推送"), required=False)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("放弃原因（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
