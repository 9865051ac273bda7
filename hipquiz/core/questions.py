"""Question types: build a question from a card, check an answer, turn the check into a rating.

Five ways to ask a card (``QUESTION_TYPES``):

``flip``
    Show the prompt, reveal the answer, the user rates themself. Every card can be flipped.
``choice``
    One right answer among four options; the three distractors are values of the same kind (other
    muscle names for "which muscle…?", other locations for "where…?", other short answers).
``typed``
    The user types a short answer (a muscle name, or a basic answer of a few words). Matching
    forgives case, punctuation, accents, extra spaces and a small typo, but never takes a
    look-alike muscle for a typo of the right one: the text is matched against every known name of
    every muscle of the deck (``NameIndex``) and the closest name decides.
``select``
    "Which of these…?": the items of a list card mixed with distractors; tick all the right ones.
``order``
    The items of an ordered list card, shuffled; put them back in order.

Everything here is pure and deterministic given the ``random.Random`` passed in.
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Mapping, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from hipquiz.core.decks import Card, Deck, Note

# How a card can be asked. "flip" shows the answer and lets the user rate themself.
QUESTION_TYPES = ("flip", "choice", "typed", "select", "order")
# What a user can choose for a session; "mixed" picks a type per card (see pick_kind).
MODES = ("flip", "choice", "typed", "select", "mixed")

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

# choice: the answer and this many distractors.
CHOICE_DISTRACTORS = 3
# typed: an answer of at most this many words (and characters) can be typed.
TYPED_MAX_WORDS = 4
TYPED_MAX_CHARS = 40
# select: fewest distractors that make "tick all that apply" more than "tick everything".
SELECT_MIN_DISTRACTORS = 2

INSTRUCTIONS = {
    "flip": "Think of the answer, then reveal it.",
    "choice": "Choose one.",
    "typed": "Type the answer.",
    "select": "Select all that apply.",
    "order": "Put these in the right order (first to last).",
}


# ---------------------------------------------------------------------------------------------
# Normalising text
# ---------------------------------------------------------------------------------------------

_FOLD = str.maketrans({
    "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[\W_]+")
_ARTICLES = ("the ", "a ", "an ")


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Lower-case words without accents or punctuation, single-spaced: "Tensor fasciæ-latæ." →
    "tensor fasciae latae". Apostrophes vanish ("don't" → "dont"); other punctuation splits words."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


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


def _swaps_an_opposite(given: str, expected: str) -> bool:
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


# ---------------------------------------------------------------------------------------------
# Muscle names
# ---------------------------------------------------------------------------------------------


def muscle_id(note: Note) -> str:
    """How the name index and user aliases refer to a muscle: ``deck_id/note_id``."""
    return f"{note.deck_id}/{note.id}"


class NameIndex:
    """Every known name of every muscle: the note's name, its aliases and the user's aliases.

    Muscles are keyed ``deck_id/note_id``. Used to tell whether two texts name the same muscle
    (so a choice never offers a muscle twice) and to find which muscle a typed answer names.
    """

    def __init__(self, display: Mapping[str, str], names: Mapping[str, Iterable[str]],
                 confusable: Mapping[str, Iterable[str]] | None = None):
        self._display = dict(display)
        self._names: dict[str, tuple[str, ...]] = {}
        self._by_key: dict[str, set[str]] = {}
        self._confusable = {m: tuple(c) for m, c in (confusable or {}).items()}
        for muscle, texts in names.items():
            unique: list[str] = []
            for text in (self._display.get(muscle, ""), *texts):
                key = match_key(text)
                if not key or any(match_key(u) == key for u in unique):
                    continue
                unique.append(text)
                self._by_key.setdefault(key, set()).add(muscle)
            self._names[muscle] = tuple(unique)
            self._display.setdefault(muscle, unique[0] if unique else muscle)

    @classmethod
    def from_deck(cls, deck: Deck, user_aliases: Mapping[str, Sequence[str]] | None = None) -> NameIndex:
        """The muscles of ``deck``; ``user_aliases`` maps ``deck_id/note_id`` to extra names
        (keys of other decks or unknown notes are ignored)."""
        return cls.from_notes(deck.notes, user_aliases)

    @classmethod
    def from_notes(cls, notes: Iterable[Note], user_aliases: Mapping[str, Sequence[str]] | None = None) -> NameIndex:
        user_aliases = user_aliases or {}
        display: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        confusable: dict[str, list[str]] = {}
        for note in notes:
            if note.type != "muscle" or not note.text("name"):
                continue
            key = muscle_id(note)
            display[key] = note.text("name")
            names[key] = [*note.items("aliases"), *user_aliases.get(key, ())]
            confusable[key] = [f"{note.deck_id}/{other}" for other in note.items("confusable")]
        return cls(display, names, confusable)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, muscle: object) -> bool:
        return muscle in self._names

    @property
    def muscles(self) -> tuple[str, ...]:
        return tuple(self._names)

    def display(self, muscle: str) -> str:
        """The muscle's own name, as the deck writes it."""
        return self._display.get(muscle, muscle)

    def names_of(self, muscle: str) -> tuple[str, ...]:
        """All names of a muscle, its own name first."""
        return self._names.get(muscle, ())

    def confusable(self, muscle: str) -> tuple[str, ...]:
        return self._confusable.get(muscle, ())

    def owners(self, text: str) -> frozenset[str]:
        """The muscles that ``text`` is exactly a name of (after normalising)."""
        return frozenset(self._by_key.get(match_key(text), ()))

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """(match key, name, muscle) for every known name."""
        for muscle, texts in self._names.items():
            for text in texts:
                yield match_key(text), text, muscle

    def mentions(self, text: str) -> frozenset[str]:
        """The muscles named somewhere inside ``text`` as whole words ("under the glute max")."""
        padded = f" {normalize(text)} "
        found = set()
        for muscle, texts in self._names.items():
            if any(f" {normalize(name)} " in padded for name in texts if normalize(name)):
                found.add(muscle)
        return frozenset(found)

    def same_meaning(self, a: str, b: str) -> bool:
        """Two names of the same muscle ("TFL", "tensor fascia lata"), or texts that say the same
        once normalised, leaving out parenthesised asides, or where one is a phrase of the other:
        "superficial gluteal group" and "superficial gluteal group (a hip abductor)" cannot be
        offered as a right answer and a wrong one."""
        if match_key(a) == match_key(b) or self.owners(a) & self.owners(b):
            return True
        core_a, core_b = _core(a), _core(b)
        if not core_a or not core_b:
            return False
        return f" {core_a} " in f" {core_b} " or f" {core_b} " in f" {core_a} "


