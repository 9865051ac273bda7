"""The footer of every screen, fitted to the terminal's width.

Textual's footer lays its keys out in one line and cuts whatever passes the right edge, so on a
40-column terminal the keys a person needs most (Help, the way back) could be the ones cut. Below
:data:`NARROW` columns this footer goes compact and shows the screen's keys in their order while
they fit, always keeping Help and the way back; when some are left out it shows Ctrl+P as "more" (the command
palette holds the main actions, the help screen every key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:  # the keys Footer.compose yields; not exported by textual.widgets
    from textual.widgets._footer import FooterKey

# The app's -wide breakpoint: below it the screens squeeze too (hipquiz.tcss).
NARROW = 60
# Actions always shown: the way out of a screen, and Help, the way to every other key.
ALWAYS = ("help", "back", "app.quit", "close", "cancel")
# What Ctrl+P is called when it stands for the keys left out.
MORE = "more"


def _width(key: FooterKey) -> int:
    """Cells a compact key takes: its key, a space and its description, then one cell of margin."""
    described = 1 + cell_len(key.description) if key.description else 0
    return cell_len(key.key_display) + described + 1


def fitted(keys: list[FooterKey], palette: FooterKey | None, room: int) -> tuple[list[FooterKey], bool]:
    """The keys that fit in ``room`` cells, in their order, ``ALWAYS`` ones kept, and whether the
    palette key fits too (as "more" when keys were left out)."""
    if sum(map(_width, keys)) <= room:
        return keys, palette is not None and sum(map(_width, keys)) + _width(palette) <= room
    if palette is not None:
        palette.description = MORE
        room -= _width(palette)
    room -= sum(_width(key) for key in keys if key.action in ALWAYS)
    kept = []
    for key in keys:
        if key.action in ALWAYS:
            kept.append(key)
        elif _width(key) <= room:
            kept.append(key)
            room -= _width(key)
        else:
            room = 0  # keep the screen's order: no later, shorter key jumps ahead of one left out
    return kept, palette is not None


class KeyFooter(Footer):
    """Textual's footer; compact below :data:`NARROW` columns, showing the keys that fit."""

    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-command-palette {
        border-left: none;
    }
    """

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW
        if narrow != self.compact or narrow:
            self.compact = narrow
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        width = self.size.width or self.app.size.width
        if width >= NARROW:
            yield from keys
            return
        palette = next((key for key in keys if key.has_class("-command-palette")), None)
        shown, with_palette = fitted([key for key in keys if key is not palette], palette, width - 1)
        yield from shown
        if with_palette and palette is not None:
            yield palette
