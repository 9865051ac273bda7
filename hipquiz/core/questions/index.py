"""What building questions needs to know about a whole deck, worked out once per deck, lazily.

Choice and select questions draw distractors from the rest of the deck, and a typed answer is
compared with other cards' answers. Done card by card, that compares every card with every other
one (quadratic in the deck). ``DeckIndex`` keeps, per deck and only once first needed: the kind of
each answer, the cards by kind and by question stem, the answers by field, the items of list
notes; and per card, once asked, its fair distractors. Candidates are looked at in bounded
numbers, so asking a card costs about the same for 50 or 10,000 notes.
"""

from __future__ import annotations

import functools
import zlib
from collections import OrderedDict
from typing import Iterable, Iterator, Sequence

from hipquiz.core.decks import Card, Deck
from hipquiz.core.templates import CROSS_TEMPLATES
from hipquiz.core.lexicon import Lexicon, plain_words
from hipquiz.core.questions.kinds import (
    FREQUENCY,
    NUMBER,
    PHRASE,
    frequency_variants,
    number_variants,
    question_frame,
    term_of,
    text_kind,
    without_asides,
)
from hipquiz.core.questions.names import NameIndex, answer_muscles
from hipquiz.core.questions.text import core_text, match_key, normalize

# Candidates looked at from each source of distractors (enough for three fair ones to be found
# among look-alikes, paraphrases and answers named in the prompt, few enough to stay cheap).
CANDIDATES_PER_SOURCE = 30
# Cards of the same field looked at for one card (all of them in decks of a few hundred cards).
SCANNED = 200
# Fair distractors kept per card: more than a question shows, so that they vary and their
# lengths can be balanced; few enough that comparing them with one another stays cheap.
KEPT_DISTRACTORS = 12
# Two answers sharing this share of their content words say much the same: never one right and
# the other wrong.
PARAPHRASE_OVERLAP = 0.5
# Words that name opposite sides: two answers that differ only by such a pair ("the inner surface of
# the obturator membrane", "the outer surface…") say different things, however many words they share.
OPPOSITES = {frozenset(pair) for pair in (
    ("inner", "outer"), ("upper", "lower"), ("superior", "inferior"), ("anterior", "posterior"),
    ("medial", "lateral"), ("front", "back"), ("above", "below"), ("internal", "external"),
    ("superficial", "deep"))}
# Cards that ask "Of this deck's muscles, which…?": a muscle the deck does not teach (a look-alike
# such as the quadriceps femoris for the quadratus femoris) is a free elimination.
DECK_MUSCLES_ONLY = frozenset(row.template for row in CROSS_TEMPLATES)
# Two basic notes' questions ask the same sort of thing when they share this share of the words
# that say what is asked ("what does … do in sport", "what does … do when walking").
ASKS_ALIKE = 0.5
_FUNCTION_WORDS = frozenset(
    "a an the of and or to in into on at by for from with as is are be it its they them their this per "
    "that these those your you not no both all which while".split())


@functools.lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    return frozenset(word for word in plain_words(without_asides(text)) if word not in _FUNCTION_WORDS)


@functools.lru_cache(maxsize=4)
def _term_phrases(lexicon: Lexicon) -> tuple[dict[tuple[str, ...], str], int]:
    """Every accepted form of every term as matching words → term id, and the longest form."""
    phrases = {key: match.term.id for key, match in lexicon.entries()}
    return phrases, max((len(key) for key in phrases), default=0)


def terms_named_in(text: str, lexicon: Lexicon) -> frozenset[str]:
    """Ids of the lexicon terms named anywhere inside ``text`` ("…supplies the TFL?" → the TFL)."""
    phrases, longest = _term_phrases(lexicon)
    words = lexicon.key(text)
    found = set()
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + longest) + 1):
            term = phrases.get(words[start:end])
            if term is not None:
                found.add(term)
    return frozenset(found)


