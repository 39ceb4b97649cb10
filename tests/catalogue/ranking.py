"""The public search's SQL ranking (apps.catalogue.search.ranked) against the ORM's
(search_items over the public items): the same ids in the same order, the same total."""

from __future__ import annotations

from apps.catalogue.public_selectors import item_public_search
from apps.catalogue.search.ranked import public_search_count, public_search_ids
from apps.catalogue.search.synonyms import active_synonym_groups


def assert_public_ranking_matches_orm(query: str) -> list[int]:
    expected = [item.id for item in item_public_search(query)]
    groups = active_synonym_groups()
    ranked = public_search_ids(query, groups=groups, offset=0, limit=len(expected) + 5)
    assert ranked.ids == expected, query
    assert ranked.total == (len(expected) if expected else None), query
    assert public_search_count(query, groups=groups) == len(expected), query
    if len(expected) > 2:
        middle = public_search_ids(query, groups=groups, offset=1, limit=2)
        assert middle.ids == expected[1:3], query
        assert middle.total == len(expected), query
    return expected
