"""How soon a waiting thread gets Python's lock (the GIL) while the app runs.

Textual writes every frame to the terminal from a thread of its own, and the app's other threads
(today's backup compressed, fsrs made ready) run beside the main one. Python lets a thread that
wants the lock take it from a busy one only after the switch interval, 5 ms by default, and a write
to the terminal gives the lock up and must wait again for the next. At start the main thread keeps
the processor busy for ~35 ms composing the rest of the screen after the first card is drawn: the
writer waited its turn once a write, and the first card reached the terminal ~50 ms after it was
drawn (cold start 1.44x a bare Textual app; 1.20x at 0.2 ms, bench/bench_coldstart.py). Later, a
key could wait up to 5 ms for a worker holding the lock.

The cost of a short interval is a few more switches when two threads both want to run, which here
is only while a worker runs: the main thread sleeps between keys.
"""

from __future__ import annotations

import sys

# Seconds. Lower than ~0.2 ms gained nothing more at start (the writer needs the lock once a write);
# 0.5 ms left the first card 10 ms later, 1 ms 17 ms later.
QUICK_SWITCH_SECONDS = 0.0002

# The interval to give back, and how many running apps asked for the quick one (tests run apps
# inside one another: the first to stop must not slow the other).
_interval_before: float | None = None
_apps_running = 0


def hand_off_quickly() -> None:
    """From now until the matching :func:`restore`: a thread waiting for the lock gets it within
    0.2 ms."""
    global _interval_before, _apps_running
    if _apps_running == 0:
        _interval_before = sys.getswitchinterval()
    _apps_running += 1
    sys.setswitchinterval(QUICK_SWITCH_SECONDS)


def restore() -> None:
    """An app stopped: once none is left running, give back the interval there was before
    :func:`hand_off_quickly` (the process may go on, as tests and ``hipquiz`` itself after the app
    do). Does nothing when no app asked."""
    global _interval_before, _apps_running
    if _apps_running == 0:
        return
    _apps_running -= 1
    if _apps_running == 0 and _interval_before is not None:
        sys.setswitchinterval(_interval_before)
        _interval_before = None
