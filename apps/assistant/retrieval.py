"""BM25 over the passage index, held in each process's memory (DOMAIN Q2).

The passages' words are stored with them (:class:`~apps.assistant.models.Passage`); each
process builds a ``bm25s`` index from them once and rebuilds it when the table changed
(its row count or highest id differ: one small query per question). A few thousand
passages index in well under a second, and a question is scored against all of them in
about a millisecond, on SQLite (``make run``) and Postgres alike, with no search server.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

import bm25s
import numpy as np
from django.db.models import Count, Max

from apps.assistant.models import Passage

# BM25's usual constants; passages are short, so length matters a little less (b).
K1 = 1.2
B = 0.5


@dataclass(frozen=True)
class _Index:
    stamp: tuple[int, int]
    ids: np.ndarray
    valid_until: np.ndarray  # proleptic ordinal of the last valid day, or max for none
    retriever: bm25s.BM25 | None


_lock = threading.Lock()
_current: _Index | None = None
_NO_END = np.iinfo(np.int64).max


def _stamp() -> tuple[int, int]:
    row = Passage.objects.aggregate(n=Count("id"), last=Max("id"))
    return row["n"] or 0, row["last"] or 0


def _build(stamp: tuple[int, int]) -> _Index:
    rows = list(Passage.objects.order_by("id").values_list("id", "tokens", "valid_until"))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    ends = np.array([r[2].toordinal() if r[2] else _NO_END for r in rows], dtype=np.int64)
    retriever = None
    if rows:
        retriever = bm25s.BM25(k1=K1, b=B)
        # An empty passage still needs a token for bm25s; it matches no question.
        retriever.index([r[1].split() or ["\u2400"] for r in rows], show_progress=False)
    return _Index(stamp, ids, ends, retriever)


def _index() -> _Index:
    global _current
    stamp = _stamp()
    index = _current
    if index is None or index.stamp != stamp:
        with _lock:
            if _current is None or _current.stamp != stamp:
                _current = _build(stamp)
            index = _current
    return index


# What a synonym's match is worth against a match of the question's own word.
SYNONYM_WEIGHT = 0.5


def rank(
    tokens: list[str],
    synonyms: list[str] | None = None,
    *,
    today: datetime.date,
    limit: int = 30,
) -> list[tuple[int, float]]:
    """``(passage id, score)`` of the best ``limit`` passages for the question's own words
    ``tokens`` and its ``synonyms``, best first; passages past their validity (an expired
    article or policy) are left out."""
    index = _index()
    if index.retriever is None or not (tokens or synonyms):
        return []
    scores = np.zeros(len(index.ids))
    if tokens:
        scores = scores + index.retriever.get_scores(tokens)
    if synonyms:
        scores = scores + SYNONYM_WEIGHT * index.retriever.get_scores(synonyms)
    scores = np.where(index.valid_until >= today.toordinal(), scores, 0.0)
    top = np.argsort(-scores, kind="stable")[:limit]
    return [(int(index.ids[i]), float(scores[i])) for i in top if scores[i] > 0]
