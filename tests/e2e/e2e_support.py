"""A real pseudo-terminal for the end-to-end tests: the installed command, the screen as a person
would see it (pyte), keys sent as a person types them."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pyte
import pytest

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

    def wait_until(self, check, what: str, timeout: float = 30):
        """Read output until ``check(screen_text)`` gives something true, and return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            found = check(self.text())
            if found:
                return found
            if not self.child.isalive():
                break
        raise AssertionError(f"{what} never happened on the screen:\n{self.text()}")

    def resize(self, columns: int, lines: int) -> None:
        """Resize the terminal as a person drags its window: the program is told (SIGWINCH)."""
        self.pump()
        self.screen.resize(lines, columns)
        self.child.setwinsize(lines, columns)

    def press(self, keys: str) -> None:
        self.child.send(keys)


def terminal_environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    """The test's environment without pytest's and Textual's variables, with its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(HIPQUIZ_DATA=str(tmp_path / "data"), TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    env.update(changes)
    return env
