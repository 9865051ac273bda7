"""What every question type shares: the Question asked, the Check of an answer, and the
QuestionType interface each type implements (see the package docstring for adding one)."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

from hipquiz.core.decks import Card, Deck
from hipquiz.core.questions.names import NameIndex

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds
    from hipquiz.core.questions.index import DeckIndex

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


@dataclass(frozen=True)
class Question:
    """One card asked one way (``kind``): the prompt, the options shown and where the right ones are."""

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
    # typed: why, where the verdict alone does not say it ("roots L2, L3 are not those of…").
    note: str = ""

    @property
    def score(self) -> float:
        """Share of marks right (select / order), else 1.0 or 0.0."""
        if self.item_marks:
            return sum(self.item_marks) / len(self.item_marks)
        return 1.0 if self.correct else 0.0


@dataclass(frozen=True)
class AskContext:
    """What a type may use besides the card: its deck, the names typed answers are matched
    against, further muscle names (say, of other decks), and what is known of the whole deck
    (``index``: distractors and rivals, worked out once per deck)."""

    deck: Deck | None
    names: NameIndex
    extra_names: tuple[str, ...] = ()

    @cached_property
    def index(self) -> DeckIndex:
        # Found (and its module, the lexicon's and the kinds' imported) when a type first asks for
        # it: a flip card never does, so the first card of a flip session is shown without them.
        from hipquiz.core.questions.index import deck_index

        return deck_index(self.deck, self.names)


class QuestionType(ABC):
    """One way to ask a card. Subclasses set the class attributes and implement ``supports``,
    ``build`` and ``check``; ``limits`` has a default."""

    # The name stored with each review ("choice"); also Question.kind and Check.kind.
    name: ClassVar[str]
    # The line under the prompt ("Choose one.").
    instruction: ClassVar[str]
    # The session mode that asks a card this way (the ordered-list type is asked in "select" mode).
    asked_in: ClassVar[str]
    # Set when the type gives its name to a mode of its own: the mode picker's label.
    mode_label: ClassVar[str] = ""
    # For "this card has no multiple-choice form" when a card falls back to flip in this mode.
    form: ClassVar[str] = ""
    # Rated by the user (flip) rather than checked and graded.
    self_rated: ClassVar[bool] = False
    # The answer is text the user wrote: one they overrode as right may be kept as an alias.
    written: ClassVar[bool] = False
    # The answer is picked from options shown (recognition, not recall): a right answer on a
    # card's first review earns Good at most, never Easy.
    recognition: ClassVar[bool] = False

    @abstractmethod
    def supports(self, card: Card, ctx: AskContext) -> bool:
        """Whether ``card`` can be asked this way."""

    @abstractmethod
    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        """The question (``supports`` is already known to be true)."""

    @abstractmethod
    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """Judge a response; ValueError (with a message for the user) for one of the wrong shape."""

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        """(fast, slow) seconds: a right answer within ``fast`` is Easy, from ``slow`` on Hard."""
        return thresholds.fast_seconds, thresholds.slow_seconds


def numbered(items: Iterable[str]) -> str:
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
