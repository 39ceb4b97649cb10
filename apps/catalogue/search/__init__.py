"""Chinese search over the service catalogue, with no search server (DOMAIN C5, C6).

Citizens type short fragments — 护照, 社保, 营业执照 — or common names the catalogue does
not use (社保 for 社会保险), or pinyin initials (``spjy`` for 食品经营许可). Matching is a
substring match over a denormalised ``search_text`` (name and keywords), widened by the
synonym list (:mod:`.synonyms`) and by pinyin initials; it runs the same on SQLite
(``make run``) and Postgres, where a ``pg_trgm`` GIN index serves queries of three
characters or more and a GIN index over the text's character bigrams serves two-character
queries (:class:`.query.BigramsContain`). Ranking (:mod:`.query`) puts the exact name
first, then names that contain the query *as a word* (decided on the name cut into words,
:mod:`.index`), then keyword and synonym matches, then the rest.
"""

from __future__ import annotations

from apps.catalogue.search.index import (
    SearchFields,
    compute_search_fields,
    cut_name_words,
    split_keywords,
)
from apps.catalogue.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    SEARCH_ORDERING,
    Tier,
    normalise_query,
    search_items,
)
from apps.catalogue.search.synonyms import parse_terms, query_variants

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SEARCH_ORDERING",
    "SearchFields",
    "Tier",
    "compute_search_fields",
    "cut_name_words",
    "normalise_query",
    "parse_terms",
    "query_variants",
    "search_items",
    "split_keywords",
]
