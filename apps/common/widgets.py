"""Form widgets that print the same HTML as Django's own, without its template engine.

Django renders every widget through a template (``select.html`` includes
``select_option.html`` once per option, each including ``attrs.html``): a select of twenty
departments cost the staff application page more than a millisecond of CPU (issue 16), and
each text, date or number input and each checkbox is a template of its own too. These
subclasses build the very same bytes with :func:`format_html` (the same escaping as the
templates' autoescape, and stripped as Django's form renderer strips a widget's output);
``tests/common/test_widgets.py`` holds them to Django's templates.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: `` name="value"``, a bare name for ``True``, nothing
    for ``False``."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """``django/forms/widgets/select.html`` and ``select_option.html``."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html('\n  <option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>\n", localize(option["label"]))
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)


class Textarea(forms.Textarea):
    """``django/forms/widgets/textarea.html``."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            widget["name"],
            mark_safe(_attrs(widget["attrs"])),  # noqa: S308  (escaped by _attrs)
            localize(widget["value"]) if widget["value"] else "",
        )


def _input(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html`` (the value as ``stringformat:'s'`` prints it)."""
    value = widget["value"]
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + ("" if value is None else format_html(' value="{}"', str(value)))
        + _attrs(widget["attrs"])
        + ">"
    )


class _Input:
    """``input.html`` for Django's one-input widgets (text, number, date, checkbox, hidden)."""

    def _render(self, template_name, context, renderer=None) -> SafeString:
        return mark_safe(_input(context["widget"]))  # noqa: S308  (escaped by _input)


class TextInput(_Input, forms.TextInput):
    pass


class NumberInput(_Input, forms.NumberInput):
    pass


class DateInput(_Input, forms.DateInput):
    pass


class HiddenInput(_Input, forms.HiddenInput):
    pass


class CheckboxInput(_Input, forms.CheckboxInput):
    pass


def _option(option: dict[str, Any]) -> str:
    """``checkbox_option.html`` (``input_option.html``) before the renderer strips it."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n\n"
    label_for = option["attrs"].get("id")
    return (
        (format_html('<label for="{}">', label_for) if label_for else "<label>")
        + _input(option)
        + format_html("\n {}</label>\n\n", localize(option["label"]))
    )


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """``multiple_input.html`` with ``checkbox_option.html`` per box, and one box alone as
    ``BoundWidget.tag()`` prints it."""

    def _render(self, template_name, context, renderer=None) -> SafeString:
        widget = context["widget"]
        if template_name == self.option_template_name:
            return mark_safe(_option(widget).strip())  # noqa: S308  (escaped by _option)
        if template_name != self.template_name:
            return super()._render(template_name, context, renderer)
        box_id, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        parts = [
            "<div",
            format_html(' id="{}"', box_id) if box_id else "",
            format_html(' class="{}"', css) if css else "",
            ">",
        ]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("\n  <div><label>{}</label>", group))
            parts.extend(f"<div>\n    {_option(option)}</div>" for option in options)
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))  # noqa: S308  (escaped by _option and format_html)
