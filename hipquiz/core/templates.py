"""Structured muscle notes: the fields an anatomy exam asks, and the cards made from them.

A ``muscle`` note may hold origin, insertion, innervation, blood supply, actions, layer and groups,
each a small table with the sources it comes from. Cards are made from these fields in both
directions: about one muscle ("Which nerve supplies the gluteus medius?") and across all the muscles
of the deck ("Which of these muscles does the superior gluteal nerve supply?", select all). No card
is written twice by hand: every template is one row of ``FIELD_TEMPLATES`` (about one muscle) or
``CROSS_TEMPLATES`` (across muscles), and adding a template means adding a row.

Cross-note cards belong to a derived note (``supplied-by-superior-gluteal-nerve``) that is related
to the muscles it names, so that a session never shows it on the day it would give one of them away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from hipquiz.core.facts import FACT_FIELDS, ROLES, Action, Fact

# The keys of a structured field's table (``[notes.origin]``) and of an action
# (``[[notes.actions]]``); the fields and the values read from them are in facts.py.
FACT_KEYS = {"answer", "terms", "unsure", "typed", "source", "caveat"}
ACTION_KEYS = {"movement", "text", "role", "detail", "when", "source"}

# Movement terms are "<action> of the hip"; the verb is what "Which of these … the hip?" asks.
VERBS = {
    "flexion": ("flex", "flexes"),
    "extension": ("extend", "extends"),
    "abduction": ("abduct", "abducts"),
    "adduction": ("adduct", "adducts"),
    "lateral rotation": ("laterally rotate", "laterally rotates"),
    "medial rotation": ("medially rotate", "medially rotates"),
}
MOVEMENT = re.compile(r"^(?P<action>[a-z ]+?) of the (?P<joint>hip)$")


def verb_of(movement: str, third_person: bool = False) -> str:
    """"abduction of the hip" -> "abduct the hip" ("abducts the hip"); "" if it is no movement term."""
    match = MOVEMENT.match(movement)
    if not match or match["action"] not in VERBS:
        return ""
    return f"{VERBS[match['action']][third_person]} the {match['joint']}"


# ---------------------------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------------------------


def _texts(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return tuple(" ".join(v.split()) for v in value)


def parse_structured(raw: Mapping[str, Any], line: Callable[[str], int], problem: Callable[[int, str], None],
                     sources: Mapping[str, str]) -> dict[str, Any] | None:
    """The structured fields of a raw muscle note, or None after reporting what is wrong."""
    fields: dict[str, Any] = {}
    ok = True

    def bad(key: str, message: str) -> None:
        nonlocal ok
        problem(line(key), message)
        ok = False

    def source_keys(key: str, value: Any) -> tuple[str, ...]:
        keys = _texts(value)
        if not keys:
            bad(key, f"{key!r} needs a 'source': a key of the deck's [sources] table, or a list of them")
            return ()
        for unknown in (k for k in keys if k not in sources):
            bad(key, f"{key!r} cites source {unknown!r}, which the deck's [sources] table does not have")
        return keys

    for key in FACT_FIELDS:
        if key not in raw:
            continue
        table = raw[key]
        if not isinstance(table, dict):
            bad(key, f"{key!r} must be a table ([notes.{key}]) with answer/terms and source")
            continue
        for unknown in set(table) - FACT_KEYS:
            bad(key, f"unknown key {unknown!r} in {key!r} (allowed: {', '.join(sorted(FACT_KEYS))})")
        lists = {k: _texts(table.get(k, [])) for k in ("terms", "unsure", "typed")}
        for k, value in lists.items():
            if value is None:
                bad(key, f"{key}.{k} must be a list of texts")
        answer = table.get("answer", "")
        if not isinstance(answer, str):
            bad(key, f"{key}.answer must be text")
            answer = ""
        answer = " ".join(answer.split()) or ", ".join(lists["terms"] or ())
        if not answer:
            bad(key, f"{key!r} needs an 'answer' or 'terms'")
        caveat = table.get("caveat", "")
        if not isinstance(caveat, str):
            bad(key, f"{key}.caveat must be text")
            caveat = ""
        fields[key] = Fact(answer, lists["terms"] or (), lists["unsure"] or (), lists["typed"] or (),
                           source_keys(key, table.get("source")), " ".join(caveat.split()))

    if "actions" in raw:
        entries = raw["actions"]
        actions: list[Action] = []
        if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
            bad("actions", "'actions' must be [[notes.actions]] tables")
            entries = []
        for entry in entries:
            for unknown in set(entry) - ACTION_KEYS:
                bad("actions", f"unknown key {unknown!r} in an action (allowed: {', '.join(sorted(ACTION_KEYS))})")
            movement, text = entry.get("movement", ""), entry.get("text", "")
            role, detail, when = entry.get("role", ""), entry.get("detail", ""), entry.get("when", "")
            if not all(isinstance(v, str) for v in (movement, text, role, detail, when)):
                bad("actions", "an action's movement, text, role, detail and when must be text")
                continue
            if bool(movement) == bool(text):
                bad("actions", "an action needs either a 'movement' term or a 'text', not both")
                continue
            if movement and not verb_of(movement):
                bad("actions", f"movement {movement!r} is not '<{' | '.join(VERBS)}> of the hip'")
                continue
            if role not in ROLES:
                bad("actions", f"role {role!r} is not one of: {', '.join(r for r in ROLES if r)}")
                continue
            actions.append(Action(movement, movement or " ".join(text.split()), role, detail, when,
                                  source_keys("actions", entry.get("source"))))
        fields["actions"] = tuple(actions)
    return fields if ok else None


# ---------------------------------------------------------------------------------------------
# Templates about one muscle
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSpec:
    """What a template makes; decks.py turns it into a Card with its stable id."""

    template: str
    prompt: str
    answer: str
    answer_field: str
    accepted: tuple[str, ...]
    answer_items: tuple[str, ...] = ()
    typed: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # The field's own caveat; None shows the note's (a muscle's caveat goes with its actions).
    caveat: str | None = ""
    # Options that must never be offered as wrong answers (sources dispute them).
    unfair: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldTemplate:
    template: str
    field: str
    prompt: str  # formatted with {name}


FIELD_TEMPLATES = (
    FieldTemplate("origin", "origin", "What is the origin of the {name}?"),
    FieldTemplate("insertion", "insertion", "Where does the {name} insert?"),
    FieldTemplate("innervation", "innervation", "Which nerve supplies the {name}?"),
    FieldTemplate("blood-supply", "blood_supply", "Which arteries supply the {name}?"),
    FieldTemplate("layer", "layer", "In which layer of the gluteal region does the {name} lie?"),
    FieldTemplate("groups", "groups", "To which groups does the {name} belong?"),
)
# The card templates made from a muscle's structured fields (field_cards), for a note's ``cards``.
FIELD_CARD_TEMPLATES = (*(row.template for row in FIELD_TEMPLATES), "actions")


def field_cards(name: str, fields: Mapping[str, Any]) -> Iterable[CardSpec]:
    """The cards about one muscle made from its structured fields, in template order."""
    for row in FIELD_TEMPLATES:
        fact = fields.get(row.field)
        if not isinstance(fact, Fact):
            continue
        items = fact.terms if row.field == "groups" and len(fact.terms) > 1 else ()
        yield CardSpec(row.template, row.prompt.format(name=name), fact.answer, row.field,
                       (fact.answer, *fact.typed, *fact.terms[:1]) if not items else items,
                       items, fact.typed, fact.sources, fact.caveat)
    actions = [a for a in fields.get("actions", ()) if a.role != "disputed"]
    if actions:
        shown = tuple(a.shown for a in actions)
        sources = tuple(dict.fromkeys(s for a in actions for s in a.sources))
        yield CardSpec("actions", f"What are the actions of the {name}?", "\n".join(f"• {s}" for s in shown),
                       "actions", shown, shown, (), sources, None)


# ---------------------------------------------------------------------------------------------
# Templates across muscles
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One muscle's part in a cross-note question: its name and the sources that say so."""

    note_id: str
    name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class CrossCard:
    """A card about several muscles, with the id of the derived note it belongs to."""

    note_id: str
    spec: CardSpec
    members: tuple[str, ...]  # note ids of the muscles it names (its related notes)


