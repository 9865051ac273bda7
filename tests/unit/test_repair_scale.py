"""Repair of a large damaged log file goes line by line: every record on an intact line is saved."""

from __future__ import annotations

import gzip

from store_helpers import T0, history

from hipquiz.core.store import check_store, repair_store, write_store
from hipquiz.core.store.repair import SCAN_LIMIT


def test_a_large_damaged_log_is_salvaged_line_by_line(tmp_path):
    data = tmp_path / "data"
    cards, pairs = history(200, 20)
    write_store(data, cards.values(), pairs)
    sealed = sorted((data / "log").glob("20*.jsonl.gz"))[0]
    log_file = sealed.with_suffix("")  # the day as an appendable file (as it is until the day is over)
    log_file.write_bytes(gzip.decompress(sealed.read_bytes()))
    sealed.unlink()
    lines = log_file.read_bytes().split(b"\n")
    assert len(lines) > 150
    # Garbage between the records, a record cut in half, and the file padded past the size where
    # the quadratic scan stops being used.
    damaged = b"\n".join(line + (b" {{ [" if i % 7 == 0 else b"") for i, line in enumerate(lines))
    damaged = damaged.replace(lines[50], lines[50][: len(lines[50]) // 2])
    log_file.write_bytes(damaged + b"\n" + b"{" * (SCAN_LIMIT + 1))
    report = repair_store(data, now=lambda: T0)
    assert report.reviews_salvaged == 199 and check_store(data) == []
