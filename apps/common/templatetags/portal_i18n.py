"""Template helpers for the English edition (issue #17)."""

from __future__ import annotations

from collections.abc import Mapping

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()


def english_or_marked(english: str, chinese: object) -> SafeString:
    """On an English page, a name that has an English form: ``english``, or where it is
    blank the Chinese name (``chinese``, text or HTML) marked "(Chinese only)" and
    ``lang="zh-Hans"`` (issue #17, the catalogue's rule for items)."""
    if english:
        return conditional_escape(english)
    return format_html(
        '<span lang="zh-Hans">{}</span> <span class="zh-only">{}</span>',
        chinese,
        gettext("（仅中文）"),
    )


def _field(obj: object, name: str) -> str:
    value = obj.get(name, "") if isinstance(obj, Mapping) else getattr(obj, name, "")
    return "" if value is None else str(value)


@register.filter
def en_name(obj: object, field: str = "name") -> SafeString:
    """A department's, 一件事's or policy's name in the page's language (issue #17):
    ``{{ department|en_name }}``, ``{{ policy|en_name:"title" }}``. In English the row's
    ``<field>_en``, or the Chinese name marked "(Chinese only)" where it is blank; the
    Chinese name, as it was, on Chinese pages. ``obj`` is a model row or a dict."""
    chinese = _field(obj, field)
    if get_language() != "en":
        return conditional_escape(chinese)
    return english_or_marked(_field(obj, f"{field}_en"), chinese)


@register.filter
def en_text(obj: object, field: str = "name") -> str:
    """:func:`en_name` as plain text (``<title>``, attributes, a translated sentence): the
    English name where there is one on an English page, else the Chinese name."""
    if get_language() == "en":
        english = _field(obj, f"{field}_en")
        if english:
            return english
    return _field(obj, field)


@register.filter
def en_short_name(department: object) -> SafeString:
    """A department's chip label: its short name (or name) in Chinese; in English its
    English name, or the Chinese short name marked "(Chinese only)"."""
    chinese = _field(department, "short_name") or _field(department, "name")
    if get_language() != "en":
        return conditional_escape(chinese)
    return english_or_marked(_field(department, "name_en"), chinese)


@register.filter
def zh(text: object) -> SafeString:
    """Chinese-only content (guides, department names) on an English page: wrapped in
    ``lang="zh-Hans"`` so screen readers read it as Chinese (WCAG 3.1.2); plain in Chinese."""
    if text is None or text == "":
        return conditional_escape("")
    if get_language() != "en":
        return conditional_escape(text)
    return format_html('<span lang="zh-Hans">{}</span>', text)


@register.filter
def record(text: object) -> SafeString:
    """A text stored in Chinese as part of the record (a message's title, a timeline note):
    on an English page its English translation where the catalogue has that exact text, else
    the Chinese marked ``lang="zh-Hans"``; unchanged on Chinese pages."""
    if text is None or text == "":
        return conditional_escape("")
    if get_language() != "en":
        return conditional_escape(text)
    translated = gettext(str(text))
    if translated != str(text):
        return conditional_escape(translated)
    return format_html('<span lang="zh-Hans">{}</span>', text)