_ASIDE = re.compile(r"\([^()]*\)")


@functools.lru_cache(maxsize=8192)
def _core(text: str) -> str:
    """The normalised text without parenthesised asides and a leading article."""
    core = normalize(_ASIDE.sub(" ", text))
    for article in _ARTICLES:
        if core.startswith(article):
            return core[len(article):]
    return core


def _names_for(card: Card, deck: Deck | None, names: NameIndex | None) -> NameIndex:
    if names is not None:
        return names
    if deck is not None:
        return NameIndex.from_deck(deck)
    return NameIndex.from_notes([card.note])


def answer_muscles(card: Card, names: NameIndex) -> frozenset[str]:
    """The muscles a card's answer names: the note's muscle for "which muscle…?" cards, or the
    muscle that one of a basic card's accepted answers is exactly a name of."""
    if card.answer_field == "name" and card.note.type == "muscle":
        return frozenset({muscle_id(card.note)})
    if card.answer_items:
        return frozenset()
    found: set[str] = set()
    for text in card.accepted or (card.answer,):
        found |= names.owners(text)
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# Questions and checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    kind: str
    card: Card
    prompt: str
    # choice / select / order: the items shown, in the order shown.
    options: tuple[str, ...] = ()
    # choice: (right index,); select: the right indices; order: option indices in the right order.
    answer_indices: tuple[int, ...] = ()
    # A one-line hint for the user: "Choose one.", "Select all that apply."…
    instruction: str = ""
    # The names check_answer matches a typed answer against (set by build_question).
    names: NameIndex | None = field(default=None, compare=False, repr=False, hash=False)
    # typed: answers of the same kind to other cards (other nerves, other origins…). A typed answer
    # at least as close to one of them as to the right answer is wrong, not a typo.
    rivals: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Check:
    """The verdict on one answer."""

    correct: bool
    given: str = ""
    expected: str = ""
    # typed: accepted, but not spelled as expected (the UI shows the right spelling).
    near_miss: bool = False
    # select: one mark per option (True = ticked or left as it should be);
    # order: one mark per position (True = the right item is there).
    item_marks: tuple[bool, ...] = ()
    # The question type checked (grade() uses it to pick its time limits).
    kind: str = ""
    # typed / choice: the muscle the wrong answer names ("you wrote the obturator externus").
    named: str = ""
    # typed: the answer is as close to another name as to the right one, so it is not accepted.
    ambiguous: bool = False

    @property
    def score(self) -> float:
        """Share of marks right (select / order), else 1.0 or 0.0."""
        if self.item_marks:
            return sum(self.item_marks) / len(self.item_marks)
        return 1.0 if self.correct else 0.0


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))


