"""Form widgets that print the same HTML as Django's own, without its template engine.

Django renders every widget through a template (``select.html`` includes
``select_option.html`` once per option, each including ``attrs.html``): a select of twenty
departments cost the staff application page more than a millisecond of CPU (issue 16). These
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
