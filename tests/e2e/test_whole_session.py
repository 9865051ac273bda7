"""A whole session by keys in a real terminal, as a person would: the home screen, studying in each
mode, undo, statistics, the command palette, quitting — then what was saved. Also a resize in the
middle of a question, and a terminal with no colour and no Unicode symbols (the Linux console)."""

from __future__ import annotations

import re
from pathlib import Path

import pexpect
import pytest

from hipquiz.core.questions import MODE_LABELS
from hipquiz.core.store import Store

from e2e_support import Terminal, installed_command, terminal_environment

pytestmark = pytest.mark.e2e

ENTER, ESCAPE, CTRL_P = "\r", "\x1b", "\x10"
DONE = re.compile(r"(\d+) done")


def done_count(text: str) -> int | None:
    found = DONE.search(text)
    return int(found.group(1)) if found else None


def study_screen(text: str) -> bool:
    """The study screen, complete: its progress line, and its footer (the buttons and the footer are
    mounted right after the first frame, which shows the question)."""
    return done_count(text) is not None and "Help" in text


def answer_one(term: Terminal, mode: str) -> str:
    """Answer the card on screen the way its mode asks; returns the question type it was asked as."""
    before = term.wait_until(study_screen, "the study screen")
    before = done_count(term.text())
    if "Show answer" in term.text():  # a flip card (or a card with no form of this mode)
        term.press(" ")
        term.wait_for("Good")
        term.press("3")
        kind = "flip"
    else:
        if mode == "choice":
            term.press("1")
        elif mode == "typed":
            term.press("zzz" + ENTER)
        elif mode == "select":
            term.press("1")
            term.wait_for("[x]")
            term.press(ENTER)
        # Checked: the footer offers to accept the earned rating (the line saying so may be below
        # the fold when a long answer and the question share the card).
        term.wait_for("Accept")
        term.press(ENTER)
        kind = mode
    term.wait_until(lambda text: (done_count(text) or 0) > before or "Session" in text or "studied" in text,
                    "the next card after an answer")
    return kind


def choose_mode(term: Terminal, mode: str) -> None:
    """Press m on the home screen until the mode line names ``mode``."""
    label = MODE_LABELS[mode]
    for _ in range(len(MODE_LABELS) + 1):
        if f"Mode: {label}" in term.text():
            return
        term.press("m")
        term.pump()
        try:
            term.wait_for(f"Mode: {label}", timeout=2)
            return
        except AssertionError:
            continue
    raise AssertionError(f"mode {label!r} never came up:\n{term.text()}")


def test_home_study_in_each_mode_undo_stats_palette_quit(tmp_path: Path):
    term = Terminal([installed_command()], terminal_environment(tmp_path))
    asked: list[str] = []
    try:
        term.wait_for("to study today")
        for mode in ("flip", "choice", "typed", "select"):
            choose_mode(term, mode)
            term.press(ENTER)
            for _ in range(2):
                asked.append(answer_one(term, mode))
            term.press(ESCAPE)  # the box is empty after an answer: Esc leaves at once
            term.wait_for("to study today")
        # Undo takes the last answer back: the done count goes down and nothing of it is saved.
        choose_mode(term, "flip")
        term.press(ENTER)
        asked.append(answer_one(term, "flip"))
        answered = done_count(term.text())
        term.press("u")
        term.wait_until(lambda text: done_count(text) == answered - 1, "the undo")
        asked.pop()
        term.press("q")
        term.wait_for("to study today")
        term.press("s")
        term.wait_for("Statistics")
        term.press(ESCAPE)
        term.wait_for("to study today")
        term.press(CTRL_P)
        term.wait_for("Search")
        term.press("Help")
        term.wait_for("Help")
        term.press(ENTER)
        term.wait_for("Enter / click  study the highlighted deck")  # help, at the home screen's keys
        term.press(ESCAPE)
        term.wait_for("to study today")
        term.press("q")
        term.child.expect(pexpect.EOF, timeout=30)
    finally:
        term.child.close(force=True)
    with Store.open(tmp_path / "data", read_only=True) as store:
        saved = [r.question_type for r in store.reviews()]
    assert saved == asked
    assert {"choice", "typed", "select"} & set(saved), "no checked question type was asked at all"


def test_a_resize_in_the_middle_of_a_question_keeps_it(tmp_path: Path):
    env = terminal_environment(tmp_path)
    # Without COLUMNS and LINES, which would fix the size the app reads (shutil.get_terminal_size).
    del env["COLUMNS"], env["LINES"]
    term = Terminal([installed_command(), "study", "hip-anatomy", "--mode", "choice"], env)
    try:
        # The whole question is painted once its options' key hint is (or a flip card's button).
        term.wait_until(lambda text: done_count(text) is not None and ("Press 1-4" in text or "Show answer" in text)
                        and text.splitlines()[2].strip(), "the first question")
        prompt = term.text().splitlines()[2].strip()
        for columns, lines in ((100, 30), (120, 40)):
            term.resize(columns, lines)
            # The app has taken the new size when its title bar reaches the new right edge.
            term.wait_until(lambda text: len(text.splitlines()[0].rstrip()) >= columns - 2, f"the app at {columns} columns")
        term.wait_until(lambda text: prompt[:30] in text and done_count(text) == 0, "the same question after resizing")
        answer_one(term, "choice")
        term.press("q")
        term.wait_for("to study today")
        term.press("q")
        term.child.expect(pexpect.EOF, timeout=30)
    finally:
        term.child.close(force=True)
    with Store.open(tmp_path / "data", read_only=True) as store:
        assert len(store.reviews()) == 1


def test_no_colour_on_the_linux_console_the_verdict_reads_from_words_and_ascii_marks(tmp_path: Path):
    env = terminal_environment(tmp_path, NO_COLOR="1", TERM="linux")
    term = Terminal([installed_command(), "study", "hip-anatomy", "--mode", "choice"], env)
    try:
        for _ in range(8):  # past any card with no multiple-choice form
            term.wait_until(study_screen, "the study screen")
            if "Show answer" not in term.text():
                break
            answer_one(term, "choice")
        term.press("1")
        text = term.wait_until(lambda text: text if "Enter accepts it" in text else "", "the verdict")
        assert "Right" in text or "Wrong" in text
        assert re.search(r"^\s*[+x] 1 ", text, re.M), "the chosen option carries an ASCII mark"
        assert not set("✓✗▶⏎") & set(text)
        term.press(ENTER)
        term.press("q")
        term.wait_for("to study today")
        term.press("q")
        term.child.expect(pexpect.EOF, timeout=30)
    finally:
        term.child.close(force=True)
