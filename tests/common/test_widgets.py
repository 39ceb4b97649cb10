"""The template-free widgets print exactly what Django's widget templates print (issue 16)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from apps.common import widgets

CHOICES = [
    ("", "---------"),
    (1, "市市场监督管理局"),
    ("2", 'A & B <"局">'),
    (3, gettext_lazy("受理")),
]
GROUPED = [("", "请选择"), ("第一组", [("a", "甲"), ("b", "乙")]), ("c", "丙")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED, []])
@pytest.mark.parametrize("value", [None, "", 1, "2", "b", ["a", "c"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_x", "required": True}, {"disabled": False, "data-x": '"<&>"', "n": 3}],
)
def test_select_prints_what_djangos_template_prints(choices, value, attrs):
    django_widget = forms.Select(choices=choices)
    ours = widgets.Select(choices=choices)
    assert ours.render("right_department", value, attrs) == django_widget.render(
        "right_department", value, attrs
    )


@pytest.mark.parametrize("value", [None, "", "补正说明\n第二行", '<script>"&"</script>', 0, 12])
@pytest.mark.parametrize("attrs", [None, {"id": "id_note", "required": True, "maxlength": 2000}])
def test_textarea_prints_what_djangos_template_prints(value, attrs):
    widget_attrs = {"rows": 2, "cols": 60}
    django_widget = forms.Textarea(attrs=widget_attrs)
    ours = widgets.Textarea(attrs=widget_attrs)
    assert ours.render("note", value, attrs) == django_widget.render("note", value, attrs)


def test_a_bound_form_prints_the_same_fields():
    class Django(forms.Form):
        ground = forms.ChoiceField(choices=CHOICES[1:])
        note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=20)

    class Ours(forms.Form):
        ground = forms.ChoiceField(choices=CHOICES[1:], widget=widgets.Select)
        note = forms.CharField(widget=widgets.Textarea(attrs={"rows": 2}), max_length=20)

    for data in (None, {"ground": "2", "note": "x" * 30}, {"ground": "9"}):
        theirs, ours = Django(data), Ours(data)
        for name in ("ground", "note"):
            assert str(ours[name]) == str(theirs[name])
            assert ours[name].widget_type == theirs[name].widget_type


INPUT_ATTRS = [None, {"id": "id_x", "required": True}, {"disabled": False, "data-x": '"<&>"'}]


@pytest.mark.parametrize(
    ("ours", "django_widget"),
    [
        (widgets.TextInput, forms.TextInput),
        (widgets.NumberInput, forms.NumberInput),
        (widgets.HiddenInput, forms.HiddenInput),
        (widgets.CheckboxInput, forms.CheckboxInput),
    ],
)
@pytest.mark.parametrize("value", [None, "", 0, 7, "a & <b>", True, False, "on"])
@pytest.mark.parametrize("attrs", INPUT_ATTRS)
def test_inputs_print_what_djangos_template_prints(ours, django_widget, value, attrs):
    assert ours().render("days", value, attrs) == django_widget().render("days", value, attrs)


@pytest.mark.parametrize("value", [None, "", "2026-03-11", datetime.date(2026, 3, 11)])
def test_date_input_prints_what_djangos_template_prints(value):
    widget_attrs = {"type": "date"}
    theirs = forms.DateInput(attrs=widget_attrs, format="%Y-%m-%d")
    ours = widgets.DateInput(attrs=widget_attrs, format="%Y-%m-%d")
    for attrs in INPUT_ATTRS:
        assert ours.render("deadline", value, attrs) == theirs.render("deadline", value, attrs)


@pytest.mark.parametrize("choices", [CHOICES[1:], GROUPED, []])
@pytest.mark.parametrize("value", [None, [], ["2"], [1, "2"], ["a", "c"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_materials"}, {"id": "m", "class": "x<y"}])
def test_checkboxes_print_what_djangos_templates_print(choices, value, attrs):
    theirs = forms.CheckboxSelectMultiple(choices=choices)
    ours = widgets.CheckboxSelectMultiple(choices=choices)
    assert ours.render("materials", value, attrs) == theirs.render("materials", value, attrs)


def test_each_box_alone_prints_what_djangos_template_prints():
    class Django(forms.Form):
        materials = forms.MultipleChoiceField(
            choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple
        )
        pledge = forms.BooleanField(required=False)

    class Ours(forms.Form):
        materials = forms.MultipleChoiceField(
            choices=CHOICES[1:], widget=widgets.CheckboxSelectMultiple
        )
        pledge = forms.BooleanField(required=False, widget=widgets.CheckboxInput)

    for data in (None, {"materials": ["2", "3"], "pledge": "on"}, {"materials": ["9"]}):
        theirs, ours = Django(data), Ours(data)
        for their_box, our_box in zip(theirs["materials"], ours["materials"], strict=True):
            assert our_box.tag() == their_box.tag()
            assert our_box.tag(wrap_label=True) == their_box.tag(wrap_label=True)
            assert str(our_box) == str(their_box)
        for name in ("materials", "pledge"):
            assert str(ours[name]) == str(theirs[name])
            assert ours[name].widget_type == theirs[name].widget_type
