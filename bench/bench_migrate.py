"""What converting a long schema-2 history to schema 3 costs, the first time and after.

    python bench/bench_migrate.py [--reviews 100000] [--cards 10000]

Writes a schema-2 data folder as hipquiz 0.1 (issue 11) left it: TinyDB log files of 200 reviews
each, every review with both card states whole, the same steady history as ``bench_store.build``
(about 100 reviews a day). Then, each in a fresh process, on fresh copies of it:

* *writer open*: ``Store.open`` + ``close``, the first start of the app after the upgrade;
* *stats, first*: ``hipquiz stats`` on the schema-2 folder (converts it on disk, once);
* *stats, again*: ``hipquiz stats`` once more (nothing left to convert);
* *reader, in memory*: ``Store.open(read_only=True)`` while another process holds the folder
  (the conversion is made in memory and not kept).

Prints wall seconds and peak resident memory (MB) of each process.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_store import TODAY, card  # noqa: E402

from hipquiz.core.model import ReviewRecord  # noqa: E402
from hipquiz.core.store.files import encode_tables  # noqa: E402
from hipquiz.core.store.layout import shard_name, utc_day  # noqa: E402

CHUNK = 200  # schema 2's reviews per log file


def build_schema2(folder: Path, n_reviews: int, n_cards: int) -> None:
    import random
    from datetime import timedelta

    rng = random.Random(n_reviews)
    card_ids = [f"hip-muscles/n{i:05d}/{rng.choice(['name', 'action', 'nerve'])}" for i in range(n_cards)]
    days = max(1, n_reviews // 100)
    start = TODAY - timedelta(days=days)
    state = {}
    logs: dict[str, list[dict]] = {}
    for i in range(n_reviews):
        at = start + timedelta(seconds=i * days * 86400 / n_reviews)
        cid = card_ids[i % n_cards] if i < n_cards else rng.choice(card_ids)
        before = state.get(cid)
        after = card(cid, (before.reps if before else 0) + 1, at)
        review = ReviewRecord(f"r{i}", cid, rng.randint(1, 4), at, 4200, "typed", before)
        logs.setdefault(utc_day(at), []).append({**review.to_dict(), "after": after.to_dict()})
        state[cid] = after
    for cid in card_ids:
        state.setdefault(cid, card(cid, 1, start))
    (folder / "cards").mkdir(parents=True)
    (folder / "log").mkdir()
    shards: dict[str, dict] = {}
    for progress in state.values():
        table = shards.setdefault(shard_name(progress.card_id), {})
        table[str(len(table) + 1)] = progress.to_dict()
    for rel, table in shards.items():
        (folder / rel).write_bytes(encode_tables({"cards": table}))
    for day, docs in logs.items():
        for n in range(0, len(docs), CHUNK):
            name = f"{day}.json" if n == 0 else f"{day}.{n // CHUNK + 1}.json"
            table = {str(k + 1): doc for k, doc in enumerate(docs[n:n + CHUNK])}
            (folder / "log" / name).write_bytes(encode_tables({"reviews": table}))
    (folder / "meta.json").write_bytes(encode_tables({"meta": {"1": {"schema": 2, "app": "hipquiz"}},
                                                      "settings": {"1": {}}, "aliases": {"1": {}}}))


CHILD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
t = time.perf_counter()
{body}
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

WRITER = "from hipquiz.core.store import Store\nStore.open(Path(sys.argv[1]), notice=lambda _: None).close()"
STATS = ("from hipquiz.cli import main\nimport contextlib, io\n"
         "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
         "    main(['--data', sys.argv[1], 'stats'])")
READER = ("from hipquiz.core.store import Store\n"
          "Store.open(Path(sys.argv[1]), read_only=True, notice=lambda _: None).close()")


def run(body: str, folder: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), body=body), str(folder)],
                         check=True, capture_output=True, text=True).stdout.split()
    return float(out[-2]), float(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        original = Path(tmp) / "schema2"
        t = time.perf_counter()
        build_schema2(original, args.reviews, args.cards)
        size = sum(p.stat().st_size for p in original.rglob("*") if p.is_file())
        print(f"schema-2 folder: {args.reviews:,} reviews, {args.cards:,} cards, {size / 1e6:.0f} MB "
              f"(built in {time.perf_counter() - t:.1f} s)")
        print(f"{'':<22}{'seconds':>9}{'peak MB':>9}")

        def fresh(name: str) -> Path:
            copy = Path(tmp) / name
            shutil.copytree(original, copy)
            return copy

        seconds, mb = run(WRITER, fresh("writer"))
        print(f"{'writer open':<22}{seconds:>9.2f}{mb:>9.0f}")
        folder = fresh("stats")
        for label in ("stats, first", "stats, again"):
            seconds, mb = run(STATS, folder)
            print(f"{label:<22}{seconds:>9.2f}{mb:>9.0f}")
        folder = fresh("held")
        holder = subprocess.Popen([sys.executable, "-c", f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                                   "from pathlib import Path\nfrom hipquiz.core.store.lock import Lock\n"
                                   "Lock.acquire(Path(sys.argv[1]))\nprint('ready', flush=True)\nsys.stdin.read()",
                                   str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "ready"
            seconds, mb = run(READER, folder)
            print(f"{'reader, in memory':<22}{seconds:>9.2f}{mb:>9.0f}")
        finally:
            holder.stdin.close()
            holder.wait()


if __name__ == "__main__":
    main()
