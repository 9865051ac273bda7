"""Schema 2 -> 3 on a real schema-2 data folder: ``tests/data/schema2/store``, written by hipquiz's
own schema-2 code (main at 9dc119e, see ``make_fixture.py`` beside it): four days of real scheduler
states, a day of 410 reviews in three log files, cram reviews, a suspended card, settings, aliases,
the statistics totals."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core.model import CardProgress, ReviewRecord
from hipquiz.core.store import SCHEMA_VERSION, Store, check_store, restore_backup
from hipquiz.core.store.lock import Lock

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "schema2" / "store"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def schema2_contents(folder: Path):
    """What the schema-2 files hold, read straight from their JSON (not through the store)."""
    meta = json.loads((folder / "meta.json").read_text())
    cards = {}
    for shard in sorted((folder / "cards").glob("*.json")):
        for doc in json.loads(shard.read_text())["cards"].values():
            cards[doc["card_id"]] = CardProgress.from_dict(doc)

    def order(path: Path):
        day, _, chunk = path.name.removesuffix(".json").partition(".")
        return day, int(chunk or 1)

    reviews = []
    for log in sorted((folder / "log").glob("20*.json"), key=order):
        table = json.loads(log.read_text())["reviews"]
        reviews += [ReviewRecord.from_dict(table[k]) for k in sorted(table, key=int)]
    return meta["settings"]["1"], meta["aliases"]["1"], cards, reviews


def whole(review: ReviewRecord) -> dict:
    return review.to_dict()  # (== on ReviewRecord leaves ``previous`` out)


def test_a_real_schema2_folder_is_migrated_whole_and_undo_still_works(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    settings, aliases, cards, reviews = schema2_contents(data)
    assert len(reviews) == 462 and len(list((data / "log").glob("2026-11-21*.json"))) == 3
    assert any(r.cram for r in reviews) and any(c.suspended for c in cards.values())
    schema2_log = sum(p.stat().st_size for p in (data / "log").glob("20*.json"))
    files_before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}

    old_hipquiz = Lock.acquire(data)  # a reader beside a writer: migrated in memory, nothing changes
    try:
        with Store.open(data, read_only=True) as reader:
            assert reader.all_progress() == cards and len(reader.reviews()) == 462
    finally:
        old_hipquiz.release()
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file() and p.name != "hipquiz.lock"} == {
        p: b for p, b in files_before.items() if p.name != "hipquiz.lock"}

    with Store.open(data, now=lambda: NOW) as store:
        with monkeypatch.context() as m:  # the statistics totals come through: no recount
            m.setattr(Store, "_rebuild_totals", lambda self: pytest.fail("the totals were counted again"))
            assert store.review_count() == 462 and len(store.review_history().days) >= 4
        assert store.all_progress() == cards
        assert [whole(r) for r in store.reviews()] == [whole(r) for r in reviews]
        assert {k: store.get_setting(k) for k in settings} == settings and store.aliases() == aliases
        undone = store.undo_last_review()
        assert whole(undone) == whole(reviews[-1])
        assert store.progress(undone.card_id) == reviews[-1].previous
    with Store.open(data, now=lambda: NOW) as store:
        assert store.progress(undone.card_id) == reviews[-1].previous and store.review_count() == 461
        assert [whole(r) for r in store.reviews()] == [whole(r) for r in reviews[:-1]]
    meta = json.loads((data / "meta.json").read_text())
    assert meta["meta"]["1"]["schema"] == SCHEMA_VERSION == 3
    assert sorted(p.name for p in (data / "log").iterdir() if p.name.startswith("20")) == [
        f"2026-11-{d}.jsonl.gz" for d in (20, 21, 22, 24)]
    assert not (data / "log" / "index.json").exists()
    # The log is a quarter of schema 2's (or less): one state whole, the other as what changed.
    assert 4 * sum(p.stat().st_size for p in (data / "log").glob("20*.gz")) < schema2_log
    assert check_store(data) == []
    assert main(["--data", str(data), "stats", "--json"]) == 0

    # The copy kept before migrating holds the schema-2 files; restoring it migrates them again.
    [copy] = (data / "backups").glob("before-schema-3-*.zip")
    restore_backup(data, copy.stem, now=lambda: NOW)
    assert len(list((data / "log").glob("20*.json"))) == 6
    with Store.open(data, now=lambda: NOW) as store:
        assert store.review_count() == 462 and store.all_progress() == cards
