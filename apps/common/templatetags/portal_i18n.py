"""Template helpers for the English edition (issue #17)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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
