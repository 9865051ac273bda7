"""Card files behind the log (log/pending.json lost or damaged after a crash): ``doctor --repair``
brings every card up to its newest review in one run, and an open notices a lost pending.json."""

from __future__ import annotations

from datetime import timedelta

from store_helpers import T0, answer

from hipquiz.core.store import Store, check_store, repair_store

DAY = T0.date().isoformat()
CARDS = ["a", "a", "b", "a", "a", "b", "a", "c"]


def crashed(folder, pending: bytes | None):
    """Four answers closed cleanly, then four more whose card files were never written (a crash):
    the checkpoint's card files, the whole log, and ``pending`` as log/pending.json (None: gone)."""
    with Store.open(folder, now=lambda: T0) as s:
        for i, card in enumerate(CARDS[:4]):
            answer(s, f"r{i}", card, T0 + timedelta(minutes=i))
    cards = {p: p.read_bytes() for p in (folder / "cards").iterdir()}
    with Store.open(folder, now=lambda: T0) as s:
        for i, card in enumerate(CARDS[4:], start=4):
            answer(s, f"r{i}", card, T0 + timedelta(minutes=i))
    for path, data in cards.items():  # the card files as the crash left them
        path.write_bytes(data)
    for path in (folder / "cards").iterdir():
        if path not in cards:
            path.unlink()
    if pending is None:
        (folder / "log" / "pending.json").unlink(missing_ok=True)
    else:
        (folder / "log" / "pending.json").write_bytes(pending)
    return folder


def reps(folder):
    with Store.open(folder, read_only=True, now=lambda: T0, notice=lambda _: None) as s:
        return {card: s.progress(card).reps for card in "abc"}


NEWEST = {"a": CARDS.count("a"), "b": CARDS.count("b"), "c": 1}


def test_repair_brings_every_card_to_its_newest_review_in_one_run(tmp_path):
    folder = crashed(tmp_path, b"garbage")
    assert check_store(folder)
    report = repair_store(folder)
    assert report.ok, report.remaining
    assert report.cards_rolled_forward == 3
    assert reps(folder) == NEWEST
    assert check_store(folder) == []
    assert len(list(folder.glob("broken-*"))) == 1


def test_doctor_names_each_card_behind_once(tmp_path):
    problems = check_store(crashed(tmp_path, None))
    assert sorted(p.split("'")[1] for p in problems) == ["a", "b", "c"]


def test_an_open_notices_a_lost_pending_file_and_catches_up(tmp_path):
    folder = crashed(tmp_path, None)
    said: list[str] = []
    with Store.open(folder, now=lambda: T0, notice=said.append) as s:
        assert len(said) == 1 and "pending.json" in said[0] and "3 cards" in said[0]
        assert {card: s.progress(card).reps for card in "abc"} == NEWEST
    assert reps(folder) == NEWEST and check_store(folder) == []


def test_a_reader_catches_up_in_memory_and_says_so(tmp_path):
    folder = crashed(tmp_path, None)
    before = {p: p.read_bytes() for p in folder.rglob("*.json")}
    said: list[str] = []
    with Store.open(folder, read_only=True, now=lambda: T0, notice=said.append) as s:
        assert {card: s.progress(card).reps for card in "abc"} == NEWEST
    assert len(said) == 1 and "pending.json" in said[0]
    assert {p: p.read_bytes() for p in folder.rglob("*.json")} == before


def test_a_clean_folder_says_nothing(tmp_path):
    said: list[str] = []
    with Store.open(tmp_path, now=lambda: T0, notice=said.append) as s:
        for i, card in enumerate(CARDS):
            answer(s, f"r{i}", card, T0 + timedelta(minutes=i))
        s.save_progress(s.progress("a").with_changes(suspended=True))
    with Store.open(tmp_path, now=lambda: T0, notice=said.append) as s:
        assert s.progress("a").suspended
    assert said == []
