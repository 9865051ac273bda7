"""Studying one deck: ask, check or reveal, rate; undo, bury and suspend. Saving is the session's job.

Each card is asked as the session's mode says (``session.ask``): flip cards are revealed and rated
by the user; checked types (choice, typed, select, order) are checked when answered, and the
rating they earned is pre-selected: Enter accepts it, 1-4 overrides it.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, AsyncIterator, Awaitable, Callable

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from hipquiz.core.decks import Card
from hipquiz.core.questions import FLIP, TYPES, Check, Question
from hipquiz.core.scheduler import format_interval
from hipquiz.core.session import StudySession
from hipquiz.core.errors import StoreError
from hipquiz.tui import collector, feedback
from hipquiz.tui.lifecycle import while_shown
from hipquiz.tui.question_ui import QuestionUI, ui_for
from hipquiz.tui.widgets import AnswerList, CardView, DrawingView, KeyFooter, RatingBar
from hipquiz.tui.widgets.card_view import show_text

if TYPE_CHECKING:
    from hipquiz.core.answers import GivenAnswer, Shown  # (imported with the first answer)
    from hipquiz.core.outcome import Outcome

CARD_ACTIONS = {"bury", "suspend"}
SUSPENDED = "Suspended (c on home unsuspends)"
# How long a confirmation (undone, buried, suspended) stays in the title bar.
NOTE_SECONDS = 4


@dataclass(frozen=True)
class _Answer:
    """A rating given, while it is saved."""

    given: GivenAnswer
    question: Question
    check: Check | None
    was_leech: bool

    @property
    def card(self) -> Card:
        return self.given.card


class StudyScreen(Screen):
    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        # After a checked answer: take the rating it earned.
        Binding("enter", "accept", "Accept"),
        Binding("space", "accept", "Accept", show=False),
        # The rating buttons show their keys (1-4), so the footer keeps its room for the others.
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        # Back comes before the rarer keys so that a narrow footer still shows it.
        # While a text box has focus, Textual leaves out bindings of printable keys (q, u, b, !):
        # the footer then shows the second key of each action (Esc, Ctrl+Z, Ctrl+B, Ctrl+O), which
        # works while typing. The footer shows one key per action, the first one active.
        # Ctrl+O for suspend: the text box takes Ctrl+A/E/D/K/U/W/X/C/V, terminals Ctrl+S/Q (flow
        # control), and Ctrl+H/I/J/M arrive as Backspace, Tab and Enter.
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("b", "bury", "Bury"),
        Binding("ctrl+b", "bury", "Bury"),
        Binding("exclamation_mark", "suspend", "Suspend"),
        Binding("ctrl+o", "suspend", "Suspend"),
    ]

    # Textual's Screen.focused, without its repaint: a focus change drew the whole screen a second
    # time in the frame (Screen.refresh), twice a checked card, when what depends on the focus is
    # restyled and repainted by the widgets that gain and lose it. Its watcher (the footer's keys)
    # still runs. Pinned by tests/tui/test_focus_repaint.py.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, session: StudySession) -> None:
        super().__init__()
        self.session = session
        self.card: Card | None = None
        self.question: Question | None = None
        # The verdict on a checked answer, and the rating it earned (None for flip cards).
        self.check: Check | None = None
        self.suggested: int | None = None
        self._outcomes: dict[int, Outcome] = {}
        self._shown_at = self.session.now()
        self._duration_ms: int | None = None
        # True while the answer's follow-ups (keep an alias? a leech?) are asked in modals.
        self._busy = False
        # The answer being saved (in a thread worker). The next card is shown meanwhile; what
        # would touch the store (another rating, undo, bury, suspend, leaving, the summary) waits
        # until the save is confirmed: answers are saved one at a time, in order.
        self._saving: _Answer | None = None
        self._after_save: Callable[[], Awaitable[None]] | None = None
        self._leave_when_saved = False
        self._finish_when_saved = False
        self._note_timer: Timer | None = None
        # A note about the card on screen ("Undone: the card is back") goes when another is shown.
        self._note_is_about_card = False
        self._revealed = False
        self._button = True
        # The question shown is asked in words, its drawing too big for the room (_words_if_too_small).
        self._words_instead = False
        # False until the rest of the screen is mounted after the first frame (see _complete).
        self._ready = False
        self._resumed = False
        # Whether every view of the drawings is ready to draw (see _between_keys).
        self._views_ready = False

    def _set_revealed(self, revealed: bool, *, button: bool = True) -> None:
        """Show the rating bar once the answer is out, else the reveal/check button (if the type
        has one). By display, not a class: a class restyles the bar and its four buttons (a few ms,
        twice a card), and display is all that changes."""
        self._revealed = revealed
        self._button = button
        if not self._ready:
            return  # the buttons are not mounted yet: _complete shows them as this says
        reveal, ratings = self.query_one("#reveal"), self.query_one("#ratings")
        if reveal.display != (button and not revealed):
            reveal.display = button and not revealed
        # A question asked on a drawing keeps the bar's room, the bar hidden, until its answer is
        # shown: the drawing keeps its size (it was laid out again, smaller, its numbers moved, and
        # drawn afresh under the answer).
        room = revealed or self._keeps_bar_room
        if ratings.display != room:
            ratings.display = room
        visibility = "visible" if revealed else "hidden"
        if ratings.styles.visibility != visibility:
            ratings.styles.visibility = visibility

    @property
    def _keeps_bar_room(self) -> bool:
        """Whether the question shown keeps the rating bar's room (see _set_revealed): one asked on
        a drawing, or in words where the drawing did not fit."""
        return not self._button and ("drawing" in self._ui.widgets or self._words_instead)

    def _show_buttons(self) -> None:
        """The reveal/check button and the rating bar as a new question needs them (the bar, hidden
        until the answer is out, gets its suggestion then: clearing it here restyled a button)."""
        self._set_revealed(self._revealed, button=self._button)
        self.query_one("#reveal", Button).label = self._ui.button_label

    @property
    def revealed(self) -> bool:
        return self._revealed

    def compose(self) -> ComposeResult:
        # What the first frame shows: the title bar and the question (the card view adds the
        # widgets it is answered with). The rest is mounted once that frame is drawn (_complete):
        # each widget less in that frame is ~0.3 ms less before the first card.
        with Horizontal(classes="title-bar"):
            extra = self.session.options.describe()
            yield Static(self.session.deck.name + (f" · {extra}" if extra else ""), markup=False, id="deck-name")
            # The card's tags and the note (both empty, so without width, for a first card) come
            # with the rest: see _title_parts.
            yield Static(id="progress")
        yield CardView(id="card")

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual restyles every widget of a screen when it is resumed, also when it is shown for
        # the first time, a moment after they were all styled (2-3 ms of the first card): not then.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

    def _refresh_layout(self, size: Size | None = None, scroll: bool = False) -> None:
        # Textual 8.2.8 (Screen._refresh_layout, Compositor.update_widgets and reflow): a widget to
        # repaint that is not on screen yet (the verdict or the rating bar an answer shows) marks
        # the compositor's map of the whole screen stale, and the reflow that follows makes a
        # fresh one without saying so: the first widget asking for its region then laid the whole
        # screen out a second time (1-2 ms a card). A full reflow lays out every widget and paints
        # those that move, appear or change: it needs no repaints of widgets not yet on screen.
        # tests/tui/test_answer_path.py pins this.
        # Only when Textual reflows: it returns first for an empty size (an inline app, a terminal
        # of no rows), and a map marked fresh then would stay stale.
        laid_out = (self.outer_size if size is None else size) and not self.app.is_inline
        if laid_out and not (scroll and not self._layout_widgets):
            compositor = self._compositor
            self._dirty_widgets.intersection_update(compositor.visible_widgets)
            compositor._full_map_invalidated = False  # the reflow makes it afresh
        super()._refresh_layout(size, scroll)

    async def on_mount(self) -> None:
        await self._advance()  # which focuses the card, or the widget it is answered with
        short = self.has_class("-short")
        # The reveal button's rows, or the rating bar's (see _set_revealed).
        button_rows = 0 if self._revealed else (1 if short else 3) if self._button else \
            (1 if short else 4) if self._keeps_bar_room else 0
        # Room for what is mounted after the first frame (see _complete; and the footer's row),
        # so that the card is laid out once at its final size: a drawing that fits only until the
        # buttons come would be redrawn, or swapped for words, under keys already pressed.
        self.styles.padding = (0, 0, button_rows + 1, 0)
        # Queued behind the ScreenResume Textual posted when it pushed the screen, which lays the
        # screen out and writes its first frame: the rest comes right after (call_after_refresh
        # would wait a frame or two of Textual's refresh timer).
        self.call_later(self._complete)

    @property
    def ready(self) -> bool:
        """Whether the screen is complete. Until then the app holds the keys pressed, and hands
        them on in order once it is (see HipquizApp.on_event)."""
        return self._ready

    @while_shown
    async def _complete(self) -> None:
        """Mount what the first frame went without: the reveal button, the rating bar, the footer
        and the card view's other widgets, below what is on screen (nothing drawn moves)."""
        if self._ready:
            return
        reveal = Button(self._ui.button_label, id="reveal", compact=True)
        reveal.can_focus = False
        footer = KeyFooter()
        await self.mount_all([reveal, RatingBar(id="ratings"), footer])
        self.styles.padding = None  # the room kept for them
        await self._title_parts()
        await self.query_one(CardView).complete()
        self._ready = True
        if self.card is not None:
            self._show_buttons()
        self.refresh_bindings()
        await footer.fill()  # its keys in the same frame as the rest
        self.app.release_keys()
        self.call_after_refresh(self._shown)

    async def _title_parts(self, tags_only: bool = False) -> None:
        """Mount the card's tags and the note in the title bar, if not yet: the first frame goes
        without them, unless the first card has tags (see _ask)."""
        title = self.query_one(".title-bar")
        parts = [] if title.query_children("#card-tags") else [Static(id="card-tags")]
        if not tags_only:
            parts.append(Static(id="note", markup=False))
        if parts:
            await title.mount_all(parts, before="#progress")

    def _shown(self) -> None:
        collector.freeze_what_lasts()
        collector.collect_between_keys()
        self.app.first_screen_shown()

    def on_unmount(self) -> None:
        collector.collect_as_usual()

    # -- showing cards -------------------------------------------------------------------------

    @while_shown  # also called by a follow-up's finally and by modal callbacks
    async def _advance(self) -> None:
        card = self.session.next_card()
        if card is None:
            self.card = None
            if self._saving is None:
                self._finish()
            else:
                self._finish_when_saved = True  # the summary reads the store
        else:
            await self._show(card)

    async def _show(self, card: Card) -> None:
        self.card = card
        self._words_instead = False
        if self._note_is_about_card:
            self._clear_note()
        # A card whose answer was shown before an undo comes back with it, to be rated only.
        shown = self.session.shown(card)
        await self._ask(shown.question if shown is not None else self.session.ask(card))
        if shown is not None:
            self._show_again(shown)

    async def _ask(self, question: Question) -> None:
        """Show a question about the current card, its answer hidden."""
        card = question.card
        self.question = question
        self.check = None
        self.suggested = None
        self._outcomes = {}
        self._duration_ms = None
        view = self.query_one(CardView)
        # A flip card in another mode (it has no form of the type asked): its instruction says so.
        ui = self._ui
        await view.show(question, ui.key_hint, feedback.region_words(card),
                        explain_flip=self.session.mode != question.kind, ui=ui)
        self._set_revealed(False, button=bool(ui.button_label))
        if self._ready:
            self._show_buttons()
        progress = self.session.known_progress(card)  # None for a new card: no marks
        leech = progress is not None and progress.leech
        relearn = progress is not None and progress.relearn
        labels = (["answer changed: learn it again"] if relearn else []) + (["leech"] if leech else [])
        if labels and not self._ready:
            await self._title_parts(tags_only=True)  # in the first frame
        if labels or self._ready:
            tags = self.query_one("#card-tags", Static)
            show_text(tags, " · ".join(labels))  # mostly none, card after card
            tags.set_class(leech, "-leech")
        view.focus_answer()
        self._shown_at = self.session.now()
        self._update_progress()
        self.refresh_bindings()

    def _show_again(self, shown: Shown) -> None:
        """Show the verdict (or the flipped answer) the card had when it was undone."""
        if shown.check is None:
            self._show_answer(record=False)
            return
        self._show_check(shown.check, shown.response, shown.seconds)

    @property
    def _ui(self) -> QuestionUI:
        return ui_for(self.question.kind if self.question else FLIP, self.session.mode)

    @property
    def _self_rated(self) -> bool:
        return self.question is not None and TYPES[self.question.kind].self_rated

    def _update_progress(self) -> None:
        summary = self.session.summary
        new, learning, due = self.session.remaining_parts()
        if self.session.options.cram:
            left = f"{new + learning} to practise"
        else:
            # As Anki counts: an answered new card moves to learning, so the counts move every answer.
            left = " ".join(f"{n} {word}" for n, word in ((new, "new"), (learning, "learn"), (due, "due")) if n)
        self.query_one("#progress", Static).update(f"{left or 'none left'} · {summary.reviewed} done")

    def _finish(self) -> None:
        # The modals and the summary are imported when first shown, not before the first card.
        from hipquiz.tui.screens.summary import SummaryScreen

        self.card = None
        self.app.push_screen(SummaryScreen(self.session.finish()), self._after_summary)

    @while_shown
    async def _after_summary(self, result: str | None) -> None:
        if result == "undo" and self.session.can_undo:
            await self.action_undo()
        else:
            self.dismiss()

    # -- answering -----------------------------------------------------------------------------

    def _submit(self, response: object) -> None:
        """Check an answer to the current question and show the verdict and the earned rating."""
        question, card = self.question, self.card
        if question is None or card is None or self.revealed or self._self_rated:
            return
        view = self.query_one(CardView)
        seconds = max((self.session.now() - self._shown_at).total_seconds(), 0.0)
        try:
            check = self.session.check(question, response, seconds)
        except ValueError as exc:
            # Unreadable input ("5 is not an option"): say so and let the user try again.
            view.show_verdict(Content.assemble(("! ", "bold"), str(exc)), "error")
            return
        self._show_check(check, response, seconds)

    def _show_check(self, check: Check, response: object, seconds: float) -> None:
        question, card = self.question, self.card
        assert question is not None and card is not None
        view = self.query_one(CardView)
        self._duration_ms = round(seconds * 1000)
        self.check = check
        self.suggested = self.session.suggested_rating(check, seconds, card)
        ui = self._ui
        ui.show_check(view, question, check, response)
        view.show_verdict(ui.verdict(question, check), "right" if check.correct else "wrong")
        view.show_suggestion(feedback.suggestion(self.suggested))
        self._reveal()

    def _reveal(self) -> None:
        assert self.card is not None
        # The previewed outcome is the one given, so the buttons show exactly what a rating does.
        self._outcomes = self.session.preview(self.card)
        bar = self.query_one(RatingBar)
        # Cram leaves the schedule alone: the waits a rating would give elsewhere do not apply.
        cram = self.session.options.cram
        bar.show({rating: "" if cram else format_interval(outcome.interval)
                  for rating, outcome in self._outcomes.items()}, self.suggested)
        view = self.query_one(CardView)
        view.revealed = True
        self._set_revealed(True)
        focused = self.focused
        # The options list or the drawing, locked once answered, passes every key on to the card
        # (scrolling) and the screen (rating): it keeps the focus. Moving it to the card and back
        # restyled and redrew both, and posted their Focus and Blur events, twice a card.
        if not (isinstance(focused, (AnswerList, DrawingView)) and focused.locked):
            view.focus()
        self.refresh_bindings()

    @asynccontextmanager
    async def _one_frame(self) -> AsyncIterator[None]:
        """Draw what the block changes in one frame. The widgets it changes ask for their new
        sizes and looks on their own next turn of the event loop; a frame drawn in between (the
        screen's frame timer is due at any moment) showed part of the change, such as the next
        question in the last one's layout, and the rest waited a frame or two for the next."""
        with self.app.batch_update():
            yield
            await asyncio.sleep(0)  # their turn: each posts its layout and repaint to the screen
        self.check_idle()  # a frame held back by the batch is drawn now
        self.call_after_refresh(self._between_keys)  # once it is drawn

    def _between_keys(self) -> None:
        """Once a key's frame is drawn, while the next question is read: what would otherwise fall
        inside a later key's frame. A full collection due (collector.collect_if_due), and one
        more view of the drawings made ready (the first question or answer drawn on each view
        worked out its shades under its key; the first in a session read the atlas, ~40 ms)."""
        collector.collect_if_due()
        if not self._views_ready:
            from hipquiz.core import figures  # (loaded with the question types)

            self._views_ready = not figures.prepare_a_view()

    @on(AnswerList.Submitted)
    async def _list_answered(self, event: AnswerList.Submitted) -> None:
        async with self._one_frame():
            self._submit(event.response)

    @on(DrawingView.Picked)
    async def _region_picked(self, event: DrawingView.Picked) -> None:
        if self.question is None or self.revealed:
            return
        response = self._ui.picked(self.question, event.terms)
        if response is not None:
            async with self._one_frame():
                self._submit(response)

    @on(DrawingView.Fitted)
    def _drawing_fitted(self, event: DrawingView.Fitted) -> None:
        if not event.fits:
            # Checked once the layout has settled: a passing size while the screen is laid out
            # must not turn a picture question into words.
            self.call_after_refresh(self._words_if_too_small, event.drawing)

    async def _words_if_too_small(self, drawing: DrawingView) -> None:
        if self.question is None or self.revealed or drawing.fits or not drawing.display:
            return
        words = self._ui.words_instead(self.question)
        if words is not None:
            self._words_instead = True  # in the drawing's room: the card keeps its size
            await self._ask(words)

    @on(AnswerList.NumberTyped)
    def _number_typed(self, event: AnswerList.NumberTyped) -> None:
        self._ui.number_typed(self.query_one(CardView), event.text)

    @on(Input.Submitted)
    async def _text_submitted(self, event: Input.Submitted) -> None:
        if event.input.parent is not self.query_one(CardView):
            return
        async with self._one_frame():
            if self._self_rated:
                self._show_answer()
            else:
                self._submit_current()

    def _submit_current(self) -> None:
        """The Check button, or Enter in an answer box: submit whatever the answer widgets hold."""
        if self.question is None or self._self_rated:
            return
        try:
            response = self._ui.response(self.query_one(CardView))
        except ValueError as exc:
            # Unreadable input ("5 is not an option"): say so and let the user try again.
            self.query_one(CardView).show_verdict(Content.assemble(("! ", "bold"), str(exc)), "error")
            return
        self._submit(response)

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._busy:
            return action == "back"
        if action == "reveal":
            return self.card is not None and not self.revealed and self._self_rated
        if action == "accept":
            return self.card is not None and self.revealed and self.suggested is not None
        if action == "rate":
            return self.card is not None and self.revealed
        if action in CARD_ACTIONS:
            return self.card is not None
        if action == "undo":
            return True  # even with nothing to undo: the key then says so (a greyed key said nothing)
        return True

    async def action_reveal(self) -> None:
        async with self._one_frame():
            self._show_answer()

    def _show_answer(self, record: bool = True) -> None:
        """A flip card's answer (and what was written for it), to be rated."""
        if self.card is None or self.question is None or self.revealed or not self._self_rated:
            return
        view = self.query_one(CardView)
        shown = self.session.shown(self.card)
        written = shown.response if shown is not None and not record else self._ui.response(view)
        if record:
            self.session.reveal(self.question, written or "")
        if written:
            view.show_verdict(Content.assemble("You wrote: ", (written, "bold")))
        self._reveal()

    async def action_accept(self) -> None:
        if self.suggested is not None:
            await self.action_rate(self.suggested)

    def _wait_for_save(self, action: Callable[[], Awaitable[None]]) -> bool:
        """True if an answer is being saved: then ``action`` (a key's) runs once it is saved, unless
        the save fails (the card it was meant for has then made way for the unsaved one). One key
        is kept: a second within the few milliseconds of a save is ignored."""
        if self._saving is None:
            return False
        if self._after_save is None:
            self._after_save = action
        else:
            self.app.bell()
        return True

    async def action_rate(self, rating: int) -> None:
        card, question, check = self.card, self.question, self.check
        if card is None or not self.revealed or question is None or self._busy:
            return
        if self._wait_for_save(lambda: self.action_rate(rating)):
            return
        if self._duration_ms is None:
            # Flip cards: the time to recall and reveal is the time until the rating.
            duration_ms = round(max((self.session.now() - self._shown_at).total_seconds(), 0.0) * 1000)
        else:
            duration_ms = self._duration_ms
        was_leech = self.session.progress(card).leech
        # The session moves on at once and the answer's fsyncs run in a thread: the next card is
        # on screen while the answer is written (see _saved for what waits for it).
        given = self.session.give(card, rating, duration_ms=duration_ms, question_type=question.kind)
        answer = _Answer(given, question, check, was_leech)
        self._saving = answer
        self._save_answer(given)
        if self._follow_up_for(answer) is not None:
            # A question about the answer (keep an alias? a leech?) is asked once it is saved.
            self._busy = True
            self.refresh_bindings()
        else:
            async with self._one_frame():
                await self._advance()

    @work(thread=True, group="save", exit_on_error=False)
    def _save_answer(self, given: GivenAnswer) -> None:
        self.session.save(given)

    def _follow_up_for(self, answer: _Answer) -> tuple[str, Outcome | None] | None:
        """What to ask after an answer: a typed answer rated right to keep, a new leech; None if nothing."""
        question, check, outcome = answer.question, answer.check, answer.given.outcome
        typed = check.given.strip() if check is not None and TYPES[question.kind].written else ""
        offer_alias = bool(typed) and check is not None and not check.correct \
            and answer.given.review.rating >= 2 and self.session.can_keep_alias(question, typed)
        leech = outcome.progress.leech and not answer.was_leech
        if not (offer_alias or leech):
            return None
        return (typed if offer_alias else "", outcome if leech else None)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "save" and event.worker.is_finished and self._saving is not None:
            await self._saved(event.worker)

    @while_shown
    async def _saved(self, worker: Worker) -> None:
        answer, self._saving = self._saving, None
        after, self._after_save = self._after_save, None
        leave, self._leave_when_saved = self._leave_when_saved, False
        finish, self._finish_when_saved = self._finish_when_saved, False
        assert answer is not None
        if worker.state == WorkerState.SUCCESS:
            follow_up = self._follow_up_for(answer)
            if leave:
                self.dismiss()
            elif follow_up is not None:
                self._follow_up(answer.card, *follow_up)
            elif finish:
                self._finish()
            elif after is not None:
                await after()
        elif isinstance(worker.error, StoreError):
            # Not saved: say so and bring the card back with its answer shown, to be rated again.
            self._busy = False
            card = self.session.withdraw(answer.given)
            self._not_saved(worker.error)
            await self._show(card)
        elif worker.error is not None:
            raise worker.error  # a bug: the app's crash report, not a toast

    @work(exclusive=True, group="follow-up")
    async def _follow_up(self, card: Card, typed: str, leech: Outcome | None) -> None:
        """Ask what to do after an answer: keep a typed answer as an alias; deal with a new leech."""
        from hipquiz.tui.screens.confirm import ConfirmModal  # (see _finish)
        from hipquiz.tui.screens.leech import DRILL, SUSPEND, CompareModal, LeechModal

        try:
            if typed:
                keep = await self.app.push_screen_wait(ConfirmModal(
                    f"You rated “{typed}” as right. Accept it from now on as an answer "
                    f"meaning “{card.answer}”?",
                    "Keep it", yes_variant="primary", no_label="No", focus_no=True))
                if keep:
                    try:
                        self.session.accept_alias(card, typed)
                    except StoreError as exc:
                        self._not_saved(exc)
                    else:
                        self._say(f"“{typed}” is now accepted")
            if leech is not None:
                partner = self.session.leech_partner(card)
                choice = await self.app.push_screen_wait(LeechModal(card, leech.progress.lapses, partner))
                if choice == SUSPEND:
                    try:
                        self.session.suspend(card)
                    except StoreError as exc:
                        self._not_saved(exc)
                    else:
                        self._say(SUSPENDED)
                elif choice == DRILL and partner is not None:
                    await self.app.push_screen_wait(CompareModal(card, partner))
                    self.session.drill(card, partner)
        finally:
            self._busy = False
            await self._advance()

    def _say(self, text: str, *, about_card: bool = False) -> None:
        """A short confirmation in the title bar for a few seconds: a toast would cover the
        answer and rating buttons the next key goes to. One ``about_card`` goes sooner, when
        another card is shown."""
        self._note_is_about_card = about_card
        note = self.query_one("#note", Static)
        note.update(text)
        note.add_class("-shown")
        # On a narrow terminal (under 60 columns) the note and the progress do not fit side by
        # side: the note, there for a few seconds, takes the progress's place (hipquiz.tcss),
        # rather than cut it to "20 new · 0 d".
        self.query_one(".title-bar").add_class("-noted")
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(NOTE_SECONDS, self._clear_note)

    def _clear_note(self) -> None:
        self._note_is_about_card = False
        if self.is_attached:  # the screen may have been left while the timer ran
            self.query_one("#note", Static).remove_class("-shown")
            self.query_one(".title-bar").remove_class("-noted")

    def _not_saved(self, exc: Exception) -> None:
        self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)

    async def action_undo(self) -> None:
        if self._wait_for_save(self.action_undo):
            return
        try:
            card = self.session.undo()
        except (StoreError, RuntimeError) as exc:
            self._not_saved(exc)
            return
        if card is None:
            self._say("Nothing to undo in this session")
            return
        await self._show(card)
        self._say("Undone: the card is back", about_card=True)

    async def action_bury(self) -> None:
        if self.card is None or self._wait_for_save(self.action_bury):
            return
        try:
            self.session.bury(self.card)
        except StoreError as exc:
            self._not_saved(exc)
            return
        self._say("Buried until tomorrow")
        await self._advance()

    async def action_suspend(self) -> None:
        if self.card is None or self._wait_for_save(self.action_suspend):
            return
        card = self.card

        async def confirmed(yes: bool | None) -> None:
            if yes and self.card is card:
                try:
                    self.session.suspend(card)
                except StoreError as exc:
                    self._not_saved(exc)
                    return
                self._say(SUSPENDED)
                await self._advance()

        from hipquiz.tui.screens.confirm import ConfirmModal  # (see _finish)

        self.app.push_screen(
            ConfirmModal("Suspend this card? It will not be shown again until it is unsuspended.", "Suspend"),
            confirmed,
        )

    def action_back(self) -> None:
        if self._saving is not None:
            # Esc right after a rating: leave once the answer is saved (or stay, saying it was not).
            self._leave_when_saved = True
            return
        # Every answer is already saved (session.answer returns only once it is durable). Only an
        # answer being typed would be lost: Esc then asks, and "Keep typing" keeps the text.
        typed = self.query("#typed").first(Input) if self.query("#typed") else None
        if typed is not None and typed.has_focus and typed.value.strip() and not self.revealed:
            from hipquiz.tui.screens.confirm import ConfirmModal  # (see _finish)

            def leave(yes: bool | None) -> None:
                if yes:
                    self.dismiss()
                else:
                    typed.focus()

            self.app.push_screen(ConfirmModal("Leave this deck? What you typed has not been checked.",
                                              "Leave", no_label="Keep typing"), leave)
            return
        # A follow-up about to ask its question (Esc right after the rating) must not ask it elsewhere.
        self.workers.cancel_group(self, "follow-up")
        self.dismiss()

    # -- mouse ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#reveal")
    async def _reveal_clicked(self) -> None:
        async with self._one_frame():
            if self._self_rated:
                self._show_answer()
            else:
                self._submit_current()

    @on(RatingBar.Rated)
    async def _rated(self, event: RatingBar.Rated) -> None:
        await self.action_rate(event.rating)
