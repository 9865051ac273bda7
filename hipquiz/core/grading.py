"""Grading a typed answer as a teacher would: right, right with a typo, or wrong (and why).

``grade_card(card, text)`` (or ``grade_answer`` with the expected answers spelled out) returns a
``Verdict``. The steps:

1. **Normalise** what students add or drop without changing the meaning (hipquiz/core/lexicon.py):
   case, accents, punctuation, hyphens, "&", "the", "muscle"/"m.", abbreviations ("inf.", "obt",
   "n."), word and index order ("gluteal nerve, inferior"), number words ("nine" = "9"). Spinal roots
   are read apart in any notation ("(L4, L5, S1)", "L4-S1", "L4–S1").
2. **Answers that are terms** (the card's answer names a lexicon term): right when the text names
   the expected term in any form; wrong when it names another term (``named`` says which). For a
   "which group…?" card, another group the muscle belongs to is right too (``note`` explains).
   Roots given with a nerve must be a root set sources give for it, or the answer is wrong.
3. **Numbers**: digits or words, with or without the thing counted ("9 muscles"); another number is
   wrong.
4. **Other answers** (short phrases, "strength and stability"): the parts match the card's accepted
   answers in any order and with any separator ("and", ",", "&", "/"); a plural -s is no mistake;
   a word two parts share may be said once ("gluteus medius and minimus").
5. **Typos.** A text that matches nothing exactly is a typo of the expected answer only when the
   nearest answer of all (every lexicon term, the card's accepted answers, other cards' answers) is
   the expected one, within a tolerance scaled to its length, AND each misspelled word is no real
   word: a word of the lexicon ("minimus", "inferior") or an English word of the word list
   (pyspellchecker: "thrice", "none", "inflexible", "instability") is a different answer, never a
   typo, and so is a non-word that lies nearer to an English word than to the expected word. An
   opposite is never a typo however near it is spelled: a negating prefix ("unequally" for
   "equally"), a "not" added or left out, an opposite direction ("inferolateral" for "superolateral").
   Directions: two direction terms read as their compound ("upper lateral" = superolateral), "to"
   after one says nothing ("inferior to it" = "below it"), and a place may be framed in other words
   ("front and outside of the thigh" = "anterolateral thigh"). "named" never names a direction.
   "two times" = "2x" = "twice".
6. An answer that only repeats words of the question ("TFL" for "What does TFL stand for?") is wrong.
7. **Half a name.** The word that tells a muscle from its look-alikes, alone ("medius" for the
   gluteus medius), is right with a slip: the answer is clear, the name incomplete. A word the
   look-alikes share ("gluteus") names none of them.

Everything here is pure: the word list and the shipped lexicon are loaded once and cached.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from hipquiz.core.decks import Card
from hipquiz.core.lexicon import Lexicon, Term, parse_roots, plain_words
from hipquiz.core.spelling import ASIDE


def _distance(one: str, other: str) -> int:
    """The optimal string alignment distance. rapidfuzz is imported when an answer is first graded
    (a start does not need it); this function then replaces itself with rapidfuzz's own."""
    global _distance
    from rapidfuzz.distance import OSA

    _distance = OSA.distance
    return _distance(one, other)

RIGHT, TYPO, WRONG = "right", "typo", "wrong"

# Words of the English word list rarer than this are too obscure to count as a "real word" that a
# student meant ("tenser", "lessor" sit at the list's floor of 50).
MIN_WORD_FREQUENCY = 100

# Words that a phrase answer may add or drop ("its strength and stability", "both strong and flexible").
PHRASE_FILLERS = frozenset({"its", "your", "their", "both", "all"})
# What separates the parts of a multi-part answer ("&" is read as "and" already).
PART_SEPARATORS = frozenset({"and", "plus", "or"})
_SEPARATOR_CHARACTERS = re.compile(r"[,;/+]")

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_NUMBER_NAMES = {value: word for word, value in NUMBER_WORDS.items()}
_ROOT = re.compile(r"(?<![A-Za-z])[LS]\s?[1-5](?![0-9])", re.IGNORECASE)
_ROOT_TAIL = re.compile(r"^(?:\s*(?:[,/&\-–—]|and|to)\s*[1-5](?![0-9]))+", re.IGNORECASE)
_ASIDE = re.compile(ASIDE)


