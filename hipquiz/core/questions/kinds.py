"""What kind of thing an answer is — a nerve, a muscle, a number, a frequency, or a phrase — so
that a choice question offers like for like, and in the same style.

Kinds come from the anatomy lexicon (``decks/lexicon.toml``: every term has a kind) where the
answer is a term, from its form where it is a number or a frequency, and otherwise from the card:
the field it answers and the question word of its prompt ("where…?" answers are places).
"""

from __future__ import annotations

import functools
import re

from hipquiz.core.lexicon import Lexicon, Term, plain_words
from hipquiz.core.questions.text import normalize
from hipquiz.core.spelling import SPACED_ASIDE

NUMBER = "number"
FREQUENCY = "frequency"
# A phrase: an answer that is no term, number or frequency.
PHRASE = ""

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                "nineteen", "twenty")
_TIMES = ("once", "twice", "three times", "four times", "five times")
_FREQUENCY = re.compile(
    r"^(?:(?P<count>once|twice|thrice|(?:\d+|one|two|three|four|five|six|seven) times)"
    r"(?P<rest>\s+(?:a|per|each|every)\s+(?:day|week|month|year))?"
    r"|(?:daily|weekly|monthly|every\s+(?:other\s+)?(?:day|week|month)))$")
_ASIDE = re.compile(SPACED_ASIDE)
_LIST_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# The question words that tell what sort of phrase a prompt asks for, longest first.
_FRAMES = ("how many", "how often", "how long", "where", "why", "when", "who", "how", "which", "what")
# Question words too open on their own: "what pain…?" and "what does it do?" ask different things.
_OPEN_FRAMES = ("how", "which", "what")
_SKIPPED = frozenset({"the", "a", "an", "of", "two", "three", "four"})


def without_asides(text: str) -> str:
    """The text without parenthesised asides: "gluteus medius (G-med)" → "gluteus medius"."""
    stripped = " ".join(_ASIDE.sub("", text).split())
    return stripped or text


def number_value(text: str) -> int | None:
    """The number a short answer is ("9", "nine", "9 muscles"), else None."""
    words = plain_words(text)
    if not 1 <= len(words) <= 2:
        return None
    first = words[0]
    if first.isdigit():
        return int(first)
    return NUMBER_WORDS.index(first) if first in NUMBER_WORDS else None


def is_frequency(text: str) -> bool:
    return bool(_FREQUENCY.match(normalize(text)))


@functools.lru_cache(maxsize=16384)
def term_of(text: str, lexicon: Lexicon) -> Term | None:
    """The lexicon term a text is, leaving out parenthesised asides ("the TFL (tensor fasciae
    latae)"), but never a term named only in an aside."""
    return lexicon.lookup(without_asides(text))


@functools.lru_cache(maxsize=16384)
def text_kind(text: str, lexicon: Lexicon) -> str:
    """The kind of an answer from its text alone: a lexicon kind ("nerve"), the same kind in the
    plural for a list of such terms ("muscle+"), NUMBER, FREQUENCY, or PHRASE."""
    if number_value(text) is not None:
        return NUMBER
    if is_frequency(text):
        return FREQUENCY
    term = term_of(text, lexicon)
    if term is not None:
        return term.kind
    parts = [part for part in _LIST_SEPARATORS.split(without_asides(text)) if part.strip()]
    if len(parts) >= 2:
        kinds = {getattr(term_of(part, lexicon), "kind", None) for part in parts}
        if len(kinds) == 1 and None not in kinds:
            return f"{kinds.pop()}+"
    return PHRASE


def question_frame(prompt: str) -> str:
    """The question words of a prompt, which say what sort of phrase it asks for: "where", "how
    many", and for "what", "which" and "how" the word after ("what pain", "what does", "which
    day"); "" when it has none."""
    words = normalize(prompt).split()
    text = f" {' '.join(words)} "
    found = [(text.find(f" {frame} "), -len(frame), frame) for frame in _FRAMES if f" {frame} " in text]
    if not found:
        return ""
    position, _, frame = min(found)
    if frame not in _OPEN_FRAMES:
        return frame
    after = [word for word in text[position + len(frame) + 2:].split() if word not in _SKIPPED][:1]
    return " ".join([frame, *after])


def frequency_variants(text: str) -> list[str]:
    """The same frequency with other counts ("twice per week" → "once per week", "three times per
    week"…), in the answer's own words."""
    match = _FREQUENCY.match(normalize(text))
    if not match or not match.group("count"):
        return []
    rest = match.group("rest") or ""
    return [f"{count}{rest}" for count in _TIMES if count != match.group("count")]


def number_variants(text: str) -> list[str]:
    """Nearby numbers written as the answer writes its number ("9" → "8", "10", "7", "11"…)."""
    value = number_value(text)
    if value is None:
        return []
    words = plain_words(text)
    as_word = not words[0].isdigit()
    unit = " ".join(words[1:])
    found = []
    for step in (-1, 1, -2, 2, -3, 3, 4):
        other = value + step
        if other < 1 or (as_word and other >= len(NUMBER_WORDS)):
            continue
        shown = NUMBER_WORDS[other] if as_word else str(other)
        found.append(f"{shown} {unit}".strip())
    return found
