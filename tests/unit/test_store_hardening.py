"""The store against skewed clocks and files that a newer hipquiz, another program or a person wrote."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import T0, answer, progress, review

from hipquiz.cli import main
from hipquiz.core.store import Store, StoreTooNew, check_store, repair_store, write_store
from hipquiz.core.store.layout import META_NAME


def clock(start=T0):
    state = {"now": start}

    def now():
        return state["now"]

    now.set = lambda value: state.__setitem__("now", value)  # type: ignore[attr-defined]
    return now


# -- undo names its review ------------------------------------------------------------------------


def test_undo_takes_back_the_review_it_names_whatever_the_clocks_said(tmp_path):
    now = clock()
    with Store.open(tmp_path, now=now) as store:
        # The clock was a year ahead once: that review sorts after every later one.
        future, _ = answer(store, "from-the-future", "d/a/c", T0 + timedelta(days=365))
        mine, _ = answer(store, "mine", "d/b/c", T0)
        before_mine = mine.previous
        undone = store.undo_review(mine)
        assert undone is not None and undone.id == "mine"
        assert store.progress("d/b/c") == before_mine
        assert [r.id for r in store.reviews()] == ["from-the-future"]
        assert store.progress("d/a/c") is not None
    with Store.open(tmp_path, now=now, read_only=True) as store:
        assert [r.id for r in store.reviews()] == ["from-the-future"]
        assert store.progress("d/b/c") is None


def test_undo_of_a_review_that_is_gone_changes_nothing(tmp_path):
    with Store.open(tmp_path, now=clock()) as store:
        mine, after = answer(store, "mine", "d/b/c", T0)
        assert store.undo_review(mine) is not None
        assert store.undo_review(mine) is None
        assert store.reviews() == []


def test_a_session_undo_after_a_clock_jump_takes_back_its_own_answer(tmp_path):
    from hipquiz.core.decks import load_library
    from hipquiz.core.scheduler import Scheduler, SchedulerSettings
    from hipquiz.core.session import StudySession

    now = clock()
    library = load_library(None)
    deck = library.decks[0]
    with Store.open(tmp_path, now=now) as store:
        answer(store, "from-the-future", deck.cards[-1].id, T0 + timedelta(days=365))
        session = StudySession(deck, store, Scheduler(SchedulerSettings(enable_fuzzing=False)), now)
        card = session.next_card()
        before = store.progress(card.id)
        session.answer(card, 3, duration_ms=1000, question_type="flip")
        assert session.undo() == card
        assert [r.id for r in store.reviews()] == ["from-the-future"]
        assert store.progress(card.id) == before


# -- a newer hipquiz's store is never touched ------------------------------------------------------


def _newer_store(folder: Path) -> dict[Path, str]:
    with Store.open(folder, now=clock()) as store:
        answer(store, "r1", "d/a/c", T0)
    meta = folder / META_NAME
    tables = json.loads(meta.read_text(encoding="utf-8"))
    tables["meta"]["1"]["schema"] = 99
    tables["tags"] = {"1": {"anything": ["a newer hipquiz wrote this"]}}
    meta.write_text(json.dumps(tables), encoding="utf-8")
    return _fingerprint(folder)


def _fingerprint(folder: Path) -> dict[Path, str]:
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "backups" not in p.parts}


@pytest.mark.parametrize("command", [["stats"], ["decks"], ["config"], ["config", "new_per_day", "5"],
                                     ["aliases"], ["doctor"], ["doctor", "--repair"], ["backup", "list"]],
                         ids=lambda c: " ".join(c))
def test_a_newer_store_is_refused_by_every_command_and_left_as_it_was(tmp_path, capsys, command):
    data = tmp_path / "data"
    before = _newer_store(data)
    assert main(["--data", str(data), *command]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "newer hipquiz" in err and "upgrade" in err, err
    assert _fingerprint(data) == before


def test_repair_refuses_a_newer_store(tmp_path):
    data = tmp_path / "data"
    before = _newer_store(data)
    with pytest.raises(StoreTooNew):
        repair_store(data)
    with pytest.raises(StoreTooNew):
        Store.open(data)
    assert _fingerprint(data) == before


# -- roll forward from the review last written -----------------------------------------------------


def _die(store) -> None:
    """As if the process were killed: the locks go with it, nothing is closed or cleaned up."""
    os.close(store._lock.fd)
    os.close(store._lock.folder_fd)
    store._lock.fd = store._lock.folder_fd = None
    store._closed = True


def test_a_crash_between_log_and_card_is_rolled_forward_with_a_future_dated_log_present(tmp_path, monkeypatch):
    s = Store.open(tmp_path, now=clock())
    answer(s, "from-the-future", "d/a/c", T0 + timedelta(days=365))
    answer(s, "r1", "d/x/c", T0)
    rec = review("r2", "d/x/c", T0 + timedelta(hours=1), s.progress("d/x/c"))
    after = progress("d/x/c", 2, at=T0 + timedelta(hours=1))
    s.record_review(rec, after)
    _die(s)  # before any checkpoint: the card files do not hold r2
    with Store.open(tmp_path, now=clock(), read_only=True) as reader:
        assert reader.progress("d/x/c") == after
    with Store.open(tmp_path, now=clock()) as writer:
        assert writer.progress("d/x/c") == after
    assert check_store(tmp_path) == []


def test_doctor_finds_a_card_out_of_step_with_its_newest_review_and_repair_fixes_it(tmp_path, capsys):
    before = progress("d/x/c", 1)
    after = progress("d/x/c", 2, at=T0 + timedelta(hours=1))
    future = progress("d/a/c", 1, at=T0 + timedelta(days=365))
    pairs = [(review("f", "d/a/c", T0 + timedelta(days=365), None), future),
             (review("r1", "d/x/c", T0, None), before),
             (review("r2", "d/x/c", T0 + timedelta(hours=1), before), after)]
    write_store(tmp_path, [future, before], pairs)  # the card never got r2's state
    problems = check_store(tmp_path)
    assert len(problems) == 1 and "'d/x/c' is out of step with the review log" in problems[0]
    assert main(["--data", str(tmp_path), "doctor"]) == 1
    assert "out of step" in capsys.readouterr().out
    report = repair_store(tmp_path, now=clock())
    assert report.ok and report.cards_rolled_forward == 1
    with Store.open(tmp_path, read_only=True) as store:
        assert store.progress("d/x/c") == after and store.progress("d/a/c") == future
