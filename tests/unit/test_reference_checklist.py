"""The textbook deck teaches every ✔ fact of the two reference sheets, and never a ? fact.

The checklist (tests/data/reference_checklist.toml) names, for each ✔ line of the sheets, the notes
whose cards teach it. It is data written by reading the sheets; this test keeps it honest: every ✔
line has an entry, every entry's notes exist and make cards that share words with the fact.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from hipquiz.core.decks import load_deck
from hipquiz.core.giveaways import key_words

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[2]
SHEETS = {
    "main": ROOT.parent / "shared/reference/anatomy_reference.md",
    "addendum": ROOT.parent / "shared/reference/anatomy_addendum.md",
}
CHECKLIST = ROOT / "tests/data/reference_checklist.toml"

pytestmark = pytest.mark.skipif(not all(p.is_file() for p in SHEETS.values()),
                                reason="the reference sheets are not beside the repository")


def _entries() -> list[dict]:
    return tomllib.loads(CHECKLIST.read_text(encoding="utf-8"))["fact"]


def _deck():
    return load_deck(ROOT / "decks/textbook-anatomy.toml")


def test_every_confirmed_line_of_both_sheets_has_an_entry():
    listed = {(e["sheet"], e["line"]) for e in _entries()}
    for sheet, path in SHEETS.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        confirmed = {(sheet, n) for n, line in enumerate(lines, 1) if "✔" in line}
        assert confirmed - listed == set(), f"✔ lines of {path.name} with no checklist entry"


def test_each_entry_names_its_line_and_either_notes_or_why_not():
    for entry in _entries():
        line = SHEETS[entry["sheet"]].read_text(encoding="utf-8").splitlines()[entry["line"] - 1]
        plain = re.sub(r"\*\*|`", "", line.strip().lstrip("-| ").strip())
        assert plain.startswith(entry["starts"]), f"{entry['sheet']}:{entry['line']} moved: {entry['starts']!r}"
        assert bool(entry.get("notes")) != bool(entry.get("no_card")), entry


def _fact_text(entry: dict) -> str:
    """The ✔ line, with the unmarked bullets under it (\"Origin: ✔\" is followed by its parts)."""
    lines = SHEETS[entry["sheet"]].read_text(encoding="utf-8").splitlines()
    text = [lines[entry["line"] - 1]]
    for line in lines[entry["line"]:entry["line"] + 8]:
        if not line.lstrip().startswith("-") or "✔" in line:
            break
        text.append(line)
    return " ".join(text)


def test_every_listed_note_teaches_its_fact():
    deck = _deck()
    for entry in _entries():
        fact = _fact_text(entry)
        # Word stems cut short, so that "rotation" meets "rotate" and "medial" meets "medially".
        fact_words = {w[:5] for w in key_words(re.sub(r"https?://\S+|\([^)]*\)", "", fact))}
        for note_id in entry.get("notes", ()):
            cards = [c for c in deck.cards if c.note_id == note_id]
            assert cards, f"{entry['sheet']}:{entry['line']}: no card of note {note_id!r}"
            taught = {w[:5] for w in key_words(" ".join(f"{c.prompt} {c.answer} {c.caveat}" for c in cards))}
            assert fact_words & taught, f"{entry['sheet']}:{entry['line']}: {note_id!r} shares no word with the fact"


# The ? facts of both sheets, with what a card would say if it taught one as an answer.
UNCONFIRMED = {
    "TFL supplied by the inferior gluteal artery": ("tensor-fasciae-latae", "blood-supply", r"inferior gluteal"),
    "gluteus maximus: SGA upper two-fifths, first perforating": ("gluteus-maximus", "blood-supply",
                                                                  r"two-fifths|first perforating"),
    "IGA to gluteus medius and minimus": ("gluteus-medius", "blood-supply", r"inferior gluteal"),
    "IGA to gluteus minimus": ("gluteus-minimus", "blood-supply", r"inferior gluteal"),
    "internal pudendal artery to piriformis": ("piriformis", "blood-supply", r"pudendal"),
    "greater sciatic foramen wider in women": (None, None, r"wider in women"),
    "mnemonics PIN & PINS, P GO GO Q": (None, None, r"PIN & PINS|P GO GO Q"),
    "Trendelenburg test most sensitive for a tear": (None, None, r"most sensitive"),
    "prone resisted hip extension test": (None, None, r"prone"),
    "70% / 30% split of abductor force": (None, None, r"70 ?%|30 ?%"),
    "piriformis or obturator internus as hip extensors": ("piriformis", "actions", r"extension"),
    "obturator internus as hip extensor": ("obturator-internus", "actions", r"extension"),
    "medial rotation weaker than lateral": (None, None, r"weaker"),
    "extra twig from the superior gluteal nerve to piriformis": ("piriformis", "innervation", r"superior gluteal"),
    "higher prevalence of sciatic variants in East Asians": (None, None, r"Asian"),
}


@pytest.mark.parametrize("fact", sorted(UNCONFIRMED))
def test_no_unconfirmed_fact_is_an_answer(fact):
    deck = _deck()
    note_id, template, pattern = UNCONFIRMED[fact]
    cards = [c for c in deck.cards if (note_id is None or c.note_id == note_id)
             and (template is None or c.template == template)]
    assert cards
    for card in cards:
        answer = " ".join((card.answer, *card.accepted, *card.answer_items))
        assert not re.search(pattern, answer, re.IGNORECASE), (fact, card.id, answer)
