"""Knowledge-base search in Chinese as the operator types (DOMAIN H2, H5).

The catalogue's approach (:mod:`apps.catalogue.search`), reused: a substring match over a
lowercased ``search_text`` (title + keywords + body) plus the pinyin initials of the title
and keywords, on SQLite and Postgres alike; on Postgres ``pg_trgm`` GIN indexes (migration
0002) serve ``LIKE '%…%'``. No search server. Only current articles are offered: published
and not expired.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from apps.catalogue.search import MAX_TERMS, compute_search_fields, normalise_query
from apps.hotline.models import KnowledgeArticle

RANK_TITLE = 300
RANK_KEYWORD = 150
RANK_BODY = 50
RANK_PINYIN = 80
RANK_CATEGORY = 40


def article_search_fields(*, title: str, keywords: str, body: str) -> tuple[str, str]:
    search_text, initials = compute_search_fields(title, keywords)
    return f"{search_text} {' '.join(body.lower().split())}".strip(), initials


def current_articles(today: datetime.date) -> QuerySet[KnowledgeArticle]:
    return KnowledgeArticle.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        status=KnowledgeArticle.Status.PUBLISHED,
    )


def _when(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def search_articles(
    query: str, *, today: datetime.date, category_id: int | None = None
) -> QuerySet[KnowledgeArticle]:
    """Current articles matching every term of ``query`` (or its pinyin initials), best
    first; articles of ``category_id`` rank higher. An empty query matches nothing."""
    q = normalise_query(query)
    base = current_articles(today).select_related("department", "category")
    if not q:
        return base.none()
    terms = list(dict.fromkeys(q.split()))[:MAX_TERMS]
    match = Q()
    for term in terms:
        match &= Q(search_text__contains=term)
    compact = q.replace(" ", "")
    if compact.isascii() and compact.isalnum():
        pinyin = Q(pinyin_initials__startswith=compact) | Q(pinyin_initials__contains=f" {compact}")
        match |= pinyin
    else:
        pinyin = Q(pk__in=[])
    rank = (
        _when(Q(title__icontains=q), RANK_TITLE)
        + _when(Q(keywords__icontains=q), RANK_KEYWORD)
        + _when(Q(body__icontains=q), RANK_BODY)
        + _when(pinyin, RANK_PINYIN)
    )
    if category_id:
        rank = rank + _when(Q(category_id=category_id), RANK_CATEGORY)
    return base.filter(match).annotate(rank=rank).order_by("-rank", "-published_at", "id")