@dataclass(frozen=True)
class CrossTemplate:
    template: str  # also the first part of the derived note's id
    # (muscle fields) -> [(term, sources, unsure)] the muscle has for this template.
    values: Callable[[Mapping[str, Any]], list[tuple[str, tuple[str, ...], bool]]]
    one: str  # prompt when one muscle has the term, formatted with {term} (and {verb})
    many: str  # prompt when several do
    # Whether a muscle that has the term only in another way is fair as a wrong answer.
    single_only: bool = False


def _facts(field: str) -> Callable[[Mapping[str, Any]], list[tuple[str, tuple[str, ...], bool]]]:
    def values(fields: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], bool]]:
        fact = fields.get(field)
        if not isinstance(fact, Fact):
            return []
        return [(t, fact.sources, False) for t in fact.terms] + [(t, fact.sources, True) for t in fact.unsure]
    return values


def _movements(when: bool) -> Callable[[Mapping[str, Any]], list[tuple[str, tuple[str, ...], bool]]]:
    def values(fields: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], bool]]:
        found = []
        for action in fields.get("actions", ()):
            if not action.movement:
                continue
            unsure = action.role == "disputed"
            key = f"{action.movement}|{action.when}" if action.when else action.movement
            if when:
                # "only when flexed": a muscle that does it in every position is a fair wrong answer
                # (it does not do it *only* then); one with a disputed role is not.
                if action.when or unsure:
                    found.append((f"{action.movement}|{action.when or 'flexed'}", action.sources, unsure))
            else:
                found.append((key if not unsure else action.movement, action.sources, unsure))
        return found
    return values


