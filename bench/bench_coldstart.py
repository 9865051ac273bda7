"""Cold start to the first card, in a real pseudo-terminal, against a bare Textual app.

    python bench/bench_coldstart.py [--runs 5] [--breakdown] [--old DIR]

Times from starting the process to the first question on the screen (``hipquiz study hip-anatomy``;
for comparison also to the home screen of ``hipquiz``) with a fresh data folder and with a history
of 100,000 reviews (ending today: a year and more of about 100 reviews a day, 100 of them today)
over 10,000 made-up cards, and over the shipped decks' own ~230 cards, with a theme the user
chose (saved in the data folder), and the same for a bare Textual app that shows one line of text;
prints the medians and the ratios to the bare app, to the first card and to the complete screen (its
footer's keys drawn: hipquiz draws the first card before the rest of its screen). The last column
is the ratio to the same bare app run with the thread switch interval hipquiz sets while it runs
(hipquiz/tui/thread_switching.py), which gets Textual's own writes to the terminal out sooner too:
hipquiz's start on equal terms. Each run is a new process, as a person starting hipquiz from the shell, with
Python's compiled bytecode written and reused as an installed hipquiz has it (one untimed run of
each command first; PYTHONDONTWRITEBYTECODE is dropped from the environment, or every run would
compile hipquiz's sources again).

``--old DIR`` also starts an older hipquiz checkout in DIR (``git worktree add DIR REV``), in the
same rounds, on a history written by its own store, for a before/after on the same load.

``--breakdown`` also runs each hipquiz start through ``coldstart_probe.py`` and prints where the
time goes: Python itself, importing Textual (what the bare app imports), importing hipquiz, loading
the decks and the lexicon, opening the store, the home screen's counts, the study session and its
first question, and the rest until the first card is on the screen (composing, styling, painting).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

import pexpect
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_store  # noqa: E402

from hipquiz.core.store import Store  # noqa: E402

PROBE = Path(__file__).resolve().parent / "coldstart_probe.py"
# The footer's last key (Ctrl+P) at 80 columns, in the bare app's footer and in hipquiz's. hipquiz
# draws the first card before the rest of its screen (the buttons, the footer, the card's other
# widgets; keys pressed meanwhile wait): the screen is complete, and answers keys, once it shows.
COMPLETE = "palette"

BARE = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Bare(App):
        def compose(self):
            yield Static("first card on screen")
            yield Footer()

    Bare().run()
""")
# The same bare app with the thread switch interval hipquiz sets while it runs
# (hipquiz/tui/thread_switching.py): what hipquiz's start costs beyond Textual's own on equal terms.
BARE_QUICK = BARE.replace("Bare().run()", "import sys\nsys.setswitchinterval(0.0002)\nBare().run()")


