"""The Textual app: wires the screens to the core (decks, study session, store). Nothing more."""

from __future__ import annotations

import importlib
import io
import random
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from rich.console import Console
from textual import constants, events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import Initialize, Reactive
from textual.screen import Screen

from hipquiz.core.collection import Collection
from hipquiz.core.decks import Deck
from hipquiz.core.questions import FLIP, MODE_LABELS, MODES, mode_called
from hipquiz.core.study_options import StudyOptions, all_tags, study_set
from hipquiz.core.errors import StoreError
from hipquiz.core.session import StudySession
from hipquiz.core.untrusted import printable
from hipquiz.tui import collector, glyphs, thread_switching
from hipquiz.tui.formatting import due_words
from hipquiz.tui.screens.too_small import TooSmallModal, too_small

if TYPE_CHECKING:
    from hipquiz.tui.screens.home import HomeScreen
    from hipquiz.tui.screens.study import StudyScreen

STUDY_MODULE = "hipquiz.tui.screens.study"


def is_study_screen(screen: object) -> bool:
    """Whether ``screen`` is a study screen. The home screen's start does not import their module
    (with its widgets, ~5 ms; tests/tui/test_start_imports.py): until it is imported, none is."""
    module = sys.modules.get(STUDY_MODULE)
    return module is not None and isinstance(screen, module.StudyScreen)


def starting_theme(saved: object, color_system: str | None, available) -> str | None:
    """The theme to open with: the one the user chose, else on a 16-colour terminal the ANSI theme
    (the default theme's tints all become plain white there, so right and wrong, Again and Hard
    would look alike), else Textual's default (None)."""
    if isinstance(saved, str) and saved in available:
        return saved
    if color_system in ("standard", "windows"):
        return "ansi-dark"
    return None


STYLESHEET = Path(__file__).with_name("hipquiz.tcss")
# A line that starts a part of hipquiz.tcss: "/* == home: ...".
PART_MARK = re.compile(r"^/\* == (\w+):", re.MULTILINE)


def stylesheet_parts(text: str) -> dict[str, str]:
    """hipquiz.tcss by part: "" (what every screen needs, above the first part's line), "home",
    "study", "later". Each part keeps its lines' numbers (blank lines stand for those before it),
    so that a mistake in it is reported at its line of the file."""
    marks = list(PART_MARK.finditer(text))
    starts = [(0, "")] + [(mark.start(), mark.group(1)) for mark in marks]
    ends = [start for start, _name in starts[1:]] + [len(text)]
    return {name: "\n" * text.count("\n", 0, start) + text[start:end]
            for (start, name), end in zip(starts, ends)}


# The work that waits for the first screen (the other screens' CSS, the backup, fsrs and the
# lexicon loaded) starts this long after it is complete: the footer's keys are drawn a frame or two
# after the rest, and a thread importing fsrs would hold them back. Anything that needs one of them
# sooner (a rating, a screen opened) loads it then.
SETTLE_SECONDS = 0.2
# The longest keys wait for a screen a key asked for (see hold_keys_for_next_screen): it comes within
# a frame or two; this only keeps keys from waiting for ever should it not.
SCREEN_WAIT_SECONDS = 1.0


