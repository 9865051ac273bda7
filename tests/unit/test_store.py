"""The progress store: round trips, undo, settings, layout, migration, backups, doctor, CLI."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import T0, answer, damage_in_place, history, progress, review
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from hipquiz import cli_maintenance
from hipquiz.core.history import ReviewHistory
from hipquiz.core.store.lock import Lock
from hipquiz.core.store import files as store_files
from hipquiz.core.store import (
    SCHEMA_VERSION,
    AtomicJSONStorage,
    Store,
    StoreCorrupt,
    StoreError,
    StoreNotAFolder,
    StoreTooNew,
    check_store,
    list_backups,
    repair_store,
    restore_backup,
    shard_name,
    write_store,
)


def clock(start: datetime = T0):
    """A settable clock for Store.open(now=...)."""
    state = {"now": start}

    def now() -> datetime:
        return state["now"]

    now.set = lambda value: state.__setitem__("now", value)  # type: ignore[attr-defined]
    return now


@pytest.fixture(params=["folder", "memory"])
def make_store(request, tmp_path) -> Iterator:
    """Opens (and reopens) a store: a real folder, or TinyDB's MemoryStorage behind the same class."""
    opened: list[Store] = []
    memory: list[Store] = []

    def make(reopen: bool = False) -> Store:
        if request.param == "memory":
            if not memory:
                memory.append(Store.in_memory(now=lambda: T0))
            return memory[0]
        if reopen and opened:
            opened[-1].close()
        s = Store.open(tmp_path / "data", now=lambda: T0)
        opened.append(s)
        return s

    make.kind = request.param  # type: ignore[attr-defined]
    yield make
    for s in opened:
        s.close()


# -- round trips ------------------------------------------------------------------------------------


def test_progress_round_trip(make_store):
    s = make_store()
    a = progress("deck/n1/c", 3, suspended=True, buried_until=date(2024, 5, 3), leech=True)
    b = progress("deck/n2/c", 1)
    s.save_progress(a)
    s.save_progress(b)
    s.save_progress(b.with_changes(relearn=True))
    s = make_store(reopen=True)
    assert s.progress("deck/n1/c") == a
    assert s.progress("deck/n2/c") == b.with_changes(relearn=True)
    assert s.progress("nope") is None
    assert set(s.all_progress()) == {"deck/n1/c", "deck/n2/c"}


def test_reviews_round_trip_and_undo(make_store):
    s = make_store()
    recs = []
    for i in range(6):
        rec, _ = answer(s, f"r{i}", f"deck/n{i % 2}/c", T0 + timedelta(hours=7 * i))
        recs.append(rec)
    s = make_store(reopen=True)
    assert [r.id for r in s.reviews()] == [f"r{i}" for i in range(6)]
    assert s.reviews()[3].previous == recs[3].previous
    assert s.review_count() == 6
    assert [r.id for r in s.reviews(since=T0 + timedelta(hours=20))] == ["r3", "r4", "r5"]
    assert s.progress("deck/n1/c").reps == 3

    undone = s.undo_last_review()
    assert undone.id == "r5" and s.progress("deck/n1/c") == recs[5].previous
    s = make_store(reopen=True)
    assert s.review_count() == 5
    assert s.progress("deck/n1/c").reps == 2
    # Undoing a card's first review deletes its progress.
    for _ in range(4):
        s.undo_last_review()
    assert s.progress("deck/n1/c") is None and s.progress("deck/n0/c").reps == 1
    assert s.undo_last_review().id == "r0"
    assert s.undo_last_review() is None
    s = make_store(reopen=True)
    assert s.all_progress() == {} and s.reviews() == [] and s.review_count() == 0


def test_undo_skips_emptied_days(make_store):
    s = make_store()
    answer(s, "a", "x", T0)
    answer(s, "b", "y", T0 + timedelta(days=1))
    assert s.undo_last_review().id == "b"
    s = make_store(reopen=True)
    assert s.undo_last_review().id == "a"


def test_settings_and_aliases(make_store):
    s = make_store()
    assert s.get_setting("missing", 42) == 42
    s.set_setting("new_per_day", 20)
    s.set_setting("decks", {"hip": True, "list": [1, "x", None]})
    s.add_alias("hip/n1", "glute med")
    s.add_alias("hip/n1", "gluteus medius")
    s.add_alias("hip/n1", "glute med")
    s = make_store(reopen=True)
    assert s.get_setting("new_per_day") == 20
    value = s.get_setting("decks")
    value["hip"] = False  # a copy: the store is not changed behind its back
    assert s.get_setting("decks") == {"hip": True, "list": [1, "x", None]}
    assert s.aliases() == {"hip/n1": ["glute med", "gluteus medius"]}
    with pytest.raises(TypeError):
        s.set_setting("bad", object())


def test_review_and_progress_must_match(make_store):
    s = make_store()
    with pytest.raises(ValueError):
        s.record_review(review("r", "a", T0, None), progress("b"))


def test_progress_of_unknown_cards_is_kept(tmp_path):
    with Store.open(tmp_path) as s:
        s.save_progress(progress("deleted-deck/n1/c"))
    with Store.open(tmp_path) as s:
        assert s.progress("deleted-deck/n1/c") is not None