def time_to_text(argv: list[str], text: str, env: dict[str, str], *, spawned: list[float] | None = None,
                 seen: list[float] | None = None, complete: list[float] | None = None) -> float:
    """Seconds from spawning ``argv`` in an 80x24 pseudo-terminal to ``text`` on its screen. With
    ``seen``, the child is then asked to quit (Ctrl+C) and left to exit, so that it can write what
    it measured; the wall-clock moments of spawning and of seeing the text are appended. With
    ``complete``, the seconds until the screen is complete are appended too: until its footer shows
    its keys (COMPLETE, the last of them), which the app draws after the first frame."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    wall = time.time()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(24, 80))
    try:
        while time.perf_counter() - start < 60:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            except pexpect.TIMEOUT:
                pass
            if text in "\n".join(screen.display):
                elapsed = time.perf_counter() - start
                while complete is not None and COMPLETE not in "\n".join(screen.display):
                    if time.perf_counter() - start > 60:
                        raise RuntimeError(f"{COMPLETE!r} did not appear")
                    try:
                        stream.feed(child.read_nonblocking(65536, timeout=0.01))
                    except pexpect.TIMEOUT:
                        pass
                if complete is not None:
                    complete.append(time.perf_counter() - start)
                if seen is not None and spawned is not None:
                    spawned.append(wall)
                    seen.append(wall + elapsed)
                    child.send("\x03")
                    child.expect(pexpect.EOF, timeout=30)
                return elapsed
        raise RuntimeError(f"{text!r} did not appear")
    finally:
        child.terminate(force=True)


# The parts of a start, in order, as (label, how to work it out from one probe run: its marks,
# the seconds it spent in each step, the moments it was spawned and its first card was seen).
PARTS = [
    ("Python starts", lambda m, s, t0, t1: m["started"] - t0),
    ("import Textual (as the bare app)", lambda m, s, t0, t1: m["textual"] - m["started"]),
    ("import hipquiz (core + UI)", lambda m, s, t0, t1: m["app imported"] - m["textual"]),
    ("load the decks", lambda m, s, t0, t1: s.get("decks", 0.0)),
    ("load the lexicon", lambda m, s, t0, t1: s.get("lexicon", 0.0)),
    ("open the store", lambda m, s, t0, t1: s.get("store", 0.0)),
    ("home screen counts", lambda m, s, t0, t1: s.get("counts", 0.0)),
    ("study session", lambda m, s, t0, t1: s.get("session", 0.0)),
    ("first question", lambda m, s, t0, t1: s.get("question", 0.0)),
    ("compose, style, paint (Textual)",
     lambda m, s, t0, t1: t1 - m["run"] - (sum(s.values()) - m["spent before run"])),
    ("other (arguments, settings, ...)", lambda m, s, t0, t1: m["run"] - m["app imported"] - m["spent before run"]),
]


def breakdown(env: dict[str, str], root: Path, runs: int, data: Path | None) -> list[float]:
    """Median seconds of each of PARTS over ``runs`` probed starts (and of the whole, last), on
    the store in ``data`` or (None) on a fresh data folder each time."""
    per_part: list[list[float]] = [[] for _ in PARTS] + [[]]
    for run in range(runs):
        marks_file = root / f"marks-{run}.json"
        spawned: list[float] = []
        seen: list[float] = []
        total = time_to_text([sys.executable, str(PROBE), "study", "hip-anatomy"], "done",
                             dict(env, COLDSTART_MARKS=str(marks_file), HIPQUIZ_DATA=str(data or root / f"probe-{run}")),
                             spawned=spawned, seen=seen)
        found = json.loads(marks_file.read_text())
        for i, (_label, part) in enumerate(PARTS):
            per_part[i].append(part(found["marks"], found["spent"], spawned[0], seen[0]))
        per_part[-1].append(total)
    return [statistics.median(values) for values in per_part]


# Writes the 100,000-review history with a checkout's own store (run with that checkout first on
# the path): argv is the folder and the checkout.
BUILD = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    sys.path[:0] = [sys.argv[2] + "/bench", sys.argv[2]]
    import bench_store
    from hipquiz.core.store import Store
    bench_store.TODAY = datetime.now(timezone.utc)
    bench_store.build(Path(sys.argv[1]), 100_000, 10_000, today=100)
    Store.open(Path(sys.argv[1])).close()
""")


