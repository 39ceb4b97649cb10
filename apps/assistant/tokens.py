"""Cutting questions and passages into the words the ranking compares (DOMAIN Q2).

The same cut as the catalogue's search (:func:`apps.catalogue.search.cut_name_words`:
rjieba's dictionary, compounds split once more), so 居民身份证 in a question finds 身份证 in
a guide. A question is widened by the catalogue's synonym list (社保 ↔ 社会保险) and by
the assistant's few everyday phrasings of life events (:mod:`.vocabulary`) before it is cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from apps.assistant.vocabulary import EVERYDAY_GROUPS, FILLERS, STOPWORDS
from apps.catalogue.search import cut_name_words

# Anything that is not a CJK character, a latin letter or a digit separates words.
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
MAX_QUESTION_LENGTH = 200


def passage_tokens(*texts: str) -> list[str]:
    """The words of a passage (stopwords and punctuation left out), repeats kept: BM25
    counts them."""
    words: list[str] = []
    for text in texts:
        for word in cut_name_words(_NOT_WORD.sub(" ", (text or "").lower())).split():
            if word not in STOPWORDS:
                words.append(word)
    return words


def is_weak(word: str) -> bool:
    """A single Chinese character (电, 证, 开) says too little to answer by alone: 手机没电了
    must not be answered with 数电发票."""
    return len(word) == 1 and "\u4e00" <= word <= "\u9fff"


def _without_fillers(text: str) -> str:
    for filler, replacement in FILLERS:
        text = re.sub(filler, replacement, text)
    return text


def question_phrases(question: str, groups: Iterable[Sequence[str]] = ()) -> list[str]:
    """``question`` without fillers and spaces, then the same with the longest term of each
    group it contains replaced by every other term of the group (孩子出生了 → 新生儿出生了)."""
    text = _without_fillers(_NOT_WORD.sub(" ", (question or "").lower())[:MAX_QUESTION_LENGTH])
    compact = text.replace(" ", "")
    phrases = [compact] if compact else []
    for group in [*EVERYDAY_GROUPS, *groups]:
        found = [term for term in group if term and term in compact]
        if found:
            hit = max(found, key=len)
            phrases += [compact.replace(hit, other) for other in group if other != hit]
    return phrases


def question_tokens(
    question: str, groups: Iterable[Sequence[str]] = ()
) -> tuple[list[str], list[str]]:
    """The distinct words of ``question``, and the further words of its synonym variants
    (which the ranking counts for less: a synonym widens the question, it must not outweigh
    what was asked)."""
    phrases = question_phrases(question, groups)
    own = list(dict.fromkeys(passage_tokens(phrases[0]))) if phrases else []
    extra: list[str] = []
    for phrase in phrases[1:]:
        extra += [w for w in passage_tokens(phrase) if w not in own and w not in extra]
    return own, extra
