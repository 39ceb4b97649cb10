"""Matching and ranking a query over the catalogue (DOMAIN C5, C6).

Ranking, best first:

1. match tier (:class:`Tier`): the exact name; a name that starts with or contains the query
   as a word; a keyword or synonym match; the characters anywhere else;
2. for equal matches, items people apply for (许可, 确认, 给付, 公共服务 …) before the
   enforcement items done *to* them (检查, 处罚, 强制);
3. more-applied-for items first (``ServiceItem.demand``);
4. then closeness: the query among the item's keywords, the name starting with it, the
   shorter name; the name itself last. Ties never fall back to the item code.

A query of several words must match every word (each word or one of its synonyms); its
tier is that of its worst-matching word.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Least, Length

from apps.catalogue.models import ItemType, ServiceGuide, ServiceItem
from apps.catalogue.search.synonyms import active_synonym_groups, query_variants

LATIN_QUERY = re.compile(r"^[a-z0-9]+$")

MAX_QUERY_LENGTH = 50
MAX_TERMS = 5

# Done to people, not applied for by them: ranked after the rest for equal matches.
ENFORCEMENT_TYPES = (ItemType.INSPECTION, ItemType.PENALTY, ItemType.COMPULSION)


class Tier(IntEnum):
    TEXT = 1  # the characters occur in the name or keywords
    ALIAS = 2  # a keyword, or a synonym of the query, matches
    WORD = 3  # the name starts with or contains the query as a word
    EXACT = 4  # the name is the query


SEARCH_ORDERING = [
    "-rank",
    "-search_applied_for",
    "-demand",
    "-search_keyword",
    "-search_prefix",
    "search_name_length",
    "name",
    "id",
]


def normalise_query(query: str) -> str:
    """Lowercase, collapse whitespace, cap the length (a search box is not an API)."""
    return " ".join((query or "").lower().split())[:MAX_QUERY_LENGTH]


def _published_active_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(is_active=True, guides__status=ServiceGuide.Status.PUBLISHED)


def _int(value: int) -> Value:
    return Value(int(value), output_field=IntegerField())


def _any(conditions: list[Q]) -> Q:
    return reduce(or_, conditions)


def word_pattern(term: str, *, at_start: bool = False) -> str:
    """A regex over ``name_words`` matching ``term`` spanning whole words: it begins and ends
    at a word boundary and may cross boundaries inside (居民身份证 over ``居民 身份证``)."""
    body = " ?".join(re.escape(char) for char in term)
    return ("^" if at_start else "(^| )") + body + "( |$)"


class BigramsContain(Func):
    """Postgres: ``column``'s text contains the two characters ``bigram``, written so that
    the GIN index over ``catalogue_bigrams(search_text)`` serves it (migration 0008). The
    pg_trgm index cannot serve a two-character ``LIKE``: it has no trigram to look up."""

    output_field = BooleanField()

    def __init__(self, column: str, bigram: str) -> None:
        super().__init__(F(column), Value(bigram))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        column, bigram = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        bigram_sql, bigram_params = compiler.compile(bigram)
        return (
            f"catalogue_bigrams({column_sql}) @> ARRAY[{bigram_sql}]::text[]",
            [*column_params, *bigram_params],
        )


def _contains(text: str, *, bigram_index: bool) -> Q:
    """``search_text`` contains ``text``: through the bigram index for two characters on
    Postgres, a plain substring match (``LIKE``) otherwise and on SQLite (``make run``)."""
    if bigram_index and len(text) == 2:
        return Q(BigramsContain("search_text", text))
    return Q(search_text__contains=text)


def _term_conditions(term: str, variants: list[str], *, bigram_index: bool) -> tuple[Q, Q, Q]:
    """(present, word, alias) conditions for one query term."""
    present = _any([_contains(t, bigram_index=bigram_index) for t in [term, *variants]])
    word = Q(name_words__regex=word_pattern(term))
    # Ranks the rows already found: a substring match costs less there than the bigrams.
    alias = _any([Q(keywords__icontains=term), *(Q(search_text__contains=v) for v in variants)])
    return present, word, alias


def _term_tier(word: Q, alias: Q) -> Case:
    return Case(
        When(word, then=_int(Tier.WORD)),
        When(alias, then=_int(Tier.ALIAS)),
        default=_int(Tier.TEXT),
        output_field=IntegerField(),
    )


def _single_term_tier(q: str, word: Q, alias: Q, pinyin: str | None) -> Case:
    whens = [When(Q(name__iexact=q), then=_int(Tier.EXACT))]
    if pinyin:
        # The initials of the name come first in ``pinyin_initials``, a keyword's after.
        whens.append(
            When(
                Q(pinyin_initials=pinyin) | Q(pinyin_initials__startswith=f"{pinyin} "),
                then=_int(Tier.EXACT),
            )
        )
    whens.append(When(word, then=_int(Tier.WORD)))
    if pinyin:
        whens.append(When(Q(pinyin_initials__startswith=pinyin), then=_int(Tier.WORD)))
    whens.append(When(alias, then=_int(Tier.ALIAS)))
    if pinyin:
        whens.append(When(Q(pinyin_initials__contains=f" {pinyin}"), then=_int(Tier.ALIAS)))
    return Case(*whens, default=_int(Tier.TEXT), output_field=IntegerField())


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=_int(1)), default=_int(0), output_field=IntegerField())


def search_items(
    query: str,
    *,
    queryset: QuerySet[ServiceItem] | None = None,
    match_codes: bool = False,
) -> QuerySet[ServiceItem]:
    """Items matching ``query``, best first, annotated with ``rank`` (a :class:`Tier`).

    Without ``queryset``, only active items with a published guide are searched (C5); a
    caller that passes its own queryset (staff search, a department's list) owns the
    scoping. ``match_codes`` also finds items by their code (staff). An empty query
    matches nothing.
    """
    base = _published_active_items() if queryset is None else queryset
    q = normalise_query(query)
    if not q:
        return base.none().annotate(rank=_int(0))

    terms = list(dict.fromkeys(q.split()))[:MAX_TERMS]
    variants = query_variants(terms, active_synonym_groups())
    bigram_index = connections[base.db].vendor == "postgresql"
    conditions = [_term_conditions(t, variants[t], bigram_index=bigram_index) for t in terms]
    match = reduce(lambda a, b: a & b, [present for present, _w, _a in conditions])

    compact = q.replace(" ", "")
    pinyin = compact if LATIN_QUERY.match(compact) else None
    if pinyin:
        match |= Q(pinyin_initials__startswith=pinyin) | Q(pinyin_initials__contains=f" {pinyin}")
    if match_codes:
        match |= Q(code__icontains=compact)

    if len(terms) == 1:
        _present, word, alias = conditions[0]
        tier = _single_term_tier(q, word, alias, pinyin)
    else:
        tier = Least(*(_term_tier(word, alias) for _p, word, alias in conditions))
    if match_codes:
        tier = Case(
            When(Q(code__iexact=compact), then=_int(Tier.EXACT)),
            default=tier,
            output_field=IntegerField(),
        )
    return (
        base.filter(match)
        .annotate(
            rank=tier,
            search_applied_for=_flag(~Q(item_type__in=ENFORCEMENT_TYPES)),
            search_keyword=_flag(_any([Q(keywords__icontains=t) for t in terms])),
            search_prefix=_flag(Q(name__istartswith=terms[0])),
            search_name_length=Length("name"),
        )
        .order_by(*SEARCH_ORDERING)
    )
