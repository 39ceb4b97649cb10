"""Template helpers for the public catalogue pages.

Result lists render up to 20 rows per request, so the per-row helpers avoid Django's slow
paths: ``get_FOO_display`` hashes every lazy choice label on each call, and ``{% url %}``
runs the resolver for every link.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from apps.catalogue.models import ItemType, ServiceTarget
from apps.catalogue.public_rows import ItemRow
from apps.catalogue.search import normalise_query, split_keywords
from apps.common.templatetags.portal_i18n import english_or_marked, zh

register = template.Library()

_LABELS = {
    "item_type": dict(ItemType.choices),
    "target": dict(ServiceTarget.choices),
}
_PLACEHOLDER = "__code__"
_url_patterns: dict[tuple[str, str, str], str] = {}


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """Wrap every occurrence of the query (or of any of its terms) in ``<mark>``.

    The text is escaped piece by piece, so neither the item name nor the query can inject
    markup.
    """
    text = str(text or "")
    terms = sorted(set(normalise_query(query).split()), key=len, reverse=True)
    if not text or not terms:
        return conditional_escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(conditional_escape(text[last : match.start()]))
        parts.append(format_html("<mark>{}</mark>", match.group(0)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@register.filter
def label(value: str, field: str) -> str:
    """``{{ item.item_type|label:"item_type" }}`` → 行政许可 (the choice's label)."""
    return str(_LABELS[field].get(value, value))


@register.filter
def code_url(code: str, url_name: str) -> str:
    """``{{ item.code|code_url:"catalogue:item" }}``: the URL of a one-argument route.

    The route is reversed once per script prefix and language (``/en/`` …) and then
    formatted, which gives the same result as ``{% url url_name code %}`` for the code-only
    routes used here.
    """
    key = (get_script_prefix(), get_language(), url_name)
    pattern = _url_patterns.get(key)
    if pattern is None:
        pattern = _url_patterns[key] = reverse(url_name, args=[_PLACEHOLDER])
    return pattern.replace(_PLACEHOLDER, quote(str(code), safe=""))


@register.filter
def split_formats(value: str) -> list[str]:
    """ "pdf,jpg,png" → ["PDF", "JPG", "PNG"]."""
    return [v.strip().upper() for v in (value or "").split(",") if v.strip()]


@register.filter
def keyword_text(value: str) -> str:
    """ "营业执照,开公司" → "营业执照、开公司" for reading."""
    return "、".join(split_keywords(value))


def _english() -> bool:
    return get_language() == "en"


register.filter("zh", zh)


def _name_html(item: object, chinese: SafeString) -> SafeString:
    """The item's name in the page's language, ``chinese`` being its Chinese name as HTML."""
    if not _english():
        return chinese
    return english_or_marked(getattr(item, "name_en", ""), chinese)


def _department_html(row: ItemRow) -> SafeString:
    """The row's implementing department in the page's language (Chinese marked where the
    department has no English name)."""
    if not _english():
        return conditional_escape(row.department_name)
    return english_or_marked(row.department_name_en, row.department_name)


@register.filter
def item_name(item: object, query: str = "") -> SafeString:
    """The item's name in the page's language (issue #17): in English its ``name_en``, or
    the Chinese name marked "(Chinese only)" where the catalogue has no English name. The
    Chinese name is highlighted with ``query`` as in :func:`highlight`."""
    return _name_html(item, highlight(getattr(item, "name", ""), query))


@register.filter
def item_title(item: object) -> str:
    """The item's name as plain text (``<title>``, attributes): English where there is one."""
    if _english() and getattr(item, "name_en", ""):
        return str(item.name_en)  # type: ignore[attr-defined]
    return str(getattr(item, "name", ""))


@register.filter
def item_summary(item: object) -> str:
    """The English summary on English pages; nothing otherwise (the Chinese guide speaks)."""
    return str(getattr(item, "summary_en", "")) if _english() else ""


# Where a row's HTML takes the highlighted name and keywords (no catalogue text holds NUL).
_NAME = "\x00name\x00"
_KEYWORDS = "\x00keywords\x00"


@functools.lru_cache(maxsize=4096)
def _row_html(row: ItemRow, language: str, script_prefix: str, with_keywords: bool) -> str:
    """``row``'s HTML (catalogue/_item_row.html) with markers where the query goes: rendered
    once per row, page language and URL prefix in each process. ``language`` and
    ``script_prefix`` are the active ones, passed only to key the cache: with the row
    itself they are everything the output depends on, so an entry is never stale."""
    has_keywords = with_keywords and bool(keyword_text(row.keywords))
    context = {
        "row": {
            "url": code_url(row.code, "catalogue:item"),
            "name": _name_html(row, mark_safe(_NAME)),  # noqa: S308 - a marker
            "summary": item_summary(row),
            "type": label(row.item_type, "item_type"),
            "department_url": code_url(row.department_code, "catalogue:department"),
            "department": _department_html(row),
            "target": label(row.target, "target"),
            "keywords": mark_safe(_KEYWORDS) if has_keywords else "",  # noqa: S308 - a marker
            "immediate": row.immediate,
            "limit": row.limit,
            "online": row.online,
            "mobile": row.mobile,
        }
    }
    return render_to_string("catalogue/_item_row.html", context)


@register.simple_tag
def item_rows(items, query: str = "") -> SafeString:
    """The rows of a result list as HTML, the query highlighted in each name and, with a
    query, in its keywords. ``items`` are :class:`~apps.catalogue.public_rows.ItemRow`
    (search: from the cache) or items of ``item_public_list()``. Each row's HTML comes
    from :func:`_row_html` (issue 16: twenty rows through the template on every page)."""
    language, prefix, with_keywords = get_language(), get_script_prefix(), bool(query)
    parts = []
    for item in items:
        row = item if isinstance(item, ItemRow) else ItemRow.of(item)
        html = _row_html(row, language, prefix, with_keywords)
        html = html.replace(_NAME, highlight(row.name, query))
        if with_keywords:
            html = html.replace(_KEYWORDS, highlight(keyword_text(row.keywords), query))
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - escaped by the template and highlight
