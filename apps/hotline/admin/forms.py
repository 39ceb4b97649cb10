"""Forms of the hotline console: the intake screen and one form per action."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department
from apps.hotline.kb_search import current_articles
from apps.hotline.selectors import leaf_categories
from apps.hotline.workflow import Satisfaction, TicketType, TransferTarget, Urgency


def _departments():
    return Department.objects.filter(is_active=True).order_by("code")


class NoNulCharField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if "\x00" in value:
            raise forms.ValidationError(_("内容含有不允许的字符。"))
        return value


class IntakeForm(forms.Form):
    """The operator's one screen: caller first, then what and where (H4)."""

    caller_phone = NoNulCharField(label=_("来电号码"), max_length=20)
    caller_name = NoNulCharField(label=_("来电人"), max_length=64, required=False)
    is_anonymous = forms.BooleanField(label=_("保密（部门不可见身份与号码）"), required=False)
    ticket_type = forms.ChoiceField(
        label=_("诉求类型"), choices=TicketType.choices, widget=forms.RadioSelect
    )
    category = forms.ModelChoiceField(label=_("诉求分类"), queryset=leaf_categories())
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    district = forms.ChoiceField(label=_("所属区县"), required=False)
    address = NoNulCharField(label=_("事发地址"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("纬度"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("经度"), max_digits=9, decimal_places=6, required=False)
    content = NoNulCharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 5}))
    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    transfer_target = forms.ChoiceField(
        label=_("转接至"), choices=[("", "——"), *TransferTarget.choices], required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [
            ("", "——"),
            *((d, d) for d in settings.HOTLINE_DISTRICTS),
        ]
        self.fields["caller_phone"].widget.attrs.update(
            {"autofocus": True, "autocomplete": "off", "inputmode": "tel"}
        )
        self.fields["content"].widget.attrs.update({"data-kb-source": "1"})


class ConsoleForm(forms.Form):
    def __init__(self, *args, ticket=None, **kwargs) -> None:
        self.ticket = ticket
        super().__init__(*args, **kwargs)


class EmptyForm(ConsoleForm):
    pass


class NoteForm(ConsoleForm):
    note = NoNulCharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ConsoleForm):
    reason = NoNulCharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class TextForm(ConsoleForm):
    text = NoNulCharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))


class DispatchForm(ConsoleForm):
    department = forms.ModelChoiceField(label=_("主办部门"), queryset=_departments())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办部门"), queryset=_departments(), required=False
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    note = NoNulCharField(label=_("派单说明"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.ticket is not None:
            self.fields["department"].initial = (
                self.ticket.department_id or self.ticket.category.department_id
            )
            self.fields["urgency"].initial = self.ticket.urgency


class AnswerForm(ConsoleForm):
    article = forms.ModelChoiceField(label=_("知识库文章"), queryset=None)
    note = NoNulCharField(label=_("补充说明"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = current_articles(timezone.localdate())


class TransferForm(ConsoleForm):
    target = forms.ChoiceField(label=_("转接至"), choices=TransferTarget.choices)
    note = NoNulCharField(label=_("说明"), required=False)


class MergeForm(ConsoleForm):
    main_number = NoNulCharField(label=_("主工单编号"), max_length=24)
    reason = NoNulCharField(label=_("说明"), required=False)


class CallbackForm(ConsoleForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = NoNulCharField(
        label=_("回访记录"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    caused_by_department = forms.BooleanField(
        label=_("不满意系承办部门原因（将重办）"), required=False, initial=True
    )


class ExtensionRequestForm(ConsoleForm):
    reason = NoNulCharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))
    working_days = forms.IntegerField(
        label=_("延长工作日"), min_value=1, max_value=30, required=False
    )
    hours = forms.IntegerField(label=_("或延长小时"), min_value=1, max_value=72, required=False)


class ExtensionDecisionForm(ConsoleForm):
    decision = forms.ChoiceField(
        label=_("审批"), choices=[("approve", _("批准延期")), ("refuse", _("不批准"))]
    )
    note = NoNulCharField(label=_("审批意见"), required=False)
