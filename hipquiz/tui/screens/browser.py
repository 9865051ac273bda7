"""The card browser: every card with its answer and where it stands; search as you type, filter by
deck, state and tag, open a card, suspend it, add or edit notes of your own decks."""

from __future__ import annotations

import os
import re
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from hipquiz.core.browse import STATES, BrowseRow, browse_rows, current_filter, parse_query, set_filter
from hipquiz.core.decks import Card, Deck
from hipquiz.core.errors import StoreError
from hipquiz.core.scheduler import format_interval
from hipquiz.tui.widgets import KeyFooter

# Wide enough for the answer, lapses and tags columns; below it the list keeps card, state and due,
# and the line under the table shows the highlighted card in full.
WIDE = 70
# What a muscle card asks, in a word or two, put first: "where: gluteus medius" and "where: gluteus
# minimus" stay apart in a narrow column where the prompts ("Where is the gluteus m…") would be cut
# to the same text.
TEMPLATE_WORDS = {
    "location": "where",
    "name-from-location": "which here",
    "functions": "does",
    "name-from-functions": "which does",
    "group": "group",
    "relations": "links",
}
STATE_SHORT = {"new": "new", "learning": "lrn", "review": "rev", "suspended": "susp", "leech": "leech",
               "buried": "bur"}
_ABBREVIATION = re.compile(r"\(([A-Z]{2,6})\)")
# The table holds the matching cards a page at a time. Textual measures every cell of every row
# put in a DataTable, so 5,000 rows took most of a second on each key typed into the search; the
# first page is shown at once and the next is added as the cursor or the scrolling nears the end.
PAGE_ROWS = 100


def short_name(name: str, letters: int) -> str:
    """A muscle's name with each word cut to its first letters, as anatomists write "obt. int."."""
    found = _ABBREVIATION.search(name)
    if found:
        return found.group(1)
    *first, last = name.split()
    # The last word is kept whole: it is the one that differs between look-alikes.
    return " ".join([*(w if len(w) <= letters + 1 else w[:letters] + "." for w in first), last])


def abbreviation_letters(names: set[str]) -> int:
    """The fewest letters a word that still tell every name apart ("quadra." / "quadri." femoris)."""
    for letters in range(3, 10):
        if len({short_name(n, letters) for n in names}) == len(names):
            return letters
    return 10


def card_label(card: Card, width: int | None = None, letters: int = 3) -> str:
    """A card in a few words: what a muscle card asks comes first, then the muscle; when that is too
    wide, the muscle's words are shortened rather than cut off at the end, where look-alikes
    (obturator internus / externus) differ."""
    if card.note.type == "muscle":
        words = TEMPLATE_WORDS.get(card.template, card.template.replace("-", " "))
        prefix, name = f"{words}: ", card.note.name
        found = _ABBREVIATION.search(name)
        if found or (width is not None and len(prefix) + len(name) > width):
            name = short_name(name, letters)
        return prefix + name
    first = card.prompt.splitlines()[0] if card.prompt else card.id
    return first + (" …" if "\n" in card.prompt else "")


def told_apart(labels: list[str], width: int) -> list[str]:
    """Labels that would be cut to the same text in ``width`` cells keep their first word and show
    the rest from the word where they differ from their look-alikes: "According…insert into the IT
    band?" / "According…are deep rotators?", "innervation:…inferior" / "innervation:…superior"."""
    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    groups: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(cut(label), []).append(index)
    result = list(labels)
    for members in groups.values():
        for i in members if len(members) > 1 else ():
            label = labels[i]
            shared = max(len(os.path.commonprefix([label, labels[j]])) for j in members if j != i)
            start = label.rfind(" ", 0, shared) + 1  # back to the start of the differing word
            colon = label.find(":", 0, shared)
            head = label[: colon + 1] if colon >= 0 else label[: max(label.find(" "), 0)]
            if start > len(head) + 1:
                result[i] = f"{head}…{label[start:]}"
    return result


def state_word(row: BrowseRow) -> str:
    """The state, or the flag that matters more (a suspended card is not studied whatever its state)."""
    return row.flags[0] if row.flags else row.state


def due_text(row: BrowseRow, now: datetime) -> str:
    if row.due is None:
        return "—"
    return "now" if row.due <= now else format_interval(row.due - now)


def one_line(text: str) -> str:
    return " / ".join(line.lstrip("• ").strip() for line in text.splitlines() if line.strip())


class CardTable(DataTable):
    """The list of cards: Home and End go to the first and last card (DataTable's own go to the
    first and last column, of which this list has no more than fit)."""

    BINDINGS = [
        Binding("home", "scroll_top", show=False),
        Binding("end", "screen.last_card", show=False),
    ]