class HipquizApp(App[int]):
    # hipquiz.tcss, in parts (not CSS_PATH; see stylesheet_parts): CSS parsing is the largest part
    # of drawing the first card, and only the common rules and the first screen's are needed for it.
    # The saved theme is the app's theme from its first style on: set once the app runs, it makes
    # Textual parse all the CSS again and restyle every widget (~25 ms of a cold start). App.__init__
    # reads it for the CSS variables, so HipquizApp.__init__ notes the saved one before calling it.
    theme: Reactive[str] = Reactive(Initialize(lambda app: app._first_theme()))
    TITLE = "hipquiz"
    # Ctrl+P: study a deck or a tag, cram, statistics, cards, mode, theme, help (get_system_commands).
    ENABLE_COMMAND_PALETTE = True
    # Screens get -narrow/-wide and -short/-tall classes; hipquiz.tcss squeezes the layout when small.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        # "?" is a character in a typed answer; F1 reaches help from there too.
        # Shown: the footer shows one key per action, so F1 appears while typing hides "?".
        Binding("f1", "help", "Help"),
        # Ctrl+C quits, as people expect in a terminal; every answer is already saved. A priority
        # binding, or a focused text box (typed answers) would take it as "copy".
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, *, collection: Collection, start_deck: Deck | None = None, start_study: bool = False,
                 rng: random.Random | None = None, warnings: Sequence[str] = (),
                 start_options: StudyOptions | None = None, notices: Sequence[str] = ()) -> None:
        """``collection`` is the decks and progress (the app never holds the raw store); ``rng``
        picks question types and shuffles options (tests pass a seeded one); ``warnings`` (deck
        files skipped for their problems) and ``notices`` (what opening the progress mended) are
        shown when the app opens."""
        self._saved_theme = collection.get_setting("theme", None)
        super().__init__()
        # The parts of hipquiz.tcss not parsed yet: what every screen needs now, a first screen's
        # part when it is made (_prepared), the rest once the first screen is up.
        self._css_parts = stylesheet_parts(STYLESHEET.read_text(encoding="utf-8"))
        self._add_css("")
        # _first_theme foresaw the console's colour system; should Textual's console see another,
        # its theme is set now, at the price of a whole-CSS refresh as the app starts.
        theme = starting_theme(self._saved_theme, self.console.color_system, self.available_themes)
        if theme is not None and theme != self.theme:
            self.theme = theme
        self.warnings = tuple(warnings)
        self.notices = tuple(notices)
        self.rng = rng
        self.collection = collection
        self.library = collection.library
        self.scheduler = collection.scheduler
        self.now = collection.now
        self.start_deck = start_deck
        self.start_study = start_study
        self.start_options = start_options
        # A bug met inside the app, for ``hipquiz`` to report as any other (see _handle_exception).
        self.crashed: Exception | None = None
        # Keys pressed while the study screen is still being put together (see on_event).
        self._held_keys: list[events.Key] = []
        self._screen_coming = False  # (see hold_keys_for_next_screen)
        self._started_after_first_screen = False

    async def on_event(self, event: events.Event) -> None:
        """Keys pressed while the study screen on top is not complete yet (its first frame is drawn
        before its buttons, footer and the card's other widgets are mounted), or while a screen a
        key asked for is on its way (see hold_keys_for_next_screen), wait, and are handed on in the
        order pressed once it is: none lost, none taken by a half-built or departing screen."""
        if isinstance(event, events.Key) and self._exit:
            # Quitting (q pressed with more keys behind it): a screen opened now would be put
            # together while the app closes, and fail.
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event.key == "ctrl+j":
                # Enter pressed before Textual put the terminal in raw mode (the first fraction of
                # a second) reaches it as a newline, read as Ctrl+J: the Enter it was. hipquiz binds
                # nothing to Ctrl+J, so one pressed later means the same.
                event = events.Key("enter", "\r")
            if self._holding_keys():
                self._held_keys.append(event)
                return
            await self._release_keys()  # those held go first
        elif isinstance(event, events.Key) and self._screen_coming:
            # A key coming back up from the screen Enter leaves, its bindings not yet run (Textual
            # runs them on the way back): kept as a new key for the screen to come, not run there.
            self._held_keys.append(events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def _holding_keys(self) -> bool:
        return self._screen_coming or (is_study_screen(self.screen)
                                       and not self.screen.ready)  # type: ignore[attr-defined]

    def hold_keys_for_next_screen(self) -> None:
        """A key asked for another screen that comes through messages (a deck chosen with Enter):
        the keys typed behind it wait for it (an answer typed at once is the card's, not the home
        screen's commands), until a screen is pushed, the app says there is nothing to open, or,
        should neither happen, for at most SCREEN_WAIT_SECONDS."""
        self._screen_coming = True
        self.set_timer(SCREEN_WAIT_SECONDS, self._screen_came)

    def _screen_came(self) -> None:
        if self._screen_coming:
            self._screen_coming = False
            self.release_keys()

    def release_keys(self) -> None:
        """Hand on the keys held for a screen that is now complete (through the app's queue)."""
        self.call_later(self._release_keys)

    async def _release_keys(self) -> None:
        while self._held_keys and not self._holding_keys():
            await super().on_event(self._held_keys.pop(0))

    def _handle_exception(self, error: Exception) -> None:
        """Textual prints a traceback and exits 1 on a bug in the app; hipquiz promises one line
        naming a crash report and exit 70, so the error is kept for the command to report."""
        if self.crashed is None:
            self.crashed = error
        super()._handle_exception(error)
        self._exit_renderables.clear()  # Textual's traceback, printed on exit otherwise

    def get_default_screen(self) -> Screen:
        """The home screen; for ``hipquiz study``, the first card's study screen, with nothing under
        it: a home screen made, styled and laid out under it first cost the first card ~2 ms. The
        home screen takes its place when it is left (see pop_screen)."""
        if self.start_study:
            deck = self.start_deck or self._first_deck_to_study()
            if deck is None:
                self.call_later(self.notify, "Nothing to study right now.")  # once there is a screen
            else:
                session = self._session(deck, self.start_options)
                if session.next_card() is None:
                    self.call_later(self._say_nothing_to_study, session)  # once there is a screen
                else:
                    from hipquiz.tui.screens.study import StudyScreen

                    screen = StudyScreen(session)
                    # App.switch_screen drops the newest result callback of the screen it replaces,
                    # and Textual gives a default screen none (IndexError on leaving it, 8.2.8):
                    # an empty one (tests/tui/test_app.py leaves the first study screen).
                    screen._push_result_callback(self, None)
                    return self._prepared(screen)
        return self._home_screen()

    def _home_screen(self) -> HomeScreen:
        # Imported here: 'hipquiz study' starts on a card, and the home screen's module (~2 ms) is
        # not needed until it is left (tests/tui/test_start_imports.py).
        from hipquiz.tui.screens.home import HomeScreen

        return self._prepared(HomeScreen(highlight=self.start_deck))  # type: ignore[return-value]

    def pop_screen(self):
        if len(self.screen_stack) == 1 and is_study_screen(self.screen):
            # The session 'hipquiz study' opened on (see get_default_screen) is left: home.
            return self.switch_screen(self._home_screen())
        return super().pop_screen()

    def push_screen(self, screen, *args, **kwargs):
        pushed = super().push_screen(self._prepared(screen), *args, **kwargs)
        self._screen_came()  # (a study screen holds the keys itself until it is complete)
        return pushed

    def _add_css(self, *parts: str) -> None:
        """Parts of hipquiz.tcss, parsed now if not yet (at the latest, by the next widget styled)."""
        for part in parts:
            css = self._css_parts.pop(part, None)
            if css is not None:
                self.stylesheet.add_source(css, read_from=(str(STYLESHEET), part))

    def _prepared(self, screen: Screen | str) -> Screen | str:
        """The screen as it is first styled: its rules parsed (its part of hipquiz.tcss), and the
        size classes (-narrow/-short...) of the terminal: Textual adds them once it is shown, and
        restyles every widget of it (~15 ms)."""
        if isinstance(screen, Screen) and not screen.is_attached:
            self._add_css(self._stylesheet_part(screen))
            width, height = self.size
            horizontal = self.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None else screen.HORIZONTAL_BREAKPOINTS
            vertical = self.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None else screen.VERTICAL_BREAKPOINTS
            classes: dict[str, bool] = {}
            for dimension, breakpoints in ((width, horizontal or []), (height, vertical or [])):
                reached = [name for least, name in sorted(breakpoints) if dimension >= least]
                for _, name in breakpoints:
                    classes[name] = name == reached[-1] if reached else False
            screen.update_classes(classes, update=False)
        return screen

    @staticmethod
    def _stylesheet_part(screen: Screen) -> str:
        if is_study_screen(screen):
            return "study"
        from hipquiz.tui.screens.home import HomeScreen  # (see _home_screen)

        return "home" if isinstance(screen, HomeScreen) else "later"

    def _first_theme(self) -> str:
        # App.__init__ asks for the theme before it makes its console, so the colour system is
        # found as that console will find it (~0.05 ms): a 16-colour terminal's ANSI theme set
        # after __init__ made Textual parse all the CSS again before the first frame (~10 ms).
        probe = Console(color_system=constants.COLOR_SYSTEM, file=io.StringIO(), force_terminal=True,
                        legacy_windows=False)
        return (starting_theme(self._saved_theme, probe.color_system, self.available_themes)
                or constants.DEFAULT_THEME)

    def first_screen_shown(self) -> None:
        """The first screen is up and complete (called again by every study screen: once is what
        counts). Garbage is collected again from now on; the work that would compete with the
        first screen for the processor starts a moment later (_after_first_screen)."""
        collector.resume()
        if not self._started_after_first_screen:
            self._started_after_first_screen = True
            self.set_timer(SETTLE_SECONDS, self._after_first_screen)

    def _after_first_screen(self) -> None:
        self._add_css(*list(self._css_parts))
        self.stylesheet.parse()  # now, not when a screen opens
        # Today's backup is compressed in a thread: it never delays a save.
        self.run_worker(self._finish_backups, thread=True, group="backup", exit_on_error=False)
        # The first card is shown without fsrs (imported when a card is first scheduled): it is
        # made ready in a thread now, so the first rating does not wait.
        self.run_worker(self.scheduler.warm, thread=True, group="warm-up", exit_on_error=False)
        # Nor does a flip card need the lexicon of terms (its question's deck index is found on
        # first use): loaded now, so that the first answer shown with a drawing does not wait.
        # Here, not in a thread: it is loaded once a process, by whichever caller asks first.
        from hipquiz.core.lexicon import Lexicon

        Lexicon.shipped()
        # The home screen's start does without the study screen (see is_study_screen): imported
        # now, so that the first deck opened does not wait for it.
        importlib.import_module(STUDY_MODULE)
        # Nor does the first card need what the session keeps of an answer (core/answers.py):
        # imported now, not under the first check or rating (~1.3 ms of its key).
        importlib.import_module("hipquiz.core.answers")

    def on_load(self) -> None:
        # Before the driver starts: its first writes (the terminal's modes) already go through the
        # writer thread.
        thread_switching.hand_off_quickly()

    def on_unmount(self) -> None:
        thread_switching.restore()

    def on_mount(self) -> None:
        self.set_class(glyphs.ASCII_ONLY, "-ascii")
        # Subscribed after the starting theme is applied (its signal is sent before the app is
        # mounted), so opening the app never saves it: the ANSI theme of a 16-colour terminal stays
        # that terminal's.
        self.theme_changed_signal.subscribe(self, self._save_theme)
        if self.warnings:
            self.notify("\n".join(self.warnings) + "\nCheck a file with 'hipquiz validate FILE'.",
                        title="Deck files skipped", severity="warning", timeout=20, markup=False)
        if self.notices:
            self.notify("\n".join(self.notices), title="Your progress", severity="warning", timeout=20,
                        markup=False)
        if not is_study_screen(self.screen):  # a study screen says when it is complete
            self.call_after_refresh(self.first_screen_shown)

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Every toast of every screen: file names and saved text may hold control characters,
        which the terminal would obey (Textual passes them through)."""
        super().notify(printable(message), title=printable(title), **kwargs)

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
            if self.collection.counts(deck, now).to_study:
                return deck
        return None

    def study(self, deck: Deck, options: StudyOptions | None = None) -> None:
        """Open a study session on a deck (or a set of cards as one), or say when it has nothing
        to show now."""
        session = self._session(deck, options)
        if session.next_card() is None:
            self._say_nothing_to_study(session)
        else:
            from hipquiz.tui.screens.study import StudyScreen  # (most often imported by now: see _after_first_screen)

            self.push_screen(StudyScreen(session))

    def _session(self, deck: Deck, options: StudyOptions | None) -> StudySession:
        return self.collection.study(deck, mode=self.mode, rng=self.rng, options=options)

    def _say_nothing_to_study(self, session: StudySession) -> None:
        self._screen_came()
        when = "" if session.options.cram else due_words(session.next_due(), self.now())
        hint = "" if session.options.cram else " (custom study, o on the home screen, can cram or study ahead)"
        self.notify(f"Nothing to study here now{': ' + when if when else ''}.{hint}",
                    title=session.deck.name, markup=False)

    def _finish_backups(self) -> None:
        try:
            self.collection.finish_backups()
        except StoreError as exc:
            self.call_from_thread(self.notify, str(exc), title="Backup not made", severity="warning",
                                  timeout=10, markup=False)

    def _save_theme(self, theme: Any) -> None:
        try:
            self.collection.set_setting("theme", theme.name)
        except StoreError as exc:
            self.notify(str(exc), title="Theme not saved", severity="error", timeout=10, markup=False)

    def get_key_display(self, binding: Binding) -> str:
        if glyphs.ASCII_ONLY and binding.key == "enter" and not binding.key_display:
            return glyphs.ENTER
        return super().get_key_display(binding)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (Ctrl+P): hipquiz's main actions first, then Textual's own."""
        decks = self.library.decks
        for deck in decks:
            yield SystemCommand(f"Study {deck.name}", "today's cards of this deck",
                                lambda deck=deck: self.study(deck))
        if len(decks) > 1:
            yield SystemCommand("Study all decks", "today's cards of every deck together",
                                lambda: self.study(study_set(decks)))
        for tag in all_tags(decks):
            yield SystemCommand(f"Study tag {tag}", f"today's cards tagged {tag}, from every deck",
                                lambda tag=tag: self.study(study_set(decks, tag=tag)), discover=False)
            yield SystemCommand(f"Cram tag {tag}", f"practise the cards tagged {tag}; the schedule is unchanged",
                                lambda tag=tag: self.study(study_set(decks, tag=tag), StudyOptions(cram=True)),
                                discover=False)
        for deck in decks:
            yield SystemCommand(f"Cram {deck.name}", "practise every card, weakest first; the schedule is unchanged",
                                lambda deck=deck: self.study(deck, StudyOptions(cram=True)))
        if decks:
            yield SystemCommand("Cram today's mistakes", "the cards you answered Again today, from every deck",
                                lambda: self.study(study_set(decks), StudyOptions(cram=True, mistakes_only=True)))
        yield SystemCommand("Custom study", "choose decks, a tag, cram, limits, extra new cards, study ahead",
                            self._open_custom_study)
        yield SystemCommand("Statistics", "reviews, retention and what you know", self.open_stats)
        yield SystemCommand("Cards", "the cards of the highlighted deck", self._open_cards)
        for mode in MODES:
            if mode != self.mode:
                yield SystemCommand(f"Mode: {MODE_LABELS[mode]}", "ask cards this way from now on (remembered)",
                                    lambda mode=mode: self._change_mode(mode), discover=False)
        yield SystemCommand("Help", "keys and how scheduling works", self.action_help)
        yield from super().get_system_commands(screen)

    def _home(self) -> HomeScreen | None:
        from hipquiz.tui.screens.home import HomeScreen  # (see _home_screen)

        return next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)

    def _open_custom_study(self) -> None:
        home = self._home()
        if home is not None and self.screen is home:
            home.action_custom_study()
        else:
            self.notify("Custom study opens from the home screen (o).", markup=False)

    def open_stats(self) -> None:
        """The statistics screen (s on the home screen, or the command palette from any screen)."""
        from hipquiz.tui.screens.stats import StatsScreen  # imported when first shown

        self.push_screen(StatsScreen())

    def _open_cards(self) -> None:
        home = self._home()
        if home is not None and self.screen is home:
            home.action_cards()
        else:
            self.notify("The card list opens from the home screen (c).", markup=False)

    def _change_mode(self, mode: str) -> None:
        if self.set_mode(mode):
            home = self._home()
            if home is not None:
                home.show_mode()
            self.notify(f"Cards are now asked: {MODE_LABELS[mode]}.", markup=False)

    @property
    def mode(self) -> str:
        """How cards are asked: the saved setting ("flip" when unset or unknown)."""
        return mode_called(self.collection.get_setting("mode", FLIP)) or FLIP

    def set_mode(self, mode: str) -> bool:
        """Save the mode for this and later runs; False (and a message) if it could not be saved."""
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        try:
            self.collection.set_setting("mode", mode)
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)
            return False
        return True

    def action_help(self) -> None:
        # Imported on first use: the help text (a Rich table) is not needed to start.
        from hipquiz.tui.screens.help import SECTION_OF_SCREEN, HelpModal

        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(SECTION_OF_SCREEN.get(type(self.screen).__name__)))
