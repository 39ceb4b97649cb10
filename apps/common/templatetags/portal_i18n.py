"""Template helpers for the English edition (issue #17)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()


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
