"""Input shape of the staff console's action forms (issue #4).

Forms only check shape and offer choices drawn from the application's own guide (C7);
every domain rule is raised by the service the view calls. Their selects and text areas
print through :mod:`apps.common.widgets` (the same HTML, without a template per option or
input: issue 16, the staff application page shows five of these forms).
"""

from __future__ import annotations

import uuid

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department
from apps.applications.models import Application, Channel
from apps.applications.services import RejectionGround
from apps.catalogue.application_forms import parse_result_fields
from apps.catalogue.models import GuideMaterial, SpecialProcedure
from apps.common import widgets

StrOrPromise = str | Promise
_TEXT = {"rows": 2, "cols": 60}


def _text(
    label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=widgets.Textarea(attrs=_TEXT),
        max_length=2000,
    )


class ConsoleForm(forms.Form):
    """Every action form gets the application it acts on (for choices from its guide)."""

    def __init__(self, *args, application: Application, **kwargs) -> None:
        self.application = application
        super().__init__(*args, **kwargs)


class ConfirmForm(ConsoleForm):
    """开始审查 / 归档: nothing to fill in."""


class NoteForm(ConsoleForm):
    note = _text(gettext_lazy("备注"), required=False)


class ResultForm(ConsoleForm):
    """准予 / 即办件办结: the decision fields of the guide's result template (经营项目,
    validity…) come first, then a free note. The service checks every value."""

    result_text = _text(
        gettext_lazy("办理说明"), required=False, help_text=gettext_lazy("写入决定书，可留空。")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        fields = parse_result_fields(self.application.guide.result_fields)
        self.decision_keys = [f.key for f in fields]
        text = self.fields.pop("result_text")
        for f in fields:
            self.fields[f"decision_{f.key}"] = _decision_field(f)
        self.fields["result_text"] = text

    def decision(self) -> dict:
        return {
            key: self.cleaned_data.get(f"decision_{key}")
            for key in self.decision_keys
            if self.cleaned_data.get(f"decision_{key}") not in (None, "", [])
        }


def _decision_field(f) -> forms.Field:
    """A console input for one decision field (shape only; the service validates)."""
    common = {"label": f.label, "required": f.required, "help_text": f.help}
    if f.type == "choice" and f.multiple:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in f.options], widget=widgets.CheckboxSelectMultiple, **common
        )
    if f.type == "choice":
        return forms.ChoiceField(
            choices=[("", "请选择"), *[(o, o) for o in f.options]], widget=widgets.Select, **common
        )
    if f.type == "date":
        return forms.CharField(widget=widgets.DateInput(attrs={"type": "date"}), **common)
    if f.type == "textarea":
        return forms.CharField(widget=widgets.Textarea(attrs=_TEXT), max_length=2000, **common)
    return forms.CharField(max_length=2000, widget=widgets.TextInput, **common)


