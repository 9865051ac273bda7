"""Choice: one right answer among four options. The three distractors are of the right answer's
kind (nerve for nerve, number for number: ``kinds.py``), never named in the prompt, never a part
or a paraphrase of the answer (``index.py`` finds them once per deck), and shown in one style, so
that the form of an option never gives it away. A card without three fair distractors has no
choice form."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex
from hipquiz.core.spelling import ASIDE

if TYPE_CHECKING:
    from hipquiz.core.lexicon import Lexicon

# The answer and this many distractors.
CHOICE_DISTRACTORS = 3
# Distractors drawn from among the best this many: enough for lengths to vary, few enough that
# look-alikes and answers to the same question come first.
CHOICE_SHORTLIST = 8


class Choice(QuestionType):
    name = "choice"
    instruction = "Choose one."
    asked_in = "choice"
    mode_label = "Multiple choice"
    form = "multiple-choice"
    recognition = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        index = ctx.index
        return (len(index.choice_distractors(card, ctx.extra_names)) >= CHOICE_DISTRACTORS
                and len(index.clue_distractors(card, ctx.extra_names)) <= CHOICE_DISTRACTORS)

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        found = ctx.index.choice_distractors(card, ctx.extra_names)
        # Look-alikes and the deck's own wrong answers come first, and one is always offered
        # (telling it apart is the point); the rest balance lengths, among those first ones when
        # there are enough of them.
        preferred = ctx.index.preferred_count(card, ctx.extra_names)
        kept = list(found[:min(1, preferred)])
        # An answer that repeats a word of the prompt ("obturator") is never alone in doing so.
        kept += [text for text in ctx.index.clue_distractors(card, ctx.extra_names) if text not in kept]
        best = found[:preferred] if preferred >= CHOICE_DISTRACTORS else found[:CHOICE_SHORTLIST]
        shortlist = [text for text in best if text not in kept]
        distractors = kept + balanced_draw(card.answer, shortlist, CHOICE_DISTRACTORS - len(kept), rng)
        options = same_style([card.answer, *distractors], ctx.index.lexicon)
        right = options[0]
        rng.shuffle(options)
        return Question(self.name, card, card.prompt, tuple(options), (options.index(right),),
                        self.instruction, ctx.names)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the chosen option index (0-based)."""
        names = names or question.names
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
        return Check(response == right, given=given, expected=question.options[right], kind=self.name,
                     named=named)


def balanced_draw(answer: str, candidates: list[str], count: int, rng: random.Random) -> list[str]:
    """``count`` of ``candidates`` (best first), chosen so that the answer is the longest option no
    more often than chance: how many distractors are longer than the answer is drawn evenly from
    0..count, then the best candidates that make it so are taken (the nearest possible when the
    candidates cannot)."""
    longer = [c for c in candidates if len(c) > len(answer)]
    shorter = [c for c in candidates if len(c) <= len(answer)]
    want = rng.randint(0, count)
    want = max(count - len(shorter), min(want, len(longer)))
    picked = longer[:want] + shorter[:count - want]
    # Too few of either: fill from what is left, best first.
    picked += [c for c in candidates if c not in picked][:count - len(picked)]
    return picked


def same_style(options: list[str], lexicon: Lexicon | None = None) -> list[str]:
    """The options in one style: terms of the lexicon by their preferred names ("the TFL" beside
    "gluteus medius" would stand out), parenthesised asides ("(TFL)") on all or none, a leading
    "the" on all or none, and no Title Case Among Lower-Case Options."""
    # Imported with the deck index a choice is built from, not with the registry of types.
    from hipquiz.core.questions.kinds import term_of, without_asides

    terms = [term_of(option, lexicon) for option in options] if lexicon is not None else []
    if terms and all(terms) and len({term.id for term in terms}) == len(options):
        options = [term.name for term in terms]
    if not all(re.search(ASIDE, option) for option in options):
        options = [without_asides(option) for option in options]
    if not all(option.lower().startswith("the ") for option in options):
        options = [option[4:] if option.lower().startswith("the ") and len(option) > 4 else option
                   for option in options]
    return [_untitled(option) for option in options]


def _untitled(text: str) -> str:
    """"Tensor Fasciae Latae" → "tensor fasciae latae"; abbreviations ("TFL", "ASIS") and single
    words are kept as written."""
    words = text.split()
    if len(words) < 2 or not all(word[:1].isupper() for word in words if word[:1].isalpha()):
        return text
    return " ".join(word if word.isupper() else word[:1].lower() + word[1:] for word in words)
