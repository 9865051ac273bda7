"""Normalising answer text: what two spellings must share to count as the same answer."""

from __future__ import annotations

import functools
import re

from hipquiz.core.spelling import APOSTROPHES, ASIDE, NON_WORD, folded

_ARTICLES = ("the ", "a ", "an ")
# (A text, as the patterns of hipquiz.core.spelling.) What separates numbers typed for a select or order question ("1 3", "3,1,2", "3 > 1 > 2").
SEPARATORS = r"[\s,;/>\-–→]+"


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case words without accents or punctuation, single-spaced: "Tensor fasciæ-latæ." →
    "tensor fasciae latae". Apostrophes vanish ("don't" → "dont"); other punctuation splits words."""
    text = re.sub(APOSTROPHES, "", folded(text))
    return " ".join(re.sub(NON_WORD, " ", text).split())


@functools.lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """What two answers must share to count as the same: the normalised text without a leading
    article and without spaces, so "the G-max" and "gmax" match."""
    text = normalize(text)
    for article in _ARTICLES:
        if text.startswith(article) and len(text) > len(article):
            text = text[len(article):]
            break
    return text.replace(" ", "")


@functools.lru_cache(maxsize=8192)
def core_text(text: str) -> str:
    """The normalised text without parenthesised asides and a leading article."""
    core = normalize(re.sub(ASIDE, " ", text))
    for article in _ARTICLES:
        if core.startswith(article):
            return core[len(article):]
    return core


def words(text: str) -> int:
    return len(normalize(text).split())


# Words that differ by a few letters but mean the opposite (or another member of a series).
_OPPOSITES = (
    ("superior", "inferior"), ("internus", "externus"), ("internal", "external"), ("inner", "outer"),
    ("inside", "outside"), ("in", "out"), ("inward", "outward"), ("medial", "lateral"),
    ("medially", "laterally"), ("anterior", "posterior"), ("front", "back"), ("upper", "lower"),
    ("over", "under", "underneath"), ("above", "below"), ("flexion", "extension"), ("flex", "extend"),
    ("flexes", "extends"), ("abduction", "adduction"), ("abduct", "adduct"), ("abducts", "adducts"),
    ("abductor", "adductor"), ("maximus", "medius", "minimus"), ("major", "minor"),
    ("greater", "lesser"), ("deep", "superficial"), ("proximal", "distal"), ("left", "right"),
    ("more", "less"), ("weak", "strong"), ("stable", "unstable"),
)
_OPPOSITE_GROUP = {word: n for n, group in enumerate(_OPPOSITES) for word in group}


def swaps_an_opposite(given: str, expected: str) -> bool:
    """Whether ``given`` puts a word's opposite where ``expected`` has the word."""
    given_words = normalize(given).split()
    expected_words = normalize(expected).split()
    extra = [w for w in given_words if w not in expected_words]
    missing = [w for w in expected_words if w not in given_words]
    return any(
        _OPPOSITE_GROUP.get(a) is not None and _OPPOSITE_GROUP.get(a) == _OPPOSITE_GROUP.get(b)
        for a in extra for b in missing
    )


def typo_tolerance(expected: str, given: str) -> int:
    """Edits forgiven between two match keys, scaled to the shorter one: none up to 3 characters
    ("TFL", "QF"), 1 up to 6, 2 up to 19, 3 from 20 on."""
    length = min(len(expected), len(given))
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length < 20:
        return 2
    return 3
