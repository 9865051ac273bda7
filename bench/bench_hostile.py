"""How long hipquiz takes on hostile or damaged files (issue 11): each should be linear or refused at once.

    python bench/bench_hostile.py

Prints, in seconds:
- ``doctor --repair`` of a damaged log file of 1, 2, 4 and 8 MB (garbage between records, a record
  cut in half): salvaged line by line, so doubling the size about doubles the time (it took ~3
  minutes at 8 MB when every '{' was re-scanned to the end of the file);
- ``stats`` with a 200 MB log file in the data folder (refused at once, not parsed for 12 s);
- ``validate`` of a 20 MB deck file (refused at once, not parsed for 11-20 s).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))

from store_helpers import T0, progress, review  # noqa: E402

from hipquiz.cli import main  # noqa: E402
from hipquiz.core.store import logline, repair_store, write_store  # noqa: E402


def damaged_log_store(folder: Path, megabytes: int) -> None:
    """A store whose day log (an appendable .jsonl) of ``megabytes`` has garbage after every seventh
    line and one line cut in half."""
    write_store(folder, [progress("d/a/c", 1)], [(review("r0", "d/a/c", T0, None), progress("d/a/c", 1))])
    for sealed in (folder / "log").glob("20*.jsonl.gz"):
        sealed.unlink()
    lines, size, n = [], 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        line = logline.encode_review(review(f"r{n}", "d/a/c", T0 + timedelta(seconds=n), progress("d/a/c", 1)),
                                     progress("d/a/c", 2).to_dict())
        lines.append(line.rstrip(b"\n") + (b" {{ [" if n % 7 == 0 else b""))
        size += len(line)
    lines[len(lines) // 2] = lines[len(lines) // 2][:40]
    (folder / "log" / "2024-05-01.jsonl").write_bytes(b"\n".join(lines) + b"\n")


def timed(action) -> float:
    start = time.perf_counter()
    with redirect_stdout(StringIO()), redirect_stderr(StringIO()):
        action()
    return time.perf_counter() - start


def main_bench() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print("repair of a damaged log file (seconds):")
        for megabytes in (1, 2, 4, 8):
            folder = root / f"repair-{megabytes}"
            damaged_log_store(folder, megabytes)
            seconds = timed(lambda: repair_store(folder, now=lambda: T0))
            print(f"  {megabytes} MB: {seconds:6.2f}")
        folder = root / "huge-log"
        write_store(folder, [progress("d/a/c", 1)], [(review("r0", "d/a/c", T0, None), progress("d/a/c", 1))])
        (folder / "log" / "totals.json").unlink(missing_ok=True)  # (so that stats reads the log)
        with open(next((folder / "log").glob("20*.jsonl*")), "ab") as handle:
            handle.truncate(200_000_000)
        print(f"stats with a 200 MB log file: {timed(lambda: main(['--data', str(folder), 'stats'])):.2f} s (refused)")
        deck = root / "huge.toml"
        with open(deck, "wb") as handle:
            handle.write(b'[deck]\nid = "huge"\nname = "Huge"\n')
            handle.write(b"# " + b"x" * 20_000_000 + b"\n")
        print(f"validate a 20 MB deck: {timed(lambda: main(['validate', str(deck)])):.2f} s (refused)")
        os.sync()


if __name__ == "__main__":
    main_bench()
