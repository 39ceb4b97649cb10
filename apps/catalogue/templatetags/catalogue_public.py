"""Template helpers for the public catalogue pages.

Result lists render up to 20 rows per request, so the per-row helpers avoid Django's slow
paths: ``get_FOO_display`` hashes every lazy choice label on each call, and ``{% url %}``
runs the resolver for every link.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.catalogue.models import ItemType, ServiceTarget
from apps.catalogue.public_rows import ItemRow
from apps.catalogue.search import normalise_query, split_keywords
from apps.common.templatetags.portal_i18n import zh

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


@register.filter
def item_name(item: object, query: str = "") -> SafeString:
    """The item's name in the page's language (issue #17): in English its ``name_en``, or
    the Chinese name marked "(Chinese only)" where the catalogue has no English name. The
    Chinese name is highlighted with ``query`` as in :func:`highlight`."""
    name = getattr(item, "name", "")
    if not _english():
        return highlight(name, query) if query else conditional_escape(name)
    name_en = getattr(item, "name_en", "")
    if name_en:
        return conditional_escape(name_en)
    return format_html(
        '<span lang="zh-Hans">{}</span> <span class="zh-only">{}</span>',
        highlight(name, query) if query else name,
        _("（仅中文）"),
    )


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


@register.simple_tag
def item_rows(items, query: str = "") -> list[dict]:
    """What each row of a result list shows, worked out here once per page (issue 16): the
    row template only prints, no filter, ``with`` or translation per cell. ``items`` are
    :class:`~apps.catalogue.public_rows.ItemRow` (search: from the cache) or items of
    ``item_public_list()``."""
    rows = []
    for item in items:
        row = item if isinstance(item, ItemRow) else ItemRow.of(item)
        rows.append(
            {
                "url": code_url(row.code, "catalogue:item"),
                "name": item_name(row, query),
                "summary": item_summary(row),
                "type": label(row.item_type, "item_type"),
                "department_url": code_url(row.department_code, "catalogue:department"),
                "department": zh(row.department_name),
                "target": label(row.target, "target"),
                "keywords": (
                    highlight(keyword_text(row.keywords), query) if query and row.keywords else ""
                ),
                "immediate": row.immediate,
                "limit": row.limit,
                "online": row.online,
                "mobile": row.mobile,
            }
        )
    return rows
