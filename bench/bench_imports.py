"""What hipquiz imports and does on the way to the first card, in CPU time (steady under load).

    python bench/bench_imports.py [--runs 15] [--old DIR]

Three figures, each from new processes, medians (and the least) of ``--runs``:

* **to App.run**: what the pseudo-terminal timeline (``python /work/tools/drive.py study``) shows
  between "hipquiz.cli imported" and "App.run": Textual's app and terminal driver are imported
  first (as that timeline's wrapper does), then ``hipquiz.cli`` is imported and ``hipquiz study
  hip-anatomy`` runs until it calls ``App.run``: the CPU time of that span (reading the command
  line, importing the core and the UI, loading the decks, opening the store, making the app).
* **import hipquiz**: a process imports Textual as the bare app of bench_coldstart.py does, then
  what ``coldstart_probe.py`` counts as "import hipquiz (core + UI)" (the command line, the
  collection, the study session and the app; no longer the lexicon, which the first card does
  without): the CPU and wall time of that second step, and how many modules it added.
* **first card**: ``hipquiz study hip-anatomy`` run headless (80x24) on a fresh data folder, as
  the command runs it (its own ``main``): the process's CPU time from its start to the first frame
  written that shows the card; the same for ``hipquiz`` to the first frame of the home screen
  ("home"); and for the bare app of bench_coldstart.py (its first frame), for the ratio.

The study screen's module is imported when the first study screen is made, inside ``App.run``
(the home screen's start does without it), so "to App.run" leaves it out; "import hipquiz"
imports it, as the first card needs it.

``--old DIR`` measures an older checkout (``git worktree add DIR REV``) too, in the same rounds,
alternately. Bytecode is compiled first (one untimed run each), as an installed hipquiz has it. On
this shared 2-core machine wall times swing with the others' load; a process's CPU time hardly
does, so it is the figure to compare (it leaves out time spent waiting for the disk or the
terminal, which the pseudo-terminal bench, bench_coldstart.py, includes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

IMPORTS = """
import importlib, json, sys, time
importlib.import_module("textual.app")
widgets = importlib.import_module("textual.widgets")
widgets.Static, widgets.Footer
before = len(sys.modules)
cpu, wall = time.process_time(), time.perf_counter()
import hipquiz.cli
from hipquiz.core.collection import Collection
from hipquiz.core.session import StudySession
from hipquiz.tui.app import HipquizApp
from hipquiz.tui.screens.study import StudyScreen
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "modules": len(sys.modules) - before, "from": hipquiz.__file__}))
"""

TO_RUN = """
import json, sys, time
import textual.app
from textual.drivers.linux_driver import LinuxDriver
from textual.app import App

def stop(self, *args, **kwargs):
    seen["cpu"] = time.process_time() - start
    raise SystemExit(0)

App.run = stop
seen = {}
import hipquiz.cli as cli
start = time.process_time()
try:
    cli.main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(dict(seen, **{"from": cli.__file__})))
"""

# `hipquiz study hip-anatomy` (or `hipquiz`) as the command runs it, headless; App._display (where
# Textual writes each frame) is wrapped, once the command imports the app, to note the CPU time at
# the first frame that shows a card (or the home screen), and to quit. Screens are told by their
# class's name: importing the study screen here would import it for the home screen too.
FIRST_CARD = """
import json, sys, time
import hipquiz.cli as cli
run_app = cli._run_app

def noting_run_app(*args, **kwargs):
    from hipquiz.tui.app import HipquizApp

    display, run = HipquizApp._display, HipquizApp.run

    def noting_display(self, screen, renderable):
        name = type(screen).__name__
        shown = name == "HomeScreen" or (name == "StudyScreen" and screen.card)
        if renderable is not None and shown and not seen:
            seen["cpu"] = time.process_time()
            self.call_later(self.exit)
        return display(self, screen, renderable)

    HipquizApp._display = noting_display
    HipquizApp.run = lambda self, *a, **k: run(self, headless=True, size=(80, 24))
    return run_app(*args, **kwargs)

