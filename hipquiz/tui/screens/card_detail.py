"""One card opened from the browser: its question and answer, the note it comes from, its history
and its schedule."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from hipquiz.core.browse import card_flags, card_state
from hipquiz.core.decks import Card
from hipquiz.core.library import DeckOrigin, describe_origin
from hipquiz.core.model import RATING_NAMES
from hipquiz.tui.screens.browser import card_label
from hipquiz.tui.widgets import KeyFooter

# The note's fields in the order a person reads them; anything else follows.
FIELD_ORDER = ("name", "aliases", "question", "answer", "accept", "items", "ordered", "distractors", "group",
               "location", "region", "functions", "relations", "confusable", "reverse", "cards", "facts")
SHOWN_ELSEWHERE = {"id", "type", "source", "caveat", "tags"}


def _value(value) -> str:
    if isinstance(value, (tuple, list)):
        return ", ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _local(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class CardDetailScreen(Screen):
    BINDINGS = [
        Binding("e", "edit", "Edit note"),
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, card: Card) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble("Card · ", card_label(self.card)), classes="title-bar", id="detail-title")
        with VerticalScroll(id="detail"):
            yield Static(id="detail-card")
            yield Static(id="detail-schedule")
            yield Static(id="detail-history")
            yield Static(id="detail-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#detail", VerticalScroll).focus()

    def on_screen_resume(self) -> None:
        # After an edit the card may have a new prompt: find it again by its id.
        fresh = self.app.library.card(self.card.id)
        if fresh is not None:
            self.card = fresh
        self.show()

    def show(self) -> None:
        card, app = self.card, self.app
        now = app.now()
        self.query_one("#detail-title", Static).update(Content.assemble("Card · ", card_label(card)))
        progress = app.collection.all_progress().get(card.id)
        self.query_one("#detail-card", Static).update(Content.assemble(
            ("Question", "bold"), "\n", card.prompt, "\n\n", ("Answer", "bold"), "\n", card.answer))

        state = card_state(progress)
        flags = card_flags(progress, now)
        lines = [Content.assemble(("Schedule", "bold"))]
        lines.append(Content(f"state: {state}" + (f" ({', '.join(flags)})" if flags else "")))
        if progress is not None and state != "new":
            lines.append(Content(f"due: {_local(progress.due)}"))
        lines.append(Content(f"reviews: {progress.reps if progress else 0} · lapses: {progress.lapses if progress else 0}"))
        self.query_one("#detail-schedule", Static).update(Content("\n").join(lines))

        history = [r for r in app.collection.reviews() if r.card_id == card.id]
        rows = [Content.assemble(("History", "bold"))]
        if not history:
            rows.append(Content("not studied yet"))
        for review in history[-12:]:
            rows.append(Content(f"{_local(review.reviewed_at)}  {RATING_NAMES[review.rating]:<5}  "
                                f"{review.question_type}  {review.duration_ms / 1000:.0f}s"))
        if len(history) > 12:
            rows.insert(1, Content(f"… {len(history) - 12} earlier"))
        self.query_one("#detail-history", Static).update(Content("\n").join(rows))

        note = card.note
        deck = next((d for d in app.library.decks if d.id == card.deck_id), None)
        origin = app.library.origins.get(card.deck_id, DeckOrigin.SHIPPED)
        parts = [Content.assemble(("Note ", "bold"), f"{note.id} ({note.type})"),
                 Content.assemble(("card: ", "dim"), card.id)]
        keys = [k for k in FIELD_ORDER if k in note.fields] + sorted(
            k for k in note.fields if k not in FIELD_ORDER and k not in SHOWN_ELSEWHERE)
        for key in keys:
            parts.append(Content.assemble((f"{key}: ", "dim"), _value(note.fields[key])))
        parts.append(Content.assemble(("source: ", "dim"), note.source))
        if note.caveat:
            parts.append(Content.assemble(("caveat: ", "dim"), note.caveat))
        if note.tags:
            parts.append(Content.assemble(("tags: ", "dim"), " ".join(note.tags)))
        if deck is not None:
            parts.append(Content.assemble(("deck: ", "dim"), f"{deck.name} · ",
                                          describe_origin(origin, deck.path), f" (line {note.line})"))
        self.query_one("#detail-note", Static).update(Content("\n").join(parts))

    def action_edit(self) -> None:
        from hipquiz.tui.screens.note_editor import open_note_editor

        open_note_editor(self, self.card.note, on_saved=self._edited)

    def _edited(self, saved: str | None) -> None:
        """After a save, the card as edited: in the user's copy when a shipped deck was copied."""
        if saved is None:
            return
        edited = self.app.library.card(f"{saved}/{self.card.template}")
        if edited is not None:
            self.card = edited
            self.show()

    def action_back(self) -> None:
        self.dismiss()