class CardBrowserScreen(Screen):
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("d", "cycle('deck')", "Deck"),
        Binding("s", "cycle('is')", "State"),
        Binding("t", "cycle('tag')", "Tag"),
        Binding("exclamation_mark", "toggle_suspend", "Suspend"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, deck: Deck | None = None) -> None:
        super().__init__()
        self._start_deck = deck
        self._rows: list[BrowseRow] = []
        self._shown: list[BrowseRow] = []
        self._by_id: dict[str, BrowseRow] = {}
        self._wide: bool | None = None
        self._labels: list[str] = []  # the card column of each shown row
        self._loaded = 0  # how many of the shown rows are in the table
        self._widths = (0, 0)  # the card and answer columns' widths
        self._refill_pending = False

    def compose(self) -> ComposeResult:
        yield Static("Cards", classes="title-bar", id="browse-title")
        yield Input(placeholder="search: words, deck:ID, is:STATE, tag:TAG", id="browse-search",
                    select_on_focus=False)
        yield CardTable(id="browse-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="browse-preview")
        yield Static(id="browse-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        search = self.query_one("#browse-search", Input)
        if self._start_deck is not None:
            search.value = f"deck:{self._start_deck.id}"
        self.reload()
        table = self.query_one(DataTable)
        table.focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)

    def on_screen_resume(self) -> None:
        self.reload()  # a card studied, a note edited or added: show it as it is now

    def on_resize(self) -> None:
        if (self.size.width >= WIDE) != self._wide:
            self.fill()

    @property
    def search_text(self) -> str:
        return self.query_one("#browse-search", Input).value

    def reload(self) -> None:
        app = self.app
        self._rows = browse_rows(app.library.decks, app.collection.all_progress(), app.now())
        self._by_id = {row.card.id: row for row in self._rows}
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        current = self.highlighted.card.id if self.highlighted else None
        query = parse_query(self.search_text)
        self._shown = [row for row in self._rows if query.matches(row)]
        self._wide = self.size.width >= WIDE
        table.clear(columns=True)
        fixed = (("State", 9), ("Due", 5), ("Lap.", 4), ("Tags", 8)) if self._wide else (("State", 5), ("Due", 4))
        # One cell of padding each side of each column, the table's margins and its scrollbar.
        columns = len(fixed) + (2 if self._wide else 1)
        rest = max(self.size.width - sum(w for _, w in fixed) - 2 * columns - 6, 12)
        card_width, answer_width = (rest * 3 // 5, rest - rest * 3 // 5) if self._wide else (rest, 0)
        self._widths = (card_width, answer_width)
        table.add_column("Card", width=card_width, key="card")
        if self._wide:
            table.add_column("Answer", width=answer_width, key="answer")
        for name, width in fixed:
            table.add_column(name, width=width, key=name.lower())
        # Labels are worked out over every match, not a page: they must tell apart rows of later pages too.
        letters = abbreviation_letters({row.card.note.name for row in self._shown if row.card.note.type == "muscle"})
        self._labels = told_apart([card_label(row.card, card_width, letters) for row in self._shown], card_width)
        self._loaded = 0
        at = next((i for i, row in enumerate(self._shown) if row.card.id == current), None)
        self._load_through(at or 0)
        if at is not None:
            table.move_cursor(row=at)
        self._status(query)
        self._preview()

    def _load_through(self, index: int) -> None:
        """Put the shown rows up to ``index`` in the table, a whole page at a time."""
        end = min(len(self._shown), (index // PAGE_ROWS + 1) * PAGE_ROWS)
        if end <= self._loaded:
            return
        table = self.query_one(DataTable)
        now = self.app.now()
        card_width, answer_width = self._widths
        for row, label in zip(self._shown[self._loaded:end], self._labels[self._loaded:end]):
            cells = [self._cut(label, card_width)]
            if self._wide:
                cells.append(self._cut(one_line(row.card.answer), answer_width))
            state = state_word(row)
            cells += [Text(state if self._wide else STATE_SHORT[state]), Text(due_text(row, now))]
            if self._wide:
                cells += [Text(str(row.lapses), justify="right"), self._cut(" ".join(row.card.note.tags), 8)]
            table.add_row(*cells, key=row.card.id)
        self._loaded = end

    def _scrolled(self) -> None:
        table = self.query_one(DataTable)
        if table.scroll_y + 2 * table.size.height >= table.max_scroll_y:
            self._load_through(self._loaded)

    @staticmethod
    def _cut(text: str, width: int) -> Text:
        # Text(), not str: DataTable would read a str as markup, and deck text must show as written.
        cell = Text(text, no_wrap=True, overflow="ellipsis")
        cell.truncate(width, overflow="ellipsis")
        return cell

    def _status(self, query) -> None:
        parts = [f"{len(self._shown)} of {len(self._rows)} cards"]
        if query.unknown:
            parts.append(f"unknown filter {query.unknown[0]} (is: {', '.join(STATES)})")
        self.query_one("#browse-status", Static).update(" · ".join(parts))

    def _preview(self) -> None:
        row = self.highlighted
        preview = self.query_one("#browse-preview", Static)
        if row is None:
            preview.update("No card matches the search." if self._rows else "No cards.")
            return
        preview.update(Content.assemble((one_line(row.card.prompt), "bold"), " → ", one_line(row.card.answer)))

    @property
    def highlighted(self) -> BrowseRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._by_id.get(row_key.value or "")

    @on(Input.Changed, "#browse-search")
    def _searched(self) -> None:
        # Keys typed faster than the table fills make one refill between them, not one each.
        if not self._refill_pending:
            self._refill_pending = True
            self.call_after_refresh(self._refill)

    def _refill(self) -> None:
        self._refill_pending = False
        self.fill()

    @on(Input.Submitted, "#browse-search")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowHighlighted, "#browse-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview()
        if event.cursor_row >= self._loaded - self.query_one(DataTable).size.height:
            self._load_through(self._loaded)  # the next page, before the cursor reaches the end

    @on(DataTable.RowSelected, "#browse-table")
    def _open(self) -> None:
        row = self.highlighted
        if row is not None:
            from hipquiz.tui.screens.card_detail import CardDetailScreen

            self.app.push_screen(CardDetailScreen(row.card))

    def action_last_card(self) -> None:
        self._load_through(len(self._shown) - 1)  # every page: the last card is the last match
        self.query_one(DataTable).action_scroll_bottom()

    def action_search(self) -> None:
        search = self.query_one("#browse-search", Input)
        if search.value and not search.value.endswith(" "):
            search.value += " "  # type a word after the filters already there
        search.cursor_position = len(search.value)
        search.focus()

    def action_cycle(self, key: str) -> None:
        """Step the deck, state or tag filter through its values, then back to none."""
        if key == "deck":
            values = [deck.id for deck in self.app.library.decks]
        elif key == "is":
            values = list(STATES)
        else:
            values = sorted({tag for row in self._rows for tag in row.card.note.tags})
        search = self.query_one("#browse-search", Input)
        now = current_filter(search.value, key)
        following = values[values.index(now) + 1] if now in values and values.index(now) + 1 < len(values) else (
            None if now in values else (values[0] if values else None))
        search.value = set_filter(search.value, key, following)
        self.fill()

    def action_add(self) -> None:
        """Add a note, into the deck the list is filtered to when it is one of the user's."""
        from hipquiz.tui.screens.note_editor import open_note_editor

        wanted = current_filter(self.search_text, "deck")
        deck = next((d for d in self.app.library.decks if d.id == wanted), None)
        open_note_editor(self, None, deck, self._show_note)

    def action_edit(self) -> None:
        from hipquiz.tui.screens.note_editor import open_note_editor

        row = self.highlighted
        if row is not None:
            open_note_editor(self, row.card.note, on_saved=self._show_note)

    def _show_note(self, saved: str | None) -> None:
        """After a save: the saved note's deck, with its first card highlighted."""
        if saved is None:
            return
        deck_id = saved.split("/", 1)[0]
        self.query_one("#browse-search", Input).value = f"deck:{deck_id}"
        self.reload()
        table = self.query_one(DataTable)
        for index, row in enumerate(self._shown):
            if row.card.id.startswith(saved + "/"):
                self._load_through(index)
                table.move_cursor(row=index)
                break
        table.focus()

    def action_toggle_suspend(self) -> None:
        row = self.highlighted
        if row is None:
            return
        app = self.app
        suspend = "suspended" not in row.flags
        try:
            app.collection.set_suspended(row.card, suspend)
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)
            return
        self.reload()
        self.notify("Suspended." if suspend else "Unsuspended: it will be shown again when due.")

    def action_back(self) -> None:
        if self.focused is self.query_one("#browse-search", Input):
            # Escape leaves the search box first (empty or not), as it leaves a form's field; the
            # next one leaves the screen.
            self.query_one(DataTable).focus()
            return
        self.dismiss()
