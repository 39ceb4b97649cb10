"""The template-free widgets print exactly what Django's widget templates print (issue 16)."""

from __future__ import annotations

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