def shipped_card_ids() -> list[str]:
    from hipquiz.core.decks import load_deck, shipped_decks_dir

    return [card.id for path in sorted(shipped_decks_dir().glob("*.toml")) if path.name != "lexicon.toml"
            for card in load_deck(path).cards]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--breakdown", action="store_true", help="also print where start-up time goes")
    parser.add_argument("--old", metavar="DIR", help="also time the hipquiz checkout in DIR (before/after)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-cold-"))
    hipquiz = shutil.which("hipquiz") or str(Path(sys.executable).parent / "hipquiz")
    try:
        bare = root / "bare.py"
        bare.write_text(BARE)
        bare_quick = root / "bare_quick.py"
        bare_quick.write_text(BARE_QUICK)
        big = root / "big"
        # A history that ends now, as a steady user's does: today's log and the last weeks' are
        # the ones a start might be tempted to read.
        bench_store.TODAY = datetime.now(timezone.utc)
        bench_store.build(big, 100_000, 10_000, today=100)
        # Today's backup already taken (as on any start but the day's first).
        Store.open(big).close()
        # The same history over the shipped decks' own cards (about 230): a user of these decks
        # for years, whose first card of the session has a history of its own.
        shipped = root / "shipped"
        bench_store.build(shipped, 100_000, 0, today=100, card_ids=shipped_card_ids())
        Store.open(shipped).close()
        # A user who chose a theme (Ctrl+P): the start styles the first screen in it.
        themed = root / "themed"
        with Store.open(themed) as store:
            store.set_setting("theme", "nord")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TEXTUAL", "PYTEST")) and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(TERM="xterm-256color")
        study = [hipquiz, "study", "hip-anatomy"]
        # The first card (the figure), and for comparison the home screen (`hipquiz`):
        # (label, data folder or None for a fresh one, command, text that shows it is up, env).
        starts = [("bare Textual app", None, [sys.executable, str(bare)], "first card on screen", env),
                  ("bare app, 0.2 ms switching", None, [sys.executable, str(bare_quick)], "first card on screen", env),
                  ("study, fresh data folder", None, study, "done", env),
                  ("study, saved theme", themed, study, "done", env),
                  ("study, 100,000 reviews", big, study, "done", env),
                  ("study, 100k on shipped cards", shipped, study, "done", env),
                  ("home screen, fresh", None, [hipquiz], "to study today", env),
                  ("home screen, 100,000 reviews", big, [hipquiz], "to study today", env)]
        if args.old:
            old_env = dict(env, PYTHONPATH=str(Path(args.old).resolve()))
            subprocess.run([sys.executable, "-c", BUILD, str(root / "big-old"), old_env["PYTHONPATH"]],
                           env=old_env, check=True)
            starts[6:6] = [("study, fresh (--old)", None, study, "done", old_env),
                           ("study, saved theme (--old)", themed, study, "done", old_env),
                           ("study, 100,000 (--old)", root / "big-old", study, "done", old_env)]
        for label, data, argv, shown, run_env in starts:
            # Untimed: compiles the bytecode that an installed hipquiz (and Textual) already has.
            time_to_text(argv, shown, dict(run_env, HIPQUIZ_DATA=str(data or root / f"warm-{label}")))
        times: dict[str, list[float]] = {label: [] for label, *_ in starts}
        completes: dict[str, list[float]] = {label: [] for label, *_ in starts}
        # Round by round, so that the machine's load weighs on the bare app and hipquiz alike.
        for run in range(args.runs):
            for label, data, argv, shown, run_env in starts:
                folder = data or root / f"fresh-{len(times[label])}-{label}"
                times[label].append(time_to_text(argv, shown, dict(run_env, HIPQUIZ_DATA=str(folder)),
                                                 complete=completes[label]))
        rows = [(label, statistics.median(times[label]), statistics.median(completes[label]))
                for label, *_ in starts]
        base, base_complete = rows[0][1], rows[0][2]
        quick = rows[1][1]
        print(f"{'cold start to first card':<30} {'median ms':>10} {'× bare':>7} {'complete ms':>12} {'× bare':>7} "
              f"{'× bare 0.2':>10}")
        for label, seconds, complete in rows:
            print(f"{label:<30} {seconds * 1000:>10.0f} {seconds / base:>7.2f} {complete * 1000:>12.0f} "
                  f"{complete / base_complete:>7.2f} {seconds / quick:>10.2f}")
        if args.breakdown:
            fresh = breakdown(env, root, args.runs, None)
            full = breakdown(env, root, args.runs, big)
            print(f"\n{'where the time goes (median ms)':<36} {'fresh':>7} {'100k':>7}")
            for (label, _part), a, b in zip(PARTS, fresh, full):
                print(f"{label:<36} {a * 1000:>7.0f} {b * 1000:>7.0f}")
            print(f"{'total, probed (first card seen)':<36} {fresh[-1] * 1000:>7.0f} {full[-1] * 1000:>7.0f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
