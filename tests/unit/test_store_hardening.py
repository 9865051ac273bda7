"""The store against skewed clocks and files that a newer hipquiz, another program or a person wrote."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import T0, answer

from hipquiz.cli import main
from hipquiz.core.store import Store, StoreTooNew, repair_store
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