# -- the storage class --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["atomic", "memory"])
def test_storage_class_round_trip(tmp_path, kind):
    path = tmp_path / "x.json"
    make = (lambda: TinyDB(str(path), storage=AtomicJSONStorage)) if kind == "atomic" else None
    db = make() if make else TinyDB(storage=MemoryStorage)
    t = db.table("cards")
    ids = [t.insert({"n": i, "text": "é\n\"q\""}) for i in range(5)]
    t.remove(doc_ids=[ids[1]])
    t.update({"n": 99}, doc_ids=[ids[2]])
    db.table("empty")
    if make:
        db.close()
        db = make()
        json.loads(path.read_text("utf-8"))  # plain JSON that any tool can read
    assert [d["n"] for d in db.table("cards").all()] == [0, 99, 3, 4]


def test_storage_reads_the_file_only_once(tmp_path, monkeypatch):
    path = tmp_path / "x.json"
    db = TinyDB(str(path), storage=AtomicJSONStorage)
    db.insert({"a": 1})
    reads = []
    real = store_files.read_tables
    monkeypatch.setattr(store_files, "read_tables", lambda p: reads.append(p) or real(p))
    db2 = TinyDB(str(path), storage=AtomicJSONStorage)
    for _ in range(5):
        db2.insert({"a": 2})
        db2.all()
    assert len(reads) == 1


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8),
                       st.dictionaries(st.integers(1, 10**6).map(str),
                                       st.dictionaries(st.text(max_size=5),
                                                       st.one_of(st.none(), st.booleans(), st.integers(),
                                                                 st.text(), st.lists(st.integers()))),
                                       max_size=4), max_size=3))
def test_encoding_is_json_that_decodes_back(tables):
    encoded = store_files.encode_tables(tables)
    assert json.loads(encoded) == tables
    assert store_files.decode_tables(Path("x"), encoded) == tables


def test_layout_on_disk(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(30):
            answer(s, f"r{i}", f"d/n{i}/c", T0 + timedelta(hours=5 * i))
    assert (tmp_path / "meta.json").is_file() and (tmp_path / "hipquiz.lock").is_file()
    shards = sorted(p.name for p in (tmp_path / "cards").iterdir() if p.name != "index.tsv")
    assert 1 < len(shards) <= 30 and all(len(n) == len("00.json") for n in shards)
    assert (tmp_path / "cards" / "index.tsv").is_file()  # (a cache: see test_card_index.py)
    assert sorted(p.name for p in (tmp_path / "log").glob("2024-*")) == [
        f"2024-05-0{d}.jsonl" for d in range(1, 8)]  # (days after the clock's today: not sealed)
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["meta"]["1"]["schema"] == SCHEMA_VERSION
    # Each card lives in the shard its id hashes to, and nowhere else.
    for i in (1, 17):
        holders = [p.name for p in (tmp_path / "cards").glob("??.json") if f'"d/n{i}/c"' in p.read_text()]
        assert [f"cards/{name}" for name in holders] == [shard_name(f"d/n{i}/c")]
    assert not list(tmp_path.rglob("*.tmp"))


def test_open_reads_no_log_file_and_statistics_read_only_their_totals(tmp_path, monkeypatch):
    reviews = [(review(f"r{i}", f"c{i % 50}", T0 + timedelta(hours=3 * i), None), progress(f"c{i % 50}"))
               for i in range(400)]
    write_store(tmp_path, [progress(f"c{i}") for i in range(50)], reviews, durable=False)
    days = sorted({r.reviewed_at.date().isoformat() for r, _ in reviews})
    read: list[str] = []
    real = store_files.read_store_file
    monkeypatch.setattr(store_files, "read_store_file",
                        lambda p, **kw: read.append(p.parent.name + "/" + p.name) or real(p, **kw))

    def log_reads() -> list[str]:
        return [p for p in read if p.startswith("log/20")]

    listed: list[str] = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda p=".": listed.append(str(p)) or real_listdir(p))
    with Store.open(tmp_path, read_only=True) as s:
        assert log_reads() == [] and str(tmp_path / "log") not in listed  # not even the day names
        since = T0 + timedelta(days=len(days) - 3)
        assert [r.id for r in s.reviews(since=since)] == [r.id for r, _ in reviews if r.reviewed_at >= since]
        assert sorted(log_reads()) == [f"log/{d}.jsonl.gz" for d in days[-3:]]
    with Store.open(tmp_path) as s:
        assert s.review_count() == 400  # counted once, and the totals saved
    read.clear()
    with Store.open(tmp_path, read_only=True) as s:
        assert s.review_count() == 400 and s.review_history().count == 400
        assert log_reads() == []  # from log/totals.json: no day of the log is read


def test_stale_or_damaged_totals_are_counted_again(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "a", "x", T0)
        assert s.review_count() == 1
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "b", "x", T0 + timedelta(minutes=1))
        s._lock.release()  # killed: the totals saved at the last close are a review behind
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.review_count() == 2
    (tmp_path / "log" / "totals.json").write_text("garbage")
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.review_count() == 2


