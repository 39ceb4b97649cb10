"""The synonym list applied to queries (社保 ↔ 社会保险), in both directions.

A query term that contains a term of a group also stands for the same text with that term
replaced by each other term of the group: 社保 → 社会保险, 社会保险 → 社保, 医保报销 →
医疗保障报销. Where several terms of one group occur in the query term, the longest is
replaced (居民身份证 → 身份证, not 居民居民身份证).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from apps.catalogue.models import SynonymGroup

_TERM_SPLIT = re.compile(r"[\s,，、;；/|↔]+")
# A query term stands for itself and at most this many variants (a bound on the SQL).
MAX_VARIANTS_PER_TERM = 8


def parse_terms(text: str) -> list[str]:
    """The distinct, lowercased terms of ``text`` ("社保, 社会保险" → ["社保", "社会保险"])."""
    return list(dict.fromkeys(t.lower() for t in _TERM_SPLIT.split(text or "") if t))


def active_synonym_groups() -> list[list[str]]:
    """Every active group's terms (one short query; the list is tens to hundreds of rows)."""
    return [
        parse_terms(terms)
        for terms in SynonymGroup.objects.filter(is_active=True).values_list("terms", flat=True)
    ]


def term_variants(term: str, groups: Iterable[Sequence[str]]) -> list[str]:
    """``term`` rewritten with each synonym of the longest group term it contains."""
    variants: list[str] = []
    for group in groups:
        found = [t for t in group if t in term]
        if not found:
            continue
        hit = max(found, key=len)
        for other in group:
            variant = term.replace(hit, other)
            if other != hit and variant != term and variant not in variants:
                variants.append(variant)
    return variants[:MAX_VARIANTS_PER_TERM]


def query_variants(terms: Sequence[str], groups: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """For each query term, the synonym variants it also stands for."""
    groups = list(groups)
    return {term: term_variants(term, groups) for term in terms}
