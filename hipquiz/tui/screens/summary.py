"""The end of a session: how it went and when the deck is next due."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from hipquiz.core.model import RATING_NAMES
from hipquiz.core.session import SessionSummary
from hipquiz.tui.formatting import due_words, duration_words
from hipquiz.tui.widgets import KeyFooter


class SummaryScreen(Screen[str]):
    """Dismisses with ``"undo"`` to take back the last answer, else ``"done"``."""

    BINDINGS = [
        Binding("enter", "done", "Done"),
        Binding("u", "undo", "Undo last"),
        Binding("q", "done", "Back"),
        Binding("escape", "done", "Back", show=False),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield Static("Session done", classes="title-bar")
        with VerticalScroll(id="summary"):
            yield Static(self._text(), id="summary-text")
        yield KeyFooter()

    def _text(self) -> Content:
        s = self.summary
        now = self.app.now()
        rows: list[tuple[str, str]] = [
            ("Reviewed", str(s.reviewed)),
            ("Correct", f"{s.correct_percent}%  ({s.correct} of {s.reviewed} remembered)"),
            ("Time", duration_words(s.seconds)),
            ("Ratings", "  ".join(f"{name} {s.ratings.get(r, 0)}" for r, name in RATING_NAMES.items())),
            ("Next due", due_words(s.next_due, now).removeprefix("next due ") or "nothing scheduled"),
        ]
        lines = [Content.assemble((f"{label:<10}", "bold"), value) for label, value in rows]
        return Content("\n").join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return True if self.summary.reviewed else None
        return True

    def action_done(self) -> None:
        self.dismiss("done")

    def action_undo(self) -> None:
        if self.summary.reviewed:
            self.dismiss("undo")
