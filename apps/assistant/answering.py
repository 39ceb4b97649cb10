"""An answer to a question in plain Chinese, made only of published text (DOMAIN Q2).

1. The question is cut into words and widened by the synonym lists (:mod:`.tokens`).
2. BM25 ranks the indexed passages (:mod:`.retrieval`); each source keeps its best
   passage. A question that names a 一件事's life event — its name without "一件事", in
   the question's words or in an everyday phrasing of them (孩子出生 → 新生儿出生, 开餐馆 →
   开饭店) — is answered with that 一件事 first, because a life event is asked about as a
   whole; otherwise a 一件事 counts a little more than a single item's guide.
3. The answer quotes the best passages word for word with their links, names the items to
   apply for (a 一件事 with its members first), or says it has no answer when even the best
   passage scores below :data:`MIN_SCORE` — then the citizen is offered 12345 and the
   hotline's web form, never invented text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse

from apps.assistant import retrieval
from apps.assistant.models import Passage, SourceKind
from apps.assistant.tokens import is_weak, question_phrases, question_tokens
from apps.catalogue.models import Bundle, ServiceItem
from apps.catalogue.search.synonyms import active_synonym_groups

# Below this BM25 score the best passage shares only a common word with the question,
# unless it holds at least half of the question's own words (a short question: 暂住证).
MIN_SCORE = 2.8
MIN_COVERAGE = 0.5
BUNDLE_BOOST = 1.3
LIFE_EVENT_SUFFIX = "一件事"
MAX_QUOTES = 3
# Sources scoring below this share of the best one are only sharing a word with the
# question (开饭店 and 开诊所 share 开): they are left out of the answer.
RELATIVE_CUTOFF = 0.3
MAX_ITEMS = 6


@dataclass(frozen=True)
class Quote:
    source: str
    title: str
    section: str
    text: str
    url: str
    # The source's English name, blank where it has none (the page marks the Chinese).
    title_en: str = ""


@dataclass(frozen=True)
class ItemLink:
    code: str
    name: str
    url: str
    name_en: str = ""


@dataclass(frozen=True)
class BundleLink:
    code: str
    name: str
    url: str
    items: list[ItemLink]
    name_en: str = ""


@dataclass(frozen=True)
class Answer:
    answered: bool
    quotes: list[Quote] = field(default_factory=list)
    bundle: BundleLink | None = None
    items: list[ItemLink] = field(default_factory=list)
    top_score: float = 0.0
    passage_ids: list[int] = field(default_factory=list)
    # What the answer leads to in the order of its sources: a 一件事's code where a bundle
    # ranked, an item's code where its guide (or a policy or article naming it) did.
    targets: list[str] = field(default_factory=list)


def _best_per_source(ranked: list[tuple[int, float]]) -> list[tuple[Passage, float]]:
    passages = Passage.objects.in_bulk([pid for pid, _score in ranked])
    best: dict[tuple[str, int], tuple[Passage, float]] = {}
    for pid, score in ranked:
        passage = passages.get(pid)
        if passage is None:
            continue
        if passage.source_kind == SourceKind.BUNDLE:
            score *= BUNDLE_BOOST
        key = (passage.source_kind, passage.source_id)
        if key not in best or score > best[key][1]:
            best[key] = (passage, score)
    return sorted(best.values(), key=lambda pair: -pair[1])


def _life_events(phrases: list[str]) -> list[Passage]:
    """The indexed 一件事 whose life event the question names (a handful of rows)."""
    found = []
    for passage in Passage.objects.filter(source_kind=SourceKind.BUNDLE):
        event = passage.title.removesuffix(LIFE_EVENT_SUFFIX)
        if event and any(event in phrase for phrase in phrases):
            found.append(passage)
    return found


def _with_life_events(
    sources: list[tuple[Passage, float]], events: list[Passage]
) -> list[tuple[Passage, float]]:
    if not events:
        return sources
    top = max([sources[0][1] if sources else 0.0, MIN_SCORE]) + 1
    keys = {(p.source_kind, p.source_id) for p in events}
    rest = [(p, s) for p, s in sources if (p.source_kind, p.source_id) not in keys]
    return [(p, top) for p in events] + rest


def _answers(best: tuple[Passage, float], tokens: list[str], synonyms: list[str]) -> bool:
    """Whether the best passage answers the question: it holds half of the question's own
    words, or a word of two characters or more of it (or of a synonym) — not a lone
    character (手机没电了 is not about 数电发票) — and scores high enough (a little lower
    for a short question it covers)."""
    passage, score = best
    words = set(passage.tokens.split())
    covered = sum(1 for t in tokens if t in words) / len(tokens) if tokens else 0.0
    strong = any(t in words for t in [*tokens, *synonyms] if not is_weak(t))
    if covered >= MIN_COVERAGE:
        return score >= MIN_SCORE / 2
    return strong and score >= MIN_SCORE


def _item_links(ids: list[int]) -> dict[int, ItemLink]:
    rows = ServiceItem.objects.filter(pk__in=ids, is_active=True).values_list(
        "pk", "code", "name", "name_en"
    )
    return {
        pk: ItemLink(code, name, reverse("catalogue:item", args=[code]), name_en)
        for pk, code, name, name_en in rows
    }


def _bundle_link(passage: Passage, items: dict[int, ItemLink]) -> BundleLink | None:
    row = Bundle.objects.filter(pk=passage.source_id).values_list("code", "name_en").first()
    if row is None:
        return None
    code, name_en = row
    members = [items[i] for i in passage.item_ids if i in items]
    return BundleLink(code, passage.title, passage.url, members, name_en)


def answer_question(question: str, *, today: datetime.date | None = None) -> Answer:
    """The answer to ``question`` from the passages in force ``today``."""
    today = today or datetime.date.today()
    groups = active_synonym_groups()
    tokens, synonyms = question_tokens(question, groups)
    ranked = retrieval.rank(tokens, synonyms, today=today)
    ranked_sources = _best_per_source(ranked)
    sources = _with_life_events(ranked_sources, _life_events(question_phrases(question, groups)))
    if not sources or not _answers(sources[0], tokens, synonyms):
        return Answer(answered=False, top_score=sources[0][1] if sources else 0.0)
    floor = RELATIVE_CUTOFF * (ranked_sources[0][1] if ranked_sources else 0.0)
    sources = [(p, score) for p, score in sources if score >= floor]
    top = sources[:MAX_QUOTES]
    item_ids = list(dict.fromkeys(i for passage, _s in sources[:8] for i in passage.item_ids))
    links = _item_links(item_ids)
    first_bundle = next((p for p, _s in top if p.source_kind == SourceKind.BUNDLE), None)
    bundle = _bundle_link(first_bundle, links) if first_bundle is not None else None
    in_bundle = set(first_bundle.item_ids) if first_bundle is not None else set()
    items = [links[i] for i in item_ids if i in links and i not in in_bundle][:MAX_ITEMS]
    targets: list[str] = []
    for passage, _s in sources[:8]:
        if passage.source_kind == SourceKind.BUNDLE:
            if bundle is not None and passage is first_bundle:
                targets.append(bundle.code)
            continue
        targets += [links[i].code for i in passage.item_ids if i in links]
    quotes = [
        Quote(SourceKind(p.source_kind).label, p.title, p.section, p.text, p.url, p.title_en)
        for p, _s in top
    ]
    return Answer(
        answered=True,
        quotes=quotes,
        bundle=bundle,
        items=items,
        top_score=sources[0][1],
        passage_ids=[p.pk for p, _s in top],
        targets=list(dict.fromkeys(targets)),
    )
