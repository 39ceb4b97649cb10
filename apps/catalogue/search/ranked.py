"""The public search's ranking as one parametrised SQL statement on Postgres (issue 16).

:func:`.query.search_items` ranks with the ORM, over any queryset (staff search, the API).
The public search page needs only the ids of one page of public items and their total,
and compiling that ORM expression on every search cost more than Postgres took to run it.
Here the same conditions, tiers and ordering are written as SQL text from the same parts
(:func:`.query.word_pattern`, the synonym variants, :data:`.query.ENFORCEMENT_TYPES`),
selecting only the id and ``COUNT(*) OVER ()``: no joined department, no wide row in the
sort. The ranking tests (``tests/catalogue/test_search_ranking.py``, and the wildcards,
case, pinyin and several-word queries of ``test_search.py``) hold both to the same ids
in the same order and the same total.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from apps.catalogue.models import ServiceGuide
from apps.catalogue.search.query import (
    ENFORCEMENT_TYPES,
    LATIN_QUERY,
    MAX_TERMS,
    Tier,
    normalise_query,
    word_pattern,
)
from apps.catalogue.search.synonyms import query_variants

# The models' tables, as catalogue_bigrams() and its index (migration 0008) name them.
_FROM = (
    " FROM catalogue_serviceitem i WHERE i.is_active AND EXISTS"
    " (SELECT 1 FROM catalogue_serviceguide g WHERE g.item_id = i.id AND g.status = %s) AND "
)


# The page's ids and the total, over the matched rows' columns (a subquery).
_RANKED = "SELECT i.id, COUNT(*) OVER () FROM ("


def _like(value: str) -> str:
    """``value`` escaped for LIKE, as Django escapes a ``contains`` lookup's value."""
    return connection.ops.prep_for_like_query(value)


@dataclass
class _Sql:
    """SQL text with its parameters, in order."""

    text: str = ""
    params: list[object] = field(default_factory=list)

    def add(self, text: str, *params: object) -> _Sql:
        self.text += text
        self.params.extend(params)
        return self


def _contains(sql: _Sql, text: str) -> None:
    # Two characters through the bigram GIN index (query.BigramsContain), else LIKE.
    if len(text) == 2:
        sql.add("catalogue_bigrams(i.search_text) @> ARRAY[%s]::text[]", text)
    else:
        sql.add("i.search_text::text LIKE %s", f"%{_like(text)}%")


def _any(sql: _Sql, parts: list[tuple[str, list[object]]]) -> None:
    sql.add("(")
    for n, (text, params) in enumerate(parts):
        sql.add((" OR " if n else "") + text, *params)
    sql.add(")")


def _keyword(n: int) -> tuple[str, list[object]]:
    # Term n among the keywords (Django's icontains), worked out once per row by _FROM.
    return f"i.kw{n}", []


def _word(term: str) -> tuple[str, list[object]]:
    if len(term) == 2:
        # word_pattern's regex for two characters, as two plain substring tests on the
        # words padded with spaces: about a fifth of the ranking's time for 许可 (issue 16).
        padded = "strpos(' ' || i.name_words || ' ', %s) > 0"
        return f"({padded} OR {padded})", [f" {term} ", f" {term[0]} {term[1]} "]
    return "i.name_words::text ~ %s", [word_pattern(term)]


def _alias(n: int, variants: list[str]) -> list[tuple[str, list[object]]]:
    return [_keyword(n)] + [("i.search_text::text LIKE %s", [f"%{_like(v)}%"]) for v in variants]


def _when(sql: _Sql, parts: list[tuple[str, list[object]]], tier: int) -> None:
    sql.add(" WHEN ")
    _any(sql, parts)
    sql.add(f" THEN {int(tier)}")


def _match(sql: _Sql, terms: list[str], variants: dict[str, list[str]], pinyin: str | None):
    sql.add("((")
    for n, term in enumerate(terms):
        sql.add(" AND " if n else "").add("(")
        for m, text in enumerate([term, *variants[term]]):
            sql.add(" OR " if m else "")
            _contains(sql, text)
        sql.add(")")
    sql.add(")")
    if pinyin:
        sql.add(
            " OR i.pinyin_initials::text LIKE %s OR i.pinyin_initials::text LIKE %s",
            f"{_like(pinyin)}%",
            f"%{_like(' ' + pinyin)}%",
        )
    sql.add(")")