def test_after_a_crash_the_totals_count_only_the_lines_the_crashed_session_added(tmp_path, monkeypatch):
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(30):
            answer(s, f"r{i}", f"c{i % 7}", T0 + timedelta(minutes=i))
        assert s.review_count() == 30  # (counted, and saved at close)
    s = Store.open(tmp_path, now=lambda: T0)
    for i in range(30, 36):
        answer(s, f"r{i}", f"c{i % 7}", T0 + timedelta(minutes=i))
    s.undo_last_review()
    crash(s)  # the totals on disk are those of the 30 reviews
    monkeypatch.setattr(Store, "_rebuild_totals", lambda self: pytest.fail("the whole log was counted again"))
    for read_only in (True, False):
        with Store.open(tmp_path, read_only=read_only, now=lambda: T0) as s:
            totals = s.review_history()
            assert totals.count == 35 and totals.last_id == "r34"
            assert totals.days == ReviewHistory.from_reviews(s.reviews()).days


def crash(store: Store) -> None:
    """What SIGKILL leaves: no checkpoint, no close; the kernel drops the lock."""
    store._lock.release()
    store._closed = True


def test_a_killed_writer_loses_no_save_and_the_next_open_writes_the_cards(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
    s = Store.open(tmp_path, now=lambda: T0)
    _, after = answer(s, "r2", "x", T0 + timedelta(hours=1))
    _, other = answer(s, "r3", "y", T0 + timedelta(hours=2))
    crash(s)
    on_disk = lambda: json.loads((tmp_path / shard_name("x")).read_text())["cards"]["1"]["reps"]  # noqa: E731
    assert on_disk() == 1  # the card files were not rewritten by the saves...
    with Store.open(tmp_path, read_only=True) as s:  # ...but every reader sees the saved states
        assert s.progress("x") == after and s.progress("y") == other and s.review_count() == 3
    with Store.open(tmp_path, now=lambda: T0) as s:  # and the writer writes them at its checkpoint
        assert s.progress("x") == after
    assert on_disk() == 2 and not (tmp_path / "log" / "pending.json").exists()
    assert check_store(tmp_path) == []


def test_a_line_torn_by_a_crash_mid_save_is_dropped_and_the_log_goes_on(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
        s2 = s
        answer(s2, "r2", "x", T0 + timedelta(minutes=1))
        log = tmp_path / "log" / "2024-05-01.jsonl"
        whole = log.read_bytes()
        crash(s)
    with open(log, "ab") as handle:  # a save killed half-way through its line
        handle.write(b'{"id":"r3","card":"x","r":3,"at":"2024-05-01T09:0')
    with Store.open(tmp_path, read_only=True) as s:
        assert [r.id for r in s.reviews()] == ["r1", "r2"]
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert log.read_bytes() == whole  # the writer cut the torn line off
        answer(s, "r3", "x", T0 + timedelta(minutes=2))
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert [r.id for r in s.reviews()] == ["r1", "r2", "r3"] and s.progress("x").reps == 3
    assert check_store(tmp_path) == []


def test_roll_forward_does_not_undo_later_changes(tmp_path):
    with Store.open(tmp_path) as s:
        answer(s, "r1", "x", T0)
        s.save_progress(s.progress("x").with_changes(suspended=True))
    with Store.open(tmp_path) as s:
        assert s.progress("x").suspended


def test_read_only_store_refuses_writes(tmp_path):
    with Store.open(tmp_path) as s:
        answer(s, "r1", "x", T0)
    with Store.open(tmp_path, read_only=True) as s:
        assert s.read_only and s.review_count() == 1
        for write in (lambda: s.save_progress(progress("y")), lambda: s.set_setting("a", 1),
                      lambda: s.add_alias("a", "b"), s.undo_last_review,
                      lambda: answer(s, "r2", "x", T0)):
            with pytest.raises(StoreError, match="read-only"):
                write()


def test_read_only_open_of_a_missing_folder_creates_nothing(tmp_path):
    with Store.open(tmp_path / "none", read_only=True) as s:
        assert s.all_progress() == {} and s.reviews() == []
        assert s.is_new  # so the CLI can say "no progress saved yet" rather than show zeros
    assert not (tmp_path / "none").exists()


def test_is_new_tells_a_folder_without_progress_from_a_store(tmp_path):
    (tmp_path / "decks-only" / "decks").mkdir(parents=True)  # the data folder also holds the decks
    with Store.open(tmp_path / "decks-only", read_only=True) as s:
        assert s.is_new
    with Store.open(tmp_path / "data") as s:
        assert s.is_new
        s.save_progress(progress("x"))
    for read_only in (True, False):
        with Store.open(tmp_path / "data", read_only=read_only) as s:
            assert not s.is_new
    write_v1(tmp_path / "old")
    with Store.open(tmp_path / "old", read_only=True) as s:
        assert not s.is_new
    assert Store.in_memory().is_new


# -- the append-only log: one line per save, whatever the day holds ----------------------------------


def test_a_save_appends_one_line_and_rewrites_nothing_however_full_the_day(tmp_path, monkeypatch):
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(450):
            answer(s, f"r{i}", f"d/n{i % 30}/c", T0 + timedelta(seconds=20 * i))
        appended: list[bytes] = []
        replaced: list[Path] = []
        real_append, real_write = store_files.append_durably, store_files.atomic_write
        monkeypatch.setattr(store_files, "append_durably",
                            lambda path, data: appended.append(data) or real_append(path, data))
        monkeypatch.setattr(store_files, "atomic_write",
                            lambda path, data, **kw: replaced.append(path) or real_write(path, data, **kw))
        answer(s, "late", "d/n1/c", T0 + timedelta(hours=3))
        monkeypatch.undo()
    assert replaced == [] and len(appended) == 1 and appended[0].count(b"\n") == 1
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.review_count() == 451 and s.reviews()[-1].id == "late"
    assert check_store(tmp_path) == []


def test_a_line_stores_the_state_before_only_as_what_changed(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
        _, after = answer(s, "r2", "x", T0 + timedelta(days=1))
    line = json.loads((tmp_path / "log" / "2024-05-02.jsonl").read_text())
    assert "card_id" not in line["a"] and set(line["b"]) < {"fsrs", "due", "reps", "phase", "lapses"}
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.reviews()[-1].previous == progress("x", 1, at=T0)
        assert s.undo_last_review().id == "r2" and s.progress("x") == progress("x", 1, at=T0)


def test_a_busy_day_is_read_and_undone(make_store):
    s = make_store()
    n = 450
    for i in range(n):
        answer(s, f"r{i}", f"d/n{i % 30}/c", T0 + timedelta(seconds=20 * i))
    s = make_store(reopen=True)
    assert [r.id for r in s.reviews()] == [f"r{i}" for i in range(n)] and s.review_count() == n
    since = T0 + timedelta(seconds=20 * (n - 3))
    assert [r.id for r in s.reviews(since=since)] == [f"r{i}" for i in range(n - 3, n)]
    for i in reversed(range(n - 60, n)):
        assert s.undo_last_review().id == f"r{i}"
    s = make_store(reopen=True)
    assert s.review_count() == n - 60 and s.reviews()[-1].id == f"r{n - 61}"
    assert s.progress("d/n0/c").reps == len([i for i in range(n - 60) if i % 30 == 0])
    answer(s, "again", "d/n0/c", T0 + timedelta(hours=5))
    s = make_store(reopen=True)
    assert [r.id for r in s.reviews()][-2:] == [f"r{n - 61}", "again"]
    assert s.undo_last_review().id == "again"


def test_past_days_are_compressed_at_close_and_read_back(tmp_path):
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        for i in range(40):
            answer(s, f"r{i}", f"d/n{i % 7}/c", T0 + timedelta(minutes=i))
    assert (tmp_path / "log" / "2024-05-01.jsonl").is_file()  # today's stays appendable
    now.set(T0 + timedelta(days=1))
    with Store.open(tmp_path, now=now) as s:
        answer(s, "next", "d/n1/c", T0 + timedelta(days=1))
    names = sorted(p.name for p in (tmp_path / "log").glob("2024-*"))
    assert names == ["2024-05-01.jsonl.gz", "2024-05-02.jsonl"]
    # A review logged late (a clock behind) starts a new .jsonl beside the .gz; both are read.
    with Store.open(tmp_path, now=now) as s:
        answer(s, "late", "d/n2/c", T0 + timedelta(hours=2))
        assert [r.id for r in s.reviews()][-3:] == ["r39", "late", "next"]
        assert s.undo_review(s.reviews()[0]).id == "r0"  # an old one, from inside the .gz
    with Store.open(tmp_path, now=now) as s:
        assert [r.id for r in s.reviews()][:2] == ["r1", "r2"] and s.review_count() == 41
    assert sorted(p.name for p in (tmp_path / "log").glob("2024-*")) == names
    assert check_store(tmp_path) == []


def test_busy_day_through_write_store_backup_repair_and_restore(tmp_path):
    n = 450
    state, pairs = history(n, 20)
    write_store(tmp_path, state.values(), pairs, durable=False)
    now = clock(T0 + timedelta(days=1))
    with Store.open(tmp_path, now=now) as s:  # makes the backup of 2024-05-02
        assert s.review_count() == n and [r.id for r in s.reviews()] == [f"r{i}" for i in range(n)]
        assert s.all_progress() == state
    log = tmp_path / "log" / "2024-05-01.jsonl.gz"
    backup = unpacked_backup(tmp_path, "2024-05-02")
    assert (backup / "log" / "2024-05-01.jsonl.gz").read_bytes() == log.read_bytes()
    # A damaged day: doctor names it, repair salvages the lines it can still unpack.
    log.write_bytes(log.read_bytes()[: len(log.read_bytes()) // 2])
    assert [p for p in check_store(tmp_path) if "2024-05-01.jsonl.gz" in p]
    report = repair_store(tmp_path, now=now)
    assert report.ok and 0 < report.reviews_salvaged < n
    with Store.open(tmp_path, now=now) as s:
        assert [r.id for r in s.reviews()] == [f"r{i}" for i in range(report.reviews_salvaged)]
    restore_backup(tmp_path, "2024-05-02", now=now)
    with Store.open(tmp_path, now=now) as s:
        assert [r.id for r in s.reviews()] == [f"r{i}" for i in range(n)]


# -- migration ----------------------------------------------------------------------------------------


def write_v1(data_dir: Path, n_cards: int = 3, n_reviews: int = 5) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    cards = {str(i + 1): progress(f"hip/n{i}/c", i + 1).to_dict() for i in range(n_cards)}
    reviews = {str(i + 1): review(f"v{i}", f"hip/n{i % n_cards}/c", T0 + timedelta(hours=9 * i),
                                  progress(f"hip/n{i % n_cards}/c", i) if i else None).to_dict()
               for i in range(n_reviews)}
    tables = {"cards": cards, "reviews": reviews, "settings": {"1": {"new_per_day": 15, "theme": "dark"}}}
    (data_dir / "progress.json").write_text(json.dumps(tables))
    return tables


def test_migrates_schema_1(tmp_path):
    v1 = write_v1(tmp_path)
    original = (tmp_path / "progress.json").read_bytes()
    writer = Lock.acquire(tmp_path)  # a reader beside a writer sees the data, changes nothing
    try:
        with Store.open(tmp_path, read_only=True) as s:
            assert len(s.all_progress()) == 3 and s.review_count() == 5
    finally:
        writer.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hipquiz.lock", "progress.json"]
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.all_progress() == {d["card_id"]: progress(d["card_id"], d["reps"]) for d in v1["cards"].values()}
        assert [r.id for r in s.reviews()] == [f"v{i}" for i in range(5)]
        assert s.reviews()[1].previous == progress("hip/n1/c", 1)
        assert s.get_setting("new_per_day") == 15 and s.get_setting("theme") == "dark"
    assert not (tmp_path / "progress.json").exists()
    assert (tmp_path / "progress.json.migrated-v1").read_bytes() == original
    [copy] = (tmp_path / "backups").glob("before-schema-3-*.zip")  # a copy first
    assert zipfile.ZipFile(copy).read("progress.json") == original
    assert check_store(tmp_path) == []
    with Store.open(tmp_path) as s:
        assert s.review_count() == 5


def test_interrupted_migration_is_redone(tmp_path, monkeypatch):
    write_v1(tmp_path)
    calls = []
    real = store_files.atomic_write

    def dying(path, data, **kw):
        calls.append(path)
        if len(calls) == 3:
            raise SystemExit  # the process dies in the middle of the migration
        real(path, data, **kw)

    monkeypatch.setattr(store_files, "atomic_write", dying)
    with pytest.raises(SystemExit):
        Store.open(tmp_path)
    monkeypatch.undo()
    assert not (tmp_path / "meta.json").exists() and (tmp_path / "progress.json").exists()
    with Store.open(tmp_path) as s:
        assert len(s.all_progress()) == 3 and s.review_count() == 5


def test_future_schema_is_refused_untouched(tmp_path):
    with Store.open(tmp_path) as s:
        s.save_progress(progress("x"))
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for read_only in (False, True):
        with pytest.raises(StoreTooNew, match="newer hipquiz") as info:
            Store.open(tmp_path, read_only=read_only, now=lambda: T0 + timedelta(days=3))
        assert info.value.path == tmp_path / "meta.json"
    with pytest.raises(StoreTooNew):
        repair_store(tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


# -- backups ------------------------------------------------------------------------------------------


def unpacked_backup(data_dir: Path, day: str) -> Path:
    """The files of a day's backup zip, unpacked beside it (to look inside as a folder)."""
    target = data_dir.parent / f"unpacked-{day}"
    shutil.rmtree(target, ignore_errors=True)
    with zipfile.ZipFile(data_dir / "backups" / f"{day}.zip") as archive:
        archive.extractall(target)
    return target


def test_the_days_backup_is_taken_after_open_and_saves_go_on_meanwhile(tmp_path):
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        for i in range(5):
            answer(s, f"r{i}", f"c{i}", T0 + timedelta(minutes=i))
    now.set(T0 + timedelta(days=1))
    s = Store.open(tmp_path, now=now)
    try:
        assert not (tmp_path / "backups" / ".snap-2024-05-02").exists()  # opening takes no backup
        assert [b.date.day for b in list_backups(tmp_path)] == [1]
        answer(s, "early", "c9", now())  # (an answer before the app's worker got to it)
        [written] = s.finish_backups()
        assert written.name == "2024-05-02.zip" and written.stat().st_mode & 0o777 == 0o600
        answer(s, "late", "c8", now())  # after the backup: not in it
        assert s.finish_backups() == []  # once a day
    finally:
        s.close()
    with Store.open(unpacked_backup(tmp_path, "2024-05-02"), read_only=True) as backup:
        assert [r.id for r in backup.reviews()] == [f"r{i}" for i in range(5)] + ["early"]
        assert backup.progress("c9").reps == 1 and backup.progress("c8") is None
    assert check_store(unpacked_backup(tmp_path, "2024-05-02")) == []
    with zipfile.ZipFile(written) as archive:  # compressed (the card files; the log is already)
        cards = [m for m in archive.infolist() if m.filename.startswith("cards/")]
        assert sum(m.compress_size for m in cards) < sum(m.file_size for m in cards)


def test_a_backup_in_a_worker_never_sees_a_half_written_line(tmp_path, monkeypatch):
    """The day's log is copied up to its last whole line: a save under way is left out, whole."""
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        answer(s, "r0", "c0", T0)
    now.set(T0 + timedelta(days=1))
    with Store.open(tmp_path, now=now) as s:
        answer(s, "r1", "c1", now())
        with open(tmp_path / "log" / "2024-05-02.jsonl", "ab") as handle:
            handle.write(b'{"id":"half-written","card":"c2"')  # another thread's append, half done
        s.finish_backups()
        s._sizes.clear()  # (the test wrote behind the store's back: forget what it knew)
        (tmp_path / "log" / "2024-05-02.jsonl").write_bytes(
            (tmp_path / "log" / "2024-05-02.jsonl").read_bytes().rsplit(b"\n", 1)[0] + b"\n")
    backup = unpacked_backup(tmp_path, "2024-05-02")
    assert check_store(backup) == []
    assert b"half-written" not in (backup / "log" / "2024-05-02.jsonl").read_bytes()
    with Store.open(backup, read_only=True) as b:
        assert [r.id for r in b.reviews()] == ["r0", "r1"] and b.progress("c1").reps == 1


def test_a_backup_left_by_a_quick_quit_is_finished_by_the_next_writer(tmp_path):
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        answer(s, "r1", "x", T0)
    now.set(T0 + timedelta(days=1))
    s = Store.open(tmp_path, now=now)
    s._closed = True  # as if the process died before closing (and before the worker's backup)
    s._lock.release()
    assert [b.date.day for b in list_backups(tmp_path)] == [1]
    with Store.open(tmp_path, now=now):
        pass
    assert [b.path.name for b in list_backups(tmp_path)] == ["2024-05-01.zip", "2024-05-02.zip"]


def test_backup_once_a_day_pruned_and_restored(tmp_path):
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        s.set_setting("backups_keep", 3)
        answer(s, "r1", "x", T0)
    with Store.open(tmp_path, now=now) as s:  # same day: no new backup
        answer(s, "r2", "x", T0 + timedelta(minutes=5))
    backups = list_backups(tmp_path)
    assert [b.date for b in backups] == [date(2024, 5, 1)] and backups[0].size > 0
    for day in range(2, 7):
        now.set(T0 + timedelta(days=day - 1))
        with Store.open(tmp_path, now=now) as s:
            s.finish_backups()  # as the app does once its first screen is up
            answer(s, f"d{day}", "x", now())
    assert [b.date.day for b in list_backups(tmp_path)] == [4, 5, 6]
    # The backup of the 5th holds the store as it was when first opened that day.
    with Store.open(tmp_path, now=now) as s:
        assert s.review_count() == 7
    kept = restore_backup(tmp_path, "2024-05-05")
    with Store.open(tmp_path, now=now) as s:
        assert [r.id for r in s.reviews()][-1] == "d4" and s.review_count() == 5
    assert kept.name.startswith("replaced-")
    with Store.open(kept, read_only=True) as s:
        assert s.review_count() == 7


def test_backup_survives_live_files_damaged_in_place(tmp_path):
    now = clock(T0)
    with Store.open(tmp_path, now=now) as s:
        s.set_setting("theme", "dark")
        for i in range(8):
            answer(s, f"r{i}", f"c{i % 4}", T0 + timedelta(minutes=i))
        saved = s.all_progress()
    now.set(T0 + timedelta(days=1))
    Store.open(tmp_path, now=now).close()  # makes the backup of 2024-05-02
    # Damage the live files in place (same inode), as a crashed editor or a bad disk would.
    for rel in ("meta.json", "log/2024-05-01.jsonl.gz", *sorted({shard_name(c) for c in saved})):
        damage_in_place(tmp_path / rel)
    with pytest.raises(StoreCorrupt):
        Store.open(tmp_path, now=now)
    assert check_store(unpacked_backup(tmp_path, "2024-05-02")) == []
    restore_backup(tmp_path, "2024-05-02", now=now)
    with Store.open(tmp_path, now=now) as s:
        assert s.all_progress() == saved and s.review_count() == 8
        assert s.get_setting("theme") == "dark"


def test_restore_needs_the_lock_and_a_good_backup(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
        s.finish_backups()
        with pytest.raises(StoreError, match="another hipquiz"):
            restore_backup(tmp_path, date(2024, 5, 1))
    with pytest.raises(StoreError, match="no backup of 2024-05-09"):
        restore_backup(tmp_path, "2024-05-09")
    with pytest.raises(StoreError, match="DATE must look like 2026-11-24"):
        restore_backup(tmp_path, "yesterday")
    archive = tmp_path / "backups" / "2024-05-01.zip"
    members = {name: zipfile.ZipFile(archive).read(name) for name in zipfile.ZipFile(archive).namelist()}
    with zipfile.ZipFile(archive, "w") as damaged:
        for name, data in members.items():
            damaged.writestr(name, b"{" if name == "meta.json" else data)
    with pytest.raises(StoreError, match="damaged"):
        restore_backup(tmp_path, "2024-05-01")
    archive.write_bytes(b"not a zip")
    with pytest.raises(StoreError, match="cannot be read"):
        restore_backup(tmp_path, "2024-05-01")


# -- doctor -------------------------------------------------------------------------------------------


def make_damaged_store(tmp_path) -> dict[str, Path]:
    with Store.open(tmp_path, now=lambda: T0) as s:
        s.set_setting("theme", "dark")
        s.add_alias("hip/n1", "glute med")
        for i in range(40):
            answer(s, f"r{i}", f"d/n{i % 15}/c", T0 + timedelta(minutes=i))
    log = tmp_path / "log" / "2024-05-01.jsonl"
    shard = tmp_path / shard_name("d/n3/c")
    # Cut one line of the log in the middle (a torn LAST line is what a crash leaves, and is not
    # damage), and the shard mid-record.
    lines = log.read_bytes().split(b"\n")
    lines[25] = lines[25][:40]
    log.write_bytes(b"\n".join(lines))
    shard.write_bytes(shard.read_bytes()[:-40])
    return {"log": log, "shard": shard}


def test_check_and_repair_salvage(tmp_path):
    damaged = make_damaged_store(tmp_path)
    problems = check_store(tmp_path)
    assert len(problems) == 2 and all("not valid JSON" in p for p in problems)
    originals = {k: p.read_bytes() for k, p in damaged.items()}
    report = repair_store(tmp_path, now=lambda: T0)
    assert report.ok and report.problems == problems
    assert report.cards_rebuilt == 1 and report.cards_salvaged == 15
    assert report.broken_dir.name == f"broken-{T0.astimezone().strftime('%Y%m%d-%H%M%S')}"
    assert (report.broken_dir / "log" / "2024-05-01.jsonl").read_bytes() == originals["log"]
    assert check_store(tmp_path) == []
    with Store.open(tmp_path) as s:
        ids = [r.id for r in s.reviews()]
        # Every whole line survives; only the cut one is lost.
        assert ids == [f"r{i}" for i in range(40) if i != 25]
        assert s.get_setting("theme") == "dark" and s.aliases() == {"hip/n1": ["glute med"]}
        # The card cut in half comes back from the log, as it was after its newest surviving review.
        assert len(s.all_progress()) == 15
    assert repair_store(tmp_path).broken_dir is None  # healthy: nothing to do


@pytest.mark.parametrize("damage", ["truncated", "foreign"])
def test_repair_rebuilds_the_cards_of_an_unreadable_card_file_from_the_log(tmp_path, capsys, damage):
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(24):
            answer(s, f"r{i}", f"c{i % 8}", T0 + timedelta(minutes=i))
        s.save_progress(s.progress("c0").with_changes(suspended=True))  # changed after its last review
        studied = s.all_progress()
    shard = tmp_path / shard_name("c1")
    in_shard = sorted(c for c in studied if shard_name(c) == shard_name("c1"))
    shard.write_bytes(shard.read_bytes()[:15] if damage == "truncated" else b'{"_default": {"1": {"x": 1}}}')
    assert cli(["doctor", "--repair"], tmp_path) == 0
    assert f"({len(in_shard)} rebuilt from the review log)" in capsys.readouterr().out
    with Store.open(tmp_path) as s:
        assert set(s.all_progress()) == set(studied)
        for card_id, before in studied.items():
            if card_id in in_shard:  # still studied, as it was after its last review (minute 16 + n)
                last = progress(card_id, 3, at=T0 + timedelta(minutes=16 + int(card_id[1:])))
                assert s.progress(card_id) == last
            else:
                assert s.progress(card_id) == before
        assert s.progress("c1").fsrs == studied["c1"].fsrs and s.progress("c1").phase == "review"
    assert check_store(tmp_path) == []


def test_repair_garbage_and_bad_records(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(10):
            answer(s, f"r{i}", f"c{i}", T0 + timedelta(minutes=i))
    log = tmp_path / "log" / "2024-05-01.jsonl"
    text = log.read_text()
    # A record failing validation inside valid JSON, and garbage in the middle of another.
    text = text.replace('"r":3', '"r":9', 1)
    lines = text.split("\n")
    lines[4] = lines[4][:30] + "\x00\x00garbage" + lines[4][30:]
    log.write_text("\n".join(lines))
    (tmp_path / "meta.json").write_bytes(b"\x89PNG\x00\x01")
    assert len(check_store(tmp_path)) == 2
    report = repair_store(tmp_path)
    assert report.ok, report.remaining
    with Store.open(tmp_path) as s:
        ids = [r.id for r in s.reviews()]
        assert ids == [f"r{i}" for i in range(10) if i not in (0, 4)]
        assert len(s.all_progress()) == 10


def test_repair_recreates_a_missing_meta_file(tmp_path):
    with Store.open(tmp_path) as s:
        answer(s, "r1", "x", T0)
    (tmp_path / "meta.json").unlink()
    with pytest.raises(StoreCorrupt, match="meta.json is missing"):
        Store.open(tmp_path)
    assert repair_store(tmp_path).ok
    with Store.open(tmp_path) as s:
        assert s.review_count() == 1


def test_repair_truncated_v1_file(tmp_path):
    write_v1(tmp_path, n_cards=4, n_reviews=8)
    raw = (tmp_path / "progress.json").read_bytes()
    (tmp_path / "progress.json").write_bytes(raw[: int(len(raw) * 0.8)])
    with pytest.raises(StoreCorrupt, match="progress.json is not valid JSON"):
        Store.open(tmp_path)
    report = repair_store(tmp_path)
    assert report.ok and report.cards_salvaged == 4 and 4 <= report.reviews_salvaged < 8
    with Store.open(tmp_path) as s:
        assert len(s.all_progress()) == 4


# -- CLI ----------------------------------------------------------------------------------------------


def cli(argv: list[str], data_dir: Path) -> int:
    parser = argparse.ArgumentParser(prog="hipquiz")
    cli_maintenance.add_parsers(parser.add_subparsers(dest="command"))
    return cli_maintenance.run(parser.parse_args(argv), data_dir)


def test_cli_doctor_and_backups(tmp_path, capsys):
    assert cli(["doctor"], tmp_path) == 0
    assert "no progress saved yet" in capsys.readouterr().out
    assert cli(["backup", "list"], tmp_path) == 0
    assert "no backups" in capsys.readouterr().out
    Store.open(tmp_path, now=lambda: T0 - timedelta(days=1)).close()
    assert cli(["doctor"], tmp_path) == 0
    assert "no problems" in capsys.readouterr().out
    make_damaged_store(tmp_path)
    assert cli(["doctor"], tmp_path) == 1
    assert capsys.readouterr().out.count("problem:") == 2
    assert cli(["doctor", "--repair"], tmp_path) == 0
    out = capsys.readouterr().out
    assert "salvaged" in out and "broken-" in out
    assert cli(["backup", "list"], tmp_path) == 0
    assert "2024-05-01" in capsys.readouterr().out
    assert cli(["backup", "restore", "2024-05-01", "--yes"], tmp_path) == 0
    assert "replaced-" in capsys.readouterr().out
    assert cli(["backup", "restore", "1999-01-01", "--yes"], tmp_path) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no backup of 1999-01-01" in err and "Traceback" not in err


def test_a_file_given_as_the_data_folder(tmp_path, capsys):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/sh\n")
    for target, says in ((passwd, f"the data folder {passwd} is a file, not a folder"),
                         (passwd / "sub", f"the data folder {passwd / 'sub'} is inside {passwd}, which is a file")):
        expected = f"{says}: pass a folder to --data (or HIPQUIZ_DATA)"
        for read_only in (True, False):
            with pytest.raises(StoreNotAFolder) as info:
                Store.open(target, read_only=read_only)
            assert str(info.value) == expected
        for argv in (["doctor"], ["doctor", "--repair"], ["backup", "list"], ["backup", "restore", "2024-05-01", "--yes"]):
            assert cli(argv, target) == 2
            captured = capsys.readouterr()
            assert captured.err == f"hipquiz: error: {expected}\n" and captured.out == ""
    assert passwd.read_text() == "root:x:0:0:root:/root:/bin/sh\n"


def test_cli_doctor_on_a_newer_store_advises_upgrading_not_repairing(tmp_path, capsys):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
    meta = json.loads((tmp_path / "meta.json").read_text())
    meta["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    (tmp_path / "meta.json").write_text(json.dumps(meta))
    for argv in (["doctor"], ["doctor", "--repair"]):
        assert cli(argv, tmp_path) == 1
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert text.count("\n") == 1 and "upgrade hipquiz" in text and "--repair" not in text
    assert not list(tmp_path.glob("broken-*"))


@pytest.mark.parametrize("bad", ["notadate", "2026-13-01", "20261124", "2026-11-24x", ""])
def test_cli_restore_with_a_bad_date_is_a_usage_error(tmp_path, capsys, bad):
    assert cli(["backup", "restore", bad], tmp_path) == 2
    assert capsys.readouterr().err == "hipquiz: error: DATE must look like 2026-11-24 (see 'hipquiz backup list')\n"


def test_cli_reports_a_locked_store_in_one_line(tmp_path, capsys):
    s = Store.open(tmp_path, now=lambda: T0)
    answer(s, "r1", "x", T0)
    s.finish_backups()
    try:
        assert cli(["backup", "restore", "2024-05-01", "--yes"], tmp_path) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is using" in err
    finally:
        s.close()


@pytest.mark.parametrize("module", ["hipquiz.core.store", "hipquiz.cli_maintenance"])
def test_store_imports_neither_ui_nor_scheduler(module):
    import subprocess
    import sys

    code = f"import sys, {module}; print(sorted(m for m in ('textual', 'rich', 'fsrs') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_cli_restore_asks_first_and_restores_nothing_without_a_yes(tmp_path, capsys, monkeypatch):
    with Store.open(tmp_path, now=lambda: T0 - timedelta(days=1)) as s:
        answer(s, "r1", "x", T0 - timedelta(days=1))
    Store.open(tmp_path, now=lambda: T0).close()  # the day's first open keeps a backup
    day = (T0 - timedelta(days=0)).date().isoformat()
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r2", "y", T0)
    # Not at a terminal and no --yes: refused in one line, nothing replaced.
    assert cli(["backup", "restore", day], tmp_path) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--yes" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: "n")
    assert cli(["backup", "restore", day], tmp_path) == 2
    assert not list(tmp_path.glob("replaced-*"))
    with Store.open(tmp_path, now=lambda: T0) as s:
        assert s.review_count() == 2
    monkeypatch.setattr("builtins.input", lambda question: "y")
    assert cli(["backup", "restore", day], tmp_path) == 0
    assert list(tmp_path.glob("replaced-*"))


def test_cli_restore_of_a_missing_backup_says_so_before_asking(tmp_path, capsys):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
    assert cli(["backup", "restore", "1999-01-01"], tmp_path) == 1
    err = capsys.readouterr().err
    assert "no backup of 1999-01-01" in err and "--yes" not in err
