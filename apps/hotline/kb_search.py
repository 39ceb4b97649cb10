"""Knowledge-base search in Chinese as the operator types (DOMAIN H2, H5).

The catalogue's approach (:mod:`apps.catalogue.search`), reused: a substring match over a
lowercased ``search_text`` (title + keywords + body) plus the pinyin initials of the title
and keywords, on SQLite and Postgres alike; on Postgres ``pg_trgm`` GIN indexes (migration
0002) serve ``LIKE '%…%'``. No search server. Only current articles are offered: published
and not expired.
"""

from __future__ import annotations

import datetime
import re

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from apps.catalogue.search import MAX_TERMS, compute_search_fields, normalise_query
from apps.hotline.models import KnowledgeArticle

RANK_TITLE = 300
RANK_BIGRAM = 20
MAX_BIGRAMS = 16
# Words that carry no topic in a caller's sentence ("我的…怎么办？").
_FILLER = frozenset(
    {
        "我的",
        "我们",
        "你们",
        "他们",
        "怎么",
        "什么",
        "如何",
        "可以",
        "请问",
        "一下",
        "这个",
        "那个",
        "没有",
        "是不",
        "不是",
        "一个",
        "还是",
        "现在",
        "已经",
        "需要",
        "应该",
        "能不",
        "能否",
        "哪里",
        "哪个",
        "多少",
        "了吗",
        "么办",
        "怎样",
    }
)
_PUNCTUATION = re.compile(r"[\s，。、,.;；:：!！?？“”\"'（）()《》【】]+")
RANK_KEYWORD = 150
RANK_BODY = 50
RANK_PINYIN = 80
RANK_CATEGORY = 40


def article_search_fields(*, title: str, keywords: str, body: str) -> tuple[str, str]:
    fields = compute_search_fields(title, keywords)
    search_text, initials = fields.search_text, fields.pinyin_initials
    return f"{search_text} {' '.join(body.lower().split())}".strip(), initials


def current_articles(today: datetime.date) -> QuerySet[KnowledgeArticle]:
    return KnowledgeArticle.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today),
        status=KnowledgeArticle.Status.PUBLISHED,
    )


def _when(condition: Q, points: int) -> Case:
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def sentence_bigrams(query: str) -> list[str]:
    """Two-character fragments of a typed sentence, filler words left out: Chinese has no
    spaces, and a caller's sentence ("我的社保卡丢了，怎么补办") shares its topic words
    (社保, 保卡, 补办) with the right article, not the whole sentence."""
    grams: list[str] = []
    for part in _PUNCTUATION.split(query):
        for i in range(len(part) - 1):
            gram = part[i : i + 2]
            if gram not in _FILLER and not gram.isascii() and gram not in grams:
                grams.append(gram)
    return grams[:MAX_BIGRAMS]


def search_articles(
    query: str, *, today: datetime.date, category_id: int | None = None
) -> QuerySet[KnowledgeArticle]:
    """Current articles matching every term of ``query`` (or its pinyin initials), best
    first; articles of ``category_id`` rank higher. A longer query is also read as a
    sentence (:func:`sentence_bigrams`). An empty query matches nothing."""
    q = normalise_query(query)
    base = current_articles(today).select_related("department", "category")
    if not q:
        return base.none()
    terms = list(dict.fromkeys(q.split()))[:MAX_TERMS]
    match = Q()
    for term in terms:
        match &= Q(search_text__contains=term)
    bigram_rank = None
    grams = sentence_bigrams(q) if len(q) > 4 else []
    if grams:
        bigram_rank = sum(
            (_when(Q(search_text__contains=g), RANK_BIGRAM) for g in grams[1:]),
            _when(Q(search_text__contains=grams[0]), RANK_BIGRAM),
        )
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
    if bigram_rank is None:
        return base.filter(match).annotate(rank=rank).order_by("-rank", "-published_at", "id")
    # A sentence: rank by shared topic words; at least two must be shared (or the one).
    needed = RANK_BIGRAM * min(2, len(grams))
    return (
        base.annotate(words=bigram_rank)
        .filter(match | Q(words__gte=needed))
        .annotate(rank=rank + bigram_rank)
        .order_by("-rank", "-published_at", "id")
    )
