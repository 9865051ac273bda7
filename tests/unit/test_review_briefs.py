"""The day's counts read each review's brief (card, rating, time, the card's phase before it) from the
log without validating the card states in it: the same figures as the reviews read whole, and a
line the brief cannot read is read whole, which refuses it in one line."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import T0, progress, review

from hipquiz.core.errors import StoreCorrupt
from hipquiz.core.store import Store
from hipquiz.core.store.records import brief_of


def fill(store: Store) -> None:
    """Reviews over three days: a card's first, later ones, practice (cram), one whose state before
    it a diff cannot say (logged whole), one dated ahead, and a suspend between them."""
    at = T0 - timedelta(days=1)
    for i, card in enumerate(["d/a/c", "d/b/c", "d/a/c", "d/c/c"]):
        before = store.progress(card)
        store.record_review(review(f"y{i}", card, at + timedelta(minutes=i), before), progress(card, (before.reps if before else 0) + 1, at=at))
    at = T0
    before = store.progress("d/a/c")
    odd = replace(before, fsrs={**before.fsrs, "extra": 1}, phase="relearning")
    store.save_progress(odd)
    store.record_review(review("t1", "d/a/c", at, odd, rating=1), progress("d/a/c", odd.reps + 1, at=at))
    store.save_progress(store.progress("d/b/c").with_changes(suspended=True))
    practice = replace(review("t2", "d/c/c", at + timedelta(minutes=5), store.progress("d/c/c")), cram=True)
    store.record_review(practice, store.progress("d/c/c"))
    store.record_review(review("t3", "d/new/c", at + timedelta(minutes=6), None, rating=2), progress("d/new/c", 1, at=at))
    ahead = T0 + timedelta(days=2)
    store.record_review(review("f1", "d/b/c", ahead, store.progress("d/b/c"), rating=4), progress("d/b/c", 9, at=ahead))


@pytest.mark.parametrize("closed", [False, True], ids=["as saved", "reopened, past days sealed"])
def test_the_briefs_are_the_reviews_read_whole(tmp_path, closed):
    store = Store.open(tmp_path / "data", now=lambda: T0)
    try:
        fill(store)
        if closed:
            store.close()
            store = Store.open(tmp_path / "data", now=lambda: T0)
        for since in (T0 - timedelta(days=2), T0 - timedelta(hours=1), T0 + timedelta(minutes=5), T0 + timedelta(days=3)):
            whole = [brief_of(r) for r in store.reviews(since)]
            assert store.review_briefs(since) == whole
        assert [b.cram for b in store.review_briefs(T0)] == [False, True, False, False]
        assert [b.previous and (b.previous.reps, b.previous.phase) for b in store.review_briefs(T0)][:1] == [
            (2, "relearning")]  # (said whole in the line: no diff could say it)
    finally:
        store.close()


def test_the_briefs_kept_follow_saves_and_undos(tmp_path):
    with Store.open(tmp_path / "data", now=lambda: T0) as store:
        fill(store)
        since = T0 - timedelta(hours=1)
        assert store.review_briefs(since) == [brief_of(r) for r in store.reviews(since)]  # (now kept)
        before = store.progress("d/a/c")
        store.record_review(review("t4", "d/a/c", T0 + timedelta(minutes=9), before), progress("d/a/c", before.reps + 1, at=T0))
        assert store.review_briefs(since) == [brief_of(r) for r in store.reviews(since)]
        store.undo_review(review("t1", "d/a/c", T0, None))  # (an older line: its day's file rewritten)
        store.undo_review(review("t4", "d/a/c", T0 + timedelta(minutes=9), None))  # (the day's newest line)
        assert store.review_briefs(since) == [brief_of(r) for r in store.reviews(since)]
        assert {r.id for r in store.reviews(since)} == {"t2", "t3", "f1"} and len(store.review_briefs(since)) == 3


def today_log(data: Path) -> Path:
    return data / "log" / f"{T0.date().isoformat()}.jsonl"


def edit_first_review(data: Path, change) -> None:
    path = today_log(data)
    lines = path.read_bytes().splitlines()
    number = next(n for n, line in enumerate(lines) if b'"card"' in line)
    doc = json.loads(lines[number])
    change(doc)
    lines[number] = json.dumps(doc).encode()
    path.write_bytes(b"\n".join(lines) + b"\n")


@pytest.mark.parametrize("where,value", [("r", 7), ("r", True), ("card", 3), ("at", "soon"),
                                         ("at", "2024-05-01T09:00:00"), ("cram", "yes")])
def test_a_line_the_brief_cannot_read_is_read_whole_and_refused(tmp_path, where, value):
    data = tmp_path / "data"
    with Store.open(data, now=lambda: T0) as store:
        fill(store)
    edit_first_review(data, lambda doc: doc.__setitem__(where, value))
    with Store.open(data, now=lambda: T0, read_only=True) as store, pytest.raises(StoreCorrupt) as info:
        store.review_briefs(T0 - timedelta(hours=1))
    assert str(today_log(data)) in str(info.value) and "\n" not in str(info.value)


def test_a_hostile_state_in_a_line_is_refused_when_the_day_is_read_whole(tmp_path):
    data = tmp_path / "data"
    with Store.open(data, now=lambda: T0) as store:
        fill(store)
    edit_first_review(data, lambda doc: doc["a"]["fsrs"].__setitem__("stability", -1))
    with Store.open(data, now=lambda: T0) as store:
        assert len(store.review_briefs(T0 - timedelta(hours=1))) == 4  # (the counts do not read it)
        with pytest.raises(StoreCorrupt) as info:
            store.reviews(T0 - timedelta(hours=1))
        assert str(today_log(data)) in str(info.value) and "stability" in str(info.value)
        with pytest.raises(StoreCorrupt):  # (an undo reads the day whole)
            store.undo_review(review("t1", "d/a/c", T0, None))


def test_a_sealed_day_cut_short_is_read_whole_and_refused(tmp_path):
    data = tmp_path / "data"
    with Store.open(data, now=lambda: T0) as store:
        fill(store)
    sealed = data / "log" / f"{(T0 - timedelta(days=1)).date().isoformat()}.jsonl.gz"
    sealed.write_bytes(gzip.compress(gzip.decompress(sealed.read_bytes())[:-1]))
    with Store.open(data, now=lambda: T0, read_only=True) as store, pytest.raises(StoreCorrupt) as info:
        store.review_briefs(T0 - timedelta(days=2))
    assert str(sealed) in str(info.value)
