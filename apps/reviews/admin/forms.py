"""Admin action forms: the shape of each step; the services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, ServiceWindow
from apps.accounts.selectors import department_ids_for
from apps.catalogue.models import ServiceItem
from apps.reviews.workflow import LEVEL_ORDER, AppealGround, Outcome


class CallbackForm(forms.Form):
    outcome = forms.ChoiceField(label=_("核实结论"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("回访核实情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    days = forms.IntegerField(
        label=_("整改期限（工作日，限期整改时填写）"),
        required=False,
        min_value=1,
        max_value=settings.REVIEWS_RECTIFY_WORKING_DAYS,
    )


class RectifyForm(forms.Form):
    note = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class RevisitForm(forms.Form):
    level = forms.ChoiceField(
        label=_("回访满意度"), choices=[(lv.value, lv.label) for lv in LEVEL_ORDER]
    )
    note = forms.CharField(
        label=_("回访情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class SuperviseForm(forms.Form):
    note = forms.CharField(
        label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AppealForm(forms.Form):
    ground = forms.ChoiceField(label=_("申诉理由类型"), choices=AppealGround.choices)
    reason = forms.CharField(
        label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("upheld", _("申诉成立（该评价不计入统计）")), ("refused", _("申诉不成立"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("复核意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class WindowEventForm(forms.Form):
    """现场评价: the window, department and (optionally) item or application served."""

    window = forms.ModelChoiceField(label=_("窗口"), queryset=ServiceWindow.objects.none())
    department = forms.ModelChoiceField(label=_("服务部门"), queryset=Department.objects.none())
    item = forms.ModelChoiceField(
        label=_("办理事项（选填）"), queryset=ServiceItem.objects.none(), required=False
    )
    application = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = department_ids_for(user)
        departments = Department.objects.filter(is_active=True)
        if ids is not None:
            departments = departments.filter(pk__in=ids)
        self.fields["department"].queryset = departments.order_by("code")
        self.fields["window"].queryset = (
            ServiceWindow.objects.select_related("center")
            .filter(center__is_active=True)
            .order_by("center__code", "number")
        )
        if ids is not None:
            self.fields["window"].queryset = (
                self.fields["window"]
                .queryset.filter(Q(departments__in=ids) | Q(is_comprehensive=True))
                .distinct()
            )
        self.fields["item"].queryset = ServiceItem.objects.filter(
            is_active=True, implementing_department__in=departments
        ).order_by("code")
