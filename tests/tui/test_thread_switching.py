"""While the app runs, a thread waiting for Python's lock (Textual's terminal writer, the backup and
warm-up workers) gets it within 0.2 ms, not the 5 ms default: at start the first card reached the
terminal ~50 ms late, the writer waiting a turn once a write while the rest of the screen was put
together. Once the app stops, the process has its own interval back."""

from __future__ import annotations

import sys

import pytest

from hipquiz.tui import thread_switching


@pytest.fixture
def default_interval():
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    thread_switching.restore()
    sys.setswitchinterval(before)


async def test_a_waiting_thread_gets_the_lock_quickly_while_the_app_runs_and_not_after(make_app, default_interval):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert sys.getswitchinterval() <= 0.0002 + 1e-9
        await pilot.press("space")  # a card answered: still quick
        assert sys.getswitchinterval() <= 0.0002 + 1e-9
    assert sys.getswitchinterval() == pytest.approx(default_interval)


def test_the_interval_comes_back_once_the_last_of_two_running_apps_stops(default_interval):
    thread_switching.hand_off_quickly()
    thread_switching.hand_off_quickly()  # a second app inside the first (as tests run them)
    thread_switching.restore()  # the inner one stopped: the outer one still runs
    assert sys.getswitchinterval() < default_interval
    thread_switching.restore()
    assert sys.getswitchinterval() == pytest.approx(default_interval)
    sys.setswitchinterval(0.003)  # someone else's choice since: left alone
    thread_switching.restore()
    assert sys.getswitchinterval() == pytest.approx(0.003)
