"""Chinese search over the service catalogue, with no search server (DOMAIN C6).

Chinese has no spaces between words, so a tokenising full-text engine needs a segmenter
(jieba, zhparser…). Citizens type short fragments instead — 护照, 社保, 营业执照 — so the
search is a substring match over a denormalised, lowercased ``search_text`` column
(name + keywords), plus the pinyin initials of the name and of every keyword so that
``spjy`` finds 食品经营许可. It runs identically on SQLite (``make run``) and Postgres;
on Postgres a ``pg_trgm`` GIN index on ``search_text`` (migration ``*_search_trgm``) lets
``LIKE '%…%'`` use an index for queries of three characters or more.

Ranking is an integer sum of signals, computed only for the rows that matched:
exact name > name prefix > name contains > keyword contains > all terms present,
with pinyin initials as a bonus. Ties are broken by item code for a stable order.
"""

from __future__ import annotations

import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from pypinyin import Style, lazy_pinyin

from apps.catalogue.models import ServiceGuide, ServiceItem

# Keyword lists are written with any of these separators: "营业执照,开公司" / "营业执照，开公司".
_KEYWORD_SPLIT = re.compile(r"[\s,，、;；/|]+")
_LATIN_QUERY = re.compile(r"^[a-z0-9]+$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

MAX_QUERY_LENGTH = 50
MAX_TERMS = 5

RANK_EXACT_NAME = 1000
RANK_NAME_PREFIX = 400
RANK_NAME_CONTAINS = 200
RANK_KEYWORD = 100
RANK_ALL_TERMS = 50
RANK_PINYIN_EXACT = 80
RANK_PINYIN_PREFIX = 40


def split_keywords(keywords: str) -> list[str]:
    return [k for k in _KEYWORD_SPLIT.split(keywords or "") if k]


def _initials(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return _NON_ALNUM.sub("", "".join(letters).lower())


def compute_search_fields(name: str, keywords: str) -> tuple[str, str]:
    """Return ``(search_text, pinyin_initials)`` for an item's name and keywords.

    ``search_text`` is the lowercased name followed by each keyword, space separated;
    ``pinyin_initials`` is the first letters of the name's pinyin (食品经营许可 → spjyxk)
    followed by those of each keyword, space separated, without duplicates.
    """
    name = (name or "").strip()
    words = split_keywords(keywords)
    search_text = " ".join([name.lower(), *(w.lower() for w in words)]).strip()
    initials: list[str] = []
    for text in [name, *words]:
        token = _initials(text)
        if token and token not in initials:
            initials.append(token)
    return search_text, " ".join(initials)[:200]


def normalise_query(query: str) -> str:
    """Lowercase, collapse whitespace, cap the length (a search box is not an API)."""
    return " ".join((query or "").lower().split())[:MAX_QUERY_LENGTH]


def _published_active_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(is_active=True, guides__status=ServiceGuide.Status.PUBLISHED)


def _when(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def search_items(
    query: str, *, queryset: QuerySet[ServiceItem] | None = None
) -> QuerySet[ServiceItem]:
    """Items matching ``query``, annotated with an integer ``rank``, best first (C5, C6).

    Without ``queryset``, only active items with a published guide are searched (C5);
    a caller that passes its own queryset (staff search, a department's list) owns the
    scoping. An empty query matches nothing.
    """
    base = _published_active_items() if queryset is None else queryset
    q = normalise_query(query)
    if not q:
        return base.none().annotate(rank=Value(0, output_field=IntegerField()))

    terms = list(dict.fromkeys(q.split()))[:MAX_TERMS]
    all_terms = Q()
    for term in terms:
        all_terms &= Q(search_text__contains=term)
    # A multi-word query matches the phrase or all of its words; one word is one condition.
    match = all_terms if len(terms) == 1 else Q(search_text__contains=q) | all_terms

    pinyin = q.replace(" ", "")
    is_latin = bool(_LATIN_QUERY.match(pinyin))
    pinyin_prefix = Q(pinyin_initials__startswith=pinyin) | Q(
        pinyin_initials__contains=f" {pinyin}"
    )
    pinyin_exact = (
        Q(pinyin_initials=pinyin)
        | Q(pinyin_initials__startswith=f"{pinyin} ")
        | Q(pinyin_initials__endswith=f" {pinyin}")
        | Q(pinyin_initials__contains=f" {pinyin} ")
    )
    if is_latin:
        match |= pinyin_prefix

    rank = (
        _when(Q(name__iexact=q), RANK_EXACT_NAME)
        + _when(Q(name__istartswith=q), RANK_NAME_PREFIX)
        + _when(Q(name__icontains=q), RANK_NAME_CONTAINS)
        + _when(Q(keywords__icontains=q), RANK_KEYWORD)
        + _when(all_terms, RANK_ALL_TERMS)
    )
    if is_latin:
        rank = (
            rank + _when(pinyin_exact, RANK_PINYIN_EXACT) + _when(pinyin_prefix, RANK_PINYIN_PREFIX)
        )
    return base.filter(match).annotate(rank=rank).order_by("-rank", "code")
