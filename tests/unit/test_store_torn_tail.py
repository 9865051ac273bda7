"""A log file whose last line was cut short (a crash mid-save, a copy cut off, a damaged disk): the
torn line is noticed and cut back at open whether or not log/pending.json covers it, ``doctor``
names it, and an answer saved after it is never glued onto it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from store_helpers import T0, answer

from hipquiz.cli import main
from hipquiz.core.store import Store, check_store

DAY = T0.date().isoformat()


@pytest.fixture
def torn(tmp_path):
    """A folder closed cleanly (no pending.json) with six reviews, whose log lost its last 20 bytes."""
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(6):
            answer(s, f"r{i}", f"c{i % 3}", T0 + timedelta(minutes=i))
    log = tmp_path / "log" / f"{DAY}.jsonl"
    assert not (tmp_path / "log" / "pending.json").exists()
    log.write_bytes(log.read_bytes()[:-20])
    return tmp_path


def test_doctor_names_a_torn_last_line(torn):
    problems = check_store(torn)
    assert len(problems) == 1
    assert f"{DAY}.jsonl" in problems[0] and "incomplete last line" in problems[0]


def test_a_torn_line_is_cut_at_open_with_a_notice_and_the_next_answer_is_kept(torn):
    said: list[str] = []
    with Store.open(torn, now=lambda: T0, notice=said.append) as s:
        assert len(said) == 1 and f"{DAY}.jsonl" in said[0] and "incomplete last line" in said[0]
        assert [r.id for r in s.reviews()] == [f"r{i}" for i in range(5)]
        answer(s, "new", "c0", T0 + timedelta(minutes=9))
    with Store.open(torn, now=lambda: T0, notice=said.append) as s:
        assert [r.id for r in s.reviews()] == [*(f"r{i}" for i in range(5)), "new"]
        assert s.progress("c0").reps == 3
    assert len(said) == 1  # said once: the second open found nothing to cut
    assert check_store(torn) == []


def test_a_torn_line_covered_by_pending_is_dropped_with_a_notice(torn):
    """What a crash mid-save leaves: pending.json names the lines after the checkpoint."""
    log = torn / "log" / f"{DAY}.jsonl"
    whole = log.read_bytes()[: log.read_bytes().rindex(b"\n") + 1]
    (torn / "log" / "pending.json").write_text(json.dumps({"day": DAY, "offset": len(whole)}))
    said: list[str] = []
    with Store.open(torn, now=lambda: T0, notice=said.append) as s:
        assert len(said) == 1 and "incomplete last line" in said[0]
        answer(s, "new", "c0", T0 + timedelta(minutes=9))
    with Store.open(torn, now=lambda: T0) as s:
        assert [r.id for r in s.reviews()][-2:] == ["r4", "new"]
    assert check_store(torn) == []


def test_a_reader_leaves_the_torn_line_but_says_so(torn):
    before = (torn / "log" / f"{DAY}.jsonl").read_bytes()
    said: list[str] = []
    with Store.open(torn, read_only=True, now=lambda: T0, notice=said.append) as s:
        assert len(s.reviews()) == 5
    assert len(said) == 1 and "incomplete last line" in said[0]
    assert (torn / "log" / f"{DAY}.jsonl").read_bytes() == before


def test_a_late_answer_to_another_day_is_not_glued_onto_its_torn_line(torn):
    """A day's file first appended to later in the session (a review dated another day) is checked
    then, not only at open."""
    with Store.open(torn, now=lambda: T0 + timedelta(days=1)) as s:
        answer(s, "late", "c1", T0 + timedelta(minutes=30))
    with Store.open(torn, now=lambda: T0 + timedelta(days=1)) as s:
        assert [r.id for r in s.reviews()][-1] == "late" and len(s.reviews()) == 6
    assert check_store(torn) == []


def test_the_command_line_says_it_in_one_line(torn, capsys):
    assert main(["--data", str(torn), "doctor"]) == 1
    out = capsys.readouterr()
    assert "incomplete last line" in out.out + out.err
    main(["--data", str(torn), "stats"])
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if "incomplete last line" in line][0].startswith("hipquiz: ")


def test_a_reader_beside_a_writer_says_nothing_of_a_line_being_written(torn):
    from hipquiz.core.store.lock import Lock

    writer = Lock.acquire(torn)  # (its save under way: the line is not torn, only not finished)
    try:
        said: list[str] = []
        with Store.open(torn, read_only=True, now=lambda: T0, notice=said.append) as s:
            assert len(s.reviews()) == 5
        assert said == []
    finally:
        writer.release()