@dataclass(frozen=True)
class Verdict:
    """What a teacher says to a typed answer."""

    verdict: str  # RIGHT, TYPO or WRONG
    # The other term a wrong answer names ("superior cluneal nerves").
    named: str = ""
    # One line on why, where the verdict alone does not say it ("roots L2, L3 are not…").
    note: str = ""
    # Wrong because it is as near another answer as the right one (not a clear typo of either).
    ambiguous: bool = False

    @property
    def correct(self) -> bool:
        return self.verdict != WRONG

    @property
    def near_miss(self) -> bool:
        return self.verdict == TYPO


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _english() -> dict[str, int]:
    """The English word list with frequencies (pyspellchecker's, shipped in the package)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


def is_english_word(word: str) -> bool:
    return _english().get(word, 0) >= MIN_WORD_FREQUENCY


def _english_word_within_one(word: str, min_length: int = 1) -> bool:
    """Whether an English word of at least ``min_length`` letters lies one edit (OSA) from ``word``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = itertools.chain(
        (a + b[1:] for a, b in splits if b),
        (a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        (a + c + b[1:] for a, b in splits if b for c in letters),
        (a + c + b for a, b in splits for c in letters),
    )
    return any(candidate != word and len(candidate) >= min_length and is_english_word(candidate)
               for candidate in candidates)


def _singular(word: str) -> str:
    """"knees" → "knee"; Latin endings ("maximus", "femoris") and "-ss" stay."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tolerance(length: int) -> int:
    """Edits forgiven, scaled to the length of the shorter text (letters only, no spaces)."""
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length < 20:
        return 2
    return 3


def _word_tolerance(length: int) -> int:
    return 0 if length <= 3 else 1 if length <= 6 else 2


# ---------------------------------------------------------------------------------------------
# Reading the typed text
# ---------------------------------------------------------------------------------------------


def split_roots(text: str) -> tuple[str, tuple[str, ...]]:
    """The text without its spinal roots, and the roots: "superior gluteal nerve (L4-S1)" →
    ("superior gluteal nerve ( )", ("L4", "L5", "S1"))."""
    first = _ROOT.search(text)
    if first is None:
        return text, ()
    end = first.end()
    for found in _ROOT.finditer(text, first.end()):
        between = text[end:found.start()]
        if re.fullmatch(r"[\s,/&\-–—]*(?:and|to)?[\s,/&\-–—]*", between, re.IGNORECASE) or \
                re.fullmatch(r"(?:\s*(?:[,/&\-–—]|and|to)\s*[1-5])+[\s,/&\-–—]*(?:and|to)?[\s,/&\-–—]*", between, re.IGNORECASE):
            end = found.end()
        else:
            break
    tail = _ROOT_TAIL.match(text[end:])
    if tail:
        end += tail.end()
    span = text[first.start():end]
    start = first.start()
    # "roots L4-S1", "spinal roots: …" lose their label too.
    label = re.search(r"(?:spinal\s+)?(?:nerve\s+)?roots?\s*:?\s*$", text[:start], re.IGNORECASE)
    if label:
        start = label.start()
    return f"{text[:start]} {text[end:]}", parse_roots(span)


def parse_number(words: Sequence[str]) -> tuple[int | None, tuple[str, ...]]:
    """A leading number written in digits or words, and the words after it: ("9", "muscles") →
    (9, ("muscles",)); (None, words) when the text does not start with a number."""
    if not words:
        return None, ()
    first = words[0]
    if first.isdigit():
        return int(first), tuple(words[1:])
    if first in NUMBER_WORDS:
        return NUMBER_WORDS[first], tuple(words[1:])
    return None, tuple(words)


# How often, in the words students use: "two times weekly" = "2x weekly" = "twice weekly".
_MULTIPLES = {("1", "time"): "once", ("1x",): "once", ("2", "times"): "twice", ("2x",): "twice",
              ("2", "x"): "twice"}


def _digits(words: Iterable[str]) -> tuple[str, ...]:
    """Number words as digits, and "N times" as "once"/"twice"."""
    digits = [str(NUMBER_WORDS[w]) if w in NUMBER_WORDS else w for w in words]
    out: list[str] = []
    i = 0
    while i < len(digits):
        length = next((n for n in (2, 1) if tuple(digits[i:i + n]) in _MULTIPLES), 0)
        out.append(_MULTIPLES[tuple(digits[i:i + length])] if length else digits[i])
        i += length or 1
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    words: tuple[str, ...]
    owner: str  # "" = a right answer; else the id or text of what else it names


def grade_card(card: Card, text: str, *, lexicon: Lexicon | None = None, also_right: Iterable[str] = (),
               other_answers: Iterable[str] = ()) -> Verdict:
    """Grade ``text`` typed for ``card``. ``also_right``: further right answers (the user's own
    aliases); ``other_answers``: answers that are wrong here (other cards' answers to the same kind
    of question, other muscles' names)."""
    lexicon = lexicon or Lexicon.current()
    subject = None
    if card.note.type == "muscle" and card.note.text("name"):
        subject = lexicon.lookup(card.note.text("name"))
    own = (card.answer, *card.accepted, *card_typed_forms(card))
    return grade_answer(text, own, lexicon=lexicon, prompt=card.prompt, subject=subject, rivals=other_answers,
                        aliases=tuple(also_right))


def card_typed_forms(card: Card) -> tuple[str, ...]:
    """Short forms the deck accepts as a typed answer where the answer shown is long ("ASIS")."""
    return tuple(getattr(card, "typed", ()) or ())


def names_another_term(card: Card, text: str, lexicon: Lexicon | None = None) -> bool:
    """Whether ``text`` is a name of a lexicon term other than the one ``card`` asks for: such a
    text may never become one of the user's accepted answers."""
    lexicon = lexicon or Lexicon.current()
    term = lexicon.lookup(split_roots(text)[0])
    return term is not None and term.id not in _terms_of((card.answer, *card.accepted, *card_typed_forms(card)), lexicon)


def grade_answer(text: str, accepted: Sequence[str], *, lexicon: Lexicon | None = None, prompt: str = "",
                 subject: Term | None = None, rivals: Iterable[str] = (), aliases: Sequence[str] = ()) -> Verdict:
    """Grade ``text`` against the right answers ``accepted`` (the first is the one shown) and the
    user's ``aliases`` (right too, but not when they merely repeat the question).

    ``subject``: the term the question is about (a muscle, for "which group…?"); ``rivals``: other
    answers that are wrong here. See the module docstring for the rules."""
    lexicon = lexicon or Lexicon.current()
    body, roots = split_roots(text)
    words = _digits(lexicon.key(body))
    prompt_words = _digits(lexicon.key(prompt))
    # Roots are graded apart from the words around them, in the answers as in the text typed.
    own_split = [split_roots(a) for a in accepted if a.strip()]
    alias_split = [split_roots(a) for a in aliases if a.strip()]
    own = tuple(b for b, _ in own_split if plain_words(b))
    accepted = (*own, *(b for b, _ in alias_split if plain_words(b)))
    expected_terms = _terms_of(accepted, lexicon)
    root_sets = {r for _, r in (*own_split, *alias_split) if r}
    root_sets |= {r for t in expected_terms for r in lexicon[t].roots}
    if roots and root_sets and roots not in root_sets:
        shown = "; ".join(_root_text(r) for r in sorted(root_sets, key=len, reverse=True))
        nerves = [lexicon[t] for t in expected_terms if lexicon[t].roots]
        whose = f"those of the {nerves[0].name}" if len(nerves) == 1 else "the roots asked for"
        return Verdict(WRONG, note=f"roots {_root_text(roots)} are not {whose} ({shown})")
    if not words:
        # Roots alone answer a question about roots; where a nerve is asked for, they name none.
        if roots and roots in root_sets and any(lexicon[t].kind == "nerve" for t in expected_terms):
            return Verdict(WRONG, note="those are the roots: name the nerve")
        return Verdict(RIGHT if roots and roots in root_sets else WRONG)
    # Where the roots are the answer, the roots and part of what goes with them are right ("L4-S1,
    # posterior divisions"); not where a nerve is the answer ("superior (L4-S1)" names no nerve).
    if roots and any(r and set(words) <= set(_digits(lexicon.key(b))) and lexicon.lookup(b) is None
                     for b, r in own_split):
        return Verdict(RIGHT)

    # An answer that only repeats the question ("TFL" for "What does TFL stand for?").
    if not _literally(words, own, lexicon) and _in_prompt(words, prompt_words):
        return Verdict(WRONG, note="that repeats the question")
    literally_accepted = _literally(words, accepted, lexicon)
    # An answer may leave out what the question already says ("deep" for "In which layer…?": "the
    # deep layer").
    canonical, misspelled_term = _canonical(words, lexicon)
    if not literally_accepted and any(canonical == core or sorted(canonical) == sorted(core)
                                      for core in _cores(accepted, prompt_words, lexicon)):
        return Verdict(TYPO if misspelled_term else RIGHT)
    # An aside that is itself a right answer says nothing new: "gluteal tendinopathy (GTPS)".
    asides = _ASIDE.findall(body)
    if asides and all(_literally(_digits(lexicon.key(a)), accepted, lexicon) for a in asides if plain_words(a)):
        without = _ASIDE.sub(" ", body)
        if plain_words(without):
            return grade_answer(without, own, lexicon=lexicon, prompt=prompt, subject=subject, rivals=rivals,
                                aliases=aliases)

    number = _expected_number(accepted, lexicon)
    if number is not None:
        return _grade_number(words, number, _digits(lexicon.key(prompt)))

    found = _match(body, lexicon)
    if found is not None:
        term, misspelled = found
        verdict = TYPO if misspelled else RIGHT
        if term.id in expected_terms:
            return Verdict(verdict)  # roots, if any, were checked above
        if term.kind == "group" and subject is not None and subject.id in term.members \
                and any(lexicon[t].kind == "group" for t in expected_terms):
            shown = accepted[0] if accepted else ""
            return Verdict(verdict, note=f"the {term.name} is a group of the {subject.name}; the card's answer is "
                                         f"{shown!r}")
        if not literally_accepted:
            return Verdict(WRONG, named=_name_of(term))
    if literally_accepted:
        return Verdict(RIGHT)
    # Parts in any order, with any separator, plurals as singulars.
    given_parts, misspelled = _parts(body, lexicon)
    for answer in accepted:
        parts = _parts(answer, lexicon)[0]
        if given_parts is None or parts is None:
            continue
        # "X and Y ligaments" = "X ligament and Y ligament": for answers of several parts, the
        # words count, not how they are shared out.
        if given_parts == parts or (len(parts) > 1 and len(given_parts) > 1
                                    and set().union(*given_parts) == set().union(*parts)):
            return Verdict(TYPO if misspelled else RIGHT)
    if _same_place(canonical, accepted, lexicon):
        return Verdict(TYPO if misspelled_term else RIGHT)
    if _names_the_head(canonical, own, lexicon):
        return Verdict(TYPO if misspelled_term else RIGHT)
    half = _half_a_name(words, expected_terms, lexicon)
    if half is not None:
        return Verdict(TYPO, note=f"the full name is {half.name!r}")
    # A misspelled "muscle" ("small hip mucles") is still the word "muscle", which never counts.
    # "upper lateral quadrnt": a typo of "superolateral quadrant" once the directions are read as one.
    if not misspelled_term and canonical != _canonical(words, lexicon, compound=False)[0]:
        named = " ".join(lexicon[w[1:]].name if w.startswith("\x00") else w for w in canonical)
        return grade_answer(named, accepted, lexicon=lexicon, prompt=prompt, subject=subject, rivals=rivals)
    kept = tuple(w for w in words if not _misspelled_filler(w, lexicon))
    if kept != words and kept:
        verdict = grade_answer(" ".join(kept), accepted, lexicon=lexicon, prompt=prompt, subject=subject,
                               rivals=rivals)
        return Verdict(TYPO, note=verdict.note) if verdict.verdict == RIGHT else verdict
    return _grade_near_miss(words, accepted, expected_terms, lexicon, rivals)


def _name_of(term: Term) -> str:
    """What "You named the …" may say of a term the answer names: never a bare direction word
    ("lateral", "superior", "anteromedial"), which is part of an answer, not a thing named."""
    return "" if term.kind == "direction" else term.name


def _misspelled_filler(word: str, lexicon: Lexicon) -> bool:
    if word in lexicon.vocabulary or is_english_word(word):
        return False
    return any(_distance(word, filler) <= 2 for filler in ("muscle", "muscles"))


def _cores(accepted: Sequence[str], prompt: tuple[str, ...], lexicon: Lexicon) -> list[tuple[str, ...]]:
    """The accepted answers, terms read as terms, without the other words the question already
    says: "the deep layer" for "In which layer…?" → (deep,). A term's own words are never left out."""
    cores = []
    for answer in accepted:
        plain = _digits(lexicon.key(answer))
        words = _canonical(plain, lexicon)[0]
        core = tuple(w for w in words if w not in prompt and w not in PHRASE_FILLERS)
        if core and core != words:
            cores.append(core)
        # A term named by the words the question leaves open: "deep" for the "deep layer".
        if len(words) == 1 and words[0].startswith("\x00"):
            rest = _canonical(tuple(w for w in plain if w not in prompt and w not in PHRASE_FILLERS), lexicon)[0]
            if len(rest) == 1 and rest[0].startswith("\x00") and rest != words:
                cores.append(rest)
    return cores


def _literally(words: tuple[str, ...], accepted: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether ``words`` are one of the accepted answers, in any word order."""
    keys = {_digits(lexicon.key(a)) for a in accepted}
    return words in keys or tuple(sorted(words)) in {tuple(sorted(k)) for k in keys}


def _in_prompt(words: tuple[str, ...], prompt: tuple[str, ...]) -> bool:
    """Whether the words run in the prompt, spaced alike or not ("thighbone" in "the thigh bone")."""
    joined = "".join(words)
    return any("".join(prompt[i:j]) == joined for i in range(len(prompt)) for j in range(i + 1, len(prompt) + 1))


def _terms_of(accepted: Sequence[str], lexicon: Lexicon) -> set[str]:
    """The lexicon terms the card's right answers name (asides such as "(TFL)" or "(the most
    superior)" may be left out)."""
    found = set()
    for answer in accepted:
        term = lexicon.lookup(answer)
        if term is not None:
            found.add(term.id)
    return found


def _match(text: str, lexicon: Lexicon) -> tuple[Term, bool] | None:
    """The term ``text`` names. A parenthesised aside may be left out only when it is another name of
    the same term ("tensor fasciae latae (TFL)"): "obturator nerve (anterior branch)" says more than
    "obturator nerve", and is graded on all its words."""
    found = lexicon.match(text)
    if found is None:
        return None
    asides = [a for a in _ASIDE.findall(text) if plain_words(a)]
    if asides and lexicon.match(_ASIDE.sub(" ", text)) is not None and lexicon.match(text.replace("(", " ").replace(")", " ")) is None:
        if any(lexicon.lookup(aside) != found.term for aside in asides):
            return None
    return found.term, found.misspelled


def _root_text(roots: Sequence[str]) -> str:
    return f"{roots[0]}–{roots[-1]}" if len(roots) > 2 else ", ".join(roots)


def _expected_number(accepted: Sequence[str], lexicon: Lexicon) -> int | None:
    for answer in accepted:
        words = _digits(lexicon.key(answer))
        if len(words) == 1 and words[0].isdigit():
            return int(words[0])
    return None


def _grade_number(words: tuple[str, ...], expected: int, prompt: tuple[str, ...]) -> Verdict:
    value, rest = parse_number(words)
    if value is not None:
        # "9 muscles", "9 small hip muscles": the words after the number name what the question counts.
        if any(word not in prompt and _singular(word) not in {_singular(p) for p in prompt} for word in rest):
            return Verdict(WRONG)
        return Verdict(RIGHT if value == expected else WRONG)
    if len(words) != 1:
        return Verdict(WRONG)
    word = words[0]
    name = _NUMBER_NAMES.get(expected, "")
    if not name or is_english_word(word) or _distance(word, name) > _word_tolerance(len(name)):
        return Verdict(WRONG)
    if any(_distance(word, other) <= _distance(word, name) for other in NUMBER_WORDS if other != name):
        return Verdict(WRONG, ambiguous=True)
    return Verdict(TYPO)


# The longest run of words read as one term inside a phrase ("under the glute max").
_LONGEST_FORM = 6


def _canonical(words: Sequence[str], lexicon: Lexicon, compound: bool = True) -> tuple[tuple[str, ...], bool]:
    """The words with each run that is a form of a term replaced by the term ("underneath the
    G-max" and "underneath the gluteus maximus" read alike), and whether a run was a misspelling."""
    out: list[str] = []
    misspelled = False
    i = 0
    while i < len(words):
        for length in range(min(_LONGEST_FORM, len(words) - i), 0, -1):
            window = tuple(words[i:i + length])
            found = lexicon.match_words(window) or lexicon.match_words((*window[:-1], _singular(window[-1])))
            if found is not None:
                out.append("\x00" + found.term.id)
                misspelled = misspelled or found.misspelled
                i += length
                break
        else:
            out.append(words[i])
            i += 1
    return (_compound_directions(out, lexicon) if compound else tuple(out)), misspelled


# Two direction words make the compound term: "upper lateral" = "superior lateral" = superolateral.
_COMPOUND_FIRST = {"superior": "supero", "inferior": "infero", "anterior": "antero", "posterior": "postero"}
_COMPOUND_SECOND = ("lateral", "medial")


def _compound_directions(words: list[str], lexicon: Lexicon) -> tuple[str, ...]:
    """``words`` (terms as "\x00id") with each pair of direction terms that a compound term of the
    lexicon joins, in either order and with or without "and", replaced by that term."""
    out: list[str] = []
    i = 0
    while i < len(words):
        # "inferior to it" = "below it": "to" after a direction says nothing more.
        if words[i] == "to" and out and out[-1].startswith("\x00") and lexicon[out[-1][1:]].kind == "direction":
            i += 1
            continue
        for gap in (1, 2):
            if i + gap < len(words) and (gap == 1 or words[i + 1] == "and"):
                pair = {words[i][1:], words[i + gap][1:]} if words[i][:1] == words[i + gap][:1] == "\x00" else set()
                first = next((_COMPOUND_FIRST[d] for d in pair if d in _COMPOUND_FIRST), "")
                second = next((d for d in pair if d in _COMPOUND_SECOND), "")
                if first and second and f"{first}{second}" in lexicon:
                    out.append(f"\x00{first}{second}")
                    i += gap + 1
                    break
        else:
            out.append(words[i])
            i += 1
    return tuple(out)


def _parts(text: str, lexicon: Lexicon) -> tuple[frozenset[tuple[str, ...]] | None, bool]:
    """The parts of a multi-part answer, each as its words (terms read as terms), with the
    separators and phrase fillers left out and plurals as singulars; and whether a term in it was
    misspelled."""
    words, misspelled = _canonical(_digits(lexicon.key(_SEPARATOR_CHARACTERS.sub(" and ", text))), lexicon)
    parts: list[tuple[str, ...]] = []
    current: list[str] = []
    for word in words:
        if word in PART_SEPARATORS:
            if current:
                parts.append(tuple(current))
            current = []
        elif word not in PHRASE_FILLERS:
            current.append(_singular(word))
    if current:
        parts.append(tuple(current))
    parts = _shared_words(parts, lexicon)
    return (frozenset(parts) if parts else None), misspelled


def _shared_words(parts: list[tuple[str, ...]], lexicon: Lexicon) -> list[tuple[str, ...]]:
    """Parts that leave out a word they share with a term beside them, read as the whole term: the
    "minimus" of "gluteus medius and minimus", the "sacrotuberous" of "sacrotuberous and sacrospinous
    ligaments" (a part's first word, when with the neighbour's other words it is a term)."""
    out = list(parts)
    for i, part in enumerate(parts):
        word = part[0]
        if word.startswith("\x00"):
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(parts) or not parts[j][0].startswith("\x00"):
                continue
            name = _digits(lexicon.key(lexicon[parts[j][0][1:]].name))
            found = next((m for m in (lexicon.match_words((*name[:-1], word)), lexicon.match_words((word, *name[1:])))
                          if m is not None and len(name) > 1 and not m.misspelled), None)
            if found is not None and found.term.id != parts[j][0][1:]:
                out[i] = ("\x00" + found.term.id, *part[1:])
                break
    return out


# Words that only say which part of a landmark is meant ("anterior surface of the sacrum").
LANDMARK_FILLERS = frozenset({"surface", "part", "border", "aspect", "of", "face"})
_HEAD_KINDS = frozenset({"bone", "landmark", "structure", "muscle", "nerve", "artery"})


def _names_the_head(given: tuple[str, ...], accepted: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether the text names the head of the card's answer in other words: every word of it is a
    word of the answer's first part (up to the first comma, semicolon or "and"), and it names the
    landmark (or other structure) of that part. "medial greater trochanter" for "the medial surface
    of the greater trochanter, just above the trochanteric fossa"; not "trochanteric fossa"."""
    if not accepted:
        return False
    head = re.split(r"[,;:]| and ", accepted[0], maxsplit=1)[0]
    head_words, _ = _canonical(_digits(lexicon.key(_ASIDE.sub(" ", head))), lexicon)
    head_set = {w for w in head_words if w not in LANDMARK_FILLERS and w not in PHRASE_FILLERS}
    given_set = {w for w in given if w not in LANDMARK_FILLERS and w not in PHRASE_FILLERS}
    landmarks = {w for w in head_set if w.startswith("\x00") and lexicon[w[1:]].kind in _HEAD_KINDS}
    return bool(given_set) and given_set <= head_set and bool(given_set & landmarks)


# Words that only frame a place said by a direction: "the anterolateral side of the thigh" =
# "front and outside of the thigh" = "anterolateral thigh".
PLACE_FILLERS = frozenset({"on", "at", "side", "of", "aspect", "part"})


def _same_place(given: tuple[str, ...], accepted: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether the text says the place of an accepted answer that is a direction (and what it is
    the direction of), framed in other words."""
    def place(words: Sequence[str]) -> list[str]:
        return sorted(w for w in words if w not in PLACE_FILLERS and w not in PHRASE_FILLERS)

    said = place(given)
    if not any(w.startswith("\x00") and lexicon[w[1:]].kind == "direction" for w in said):
        return False
    return any(said == place(_canonical(_digits(lexicon.key(a)), lexicon)[0]) for a in accepted)


def _half_a_name(words: tuple[str, ...], expected_terms: set[str], lexicon: Lexicon) -> Term | None:
    """The expected term when ``words`` are part of its name and hold every word of it that its
    look-alikes' names lack ("medius" of "gluteus medius" beside gluteus minimus and maximus);
    None when the words are shared with a look-alike or the term has no look-alike sharing words."""
    given = set(words)
    for term_id in sorted(expected_terms):
        term = lexicon[term_id]
        name = set(_digits(lexicon.key(term.name)))
        shared = set().union(*(name & set(_digits(lexicon.key(lexicon[other].name)))
                               for other in term.lookalikes if other in lexicon))
        telling = name - shared
        if shared and telling and given < name and telling <= given:
            return term
    return None


def _phrase_words(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in PHRASE_FILLERS and w not in PART_SEPARATORS)


def _grade_near_miss(words: tuple[str, ...], accepted: Sequence[str], expected_terms: set[str],
                     lexicon: Lexicon, rivals: Iterable[str]) -> Verdict:
    candidates: list[_Candidate] = []
    for answer in accepted:
        candidates.append(_Candidate(_digits(lexicon.key(answer)), ""))
    for key, match in lexicon.entries():
        owner = "" if match.term.id in expected_terms else match.term.id
        candidates.append(_Candidate(_digits(key), owner))
    for rival in rivals:
        key = _digits(lexicon.key(rival))
        if key and key not in {c.words for c in candidates}:
            candidates.append(_Candidate(key, "\x00" + rival))
    given = _phrase_words(words)
    given_joined = "".join(given)
    given_sorted = "".join(sorted(given))
    scored: list[tuple[int, _Candidate]] = []
    for candidate in candidates:
        cwords = _phrase_words(candidate.words)
        if not cwords:
            continue
        distance = min(_distance(given_joined, "".join(cwords)),
                       _distance(given_sorted, "".join(sorted(cwords))))
        scored.append((distance, candidate))
    if not scored:
        return Verdict(WRONG)
    best = min(d for d, _ in scored)
    nearest = [c for d, c in scored if d == best]
    right = [c for c in nearest if c.owner == ""]
    others = [c for c in nearest if c.owner != ""]
    if best > _tolerance(min(len(given_joined), min(len("".join(_phrase_words(c.words))) for c in nearest))):
        return Verdict(WRONG)
    if others:
        # Named only when the text is that term misspelled: "in front and to the side" lies as near
        # "front and inside" as a typo would, but it names no anteromedial.
        named = next((_name_of(lexicon[c.owner]) for c in others if c.owner in lexicon
                      and not _real_word_swap(given, _phrase_words(c.words), lexicon)), "")
        return Verdict(WRONG, named=named, ambiguous=bool(right))
    target = right[0]
    swapped = _real_word_swap(given, _phrase_words(target.words), lexicon)
    if swapped:
        # "underneath the gluteus minimus": name the term put in the expected one's place.
        mentioned = {w[1:] for w in _canonical(given, lexicon)[0] if w.startswith("\x00")}
        mentioned -= {w[1:] for w in _canonical(target.words, lexicon)[0] if w.startswith("\x00")} | expected_terms
        named = next((name for name in map(_name_of, (lexicon[t] for t in sorted(mentioned))) if name), "")
        return Verdict(WRONG, named=named, note=_swap_note(swapped, _phrase_words(target.words)))
    return Verdict(TYPO)


def _swap_note(swapped: str, target: tuple[str, ...]) -> str:
    """Why a word is no slip: it says the opposite, or it is a word of its own."""
    if swapped in NEGATIONS:
        return "a “not” added or left out says the opposite: not a typo"
    if any(_negates(swapped, m) or _opposite_direction(swapped, m) for m in target):
        return f"{swapped!r} says the opposite: not a typo"
    return f"{swapped!r} is a word of its own, not a typo"


def _real_word_swap(given: tuple[str, ...], target: tuple[str, ...], lexicon: Lexicon) -> str:
    """A word of ``given`` that is not a slip for the word of ``target`` it stands in for: a word
    of the lexicon or an English word, or a non-word nearer to some English word than to the
    target's word. "" when every differing word is a plain slip."""
    # "the side that does drop" for "the side that doesn't drop": a "not" added or dropped is no slip.
    negation = [w for w in (*given, *target) if w in NEGATIONS]
    if sum(w in NEGATIONS for w in given) % 2 != sum(w in NEGATIONS for w in target) % 2:
        return negation[0]
    given_singular = {_singular(w) for w in given}
    target_singular = {_singular(w) for w in target}
    extra = [w for w in given if _singular(w) not in target_singular]
    missing = [w for w in target if _singular(w) not in given_singular]
    if not extra:
        return ""
    for word in extra:
        nearest = min((_distance(word, m) for m in missing), default=len(word))
        if any(m.startswith(word) and len(m) - len(word) <= 2 and len(word) >= 3 for m in missing):
            continue  # cut short ("tensor fascia lat"): a slip, even where the stub is a word
        if any(ch.isdigit() for ch in word) or any(ch.isdigit() for m in missing for ch in m):
            return word
        # An opposite is a different answer however near it is spelled: "unequally" for "equally",
        # "inferolateral" for "superolateral" (the quadrant over the sciatic nerve).
        if any(_negates(word, m) or _opposite_direction(word, m) for m in missing):
            return word
        if word in lexicon.vocabulary or is_english_word(word):
            return word
        if nearest >= 2 and _english_word_within_one(word, min_length=4):
            return word
    return ""


# Words that say "not" (apostrophes are gone: "doesn't" is "doesnt").
NEGATIONS = frozenset({"not", "no", "never", "cannot", "nor", "without", "dont", "doesnt", "didnt", "isnt", "arent",
                       "wasnt", "werent", "cant", "wont", "hasnt", "havent", "couldnt", "shouldnt", "wouldnt"})

# Prefixes that turn a word into its opposite ("unequally", "inflexible", "nonweightbearing").
NEGATING_PREFIXES = ("non", "un", "in", "im", "il", "ir", "dis")


def _negates(word: str, target: str) -> bool:
    """Whether ``word`` is ``target`` (or a slip of it) with a negating prefix: "unequally",
    "unequaly" for "equally". The prefix must explain the difference: "innferior" is a slip."""
    for prefix in NEGATING_PREFIXES:
        if word.startswith(prefix) and not target.startswith(prefix):
            rest = word[len(prefix):]
            if len(rest) >= 4 and _distance(rest, target) <= _word_tolerance(len(target)) \
                    and _distance(rest, target) < _distance(word, target):
                return True
    return False


# Stems that say a direction, alone or in a compound ("infero-lateral", "superolateral").
# "superfic" is read before "super", so that "superficial" says nothing of superior.
_DIRECTION_STEMS = (
    ("superfic", "superficial"), ("super", "superior"), ("supra", "superior"), ("upper", "superior"),
    ("infer", "inferior"), ("infra", "inferior"), ("lower", "inferior"),
    ("anter", "anterior"), ("front", "anterior"), ("poster", "posterior"),
    ("medi", "medial"), ("inner", "medial"), ("intern", "medial"),
    ("later", "lateral"), ("outer", "lateral"), ("extern", "lateral"),
    ("proxim", "proximal"), ("distal", "distal"), ("deep", "deep"),
)
_OPPOSITES = {"superior": "inferior", "anterior": "posterior", "medial": "lateral", "proximal": "distal",
              "superficial": "deep"}
_OPPOSITES.update({b: a for a, b in list(_OPPOSITES.items())})


def _directions(word: str) -> set[str]:
    found = set()
    for stem, direction in _DIRECTION_STEMS:
        if stem in word:
            found.add(direction)
            word = word.replace(stem, "#")
    return found


def _opposite_direction(word: str, target: str) -> bool:
    """Whether ``word`` says the opposite of a direction ``target`` says: "inferolateral" for
    "superolateral", "lateral" for "medial"."""
    said, meant = _directions(word), _directions(target)
    return any(_OPPOSITES[d] in said and d not in said for d in meant)
