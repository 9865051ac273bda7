"""Keys, and how scheduling works, in plain words."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from hipquiz.core.questions import MODE_LABELS
from hipquiz.core.settings import DAY_STARTS_HOUR, default
from hipquiz.tui import glyphs
from hipquiz.tui.widgets import KeyFooter

KEYS = [
    ("Home", [
        ("↑ ↓", "choose a deck"),
        ("Enter / click", "study the highlighted deck"),
        ("m", f"next way of asking: {', '.join(label.lower() for label in MODE_LABELS.values())} (remembered)"),
        ("c", "the card browser, showing the highlighted deck's cards"),
        ("s", "statistics"),
        ("o", "custom study: all decks or a tag together, cram, limits, extra new cards, study ahead"),
        ("q", "quit (Ctrl+C too)"),
    ]),
    ("Studying", [
        ("Space / Enter", "flip cards: show the answer, its source and any caveat"),
        ("1 2 3 4", "rate it: Again, Hard, Good, Easy (or click a button)"),
        ("Enter", "after a checked answer: take the suggested rating (" + glyphs.POINTER + ")"),
        ("u  Ctrl+Z", "undo the last answer, bury or suspend"),
        ("b  Ctrl+B", "bury the card until tomorrow"),
        ("!  Ctrl+O", "suspend the card (asks first)"),
        ("↑ ↓ PgUp PgDn", "scroll a long answer"),
        ("q / Esc", "back to the decks"),
        ("While typing", "the letters go into the box: use Esc, Ctrl+Z, Ctrl+B and Ctrl+O"),
    ]),
    ("Card browser", [
        ("type after /", "search prompts, answers, tags and muscles; deck:ID is:STATE tag:TAG filter"),
        ("d  s  t", "step the deck, state (new, learning, review, suspended, leech, buried) or tag filter"),
        ("Home / End", "the first or the last card"),
        ("Enter", "open the card: its note, history and schedule"),
        ("!", "suspend or unsuspend the highlighted card"),
        ("a", "add a note to one of your decks (or to a new deck, My notes)"),
        ("e", "edit the highlighted card's note (a shipped deck is copied first)"),
        ("q / Esc", "back (Esc first leaves the search box)"),
    ]),
    ("Adding or editing a note", [
        ("Tab / Shift+Tab", "next or previous field; the fields follow the note type"),
        ("→", "take the lexicon term offered as you type a name or an answer"),
        ("Ctrl+S", "save (nothing is written unless the deck still loads)"),
        ("Esc", "cancel (asks first when something was typed or changed)"),
    ]),
    ("Answering", [
        ("Multiple choice", "1-4, or ↑ ↓ and Enter, or click an option"),
        ("Typed", "type the answer, Enter checks it (Enter alone: you do not know)"),
        ("Select", "Space or a number ticks an option, ↑ ↓ move, Enter checks"),
        ("Order", "[ ] or Shift+↑ ↓ move the highlighted item, or type the numbers "
                  "in order (3 1 2), Enter checks"),
        ("Override", "a right answer you guessed: rate it lower; a typed answer wrongly "
                     "refused: rate it 2-4 and keep it as an accepted answer (y)"),
    ]),
    ("Anywhere", [
        ("?  F1", "this help (F1 also while typing)"),
        ("Ctrl+P", "command palette: study a deck or tag, cram, statistics, cards, mode, theme"),
    ]),
]

SCHEDULING = f"""\
Each card comes back just before you would forget it. The schedule is worked out by FSRS, \
which estimates for every card how well you know it from your past answers.

Rate honestly how hard it was to recall the answer (the four ratings are listed below).
Each button shows the wait it will give. Waits grow each time you remember a card \
(minutes, then days, then months) and shrink when you forget one.

New cards are introduced a few a day ({default('new_per_day')} per deck unless you change it with \
'hipquiz config new_per_day'). A study day starts at {DAY_STARTS_HOUR} am. Cards made from one note (say \
"Where is the TFL?" and "Which muscle lies here…?") come on different days, so one never \
gives the other away. When only cards in their first minutes of learning are left, they are \
shown a little early (up to 20 minutes), as in Anki, rather than ending the session.

Every answer is saved the moment you give it, so you can quit at any time. \
A card you forget again and again ({default('leech_lapses')} times; 'hipquiz config leech_lapses N' changes it) is a leech: \
you are offered to suspend it, or to compare it side by side with the card it is confused with."""


RATINGS = [
    ("Again", "you did not remember it: the card comes back in a few minutes."),
    ("Hard", "you remembered, with real effort: a shorter wait than Good."),
    ("Good", "you remembered after a moment: the normal wait."),
    ("Easy", "you knew it at once: a longer wait."),
]

# Which part of the help a screen opens at (the screen's class name → a KEYS section).
SECTION_OF_SCREEN = {"HomeScreen": "Home", "StudyScreen": "Studying"}


# Below this width the keys stand on their own lines, their descriptions indented under them: beside
# a key column as wide as "Tab / Shift+Tab", the descriptions would wrap every two or three words.
STACKED_BELOW = 60


def _grid(rows: list[tuple[str, str]], title: str = "", *, stacked: bool = False) -> RenderableType:
    """Keys and what they do in two columns (or, ``stacked``, one under the other): a long
    description wraps within its own column, so wrapped lines keep their indent."""
    if stacked:
        grid = Table.grid()
        grid.add_column(width=2)
        grid.add_column()
        for key, what in rows:
            grid.add_row("", Text(key, style="bold"))
            grid.add_row("", Padding(Text(what), (0, 0, 0, 2)))
        return Group(Text(title, style="bold underline"), grid) if title else grid
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    if title:
        table.add_row(Text(title, style="bold underline"), "")
    for key, what in rows:
        table.add_row(Text(f"  {key}"), Text(what))
    return table


def _section_id(section: str) -> str:
    return "help-" + section.casefold().replace(" ", "-")


class HelpModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, section: str | None = None) -> None:
        """``section``: the KEYS section to open at (the screen help was asked from)."""
        super().__init__()
        self.section = section
        self._stacked: bool | None = None  # how the keys were last laid out

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            for section, _keys in KEYS:
                yield Static(id=_section_id(section), classes="help-section")
            yield Static(Content.assemble(("How scheduling works\n", "bold"), SCHEDULING), id="help-scheduling")
            yield Static(id="help-ratings")
        yield KeyFooter()

    def on_resize(self) -> None:
        stacked = self.size.width < STACKED_BELOW
        if stacked != self._stacked:
            self._stacked = stacked
            for section, keys in KEYS:
                self.query_one(f"#{_section_id(section)}", Static).update(_grid(keys, section, stacked=stacked))
            self.query_one("#help-ratings", Static).update(_grid(RATINGS, stacked=stacked))

    def on_mount(self) -> None:
        box = self.query_one("#help")
        box.border_title = "Help"
        box.focus()
        if self.section is not None and self.query(f"#{_section_id(self.section)}"):
            target = self.query_one(f"#{_section_id(self.section)}")
            self.call_after_refresh(box.scroll_to_widget, target, top=True, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
