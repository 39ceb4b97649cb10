"""What an item is searched by, computed when its name or keywords change.

* ``search_text``: the lowercased name, then each keyword, space separated.
* ``pinyin_initials``: the initials of the name (食品经营许可 → ``spjyxk``), then those of each
  keyword, space separated.
* ``name_words``: the name cut into words (居民身份证申领 → ``居民 身份证 申领``), so that a
  query counts as a *word* of 居民身份证申领 but not of 身份证明开具 (身份 证明 开具), which
  merely contains the characters 身份证.

Words come from the maintained jieba dictionary (``rjieba``, the Rust port), in its precise
mode; a compound the dictionary keeps whole is split once more where both halves are
dictionary words of two or more characters (居民身份证 → 居民 身份证, 身份证明 → 身份 证明),
because people search for the parts of such compounds.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import rjieba
from pypinyin import Style, lazy_pinyin

# Keyword lists are written with any of these separators: "营业执照,开公司" / "营业执照，开公司".
_KEYWORD_SPLIT = re.compile(r"[\s,，、;；/|]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Loaded once per process (about 0.1 s); cutting a name takes microseconds.
_SEGMENTER = rjieba.Jieba()
_MIN_PART = 2


class SearchFields(NamedTuple):
    search_text: str
    pinyin_initials: str
    name_words: str


def split_keywords(keywords: str) -> list[str]:
    return [k for k in _KEYWORD_SPLIT.split(keywords or "") if k]


def _initials(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return _NON_ALNUM.sub("", "".join(letters).lower())


def _split_compound(word: str) -> list[str]:
    if len(word) >= 2 * _MIN_PART:
        for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
            left, right = word[:cut], word[cut:]
            if _SEGMENTER.has_word(left) and _SEGMENTER.has_word(right):
                return [*_split_compound(left), *_split_compound(right)]
    return [word]


def cut_name_words(name: str) -> str:
    """``name`` lowercased and cut into words, space separated."""
    words: list[str] = []
    for token in _SEGMENTER.cut((name or "").lower(), False):
        token = token.strip()
        if token:
            words += _split_compound(token)
    return " ".join(words)


def compute_search_fields(name: str, keywords: str) -> SearchFields:
    """The derived search columns of an item with this name and these keywords."""
    name = (name or "").strip()
    words = split_keywords(keywords)
    search_text = " ".join([name.lower(), *(w.lower() for w in words)]).strip()
    initials: list[str] = []
    for text in [name, *words]:
        token = _initials(text)
        if token and token not in initials:
            initials.append(token)
    return SearchFields(search_text, " ".join(initials)[:200], cut_name_words(name))
