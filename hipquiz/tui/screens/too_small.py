"""Shown instead of the app while the terminal is too small to use it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

# Below this the layout cannot show a question with its labelled answer keys: the message names the
# same size it checks.
MIN_WIDTH, MIN_HEIGHT = 40, 12
ADVISED = f"{MIN_WIDTH}×{MIN_HEIGHT}"


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallModal(ModalScreen[None]):
    """Covers the app until the terminal grows again; the screens below keep their state. q does
    what it does on the screen below (back, or quit on the deck list), and the message says which."""

    BINDINGS = [Binding("q", "beneath_q", "Back")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-message", markup=False)

    def on_mount(self) -> None:
        self.update_size(self.app.size.width, self.app.size.height)

    def _beneath_q(self) -> ActiveBinding | None:
        stack = self.app.screen_stack
        if len(stack) < 2 or stack[-1] is not self:
            return None
        return stack[-2].active_bindings.get("q")

    def update_size(self, width: int, height: int) -> None:
        found = self._beneath_q()
        if found is None:
            does = "Ctrl+C quits"
        elif found.binding.action in ("app.quit", "quit"):
            does = "q quits"
        else:
            does = "q goes back"
        self.query_one("#too-small-message", Static).update(
            f"Terminal too small ({width}×{height}): make it at least {ADVISED}. {does}.")

    def action_beneath_q(self) -> None:
        found = self._beneath_q()
        if found is not None:
            # Run by the app: this screen is gone before the action is done.
            self.app.call_later(_run_beneath, self.app, found.binding.action, found.node)


async def _run_beneath(app: App, action: str, node: DOMNode) -> None:
    """Uncover the screen below, run its q action there, and cover what is then shown if the
    terminal is still too small."""
    await app.pop_screen()
    await app.run_action(action, node)
    if app.is_running and too_small(app.size.width, app.size.height) and not isinstance(app.screen, TooSmallModal):
        app.push_screen(TooSmallModal())
