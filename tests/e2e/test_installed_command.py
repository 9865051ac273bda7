"""The installed ``hipquiz`` command in a real pseudo-terminal: study one card, quit, check the save."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from hipquiz.core.store import Store

from e2e_support import Terminal, installed_command, terminal_environment

pytestmark = pytest.mark.e2e


@pytest.fixture
def terminal_env(tmp_path: Path) -> dict[str, str]:
    return terminal_environment(tmp_path)


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