seen = {}
cli._run_app = noting_run_app
cli.main(sys.argv[1:])
print(json.dumps(dict(seen, **{"from": cli.__file__})))
"""

BARE = """
import json, time
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("first card on screen")
        yield Footer()

    def _display(self, screen, renderable):
        if renderable is not None and not seen:
            seen["cpu"] = time.process_time()
            self.call_later(self.exit)
        return super()._display(screen, renderable)

seen = {}
Bare().run(headless=True, size=(80, 24))
print(json.dumps(dict(seen, **{"from": "textual"})))
"""


def run(code: str, tree: Path, env: dict[str, str], *args: str) -> dict:
    # In the checkout: "python -c" puts the working folder first on the path.
    done = subprocess.run([sys.executable, "-c", code, *args], env=dict(env, PYTHONPATH=str(tree)), cwd=tree,
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if found["from"] != "textual" and not found["from"].startswith(str(tree)):
        raise SystemExit(f"imported {found['from']}, not the checkout in {tree}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--old", metavar="DIR", help="also measure the hipquiz checkout in DIR (before/after)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL", "PYTEST")) and k not in ("PYTHONDONTWRITEBYTECODE", "HIPQUIZ_DATA")}
    trees = [("this checkout", HERE)] + ([("--old", Path(args.old).resolve())] if args.old else [])
    imports: dict[str, list[dict]] = {label: [] for label, _ in trees}
    to_run: dict[str, list[float]] = {label: [] for label, _ in trees}
    screens = [(label, tree, ("study", "hip-anatomy")) for label, tree in trees]
    screens += [(f"{label}, home", tree, ()) for label, tree in trees]
    cards: dict[str, list[float]] = {label: [] for label, *_ in screens + [("bare Textual app", HERE, ())]}
    with tempfile.TemporaryDirectory(prefix="hipquiz-imports-") as root:
        def first_card(label: str, tree: Path, command: tuple[str, ...], n: int) -> float:
            if label == "bare Textual app":
                return run(BARE, tree, env)["cpu"]
            return run(FIRST_CARD, tree, env, "--data", f"{root}/{label}-{n}", *command)["cpu"]

        for label, tree in trees:  # untimed: compiles the bytecode, fills the parse cache
            run(IMPORTS, tree, env)
            first_card(label, tree, ("study", "hip-anatomy"), -1)
        for n in range(args.runs):
            for label, tree in trees:
                imports[label].append(run(IMPORTS, tree, env))
                study = ("--data", f"{root}/{label}-run-{n}", "study", "hip-anatomy")
                to_run[label].append(run(TO_RUN, tree, env, *study)["cpu"] * 1000)
            for label, tree, command in screens + [("bare Textual app", HERE, ())]:
                cards[label].append(first_card(label, tree, command, n) * 1000)
    print(f"{'import hipquiz (core + UI)':<28} {'CPU ms':>7} {'least':>6} {'wall ms':>8} {'modules':>8}")
    for label, found in imports.items():
        cpu = [r["cpu"] * 1000 for r in found]
        wall = [r["wall"] * 1000 for r in found]
        print(f"{label:<28} {statistics.median(cpu):>7.1f} {min(cpu):>6.1f} {statistics.median(wall):>8.1f} "
              f"{found[0]['modules']:>8}")
    print(f"\n{'hipquiz.cli imported -> App.run':<32} {'CPU ms':>7} {'least':>6}")
    for label, found in to_run.items():
        print(f"{label:<32} {statistics.median(found):>7.1f} {min(found):>6.1f}")
    bare = statistics.median(cards["bare Textual app"])
    print(f"\n{'CPU to the first card (home)':<28} {'CPU ms':>7} {'least':>6} {'× bare':>8}")
    for label, found in cards.items():
        print(f"{label:<28} {statistics.median(found):>7.0f} {min(found):>6.0f} {statistics.median(found) / bare:>8.2f}")


if __name__ == "__main__":
    main()