def _words(text: str) -> int:
    return len(normalize(text).split())


class _Pool:
    """Candidate distractors, kept distinct from the right answers and from one another."""

    def __init__(self, names: NameIndex, right: Sequence[str]):
        self.names = names
        self.right = list(right)
        self.items: list[tuple[int, str]] = []

    def add(self, text: str, priority: int) -> None:
        if not text or any(self.names.same_meaning(text, r) for r in self.right):
            return
        if any(self.names.same_meaning(text, t) for _, t in self.items):
            return
        self.items.append((priority, text))

    def __len__(self) -> int:
        return len(self.items)

    def draw(self, count: int, rng: random.Random) -> list[str]:
        """``count`` distractors, lowest priority first, random within a priority."""
        ranked = sorted(self.items, key=lambda item: (item[0], rng.random()))
        return [text for _, text in ranked[:count]]


def _choice_pool(card: Card, deck: Deck | None, names: NameIndex,
                 extra_names: Iterable[str] | None) -> _Pool:
    pool = _Pool(names, (card.answer, *card.accepted))
    targets = answer_muscles(card, names)
    if targets:
        # "Which muscle…?": other muscles, look-alikes first (the point of the exercise).
        for target in sorted(targets):
            for other in names.confusable(target):
                if other in names and other not in targets:
                    pool.add(names.display(other), 0)
        for muscle in names.muscles:
            if muscle not in targets:
                pool.add(names.display(muscle), 1)
        for text in extra_names or ():
            pool.add(text, 2)
        return pool
    if deck is None:
        return pool
    # Other values of the same field: first the answers to the most similar questions ("What is
    # the origin of the piriformis?" borrows from other origins, not from insertions or nerves),
    # then those of a similar length.
    length = _words(card.answer)
    asked_about = names.mentions(card.prompt)
    question = _without_names(card.prompt, names)
    for other in deck.cards:
        if other.note_id == card.note_id or other.answer_field != card.answer_field or other.answer_items:
            continue
        if answer_muscles(other, names):
            continue  # a muscle name is no plausible answer to "what pain…?"
        if names.mentions(other.answer) & asked_about:
            continue  # "Where is the gluteus minimus?" — "next to the gluteus minimus" gives itself away
        # The muscle names are left out of the comparison: "Which nerve supplies the TFL?" is like
        # "Which nerve supplies the piriformis?", not like "What is the origin of the TFL?".
        unlike = 100 - fuzz.token_sort_ratio(question, _without_names(other.prompt, names))
        pool.add(other.answer, 10 * (unlike // 15) + abs(_words(other.answer) - length) // 2)
    return pool


def _without_names(text: str, names: NameIndex) -> str:
    padded = f" {normalize(text)} "
    for _key, name, _muscle in names.entries():
        spoken = normalize(name)
        if spoken:
            padded = padded.replace(f" {spoken} ", " ")
    return padded.strip()


def _select_pool(card: Card, deck: Deck | None, names: NameIndex,
                 extra_names: Iterable[str] | None) -> _Pool:
    items = card.answer_items
    pool = _Pool(names, items)
    for text in card.note.items("distractors"):
        pool.add(text, 0)
    item_muscles = frozenset().union(*(names.owners(item) for item in items))
    if item_muscles:
        # Items are muscle names ("Which muscles insert into the IT band?"): other muscles.
        for muscle in names.muscles:
            if muscle not in item_muscles:
                pool.add(names.display(muscle), 1)
        for text in extra_names or ():
            pool.add(text, 2)
    if deck is not None and card.note.type == "list" and not item_muscles:
        # Items of other lists. Not for a muscle's functions or relations: hip muscles share many
        # actions, so another muscle's function, worded differently, may well be true of this one.
        for other in deck.cards:
            if other.note_id == card.note_id or other.note.type != "list":
                continue
            for text in (*other.answer_items, *other.note.items("distractors")):
                pool.add(text, 3)
    return pool


def _rival_answers(card: Card, deck: Deck | None) -> tuple[str, ...]:
    """The answers other notes give to the same kind of question."""
    if deck is None or card.answer_field == "name":
        return ()
    rivals: list[str] = []
    for other in deck.cards:
        if other.note_id != card.note_id and other.answer_field == card.answer_field and not other.answer_items:
            rivals.extend(other.accepted or (other.answer,))
    return tuple(rivals)


def _select_count(items: int) -> int:
    return 3 if items <= 3 else 4


def _is_list(card: Card) -> bool:
    return bool(card.answer_items)


def _is_short(text: str) -> bool:
    return 0 < _words(text) <= TYPED_MAX_WORDS and len(text) <= TYPED_MAX_CHARS


def supported_types(card: Card, deck: Deck | None = None, extra_names: Iterable[str] | None = None,
                    *, names: NameIndex | None = None) -> tuple[str, ...]:
    """The question types that make sense for ``card``, in ``QUESTION_TYPES`` order.

    Pass the card's ``deck``: choice and select need other cards of the deck for distractors
    (without it only a list note's own distractors count).
    """
    names = _names_for(card, deck, names)
    kinds = ["flip"]
    if _is_list(card):
        ordered = card.note.type == "list" and card.note.fields.get("ordered")
        # An ordered list's prompt asks for an order, so it is asked as "order", never "select".
        if ordered and len(card.answer_items) >= 2:
            kinds.append("order")
        elif len(_select_pool(card, deck, names, extra_names)) >= SELECT_MIN_DISTRACTORS:
            kinds.append("select")
        return tuple(k for k in QUESTION_TYPES if k in kinds)
    if len(_choice_pool(card, deck, names, extra_names)) >= CHOICE_DISTRACTORS:
        kinds.append("choice")
    if answer_muscles(card, names) or _is_short(card.answer):
        kinds.append("typed")
    return tuple(k for k in QUESTION_TYPES if k in kinds)


def build_question(card: Card, kind: str, deck: Deck | None = None, rng: random.Random | None = None,
                   extra_names: Iterable[str] | None = None, *, names: NameIndex | None = None) -> Question:
    """Ask ``card`` as ``kind``. Raises ValueError when the card cannot be asked that way.

    ``extra_names`` are further muscle names (say, of other decks) usable as distractors; ``names``
    is the index for typed answers (default: built from ``deck``, without user aliases).
    """
    if kind not in QUESTION_TYPES:
        raise ValueError(f"unknown question type {kind!r} (one of: {', '.join(QUESTION_TYPES)})")
    rng = rng if rng is not None else random.Random()
    names = _names_for(card, deck, names)
    extra_names = tuple(extra_names or ())
    if kind not in supported_types(card, deck, extra_names, names=names):
        raise ValueError(f"card {card.id} cannot be asked as a {kind} question")
    instruction = INSTRUCTIONS[kind]
    if kind == "flip":
        return Question(kind, card, card.prompt, instruction=instruction, names=names)
    if kind == "typed":
        return Question(kind, card, card.prompt, instruction=instruction, names=names,
                        rivals=_rival_answers(card, deck))
    if kind == "choice":
        distractors = _choice_pool(card, deck, names, extra_names).draw(CHOICE_DISTRACTORS, rng)
        options = [card.answer, *distractors]
        rng.shuffle(options)
        return Question(kind, card, card.prompt, tuple(options), (options.index(card.answer),),
                        instruction, names)
    items = list(card.answer_items)
    if kind == "select":
        distractors = _select_pool(card, deck, names, extra_names).draw(_select_count(len(items)), rng)
        options = items + distractors
        rng.shuffle(options)
        right = tuple(i for i, option in enumerate(options) if option in items)
        return Question(kind, card, card.prompt, tuple(options), right, instruction, names)
    # order
    options = items[:]
    # Never in order, and (with three items or more) never simply reversed: both give it away.
    while options == items or (len(items) >= 3 and options == items[::-1]):
        rng.shuffle(options)
    return Question(kind, card, card.prompt, tuple(options), tuple(options.index(item) for item in items),
                    instruction, names)


# ---------------------------------------------------------------------------------------------
# Checking answers
# ---------------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,;/>\-–→]+")


def parse_order(text: str, n: int) -> tuple[int, ...]:
    """The user's order typed as option numbers ("3 1 2 4", "3,1,2,4", or "3124" when there are
    fewer than 10 options) → 0-based option indices. Raises ValueError with a message to show."""
    example = " ".join(str(i) for i in range(min(n, 4), 0, -1))
    tokens = [t for t in _SEPARATORS.split(text.strip()) if t]
    if len(tokens) == 1 and n < 10 and tokens[0].isdigit() and len(tokens[0]) == n > 1:
        tokens = list(tokens[0])
    if not tokens:
        raise ValueError(f"type the option numbers in order, like {example!r}")
    numbers: list[int] = []
    for token in tokens:
        if not token.isdigit():
            raise ValueError(f"{token!r} is not an option number (use 1-{n}, like {example!r})")
        number = int(token)
        if not 1 <= number <= n:
            raise ValueError(f"{number} is not an option (use the numbers 1-{n})")
        if number in numbers:
            raise ValueError(f"{number} is given twice (use each of 1-{n} once)")
        numbers.append(number)
    if len(numbers) != n:
        missing = ", ".join(str(i) for i in range(1, n + 1) if i not in numbers)
        raise ValueError(f"put all {n} options in order: {missing} missing")
    return tuple(number - 1 for number in numbers)


def parse_selection(text: str, n: int) -> frozenset[int]:
    """Ticked option numbers typed as "1 3" or "1,3" → 0-based indices; empty text = none."""
    chosen: set[int] = set()
    for token in (t for t in _SEPARATORS.split(text.strip()) if t):
        if not token.isdigit() or not 1 <= int(token) <= n:
            raise ValueError(f"{token!r} is not an option (use the numbers 1-{n})")
        chosen.add(int(token) - 1)
    return frozenset(chosen)


def check_answer(question: Question, response: Any, names: NameIndex | None = None) -> Check:
    """Judge a response to ``question``.

    - flip: a bool (the user knew it);
    - choice: the chosen option index (0-based);
    - select: the set of ticked option indices (0-based), or text like "1 3" (1-based);
    - order: option indices in the user's order (0-based), or text like "3 1 2 4" (1-based);
    - typed: the text typed.

    Raises ValueError for a response of the wrong shape (an index out of range, a repeated item).
    """
    kind = question.kind
    card = question.card
    if kind == "flip":
        return Check(bool(response), expected=card.answer, kind=kind)
    if kind == "choice":
        return _check_choice(question, response, names or question.names)
    if kind == "select":
        return _check_select(question, response)
    if kind == "order":
        return _check_order(question, response)
    if kind == "typed":
        return check_typed(card, str(response), names or question.names or NameIndex.from_notes([card.note]),
                           rivals=question.rivals)
    raise ValueError(f"unknown question type {kind!r}")


def _check_choice(question: Question, response: Any, names: NameIndex | None) -> Check:
    n = len(question.options)
    if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < n:
        raise ValueError(f"choice answer must be an option index 0-{n - 1}, got {response!r}")
    right = question.answer_indices[0]
    given = question.options[response]
    named = ""
    if response != right and names is not None:
        owners = names.owners(given)
        if owners:
            named = names.display(sorted(owners)[0])
    return Check(response == right, given=given, expected=question.options[right], kind="choice", named=named)


def _check_select(question: Question, response: Any) -> Check:
    n = len(question.options)
    if isinstance(response, str):
        chosen = parse_selection(response, n)
    else:
        chosen = frozenset(response)
        bad = [i for i in chosen if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
        if bad:
            raise ValueError(f"select answer holds {bad[0]!r}, not an option index 0-{n - 1}")
    right = frozenset(question.answer_indices)
    marks = tuple((i in chosen) == (i in right) for i in range(n))
    return Check(
        all(marks),
        given="; ".join(question.options[i] for i in sorted(chosen)),
        expected="; ".join(question.options[i] for i in sorted(right)),
        item_marks=marks,
        kind="select",
    )


def _check_order(question: Question, response: Any) -> Check:
    n = len(question.options)
    if isinstance(response, str):
        order = parse_order(response, n)
    else:
        order = tuple(response)
        if sorted(order) != list(range(n)) or any(isinstance(i, bool) for i in order):
            raise ValueError(f"order answer must use each option index 0-{n - 1} once, got {list(order)}")
    marks = tuple(given == right for given, right in zip(order, question.answer_indices))
    return Check(
        all(marks),
        given=_numbered(question.options[i] for i in order),
        expected=_numbered(question.options[i] for i in question.answer_indices),
        item_marks=marks,
        kind="order",
    )


_RIVAL = "\x00rival"
_TARGET = ""  # owner of a candidate name that is a right answer


def check_typed(card: Card, text: str, names: NameIndex, rivals: Iterable[str] = ()) -> Check:
    """Match a typed answer against the card's accepted answers, every muscle name of ``names``
    and the ``rivals`` (other cards' answers of the same kind).

    The closest name decides: exact (after normalising) → right; another muscle's name → wrong,
    and ``named`` says which; within ``typo_tolerance`` of a right answer and of nothing else →
    right with ``near_miss``; as close to another name or rival as to a right one → wrong,
    ``ambiguous``. A "typo" that swaps a word for its opposite ("inferior" for "superior",
    "inside" for "outside") is wrong however few letters differ.
    """
    key = match_key(text)
    expected = card.answer
    if not key:
        return Check(False, given=text, expected=expected, kind="typed")
    targets = answer_muscles(card, names)
    owner_of: dict[str, str] = {}
    text_of: dict[str, str] = {}
    for accepted in (*card.accepted, card.answer):
        if match_key(accepted):
            owner_of[match_key(accepted)] = _TARGET
            text_of.setdefault(match_key(accepted), accepted)
    for name_key, name, muscle in names.entries():
        owner = _TARGET if muscle in targets else muscle
        if owner_of.get(name_key) != _TARGET:
            owner_of[name_key] = owner
            text_of[name_key] = name
    for rival in rivals:
        rival_key = match_key(rival)
        if rival_key and rival_key not in owner_of:
            owner_of[rival_key] = _RIVAL
            text_of[rival_key] = rival
    scored = sorted((Levenshtein.distance(key, candidate), candidate) for candidate in owner_of)
    best = scored[0][0]
    closest = [candidate for distance, candidate in scored if distance == best]
    owners = {owner_of[c] for c in closest}
    others = sorted(o for o in owners if o != _TARGET)
    named_muscles = [o for o in others if o != _RIVAL]
    if best == 0:
        if _TARGET in owners:
            return Check(True, given=text, expected=expected, kind="typed")
        return Check(False, given=text, expected=expected, kind="typed",
                     named=names.display(named_muscles[0]) if named_muscles else "")
    within = [c for c in closest if best <= typo_tolerance(c, key)]
    if not within:
        return Check(False, given=text, expected=expected, kind="typed")
    if others:
        # The typo is at least as close to another muscle or answer: never a typo of the right one.
        return Check(False, given=text, expected=expected, kind="typed",
                     named=names.display(named_muscles[0]) if named_muscles else "",
                     ambiguous=_TARGET in owners)
    # A near miss of a longer answer must not swap the muscle it names ("under the gluteus minimus").
    swapped = names.mentions(text) - names.mentions(text_of[within[0]]) - targets
    if swapped:
        return Check(False, given=text, expected=expected, kind="typed", named=names.display(sorted(swapped)[0]))
    if _swaps_an_opposite(text, text_of[within[0]]):
        return Check(False, given=text, expected=expected, kind="typed")
    return Check(True, given=text, expected=expected, kind="typed", near_miss=True)


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeThresholds:
    """Answer times (seconds) that make a right answer Easy (≤ fast) or Hard (≥ slow).

    Defaults: choice 6 s / 20 s; typed 8 s / 25 s (typing takes longer than a key press);
    select and order 12 s / 45 s for up to 4 options, plus ``per_option_seconds`` (2 s) for each
    option beyond 4, on both limits. A right typed answer with a typo is Hard when
    ``near_miss_is_hard`` (default true). Flip cards are rated by the user, not graded; if graded
    anyway they use the choice limits.
    """

    fast_seconds: float = 6.0
    slow_seconds: float = 20.0
    typed_fast_seconds: float = 8.0
    typed_slow_seconds: float = 25.0
    list_fast_seconds: float = 12.0
    list_slow_seconds: float = 45.0
    per_option_seconds: float = 2.0
    near_miss_is_hard: bool = True

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "near_miss_is_hard":
                if not isinstance(value, bool):
                    raise ValueError(f"grading setting {f.name} must be true or false, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"grading setting {f.name} must be a number of seconds ≥ 0, got {value!r}")
        for fast, slow in (("fast_seconds", "slow_seconds"), ("typed_fast_seconds", "typed_slow_seconds"),
                           ("list_fast_seconds", "list_slow_seconds")):
            if getattr(self, fast) >= getattr(self, slow):
                raise ValueError(f"grading setting {fast} ({getattr(self, fast)}) must be less than {slow} "
                                 f"({getattr(self, slow)})")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> GradeThresholds:
        """Build from a settings table such as ``{"fast_seconds": 5, "slow_seconds": 30}``; missing
        keys keep their defaults, unknown keys or bad values raise ValueError."""
        settings = dict(settings or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"unknown grading setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**settings)

    def limits(self, kind: str, options: int = 0) -> tuple[float, float]:
        """(fast, slow) seconds for a question type; ``options`` counts select/order options."""
        if kind == "typed":
            return self.typed_fast_seconds, self.typed_slow_seconds
        if kind in ("select", "order"):
            extra = self.per_option_seconds * max(0, options - 4)
            return self.list_fast_seconds + extra, self.list_slow_seconds + extra
        return self.fast_seconds, self.slow_seconds


def grade(check: Check, seconds: float, thresholds: GradeThresholds = GradeThresholds()) -> int:
    """The rating (1 Again, 2 Hard, 3 Good, 4 Easy) an automatically checked answer earns.

    Wrong → Again (also a select/order answer that is only partly right: its ``item_marks`` show
    which parts were right). Right → Good; Hard after a typo (``near_miss``) or when as slow as
    the slow limit; Easy when within the fast limit. See GradeThresholds for the limits.
    """
    if not check.correct:
        return AGAIN
    fast, slow = thresholds.limits(check.kind, len(check.item_marks))
    if check.near_miss and thresholds.near_miss_is_hard:
        return HARD
    if seconds >= slow:
        return HARD
    if seconds <= fast:
        return EASY
    return GOOD


# ---------------------------------------------------------------------------------------------
# Choosing a type in mixed mode
# ---------------------------------------------------------------------------------------------


def type_stats_from_reviews(reviews: Iterable[Any], card_id: str) -> dict[str, tuple[int, int]]:
    """question type → (times asked, times wrong) for one card, from ReviewRecords (rating 1 =
    wrong). Records without a question type count as flip."""
    stats: dict[str, list[int]] = {}
    for review in reviews:
        if review.card_id != card_id:
            continue
        counts = stats.setdefault(getattr(review, "question_type", "") or "flip", [0, 0])
        counts[0] += 1
        counts[1] += review.rating == AGAIN
    return {kind: (asked, wrong) for kind, (asked, wrong) in stats.items()}


def pick_kind(card: Card, mode: str, type_stats: Mapping[str, tuple[int, int]] | None = None,
              rng: random.Random | None = None, *, deck: Deck | None = None,
              supported: Sequence[str] | None = None, names: NameIndex | None = None) -> str:
    """The question type to ask ``card`` in ``mode``.

    A fixed mode gives that type when the card supports it, else "flip". "mixed" draws among the
    card's supported types other than flip (flip only when nothing else fits), each weighted by its
    smoothed error rate ``(wrong + 1) / (asked + 2)`` from ``type_stats``: types the card is
    weakest in, and types not tried yet, come up more often. Pass ``deck`` (or ``supported``) so
    choice and select are known to be possible.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (one of: {', '.join(MODES)})")
    kinds = tuple(supported) if supported is not None else supported_types(card, deck, names=names)
    if mode != "mixed":
        if mode in kinds:
            return mode
        # A list whose order is the answer is asked as "put in order" in the select mode.
        return "order" if mode == "select" and "order" in kinds else "flip"
    candidates = [k for k in kinds if k != "flip"] or ["flip"]
    if len(candidates) == 1:
        return candidates[0]
    stats = type_stats or {}
    weights = []
    for kind in candidates:
        asked, wrong = stats.get(kind, (0, 0))
        weights.append((wrong + 1) / (asked + 2))
    rng = rng if rng is not None else random.Random()
    return rng.choices(candidates, weights=weights)[0]
