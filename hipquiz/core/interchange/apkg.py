"""Anki packages (.apkg) through genanki: one note a card, the source quote and caveat in fields,
tags kept, and GUIDs from the card ids so that importing a re-export updates notes in Anki."""

from __future__ import annotations

import html
from pathlib import Path

from hipquiz.core.interchange.base import Exporter, anki_id

# Fixed ids: Anki recognises the note type and deck of a later export as the same ones.
MODEL_ID = 1_607_392_319
MODEL_NAME = "hipquiz card"
FIELDS = ("Front", "Back", "Source", "Caveat", "Card ID")
CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n.source { font-size: 14px; color: #666; }"
BACK = """{{FrontSide}}<hr id="answer">{{Back}}
<p class="source">{{Source}}</p>{{#Caveat}}<p class="source"><i>{{Caveat}}</i></p>{{/Caveat}}"""


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    return "_".join(tag.split())  # Anki tags are separated by spaces


class ApkgExporter(Exporter):
    name = "apkg"
    suffix = ".apkg"

    def export(self, deck, out: Path) -> None:
        import genanki

        model = genanki.Model(
            MODEL_ID, MODEL_NAME,
            fields=[{"name": name} for name in FIELDS],
            templates=[{"name": "Card", "qfmt": "{{Front}}", "afmt": BACK}],
            css=CSS,
        )
        anki_deck = genanki.Deck(anki_id(deck.id), deck.name)
        for card in deck.cards:
            note = card.note
            anki_deck.add_note(genanki.Note(
                model=model,
                fields=[_html(card.prompt), _html(card.answer), _html(card.source), _html(card.caveat), card.id],
                tags=[anki_tag(t) for t in note.tags],
                guid=genanki.guid_for(card.id),
            ))
        genanki.Package(anki_deck).write_to_file(str(out))
