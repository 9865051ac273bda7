"""The installed ``hipquiz`` command in a real pseudo-terminal: study one card, quit, check the save."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from hipquiz.core.store import Store

pytestmark = pytest.mark.e2e

COLUMNS, LINES = 80, 24


def installed_command() -> str:
    found = shutil.which("hipquiz") or shutil.which("hipquiz", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the hipquiz command is not installed: run the README's install command first")
    return found


class Terminal:
    """A pseudo-terminal running a program, with the screen as a person would see it."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(LINES, COLUMNS))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self) -> None:
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read output until ``text`` is on the screen (polling the pty, not sleeping blindly)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if text in self.text():
                return
            if not self.child.isalive():
                break
        raise AssertionError(f"{text!r} never appeared on the screen:\n{self.text()}")

    def press(self, keys: str) -> None:
        self.child.send(keys)


@pytest.fixture
def terminal_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(HIPQUIZ_DATA=str(tmp_path / "data"), TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    return env


def test_study_one_card_quit_and_find_it_saved(terminal_env, tmp_path):
    term = Terminal([installed_command(), "study", "hip-muscles"], terminal_env)
    try:
        term.wait_for("Which big leg muscles does the article say")
        term.press(" ")
        term.wait_for("hamstrings")
        term.wait_for("Good")
        term.press("3")
        term.wait_for("1 done")  # the next card is on screen: the first one was saved
        term.press("q")  # back to the home screen
        term.wait_for("s Stats")  # the home screen's footer
        term.press("q")  # quit
        term.child.expect(pexpect.EOF, timeout=30)
    finally:
        term.child.close(force=True)
    with Store.open(tmp_path / "data", read_only=True) as store:
        reviews = store.reviews()
        progress = store.all_progress()
    assert [(r.card_id, r.rating, r.question_type) for r in reviews] == [
        ("hip-muscles/big-leg-muscles/list", 3, "flip")
    ]
    assert progress["hip-muscles/big-leg-muscles/list"].reps == 1


def test_unknown_option_in_a_terminal_is_one_line_and_exit_2(terminal_env):
    child = pexpect.spawn(installed_command(), ["--no-such-option"], env=terminal_env)
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert child.exitstatus == 2
    output = child.before.decode().strip().splitlines()
    assert len(output) == 1 and "--no-such-option" in output[0]