def _tier(sql: _Sql, q: str, terms: list[str], variants: dict[str, list[str]], pinyin):
    if len(terms) > 1:
        sql.add("LEAST(")
        for n, term in enumerate(terms):
            sql.add(", " if n else "").add("CASE")
            _when(sql, [_word(term)], Tier.WORD)
            _when(sql, _alias(n, variants[term]), Tier.ALIAS)
            sql.add(f" ELSE {int(Tier.TEXT)} END")
        sql.add(")")
        return
    term = terms[0]
    sql.add("CASE")
    _when(sql, [("i.upper_name = UPPER(%s)", [q])], Tier.EXACT)
    if pinyin:
        exact = [("i.pinyin_initials = %s", [pinyin])]
        exact.append(("i.pinyin_initials::text LIKE %s", [f"{_like(pinyin + ' ')}%"]))
        _when(sql, exact, Tier.EXACT)
    _when(sql, [_word(term)], Tier.WORD)
    if pinyin:
        _when(sql, [("i.pinyin_initials::text LIKE %s", [f"{_like(pinyin)}%"])], Tier.WORD)
    _when(sql, _alias(0, variants[term]), Tier.ALIAS)
    if pinyin:
        _when(sql, [("i.pinyin_initials::text LIKE %s", [f"%{_like(' ' + pinyin)}%"])], Tier.ALIAS)
    sql.add(f" ELSE {int(Tier.TEXT)} END")


def _public_search_sql(query: str, groups: list[list[str]]) -> tuple[_Sql, _Sql, _Sql] | None:
    """(the matched rows' columns, ``FROM … WHERE …``, ``ORDER BY …``) of the public search
    for ``query``. The columns work out once per row what the ordering tests twice: the
    upper-cased name, each term among the keywords."""
    q = normalise_query(query)
    if not q:
        return None
    terms = list(dict.fromkeys(q.split()))[:MAX_TERMS]
    variants = query_variants(terms, groups)
    compact = q.replace(" ", "")
    pinyin = compact if LATIN_QUERY.match(compact) else None

    columns = _Sql(
        "SELECT i.id, i.demand, i.name, i.item_type, i.name_words, i.search_text,"
        " i.pinyin_initials, UPPER(i.name::text) AS upper_name"
    )
    for n, term in enumerate(terms):
        columns.add(f", UPPER(i.keywords::text) LIKE UPPER(%s) AS kw{n}", f"%{_like(term)}%")
    where = _Sql()
    where.add(_FROM, ServiceGuide.Status.PUBLISHED.value)
    _match(where, terms, variants, pinyin)

    # query.SEARCH_ORDERING: rank, applied for, demand, keyword, prefix, name length, name, id.
    order = _Sql(" ORDER BY ")
    _tier(order, q, terms, variants, pinyin)
    order.add(" DESC, CASE WHEN NOT (i.item_type IN (")
    order.add(", ".join(["%s"] * len(ENFORCEMENT_TYPES)), *[str(t) for t in ENFORCEMENT_TYPES])
    order.add(")) THEN 1 ELSE 0 END DESC, i.demand DESC, CASE WHEN ")
    _any(order, [_keyword(n) for n in range(len(terms))])
    prefix = f"{_like(terms[0])}%"
    order.add(" THEN 1 ELSE 0 END DESC, CASE WHEN i.upper_name LIKE UPPER(%s)", prefix)
    order.add(" THEN 1 ELSE 0 END DESC, LENGTH(i.name) ASC, i.name ASC, i.id ASC")
    return columns, where, order


@dataclass(frozen=True)
class RankedIds:
    """One page of a public search: the items' ids, best first, and how many match
    (``None`` when the page is empty: the window had no row to count on)."""

    ids: list[int]
    total: int | None


def _fetch(text: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        return cursor.fetchall()


def public_search_ids(query: str, *, groups: list[list[str]], offset: int, limit: int) -> RankedIds:
    """The ids of public items (active, with a published guide: C5) matching ``query``, in
    :func:`.query.search_items`'s order, ``limit`` of them from ``offset``, and the total."""
    parts = _public_search_sql(query, groups)
    if parts is None:
        return RankedIds([], 0)
    columns, where, order = parts
    # OFFSET 0 keeps the subquery's columns from being inlined (worked out twice) above it.
    rows = _fetch(
        _RANKED + columns.text + where.text + " OFFSET 0) i" + order.text + " LIMIT %s OFFSET %s",
        [*columns.params, *where.params, *order.params, limit, offset],
    )
    return RankedIds([row[0] for row in rows], rows[0][1] if rows else None)


def public_search_count(query: str, *, groups: list[list[str]]) -> int:
    """How many public items match ``query``."""
    parts = _public_search_sql(query, groups)
    if parts is None:
        return 0
    _columns, where, _order = parts
    return _fetch("SELECT COUNT(*)" + where.text, where.params)[0][0]
