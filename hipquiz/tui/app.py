"""The Textual app: wires the screens to the core (decks, study session, store). Nothing more."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Callable, Sequence

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from hipquiz.core.decks import Deck, DeckLibrary
from hipquiz.core.model import utc_now
from hipquiz.core.questions import FLIP, MODES, GradeThresholds
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession, deck_counts
from hipquiz.core.errors import StoreError
from hipquiz.tui.formatting import due_words
from hipquiz.tui.screens.help import HelpModal
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen
from hipquiz.tui.screens.too_small import TooSmallModal, too_small


class HipquizApp(App[int]):
    CSS_PATH = "hipquiz.tcss"
    TITLE = "hipquiz"
    ENABLE_COMMAND_PALETTE = False
    # Screens get -narrow/-wide and -short/-tall classes; hipquiz.tcss squeezes the layout when small.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        # "?" is a character in a typed answer; F1 reaches help from there too.
        Binding("f1", "help", "Help", show=False),
        # Ctrl+C quits, as people expect in a terminal; every answer is already saved. A priority
        # binding, or a focused text box (typed answers) would take it as "copy".
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, *, library: DeckLibrary, store: Any, settings: SchedulerSettings,
                 start_deck: Deck | None = None, start_study: bool = False,
                 now: Callable[[], datetime] = utc_now, rng: random.Random | None = None,
                 warnings: Sequence[str] = (), thresholds: GradeThresholds | None = None) -> None:
        """``rng`` picks question types and shuffles options (tests pass a seeded one);
        ``warnings`` (deck files skipped for their problems) are shown when the app opens."""
        super().__init__()
        self.warnings = tuple(warnings)
        self.thresholds = thresholds or GradeThresholds()
        self.rng = rng
        self.library = library
        self.store = store
        self.scheduler = Scheduler(settings)
        self.now = now
        self.start_deck = start_deck
        self.start_study = start_study

    @property
    def cursor_blink(self) -> bool:
        """Whether text inputs should blink their cursor: not under tests, so snapshots are stable."""
        return not self.is_headless

    def get_default_screen(self) -> Screen:
        return HomeScreen(highlight=self.start_deck)

    def on_mount(self) -> None:
        if self.warnings:
            self.notify("\n".join(self.warnings) + "\nCheck a file with 'hipquiz validate FILE'.",
                        title="Deck files skipped", severity="warning", timeout=20, markup=False)
        if self.start_study:
            deck = self.start_deck or self._first_deck_to_study()
            if deck is not None:
                self.study(deck)
            else:
                self.notify("Nothing to study right now.")

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size.width, event.size.height
        covering = isinstance(self.screen, TooSmallModal)
        if too_small(width, height):
            if covering:
                self.screen.update_size(width, height)
            else:
                self.clear_notifications()  # a toast would cover the one line that matters now
                self.push_screen(TooSmallModal())
        elif covering:
            self.pop_screen()

    def _first_deck_to_study(self) -> Deck | None:
        now = self.now()
        for deck in self.library.decks:
            if deck_counts(deck, self.store, self.scheduler, now).to_study:
                return deck
        return None

    def study(self, deck: Deck) -> None:
        """Open a study session on a deck, or say when it has nothing to show now."""
        session = StudySession(deck, self.store, self.scheduler, self.now, mode=self.mode, rng=self.rng,
                               thresholds=self.thresholds)
        if session.next_card() is None:
            when = due_words(session.next_due(), self.now())
            self.notify(f"Nothing to study in this deck now{': ' + when if when else ''}.",
                        title=deck.name, markup=False)
            return
        self.push_screen(StudyScreen(session))

    @property
    def mode(self) -> str:
        """How cards are asked: the saved setting ("flip" when unset or unknown)."""
        mode = self.store.get_setting("mode", FLIP)
        return mode if mode in MODES else FLIP

    def set_mode(self, mode: str) -> bool:
        """Save the mode for this and later runs; False (and a message) if it could not be saved."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        try:
            self.store.set_setting("mode", mode)
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal())