class TransferForm(ConsoleForm):
    """A4(2): not ours → name the department that is."""

    right_department = forms.ModelChoiceField(
        label=gettext_lazy("有权受理的部门"), queryset=Department.objects, widget=widgets.Select
    )
    reason = _text(gettext_lazy("告知说明"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["right_department"].queryset = Department.objects.exclude(
            pk=self.application.department_id
        ).order_by("name")


class CorrectOnSpotForm(ConsoleForm):
    corrections = _text(gettext_lazy("当场更正的内容"))


class TolerantForm(ConsoleForm):
    """A4(4) / T1: only the guide's tolerable materials can be missing."""

    missing_materials = forms.ModelMultipleChoiceField(
        label=gettext_lazy("容缺材料"),
        queryset=GuideMaterial.objects.none(),
        widget=widgets.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("所选材料不是本事项办事指南列明的容缺材料。")
        },
    )
    pledge_signed = forms.BooleanField(
        label=gettext_lazy("申请人已签署容缺受理承诺书"),
        required=False,
        widget=widgets.CheckboxInput,
    )
    note = _text(gettext_lazy("备注"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["missing_materials"]
        field.queryset = GuideMaterial.objects.filter(
            guide_id=self.application.guide_id, importance=GuideMaterial.Importance.TOLERABLE
        ).order_by("order", "id")
        if self.is_bound:
            return  # checked against the query above; shown again from it if refused
        # The boxes from the guide's materials the page read with the application (issue 16).
        tolerable = sorted(
            (
                m
                for m in self.application.guide.materials.all()
                if m.importance == GuideMaterial.Importance.TOLERABLE
            ),
            key=lambda m: (m.order, m.pk),
        )
        field.choices = [(ModelChoiceIteratorValue(m.pk, m), str(m)) for m in tolerable]


class RejectForm(ConsoleForm):
    ground = forms.ChoiceField(
        label=gettext_lazy("不予受理依据"),
        choices=list(RejectionGround.LABELS.items()),
        widget=widgets.Select,
    )
    reasons = _text(gettext_lazy("不予受理理由"))


class CorrectionForm(ConsoleForm):
    """A5 一次性告知: every material to correct at once, each with a reason; only the guide's
    materials can be chosen (C7)."""

    materials = forms.MultipleChoiceField(
        label=gettext_lazy("需补正的材料"),
        widget=widgets.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("所列材料不在本事项办事指南中，不得要求指南以外的材料。")
        },
    )
    deadline = forms.DateField(
        label=gettext_lazy("补正期限"),
        widget=widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = _text(gettext_lazy("补充说明"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The console reads the guide's materials with the application (issue 16).
        self.guide_materials = sorted(
            self.application.guide.materials.all(), key=lambda m: (m.order, m.pk)
        )
        self.fields["materials"].choices = [(str(m.pk), m.name) for m in self.guide_materials]
        for material in self.guide_materials:
            self.fields[self.reason_field(material.pk)] = forms.CharField(
                label=_("%(material)s 补正原因") % {"material": material.name},
                required=False,
                max_length=300,
                widget=widgets.TextInput,
            )

    @staticmethod
    def reason_field(material_id: int) -> str:
        return f"reason_{material_id}"

    def reason_rows(self):
        """(material, checkbox, reason field) per guide material, for the template."""
        boxes = {str(w.data["value"]): w for w in self["materials"]}
        return [
            (m, boxes.get(str(m.pk)), self[self.reason_field(m.pk)]) for m in self.guide_materials
        ]

    def clean(self):
        data = super().clean()
        missing = [
            m.name
            for m in self.guide_materials
            if str(m.pk) in data.get("materials", [])
            and not (data.get(self.reason_field(m.pk)) or "").strip()
        ]
        if missing:
            names = "、".join(missing)
            raise forms.ValidationError(
                _("请写明每项材料需要补正的原因：%(names)s。") % {"names": names}
            )
        return data

    def items(self) -> list[tuple[int, str]]:
        return [
            (int(pk), self.cleaned_data[self.reason_field(int(pk))])
            for pk in self.cleaned_data["materials"]
        ]


class SuspendForm(ConsoleForm):
    """A8: only the special procedures the guide lists."""

    kind = forms.ChoiceField(label=gettext_lazy("特别程序"), widget=widgets.Select)
    reason = _text(gettext_lazy("启动原因"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        procedures = SpecialProcedure.objects.filter(guide_id=self.application.guide_id)
        self.fields["kind"].choices = [
            (
                p.kind,
                _("%(kind)s（%(days)s个工作日）")
                % {"kind": p.get_kind_display(), "days": p.time_limit_days},
            )
            for p in procedures.order_by("id")
        ]


class ExtensionForm(ConsoleForm):
    days = forms.IntegerField(
        label=gettext_lazy("延长天数（工作日）"),
        min_value=1,
        max_value=45,
        widget=widgets.NumberInput,
    )
    reason = _text(gettext_lazy("延期理由"))


class ExtensionDecisionForm(ConsoleForm):
    extension_id = forms.IntegerField(widget=widgets.HiddenInput)
    decision = forms.ChoiceField(
        label=gettext_lazy("审批意见"),
        choices=[("approve", gettext_lazy("批准延期")), ("refuse", gettext_lazy("驳回延期"))],
    )
    note = _text(gettext_lazy("审批说明"), required=False)


class DenyForm(ConsoleForm):
    reasons = _text(
        gettext_lazy("不予许可理由"),
        help_text=gettext_lazy("救济途径（投诉、行政复议、行政诉讼）由文书自动附上。"),
    )


class RevokeForm(ConsoleForm):
    reason = _text(gettext_lazy("撤销受理理由"))


# --- Walk-in (A13) ----------------------------------------------------------------------------


class WalkInLookupForm(forms.Form):
    """Step 1: the applicant by exact phone or ID number, and the item."""

    number = forms.CharField(label=gettext_lazy("申请人手机号或身份证号"), max_length=32)
    item = forms.ModelChoiceField(label=gettext_lazy("办理事项"), queryset=None)
    channel = forms.ChoiceField(
        label=gettext_lazy("办理方式"),
        choices=[
            (Channel.WINDOW, Channel.WINDOW.label),
            (Channel.ASSISTED, Channel.ASSISTED.label),
        ],
    )

    def __init__(self, *args, items, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class WalkInCreateForm(forms.Form):
    """Step 2: the materials brought to the window (one slot per guide material)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    company = forms.ModelChoiceField(label=gettext_lazy("申请单位"), queryset=None, required=False)

    def __init__(self, *args, applicant, guide, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = applicant.companies.all()
        if not applicant.companies.exists():
            del self.fields["company"]
        self.guide_materials = list(guide.materials.order_by("order", "id"))
        for material in self.guide_materials:
            self.fields[f"material_{material.pk}"] = forms.FileField(
                label=material.name,
                required=False,
                help_text=_("格式：%(formats)s；不超过%(size)sMB")
                % {"formats": material.electronic_formats, "size": material.max_size_mb},
            )

    def uploads(self) -> list[tuple[int, object]]:
        return [
            (m.pk, self.cleaned_data[f"material_{m.pk}"])
            for m in self.guide_materials
            if self.cleaned_data.get(f"material_{m.pk}")
        ]
