"""Custom study: which cards (a deck, all decks, a tag), what kind of session (today's cards, cram,
today's mistakes) and its limits, chosen in one small form. The core checks the values."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.widgets._select import SelectOverlay

from hipquiz.core.decks import Deck
from hipquiz.core.study_options import OptionError, StudyOptions, all_tags, study_set
from hipquiz.tui import glyphs
from hipquiz.tui.widgets import KeyFooter

# An opened list never gets fewer rows than this (its border and at least one option).
MIN_LIST_ROWS = 3

KINDS = [
    ("Today's cards, as scheduled", "today"),
    ("Cram: practise, schedule unchanged", "cram"),
    ("Cram only today's mistakes", "mistakes"),
]


@dataclass(frozen=True)
class CustomStudy:
    """What the form asked for: the cards to study as one deck, and how."""

    deck: Deck
    options: StudyOptions


class CustomStudyModal(ModalScreen["CustomStudy | None"]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(self, decks: list[Deck], highlighted: Deck | None) -> None:
        super().__init__()
        self.decks = decks
        self.highlighted = highlighted or (decks[0] if decks else None)

    def compose(self) -> ComposeResult:
        scopes = [(f"This deck: {self.highlighted.name}", "deck")] if self.highlighted else []
        scopes.append(("All decks together", "all"))
        with VerticalScroll(id="custom-study"):
            yield Label("Cards")
            yield Select(scopes, value=scopes[0][1], allow_blank=False, id="scope", compact=True)
            yield Select([(tag, tag) for tag in all_tags(self.decks)], prompt="any tag", id="tag", compact=True)
            yield Label("Kind")
            yield Select(KINDS, value="today", allow_blank=False, id="kind", compact=True)
            yield Label("Limits (blank: none)")
            yield Input(placeholder="at most N cards", type="integer", id="limit", compact=True)
            yield Input(placeholder="at most M minutes", type="number", id="minutes", compact=True)
            yield Input(placeholder="N extra new cards today", type="integer", id="extra-new", compact=True)
            yield Input(placeholder="reviews due in the next N days", type="integer", id="ahead", compact=True)
            yield Static(id="custom-study-error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Start", variant="primary", id="start", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        box = self.query_one("#custom-study")
        box.border_title = "Custom study"
        self.query_one("#scope").focus()
        for select in self.query(Select):
            self.watch(select, "expanded", partial(self._opened, select), init=False)

    def _opened(self, select: Select, expanded: bool) -> None:
        """An opened list floats over the screen, as tall as its options: keep it inside the dialog's
        border (the list scrolls), with the select moved to the top of the dialog when little room
        is left below it. A height, not a look, so it is set here rather than in hipquiz.tcss."""
        if not expanded:
            return
        box = self.query_one("#custom-study")
        if box.content_region.bottom - select.region.bottom < MIN_LIST_ROWS:
            box.scroll_to_widget(select, top=True, animate=False)
        self.call_after_refresh(self._fit_list, select)

    def _fit_list(self, select: Select) -> None:
        listed = select.query_one(SelectOverlay)
        room = self.query_one("#custom-study").content_region.bottom - select.region.bottom
        listed.styles.max_height = max(MIN_LIST_ROWS, room)

    def _number(self, widget_id: str, kind: type) -> int | float | None:
        text = self.query_one(f"#{widget_id}", Input).value.strip()
        return kind(text) if text else None

    def _read(self) -> CustomStudy:
        scope = self.query_one("#scope", Select).value
        decks = list(self.decks) if scope == "all" or self.highlighted is None else [self.highlighted]
        tag = self.query_one("#tag", Select).value
        kind = self.query_one("#kind", Select).value
        try:
            options = StudyOptions(
                limit=self._number("limit", int),
                minutes=self._number("minutes", float),
                extra_new=self._number("extra-new", int) or 0,
                ahead_days=self._number("ahead", int) or 0,
                cram=kind in ("cram", "mistakes"),
                mistakes_only=kind == "mistakes",
            )
        except ValueError as exc:  # OptionError, or a half-typed number such as "-"
            raise OptionError(str(exc) if isinstance(exc, OptionError) else "a limit is not a number") from None
        return CustomStudy(study_set(decks, tag=tag if isinstance(tag, str) else None), options)

    @on(Input.Submitted)
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        try:
            chosen = self._read()
        except OptionError as exc:
            self.query_one("#custom-study-error", Static).update(f"{glyphs.WRONG} {exc}")
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
