"""Checks of one multiple-choice question, worked out apart from hipquiz.core.questions (from the
deck's own data, the lexicon's data and plain words), and the hand-labelled judgements of
tests/data/fair_distractors.toml. Used by test_choice_kinds.py and bench/bench_fair_choices.py.

- kind: a phrase option is the answer of a card of the same template and field (one muscle's
  origin for another's) or a wrong answer the note wrote for itself (`distractors`);
- group: a prompt naming a group the answer belongs to ("which glute muscle…?") offers members;
- clue: the answer is never the only option repeating a word of the prompt ("obturator");
- deck: "Of this deck's muscles, which…?" offers only muscles the deck has notes for;
- self: a wrong phrase option never names the muscle the prompt asks about ("the middle layer,
  under the gluteus maximus" is no place for the gluteus maximus).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from hipquiz.core.lexicon import Lexicon, plain_words

LABELS = Path(__file__).parents[1] / "data" / "fair_distractors.toml"
ASIDE = re.compile(r"\([^()]*\)")
# Words that say nothing of the answer: a shared one is no clue.
STOP = frozenset("a an the of and or to in into on at by for from with as is are be it its they them "
                 "their this that these those which what where when how does do did one two".split())
NUMBER = re.compile(r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( \w+)?$")
FREQUENCY = re.compile(r"\b(once|twice|times|daily|weekly)\b")


def loose(text: str) -> str:
    """An option as compared: without asides, a leading "the", case and punctuation."""
    words = plain_words(ASIDE.sub(" ", text))
    return " ".join(words[1:] if words[:1] == ("the",) else words)


def singular(words) -> str:
    """Words without a plural "s" (glute muscles → glute muscle), but gluteus and femoris kept."""
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "is", "ss"))
                    else word for word in words)


def clue_words(text: str) -> set[str]:
    """The words of a text that could tell one option from another."""
    return set(singular(plain_words(ASIDE.sub(" ", text))).split()) - STOP


def is_phrase(text: str, lexicon: Lexicon) -> bool:
    """Neither a number, a frequency nor a term of the lexicon."""
    plain = " ".join(plain_words(ASIDE.sub(" ", text)))
    return not (NUMBER.match(plain) or FREQUENCY.search(plain) or lexicon.lookup(ASIDE.sub(" ", text)))


_SOURCES: dict[int, tuple[object, dict[str, set[tuple[str, str]]]]] = {}


def answers_by_source(deck) -> dict[str, set[tuple[str, str]]]:
    """Each card answer of a deck (compared loosely) → the (template, field) pairs it answers."""
    kept = _SOURCES.get(id(deck))
    if kept is None or kept[0] is not deck:
        found: dict[str, set[tuple[str, str]]] = {}
        for card in deck.cards:
            found.setdefault(loose(card.answer), set()).add((card.template, card.answer_field))
        kept = _SOURCES[id(deck)] = (deck, found)
    return kept[1]


def wrong_options(question) -> list[str]:
    return [option for i, option in enumerate(question.options) if i not in question.answer_indices]


def kind_problems(deck, card, question, lexicon: Lexicon) -> list[str]:
    """Phrase options of another kind than the card's phrase answer."""
    if not is_phrase(card.answer, lexicon):
        return []  # terms, numbers, frequencies: test_fair_choices checks their kinds
    own = {loose(text) for text in card.note.items("distractors")}
    problems = []
    for option in wrong_options(question):
        if loose(option) in own:
            continue  # written for this question
        sources = answers_by_source(deck).get(loose(option), set())
        if card.answer_field != "answer" and (card.template, card.answer_field) in sources:
            continue  # the same field of another muscle (an origin for an origin)
        problems.append(f"{card.id}: {option!r} answers {sorted(sources) or 'no card'}, "
                        f"not {card.template}/{card.answer_field}")
    return problems


def groups_named(prompt: str, lexicon: Lexicon) -> list[set[str]]:
    """The members (by name) of each lexicon group whose name or a form of it the prompt says
    ("glute muscle" for "glute muscles")."""
    prompt_words = f" {singular(plain_words(prompt))} "
    found = []
    for term in lexicon.terms_of_kind("group"):
        if any(f" {singular(plain_words(form))} " in prompt_words for form in (term.name, *term.forms)):
            found.append({lexicon.term(member).name for member in term.members if lexicon.term(member)})
    return found


def group_problems(card, question, lexicon: Lexicon) -> list[str]:
    """Options outside a group the prompt names and the answer belongs to."""
    answer = lexicon.lookup(ASIDE.sub(" ", card.answer))
    if answer is None:
        return []
    problems = []
    for members in groups_named(question.prompt, lexicon):
        if answer.name not in members:
            continue  # "unlike the smaller glute muscles": a group the answer is not in
        for option in question.options:
            term = lexicon.lookup(ASIDE.sub(" ", option))
            if term is None or term.name not in members:
                problems.append(f"{card.id}: {option!r} is not one of {sorted(members)}")
    return problems


def clue_problems(card, question) -> list[str]:
    """Words of the prompt that only the right option repeats."""
    right = question.options[question.answer_indices[0]]
    others = [clue_words(option) for option in wrong_options(question)]
    return [f"{card.id}: only the answer {right!r} says {word!r}"
            for word in sorted(clue_words(question.prompt) & clue_words(right))
            if not any(word in words for words in others)]


def muscles_named(text: str, lexicon: Lexicon) -> set[str]:
    """The lexicon muscles whose name or a form of it the text says."""
    said = f" {singular(plain_words(ASIDE.sub(' ', text)))} "
    return {term.name for term in lexicon.terms_of_kind("muscle")
            if any(f" {singular(plain_words(form))} " in said for form in (term.name, *term.forms))}


def self_problems(card, question, lexicon: Lexicon) -> list[str]:
    """Wrong phrase options that name a muscle the prompt asks about (and the answer does not: "at
    the piriformis", "…through the piriformis" is a place relative to it, not the muscle itself)."""
    right = question.options[question.answer_indices[0]]
    asked_about = muscles_named(question.prompt, lexicon) - muscles_named(right, lexicon)
    return [f"{card.id}: {option!r} names {sorted(asked_about & muscles_named(option, lexicon))}"
            for option in wrong_options(question)
            if is_phrase(option, lexicon) and asked_about & muscles_named(option, lexicon)]


def deck_problems(deck, card, question) -> list[str]:
    """Options of a question about "this deck's muscles" that are no muscle note of the deck."""
    if "this deck's muscles" not in question.prompt.lower():
        return []
    taught = {loose(text) for note in deck.notes if note.type == "muscle"
              for text in (note.text("name"), *note.items("aliases"))}
    return [f"{card.id}: {option!r} is no muscle of the deck" for option in question.options
            if loose(option) not in taught]


def judgements() -> list[dict]:
    return tomllib.loads(LABELS.read_text(encoding="utf-8"))["judgement"]