def _prime(fields: Mapping[str, Any]) -> list[tuple[str, tuple[str, ...], bool]]:
    found = []
    for action in fields.get("actions", ()):
        if action.movement and not action.when:
            # A muscle whose role is not stated, or is disputed, may be called prime by some source.
            if action.role == "prime":
                found.append((action.movement, action.sources, False))
            elif action.role in ("", "main", "disputed"):
                found.append((action.movement, action.sources, True))
    return found


# Prompts name the deck's muscles as the field of choice: "Which muscles arise from the ischial
# tuberosity?" would also be answered by the hamstrings, which the deck does not teach.
CROSS_TEMPLATES = (
    CrossTemplate("arises-from", _facts("origin"), "Of this deck's muscles, which one arises from the {term}?",
                  "Of this deck's muscles, which arise from the {term}?"),
    CrossTemplate("inserts-into", _facts("insertion"), "Of this deck's muscles, which one inserts into the {term}?",
                  "Of this deck's muscles, which insert into the {term}?"),
    CrossTemplate("supplied-by", _facts("innervation"), "Of this deck's muscles, which one does the {term} supply?",
                  "Of this deck's muscles, which does the {term} supply?"),
    CrossTemplate("fed-by", _facts("blood_supply"),
                  "Of this deck's muscles, which one does the {term} supply with blood?",
                  "Of this deck's muscles, which does the {term} supply with blood?"),
    CrossTemplate("in-layer", _facts("layer"), "Of this deck's muscles, which one lies in the {term} of the buttock?",
                  "Of this deck's muscles, which lie in the {term} of the buttock?"),
    CrossTemplate("member-of", _facts("groups"), "Of this deck's muscles, which one belongs to the {term}?",
                  "Of this deck's muscles, which belong to the {term}?"),
    CrossTemplate("moves", _movements(False), "Of this deck's muscles, which one {verbs}{straight}?",
                  "Of this deck's muscles, which {verb}{straight}?"),
    CrossTemplate("moves-only-when", _movements(True),
                  "Of this deck's muscles, which one {verbs} only when the hip is {when}?",
                  "Of this deck's muscles, which {verb} only when the hip is {when}?"),
    CrossTemplate("prime-mover", _prime, "Which muscle is the prime mover of {term}?",
                  "Which muscles are the prime movers of {term}?", single_only=True),
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _mentions(prompt: str, name: str) -> bool:
    return f"-{slug(name)}-" in f"-{slug(prompt)}-"


def cross_cards(muscles: Iterable[tuple[str, str, Mapping[str, Any]]]) -> list[CrossCard]:
    """Cards across the deck's muscles, from ``(note id, name, structured fields)`` of each."""
    muscles = list(muscles)
    cards: list[CrossCard] = []
    for row in CROSS_TEMPLATES:
        having: dict[str, list[Member]] = {}
        unsure: dict[str, list[str]] = {}
        for note_id, name, fields in muscles:
            for term, sources, doubtful in row.values(fields):
                if doubtful:
                    unsure.setdefault(term, []).append(name)
                elif not any(m.note_id == note_id for m in having.get(term, ())):
                    having.setdefault(term, []).append(Member(note_id, name, sources))
        conditioned = {k.split("|")[0] for k in having if "|" in k} | {k.split("|")[0] for k in unsure if "|" in k}
        for term, members in having.items():
            if row.single_only and len(members) > 1:
                continue
            movement, _, when = term.partition("|")
            if row.template == "moves" and when:
                continue  # asked by "moves-only-when"
            verb, verbs = verb_of(movement), verb_of(movement, third_person=True)
            straight = " (hip straight, not flexed)" if movement in conditioned and row.template == "moves" else ""
            prompt = (row.one if len(members) == 1 else row.many).format(term=movement, verb=verb, verbs=verbs, when=when,
                                                                          straight=straight)
            names = tuple(m.name for m in members)
            if all(_mentions(prompt, n) for n in names):
                continue  # "Which muscle does the nerve to piriformis supply?" answers itself
            sources = tuple(dict.fromkeys(s for m in members for s in m.sources))
            unfair = tuple(n for n in unsure.get(term, ()) if n not in names)
            if len(members) == 1:
                spec = CardSpec(row.template, prompt, names[0], "name", names, (), (), sources, "", unfair)
            else:
                spec = CardSpec(row.template, prompt, "\n".join(f"• {n}" for n in names), "items", names, names,
                                (), sources, "", unfair)
            cards.append(CrossCard(f"{row.template}-{slug(term.replace('|', ' when '))}", spec,
                                   tuple(m.note_id for m in members)))
    return cards
