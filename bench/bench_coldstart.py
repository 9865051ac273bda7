"""Cold start to the first card, in a real pseudo-terminal, against a bare Textual app.

    python bench/bench_coldstart.py [--runs 5]

Times from starting the process to the first question on the screen (``hipquiz study hip-anatomy``)
with a fresh data folder and with a history of 100,000 reviews, and the same for a bare Textual app
that shows one line of text; prints the medians and the ratios to the bare app. Each run is a new
process, as a person starting hipquiz from the shell.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pexpect
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402

from hipquiz.core.store import Store  # noqa: E402

BARE = textwrap.dedent("""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Bare(App):
        def compose(self):
            yield Static("first card on screen")
            yield Footer()

    Bare().run()
""")


def time_to_text(argv: list[str], text: str, env: dict[str, str]) -> float:
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(24, 80))
    try:
        while time.perf_counter() - start < 60:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            except pexpect.TIMEOUT:
                pass
            if text in "\n".join(screen.display):
                return time.perf_counter() - start
        raise RuntimeError(f"{text!r} did not appear")
    finally:
        child.terminate(force=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-cold-"))
    hipquiz = shutil.which("hipquiz") or str(Path(sys.executable).parent / "hipquiz")
    try:
        bare = root / "bare.py"
        bare.write_text(BARE)
        big = root / "big"
        build(big, 100_000, 10_000)
        # Today's backup already taken (as on any start but the day's first).
        Store.open(big, now=lambda: TODAY + timedelta(hours=1)).close()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))}
        env.update(TERM="xterm-256color")
        rows = []
        bare_times = [time_to_text([sys.executable, str(bare)], "first card on screen", env) for _ in range(args.runs)]
        rows.append(("bare Textual app", statistics.median(bare_times)))
        for label, data in (("hipquiz, fresh data folder", None), ("hipquiz, 100,000 reviews", big)):
            times = []
            for run in range(args.runs):
                folder = data or root / f"fresh-{run}"
                run_env = dict(env, HIPQUIZ_DATA=str(folder))
                times.append(time_to_text([hipquiz, "study", "hip-anatomy"], "done", run_env))
            rows.append((label, statistics.median(times)))
        base = rows[0][1]
        print(f"{'cold start to first card':<30} {'median ms':>10} {'× bare':>7}")
        for label, seconds in rows:
            print(f"{label:<30} {seconds * 1000:>10.0f} {seconds / base:>7.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
