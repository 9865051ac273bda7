"""Shown instead of the app while the terminal is too small to use it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

# Below this the layout cannot show a question with its labelled answer keys: the message names the
# same size it checks.
MIN_WIDTH, MIN_HEIGHT = 40, 12
ADVISED = f"{MIN_WIDTH}×{MIN_HEIGHT}"


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallModal(ModalScreen[None]):
    """Covers the app until the terminal grows again; the screens below keep their state."""

    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self.update_size(self.app.size.width, self.app.size.height)

    def update_size(self, width: int, height: int) -> None:
        self.query_one("#too-small-message", Static).update(
            f"Terminal too small ({width}×{height}): make it at least {ADVISED}. q quits.")
