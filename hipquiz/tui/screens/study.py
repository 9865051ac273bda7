"""Studying one deck: question, reveal, rate; undo, bury and suspend. Saving is the session's job."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from hipquiz.core.decks import Card
from hipquiz.core.questions import Question, build_question
from hipquiz.core.scheduler import Outcome, format_interval
from hipquiz.core.session import StudySession
from hipquiz.core.store import StoreError
from hipquiz.tui.screens.confirm import ConfirmModal
from hipquiz.tui.screens.summary import SummaryScreen
from hipquiz.tui.widgets import CardView, RatingBar

RATE_ACTIONS = {"rate"}
CARD_ACTIONS = {"bury", "suspend"}


class StudyScreen(Screen):
    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("1", "rate(1)", "Again"),
        Binding("2", "rate(2)", "Hard"),
        Binding("3", "rate(3)", "Good"),
        Binding("4", "rate(4)", "Easy"),
        # Back comes before the rarer keys so that a narrow footer still shows it.
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
        Binding("u", "undo", "Undo"),
        Binding("b", "bury", "Bury"),
        Binding("exclamation_mark", "suspend", "Suspend"),
    ]

    def __init__(self, session: StudySession) -> None:
        super().__init__()
        self.session = session
        self.card: Card | None = None
        self.question: Question | None = None
        self._outcomes: dict[int, Outcome] = {}
        self._shown_at = 0.0

    @property
    def revealed(self) -> bool:
        return self.has_class("revealed")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="title-bar"):
            yield Static(self.session.deck.name, markup=False, id="deck-name")
            yield Static(id="progress")
        yield CardView(id="card")
        yield Button("Show answer (Space)", id="reveal", compact=True)
        yield RatingBar(id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reveal", Button).can_focus = False
        self.query_one(CardView).focus()
        self._advance()

    # -- showing cards -------------------------------------------------------------------------

    def _advance(self) -> None:
        card = self.session.next_card()
        if card is None:
            self._finish()
        else:
            self._show(card)

    def _show(self, card: Card) -> None:
        self.card = card
        self.question = build_question(card, "flip")
        self._outcomes = {}
        self.query_one(CardView).show(self.question)
        self.set_class(False, "revealed")
        self._shown_at = time.monotonic()
        self._update_progress()
        self.refresh_bindings()

    def _update_progress(self) -> None:
        summary = self.session.summary
        self.query_one("#progress", Static).update(f"{self.session.remaining} left · {summary.reviewed} done")

    def _finish(self) -> None:
        self.card = None
        self.app.push_screen(SummaryScreen(self.session.finish()), self._after_summary)

    def _after_summary(self, result: str | None) -> None:
        if result == "undo" and self.session.can_undo:
            self.action_undo()
        else:
            self.dismiss()

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action in RATE_ACTIONS:
            return self.card is not None and self.revealed
        if action in CARD_ACTIONS:
            return self.card is not None
        if action == "undo":
            # None: shown greyed out in the footer while there is nothing to undo.
            return True if self.session.can_undo else None
        return True

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        # The previewed outcome is the one given, so the buttons show exactly what a rating does.
        self._outcomes = self.session.preview(self.card)
        self.query_one(RatingBar).set_intervals(
            {rating: format_interval(outcome.interval) for rating, outcome in self._outcomes.items()}
        )
        self.query_one(CardView).revealed = True
        self.set_class(True, "revealed")
        self.refresh_bindings()

    def action_rate(self, rating: int) -> None:
        if self.card is None or not self.revealed or self.question is None:
            return
        duration_ms = round((time.monotonic() - self._shown_at) * 1000)
        try:
            self.session.answer(self.card, rating, duration_ms=duration_ms, question_type=self.question.kind,
                                outcome=self._outcomes.get(rating))
        except StoreError as exc:
            # Not saved: say so and keep the card on screen, so the answer can be given again.
            self._not_saved(exc)
            return
        self._advance()

    def _not_saved(self, exc: Exception) -> None:
        self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)

    def action_undo(self) -> None:
        try:
            card = self.session.undo()
        except (StoreError, RuntimeError) as exc:
            self._not_saved(exc)
            return
        if card is None:
            self.notify("Nothing to undo.", severity="warning")
            return
        self.notify("Took back the last answer.")
        self._show(card)

    def action_bury(self) -> None:
        if self.card is None:
            return
        try:
            self.session.bury(self.card)
        except StoreError as exc:
            self._not_saved(exc)
            return
        self.notify("Buried until tomorrow.")
        self._advance()

    def action_suspend(self) -> None:
        if self.card is None:
            return
        card = self.card

        def confirmed(yes: bool | None) -> None:
            if yes and self.card is card:
                try:
                    self.session.suspend(card)
                except StoreError as exc:
                    self._not_saved(exc)
                    return
                self.notify("Suspended: it will not be shown again.")
                self._advance()

        self.app.push_screen(
            ConfirmModal("Suspend this card? It will not be shown again until it is unsuspended.", "Suspend"),
            confirmed,
        )

    def action_back(self) -> None:
        # Every answer is already saved (session.answer returns only once it is durable).
        self.dismiss()

    # -- mouse ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#reveal")
    def _reveal_clicked(self) -> None:
        self.action_reveal()

    @on(RatingBar.Rated)
    def _rated(self, event: RatingBar.Rated) -> None:
        self.action_rate(event.rating)