def groups_named_in(text: str, lexicon: Lexicon) -> frozenset[str]:
    """Ids of the group terms ``text`` names, reading the longest term at each place, so that the
    "gluteal" of "the inferior gluteal nerve" or "the gluteal region" names no group of muscles."""
    phrases, longest = _term_phrases(lexicon)
    words = lexicon.key(text)
    found = set()
    start = 0
    while start < len(words):
        end = next((end for end in range(min(len(words), start + longest), start, -1)
                    if words[start:end] in phrases), None)
        if end is None:
            start += 1
            continue
        term = lexicon.term(phrases[words[start:end]])
        if term is not None and term.kind == "group":
            found.add(term.id)
        start = end
    return frozenset(found)


def differ_by_opposites(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of words differ only by pairs of opposites ("inner" for "outer")."""
    only_a, only_b = a - b, b - a
    if not only_a or len(only_a) != len(only_b):
        return False
    return all(any(frozenset((word, other)) in OPPOSITES for other in only_b) for word in only_a)


class DeckIndex:
    """See the module docstring. Built by ``deck_index``; never changes once built (a new
    NameIndex, after the user keeps an alias, gets a new one)."""

    def __init__(self, deck: Deck | None, names: NameIndex, lexicon: Lexicon | None = None):
        self.deck = deck
        self.names = names
        self._lexicon = lexicon
        self._kinds: dict[str, str] = {}
        self._subjects: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        # card id, extra names → (fair distractors best first, how many of them come first, those
        # that must be offered so that the answer is not alone in repeating a word of the prompt)
        self._choice: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], int, tuple[str, ...]]] = {}
        self._select: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self._tables: tuple[dict[str, list[Card]], list[Card]] | None = None
        self._stems: dict[str, str] = {}
        self._rivals: dict[str, tuple[str, ...]] = {}

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon given, else the shipped one, loaded on first use: a flip card (the first
        card of ``hipquiz study``) needs none of it."""
        if self._lexicon is None:
            self._lexicon = Lexicon.shipped()
        return self._lexicon

    # -- what is known of the deck, built on first use ------------------------------------------

    def kind(self, card: Card) -> str:
        """The kind of a card's answer: its text's kind, or for a phrase the field it answers and
        the question word asking for it ("answer:where")."""
        if card.id not in self._kinds:
            kind = text_kind(card.answer, self.lexicon)
            self._kinds[card.id] = kind if kind != PHRASE else f"{card.answer_field}:{question_frame(card.prompt)}"
        return self._kinds[card.id]

    def _built(self) -> tuple[dict[str, list[Card]], list[Card]]:
        """The cards by the field they answer, and the list notes' cards: one cheap pass, once."""
        if self._tables is None:
            by_field: dict[str, list[Card]] = {}
            lists: list[Card] = []
            for card in self.deck.cards if self.deck is not None else ():
                if not card.answer_items:
                    by_field.setdefault(card.answer_field, []).append(card)
                elif card.note.type == "list":
                    lists.append(card)
            self._tables = (by_field, lists)
        return self._tables

    def _stem(self, card: Card) -> str:
        """The question without the muscles it names: "which nerve supplies the"."""
        if card.id not in self._stems:
            self._stems[card.id] = self.names.without_names(card.prompt)
        return self._stems[card.id]

    def subject(self, card: Card) -> tuple[frozenset[str], frozenset[str]]:
        """What a card's prompt is about: the lexicon terms and muscles it names, and those with
        the members of the groups it names."""
        if card.id not in self._subjects:
            named = set(terms_named_in(card.prompt, self.lexicon)) | set(self.names.mentions(card.prompt))
            wider = set(named)
            for term_id in named:
                term = self.lexicon.term(term_id)
                wider |= set(term.members) if term is not None else set()
            self._subjects[card.id] = (frozenset(named), frozenset(wider))
        return self._subjects[card.id]

    def same_subject(self, a: Card, b: Card) -> bool:
        """Whether two prompts ask about the same thing, or one about a group the other's subject
        belongs to ("the small hip muscles" and "the TFL")."""
        named_a, wider_a = self.subject(a)
        named_b, wider_b = self.subject(b)
        return bool(wider_a & named_b or named_a & wider_b)

    def clue_words(self, card: Card) -> frozenset[str]:
        """Words of the prompt that the answer repeats ("…the obturator internus?" → "the inner
        surface of the obturator membrane…"): an answer alone in sharing one is given away."""
        return content_words(card.prompt) & content_words(card.answer)

    def question_words(self, card: Card) -> frozenset[str]:
        """The words of a prompt that say what it asks, without the muscles it names."""
        return content_words(self._stem(card))

    def _asks_alike(self, a: Card, b: Card) -> bool:
        """Whether two prompts ask the same sort of thing: one question word, and most of the
        words that say what is asked."""
        if question_frame(a.prompt) != question_frame(b.prompt):
            return False
        words_a, words_b = self.question_words(a), self.question_words(b)
        return bool(words_a | words_b) and len(words_a & words_b) / len(words_a | words_b) >= ASKS_ALIKE

    def rivals(self, field: str) -> tuple[str, ...]:
        """The answers of every card that answers ``field`` (a card's own answers among them)."""
        if field not in self._rivals:
            cards = self._built()[0].get(field, ())
            self._rivals[field] = tuple(text for card in cards for text in (card.accepted or (card.answer,)))
        return self._rivals[field]

    # -- choice -----------------------------------------------------------------------------------

    def choice_distractors(self, card: Card, extra_names: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Fair distractors for ``card`` as a choice question, best first (look-alikes, then the
        answers to the same question about other subjects, then other answers of the same kind).
        None at all when the prompt names the answer."""
        return self._choice_entry(card, extra_names)[0]

    def preferred_count(self, card: Card, extra_names: tuple[str, ...] = ()) -> int:
        """How many of ``choice_distractors`` (the first ones) are look-alikes of the answer or
        wrong answers the deck wrote for it."""
        return self._choice_entry(card, extra_names)[1]

    def clue_distractors(self, card: Card, extra_names: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The distractors a choice question must offer: for each word of the prompt the answer
        repeats (``clue_words``), one that repeats it too."""
        return self._choice_entry(card, extra_names)[2]

    def _choice_entry(self, card: Card, extra_names: tuple[str, ...]) -> tuple[tuple[str, ...], int, tuple[str, ...]]:
        key = (card.id, extra_names)
        if key not in self._choice:
            found = list(self._choice_candidates(card, extra_names))
            texts = tuple(text for text, _ in found)
            required: list[str] = []
            for word in sorted(self.clue_words(card)):
                if any(word in content_words(text) for text in required):
                    continue
                sharing = next((text for text in texts if word in content_words(text)), None)
                if sharing is None:
                    # Only the answer would repeat the prompt's word: no fair choice question.
                    texts, required = (), []
                    break
                required.append(sharing)
            self._choice[key] = (texts, sum(1 for _, alike in found if alike), tuple(required))
        return self._choice[key]

    def _choice_candidates(self, card: Card, extra_names: tuple[str, ...]) -> Iterator[tuple[str, bool]]:
        if card.answer_items:
            return
        judge = _Fairness(self, card, (card.answer, *card.accepted, *_typed(card)), choice=True)
        if judge.prompt_names_answer():
            return
        targets = answer_muscles(card, self.names)
        # Look-alikes, and wrong answers the deck wrote for this question (a basic note's distractors).
        own = card.note.items("distractors") if card.template == "basic" else ()
        sources: list[Iterable[str]] = [judge.lookalikes(), own]
        if targets:
            sources.append(self.names.display(m) for m in _bounded(self.names.muscles, card.id))
            sources.append(extra_names)
        # Other cards answering the same field: first those asking the same question about another
        # subject ("Which nerve supplies the TFL?" for the piriformis), then any of the same kind.
        field_cards = [c for c in _bounded(self._built()[0].get(card.answer_field, ()), card.id, SCANNED)
                       if c.note_id != card.note_id]
        stem = self._stem(card)
        sources.append([c.answer for c in field_cards if self._stem(c) == stem])
        kind = self.kind(card)
        others = (c for c in field_cards if self.kind(c) == kind)
        if judge.kind == PHRASE and card.note.type == "basic":
            # A basic note's answer field holds answers to every sort of question ("where is the
            # attachment…", "where does the nerve leave…"): a phrase from another basic note is of
            # its kind only when its question asks much the same ("what does the piriformis do in
            # sport?", "what does the gluteus medius do when walking?").
            others = (c for c in others if self._asks_alike(card, c))
        if judge.kind == PHRASE:
            # A claim about the same subject may well be true of it too ("hold the thigh bone in the
            # socket" is also what the smaller glutes do): phrases come from other subjects only.
            others = (c for c in others if not self.same_subject(card, c))
        sources.append(c.answer for c in others)
        if kind == NUMBER:
            sources.append(number_variants(card.answer))
        elif kind == FREQUENCY:
            sources.append(frequency_variants(card.answer))
        chosen: list[str] = []
        for number, source in enumerate(sources):
            for text in source:
                # The note's own wrong answers were written for it, so one that shares most words
                # with the answer is kept ("behind it when the knee is straight; in front of it
                # at 30°" for the other way round); found ones must not look like the answer.
                fair = judge.fair_own(text) if number == 1 else judge.fair(text)
                alike = judge.same_thing if number == 1 else judge.same
                if fair and not any(alike(text, other) for other in chosen):
                    chosen.append(text)
                    yield text, number <= 1
                    if len(chosen) >= KEPT_DISTRACTORS:
                        return

    # -- select -----------------------------------------------------------------------------------

    def select_distractors(self, card: Card, extra_names: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Wrong items for a list card asked as "select all that apply", best first."""
        key = (card.id, extra_names)
        if key not in self._select:
            self._select[key] = tuple(self._select_candidates(card, extra_names))
        return self._select[key]

    def _select_candidates(self, card: Card, extra_names: tuple[str, ...]) -> Iterator[str]:
        items = card.answer_items
        judge = _Fairness(self, card, items)
        sources: list[Iterable[str]] = [card.note.items("distractors")]
        item_muscles = frozenset().union(*(self.names.owners(item) for item in items))
        if item_muscles:
            # Items are muscle names ("Which muscles insert into the IT band?"): other muscles.
            sources.append(self.names.display(m) for m in _bounded(self.names.muscles, card.id))
            sources.append(extra_names)
        elif card.note.type == "list" and not self.subject(card)[0]:
            # Items of other lists, of the items' own kind (no muscle names among actions: a free
            # elimination). Only for a list about no named muscle or term: hip muscles share many
            # actions and relations, so another one's, worded differently, may well be true of it
            # (the TFL abducts the hip too) and nothing in the deck says it is not.
            own = set(card.note.items("distractors")) | set(items)
            kinds = {text_kind(item, self.lexicon) for item in items}
            frame = question_frame(card.prompt)
            others = (c for c in _bounded(self._built()[1], card.id, SCANNED) if c.note_id != card.note_id)
            sources.append(text for c in others for text in (*c.answer_items, *c.note.items("distractors"))
                           if text not in own and self._same_kind(text, kinds, frame, c))
        chosen: list[str] = []
        for number, source in enumerate(sources):
            for text in source:
                if number == 0:
                    # The note's own wrong items were written for it: only one that says the same
                    # as a right item is left out ("superior gluteal vein" is no paraphrase of
                    # "inferior gluteal vein", though most of their words are shared).
                    fair = text and judge.not_same_as_right(text) and text not in chosen
                else:
                    fair = text and judge.not_right(text) and not any(judge.same(text, other) for other in chosen)
                if fair:
                    chosen.append(text)
                    yield text
                    if len(chosen) >= KEPT_DISTRACTORS:
                        return


    def _same_kind(self, text: str, kinds: set[str], frame: str, source: Card) -> bool:
        """Whether another list's item is of one of ``kinds``; a phrase only from a list asking
        the same sort of question ("which activities…" for activities)."""
        kind = text_kind(text, self.lexicon)
        return kind in kinds and (kind != PHRASE or question_frame(source.prompt) == frame)


def _typed(card: Card) -> tuple[str, ...]:
    return tuple(getattr(card, "typed", ()) or ())


def _bounded(items: Sequence, card_id: str, limit: int = CANDIDATES_PER_SOURCE) -> Iterator:
    """At most ``limit`` of ``items``, starting at a place that depends on the card, so that
    different cards draw on different parts of a long list."""
    if len(items) <= limit:
        yield from items
        return
    start = zlib.crc32(card_id.encode()) % len(items)
    for offset in range(limit):
        yield items[(start + offset) % len(items)]


class _Fairness:
    """Whether a text may be offered as a wrong option for one card."""

    def __init__(self, index: DeckIndex, card: Card, right: Sequence[str], choice: bool = False):
        self.index = index
        # Choice: one answer is right, so a text that differs from it only by "inner" for "outer"
        # is a wrong answer (the obturator externus's origin for the internus's), and so is
        # another term that shares words with it ("obturator nerve", "nerve to obturator
        # internus"). Select keeps such items apart: a muscle's list may hold both sides of a pair
        # (medial and lateral rotation), and one may be missing only because the deck does not
        # state it.
        self.choice = choice
        self.names = index.names
        self.lexicon = index.lexicon
        self.card = card
        self.right = [text for text in right if text]
        self.kind = text_kind(card.answer, self.lexicon)
        prompt = card.prompt
        self.prompt_words = f" {normalize(prompt)} "
        self.prompt_terms = terms_named_in(prompt, self.lexicon)
        self.prompt_muscles = self.names.mentions(prompt)
        self.unfair = {match_key(text) for text in getattr(card, "unfair", ()) or ()}
        self.right_terms = {term.id for term in (term_of(text, self.lexicon) for text in self.right) if term}
        subject = self.lexicon.lookup(card.note.text("name")) if card.note.type == "muscle" else None
        # Groups the card's muscle belongs to are right answers too ("hip abductors" for the TFL).
        self.true_groups = {group.id for group in self.lexicon.groups_of(subject.id)} if subject else set()
        # A prompt that names a group the answer belongs to ("which glute muscle…?") asks among
        # its members: another muscle would be a free elimination.
        self.within: frozenset[str] | None = None
        answer_term = term_of(card.answer, self.lexicon)
        for group_id in groups_named_in(prompt, self.lexicon) if answer_term is not None else ():
            group = self.lexicon.term(group_id)
            if group is not None and answer_term.id in group.members:
                members = frozenset(group.members)
                self.within = members if self.within is None else self.within & members

    def _named_in_prompt(self, text: str) -> bool:
        core = core_text(text)
        if core and f" {core} " in self.prompt_words:
            return True
        term = term_of(text, self.lexicon)
        if term is not None and term.id in self.prompt_terms:
            return True
        return bool(self.names.owners(text) & self.prompt_muscles)

    def prompt_names_answer(self) -> bool:
        return any(self._named_in_prompt(text) for text in self.right)

    def lookalikes(self) -> Iterator[str]:
        """Look-alikes of the right answer: the deck's confusable muscles, the lexicon's look-alike
        terms (declared never to be taken for it: the distractors a teacher would pick)."""
        for muscle in sorted(answer_muscles(self.card, self.names)):
            for other in self.names.confusable(muscle):
                if other in self.names:
                    yield self.names.display(other)
        for term_id in sorted(self.right_terms):
            term = self.lexicon.term(term_id)
            for other_id in term.lookalikes if term else ():
                other = self.lexicon.term(other_id)
                if other is not None:
                    yield other.name

    def same(self, a: str, b: str) -> bool:
        """Two texts that say the same, or one a part or a paraphrase of the other."""
        if self.names.same_meaning(a, b):
            return True
        term_a, term_b = term_of(a, self.lexicon), term_of(b, self.lexicon)
        if term_a is not None and term_a is term_b:
            return True
        if self.choice and term_a is not None and term_b is not None:
            return False
        words_a, words_b = content_words(a), content_words(b)
        if not words_a or not words_b:
            return False
        if words_a <= words_b or words_b <= words_a:
            return True
        if self.kind in (NUMBER, FREQUENCY):
            return False  # "three times per week" is no paraphrase of "four times per week"
        if len(words_a & words_b) / len(words_a | words_b) < PARAPHRASE_OVERLAP:
            return False
        return not (self.choice and differ_by_opposites(words_a, words_b))

    def same_thing(self, a: str, b: str) -> bool:
        """Two texts that are one answer: worded alike, or two names of one muscle or term (a
        phrase of the other is not enough: "one part through it, one part below it" is no "below
        it")."""
        term = term_of(a, self.lexicon)
        return (match_key(a) == match_key(b) or bool(self.names.owners(a) & self.names.owners(b))
                or (term is not None and term is term_of(b, self.lexicon)))

    def not_same_as_right(self, text: str) -> bool:
        """Not a right answer, nor another name of one, nor disputed."""
        key, term = match_key(text), term_of(text, self.lexicon)
        return key not in self.unfair and not any(
            key == match_key(right) or self.names.same_meaning(text, right)
            or (term is not None and term is term_of(right, self.lexicon)) for right in self.right)

    def not_right(self, text: str) -> bool:
        if match_key(text) in self.unfair:
            return False
        return not any(self.same(text, right) for right in self.right)

    def fair_own(self, text: str) -> bool:
        """A wrong answer the deck wrote for this card: of the answer's kind, not another form of
        the answer, not named in the prompt, not disputed."""
        return (bool(text) and text_kind(text, self.lexicon) == self.kind and match_key(text) not in self.unfair
                and not any(self.same_thing(text, right) for right in self.right) and not self._named_in_prompt(text))

    def fair(self, text: str) -> bool:
        """Of the right answer's kind, not right, not named in the prompt, not disputed."""
        if not text or text_kind(text, self.lexicon) != self.kind:
            return False
        term = term_of(text, self.lexicon)
        if term is not None and (term.id in self.true_groups or term.id in self.right_terms):
            return False
        if self.within is not None and (term is None or term.id not in self.within):
            return False
        if self.card.template in DECK_MUSCLES_ONLY and not self.names.owners(text):
            return False
        if self.kind == PHRASE and self.names.mentions(text) & self.prompt_muscles:
            # "just above the obturator internus tendon" is no place for the obturator internus.
            return False
        if self.choice and differ_by_opposites(content_words(text), content_words(self.card.answer)):
            # The answer's other side ("outer" for "inner"): wrong, though it holds a short
            # accepted form of the answer ("obturator membrane").
            return match_key(text) not in self.unfair and not self._named_in_prompt(text)
        return self.not_right(text) and not self._named_in_prompt(text)


_INDEXES: OrderedDict[tuple[int, int, int], tuple[Deck | None, NameIndex, Lexicon | None, DeckIndex]] = OrderedDict()
_KEEP = 8


def deck_index(deck: Deck | None, names: NameIndex, lexicon: Lexicon | None = None) -> DeckIndex:
    """The index of ``deck`` with ``names``, built once and kept for the next questions (the few
    most recent are kept; the objects are held, so their ids stay theirs)."""
    key = (id(deck), id(names), id(lexicon))  # None: the shipped lexicon, loaded when first needed
    found = _INDEXES.get(key)
    if found is None:
        found = (deck, names, lexicon, DeckIndex(deck, names, lexicon))
        _INDEXES[key] = found
        while len(_INDEXES) > _KEEP:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(key)
    return found[3]
