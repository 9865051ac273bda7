"""The Textual part of a cold start (compose, style, paint the first card), in CPU time.

    python bench/bench_firstscreen.py [--runs 15] [--old DIR]

bench_coldstart.py times whole starts in a pseudo-terminal, where this shared machine's load moves a
single run by ±50 ms: more than a change of 5-25 ms to the styling. This runs ``hipquiz study
hip-anatomy`` headless (80×24) in a new process each time and measures, from ``App.run`` to the
first card painted, the process's CPU time (what the load does not change), the wall time, the CPU
time Textual spent parsing CSS (``Stylesheet.parse``) and restyling widgets already styled
(``Stylesheet.update_nodes``: class, focus and size changes, a new theme; without the parsing
it sets off), and how many times it
refreshed the whole CSS (``App.refresh_css``). Once on a fresh data folder, once on a folder with a
saved theme (nord). ``--old DIR`` runs an older checkout (``git worktree add DIR REV``) in the same
rounds, alternating. Prints medians.
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
from pathlib import Path

HERE = Path(__file__).resolve()


def child(argv: list[str]) -> None:
    """Run hipquiz with ``argv`` headless and print what it measured as JSON."""
    import time

    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    import hipquiz.cli as cli
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.study import StudyScreen

    found = {"parse": 0.0, "restyle": 0.0, "refresh_css": 0}

    def timed(cls, name, label):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            start, parsed = time.process_time(), found["parse"]
            try:
                return original(*args, **kwargs)
            finally:
                # A restyle can parse (a widget's new CSS): that time counts as parsing only.
                found[label] += time.process_time() - start - (found["parse"] - parsed)
        setattr(cls, name, wrapper)

    timed(Stylesheet, "parse", "parse")
    timed(Stylesheet, "update_nodes", "restyle")
    refresh_css = App.refresh_css

    def counted(app, *args, **kwargs):
        found["refresh_css"] += 1
        return refresh_css(app, *args, **kwargs)

    App.refresh_css = counted
    run = HipquizApp.run

    def headless(app, *args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()

        def painted() -> None:
            if isinstance(app.screen, StudyScreen):
                found["cpu"] = time.process_time() - cpu
                found["wall"] = time.perf_counter() - wall
                app.exit()
            else:
                app.call_after_refresh(painted)

        app.call_after_refresh(painted)
        return run(app, headless=True, size=(80, 24))

    HipquizApp.run = headless
    cli.main(argv)
    print(json.dumps(found))


def measure(checkout: Path, data: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(PYTHONPATH=str(checkout), HIPQUIZ_DATA=str(data), TEXTUAL_COLOR_SYSTEM="256")
    out = subprocess.run([sys.executable, str(HERE), "--child", "study", "hip-anatomy"], env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--old", metavar="DIR", help="also run the hipquiz checkout in DIR, alternating")
    args = parser.parse_args()
    checkouts = [("now", HERE.parents[1])] + ([("old", Path(args.old).resolve())] if args.old else [])
    root = Path(tempfile.mkdtemp(prefix="hipquiz-first-"))
    try:
        themed = root / "themed"
        sys.path.insert(0, str(HERE.parents[1]))
        from hipquiz.core.store import Store

        with Store.open(themed) as store:
            store.set_setting("theme", "nord")
        cases = [("fresh", None), ("saved theme", themed)]
        for _label, checkout in checkouts:  # untimed: bytecode written, caches filled
            measure(checkout, root / f"warm-{_label}")
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        for run in range(args.runs):
            for case, data in cases:
                for label, checkout in checkouts:
                    folder = data or root / f"fresh-{label}-{run}"
                    results.setdefault((case, label), []).append(measure(checkout, folder))
        print(f"{'first card, headless 80x24':<26} {'CPU ms':>7} {'wall ms':>8} {'parse CPU':>10} "
              f"{'restyle CPU':>12} {'CSS refreshes':>14}")
        for (case, label), rows in results.items():
            med = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
            print(f"{case + ' (' + label + ')':<26} {med['cpu'] * 1000:>7.0f} {med['wall'] * 1000:>8.0f} "
                  f"{med['parse'] * 1000:>10.1f} {med['restyle'] * 1000:>12.1f} {med['refresh_css']:>14.0f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
