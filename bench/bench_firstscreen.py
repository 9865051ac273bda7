"""The Textual part of a cold start (compose, style, paint the first card), in CPU time.

    python bench/bench_firstscreen.py [--runs 15] [--old DIR]

bench_coldstart.py times whole starts in a pseudo-terminal, where this shared machine's load moves a
single run by ±50 ms: more than a change of 5-25 ms to the styling. This runs ``hipquiz study
hip-anatomy`` headless (80×24) in a new process each time, and a bare Textual app (a Static and a
Footer, as bench_coldstart's) the same way, and measures from ``App.run``:

- *first card*: until the first frame the app would write to a terminal (outside Textual's start-up
  batch, whose frames are dropped) holds the study screen's progress line ("done"), or the bare
  app's text. Textual skips writing in a headless app; the frame is turned into the bytes a terminal
  would get all the same (counted in the time). The process's CPU time (what the load does not
  change) and the wall time.
- *complete*: until the first frame written once the study screen is complete and answers keys
  (its buttons, footer and the card's other widgets mounted, ``StudyScreen.ready``); for the bare
  app, the first frame with its footer's keys (Ctrl+P "palette").
- the CPU time Textual spent until the first card parsing CSS (``Stylesheet.parse``) and restyling
  widgets already styled (``Stylesheet.update_nodes``: class, focus and size changes, a new theme;
  without the parsing it sets off), and how many times it refreshed the whole CSS
  (``App.refresh_css``) until the screen was complete.

Once on a fresh data folder, once on a folder with a saved theme (nord). ``--old DIR`` runs an older
checkout (``git worktree add DIR REV``) in the same rounds, alternating. Prints medians, and the
ratios of hipquiz's first card to the bare app's in the same rounds.
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
    """Run hipquiz with ``argv`` (or the bare app, ``--bare``) headless and print what it measured
    as JSON."""
    import time

    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    bare = argv == ["--bare"]
    found: dict[str, float] = {"parse": 0.0, "restyle": 0.0, "refresh_css": 0}
    started = {"cpu": 0.0, "wall": 0.0}
    first_seen = False

    def timed(cls, name, label):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            start, parsed = time.process_time(), found["parse"]
            try:
                return original(*args, **kwargs)
            finally:
                if not first_seen:
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
    display = App._display

    def note(name: str) -> None:
        found[f"{name} cpu"] = time.process_time() - started["cpu"]
        found[f"{name} wall"] = time.perf_counter() - started["wall"]

    def written(app, screen, renderable) -> None:
        """The frame as a terminal would get it (what ``App._display`` writes outside a headless
        app), checked for what the first card and the complete screen show."""
        nonlocal first_seen
        display(app, screen, renderable)
        if renderable is None or app._batch_count or not hasattr(renderable, "render_segments"):
            return
        text = renderable.render_segments(app.console)
        if not first_seen and ("first card on screen" if bare else "done") in text:
            first_seen = True
            note("first")
        # A study screen without ``ready`` (an --old checkout) is complete from its first frame.
        complete = "palette" in text if bare else getattr(screen, "ready", True)
        if first_seen and complete:
            note("complete")
            app.exit()

    App._display = written

    def run_headless(run):
        def headless(app, *args, **kwargs):
            started.update(cpu=time.process_time(), wall=time.perf_counter())
            return run(app, headless=True, size=(80, 24))
        return headless

    if bare:
        from textual.widgets import Footer, Static

        class Bare(App):
            def compose(self):
                yield Static("first card on screen")
                yield Footer()

        Bare.run = run_headless(Bare.run)
        Bare().run()
    else:
        import hipquiz.cli as cli
        from hipquiz.tui.app import HipquizApp

        HipquizApp.run = run_headless(HipquizApp.run)
        cli.main(argv)
    print(json.dumps(found))


def measure(checkout: Path | None, data: Path) -> dict[str, float]:
    """One run of ``checkout``'s hipquiz (None: the bare app) in a new process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
    env.update(HIPQUIZ_DATA=str(data), TEXTUAL_COLOR_SYSTEM="256")
    if checkout is not None:
        env.update(PYTHONPATH=str(checkout))
    argv = ["--bare"] if checkout is None else ["study", "hip-anatomy"]
    out = subprocess.run([sys.executable, str(HERE), "--child", *argv], env=env,
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
        measure(None, root / "warm-bare")
        for _label, checkout in checkouts:  # untimed: bytecode written, caches filled
            measure(checkout, root / f"warm-{_label}")
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        for run in range(args.runs):
            # Round by round, so that the machine's load weighs on the bare app and hipquiz alike.
            results.setdefault(("bare Textual app", ""), []).append(measure(None, root / f"bare-{run}"))
            for case, data in cases:
                for label, checkout in checkouts:
                    folder = data or root / f"fresh-{label}-{run}"
                    results.setdefault((case, label), []).append(measure(checkout, folder))
        medians = {key: {name: statistics.median(row[name] for row in rows) for name in rows[0]}
                   for key, rows in results.items()}
        bare = medians[("bare Textual app", "")]
        print(f"{'headless 80x24, medians':<26} {'first card':>16} {'× bare':>7} {'complete':>16} "
              f"{'parse':>6} {'restyle':>8} {'CSS':>4}")
        print(f"{'':<26} {'CPU ms / wall ms':>16} {'CPU':>7} {'CPU ms / wall ms':>16} "
              f"{'CPU ms':>6} {'CPU ms':>8} {'refr':>4}")
        for (case, label), med in medians.items():
            name = case + (f" ({label})" if label else "")
            first = f"{med['first cpu'] * 1000:.1f} / {med['first wall'] * 1000:.0f}"
            complete = f"{med['complete cpu'] * 1000:.0f} / {med['complete wall'] * 1000:.0f}"
            print(f"{name:<26} {first:>16} {med['first cpu'] / bare['first cpu']:>7.2f} {complete:>16} "
                  f"{med['parse'] * 1000:>6.1f} {med['restyle'] * 1000:>8.1f} {med['refresh_css']:>4.0f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
