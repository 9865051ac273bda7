"""Values that parse as JSON but that hipquiz cannot use: refused where they are read, with one line
naming the file, and fixed by ``doctor --repair``. Never an exception escaping, never exit 70."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import T0, answer

from hipquiz.cli import main
from hipquiz.core.errors import StoreError
from hipquiz.core.store import Store, check_store, repair_store
from hipquiz.core.store.layout import META_NAME, shard_name

CARD = "hip-muscles/tfl/location"


def make_store(folder: Path) -> None:
    with Store.open(folder, now=lambda: T0) as store:
        answer(store, "r1", CARD, T0)
        store.set_setting("leech_lapses", 8)


def card_file(folder: Path) -> Path:
    return folder / shard_name(CARD)


def edit_card(folder: Path, change) -> None:
    path = card_file(folder)
    tables = json.loads(path.read_text(encoding="utf-8"))
    doc = next(iter(tables["cards"].values()))
    change(doc)
    path.write_text(json.dumps(tables), encoding="utf-8")


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, text[:400]
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_fsrs(key, value):
    return lambda doc: doc["fsrs"].__setitem__(key, value)


HOSTILE_CARDS = {
    "empty fsrs": lambda doc: doc.__setitem__("fsrs", {}),
    "unknown fsrs state": set_fsrs("state", 7),
    "fsrs due not a date": set_fsrs("due", "soon"),
    "negative stability": set_fsrs("stability", -3.0),
    "string stability": set_fsrs("stability", "high"),
    "difficulty 0": set_fsrs("difficulty", 0.0),
    "due in year 9999": lambda doc: doc.__setitem__("due", "9999-12-31T23:59:59+00:00"),
    "negative lapses": lambda doc: doc.__setitem__("lapses", -1),
}


@pytest.mark.parametrize("change", HOSTILE_CARDS.values(), ids=HOSTILE_CARDS.keys())
def test_a_card_the_app_cannot_use_is_refused_naming_its_file_and_repaired(tmp_path, capsys, change):
    data = tmp_path / "data"
    make_store(data)
    edit_card(data, change)
    assert_refused_then_repaired(data, card_file(data), capsys)


@pytest.mark.parametrize("old,new", [
    ('"stability":', '"stability":1e400,"x":'),
    ('"stability":', '"stability":NaN,"x":'),
    ('"reps":', '"reps":' + "9" * 5000 + ',"x":'),
], ids=["1e400", "NaN", "5000 digits"])
def test_numbers_json_reads_but_the_app_cannot_use_are_refused_and_repaired(tmp_path, capsys, old, new):
    data = tmp_path / "data"
    make_store(data)
    edit_text(card_file(data), old, new)
    assert_refused_then_repaired(data, card_file(data), capsys)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", '"eight"', "[8]", "0", "1e400"])
def test_a_setting_the_app_cannot_use_is_refused_and_repaired(tmp_path, capsys, value):
    data = tmp_path / "data"
    make_store(data)
    edit_text(data / META_NAME, '"leech_lapses":8', f'"leech_lapses":{value}')
    assert_refused_then_repaired(data, data / META_NAME, capsys)
    with Store.open(data, read_only=True) as store:
        assert store.get_setting("leech_lapses") is None  # back to the default


def assert_refused_then_repaired(data: Path, culprit: Path, capsys) -> None:
    for command in (["stats"], ["decks"], ["config"], ["doctor"]):
        code = main(["--data", str(data), *command])
        out, err = capsys.readouterr()
        assert code == 1, (command, out, err)
        said = [line for line in (out + err).splitlines() if str(culprit) in line]
        assert said, (command, out, err)
        assert "unexpected error" not in err
    assert main(["--data", str(data), "doctor", "--repair"]) == 0, capsys.readouterr()
    capsys.readouterr()
    assert check_store(data) == []
    assert main(["--data", str(data), "stats"]) == 0
    capsys.readouterr()


# -- any JSON value in any stored document: usable, or refused in one line --------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
FIELDS = ["card_id", "fsrs", "due", "phase", "reps", "lapses", "answer_hash", "suspended", "buried_until",
          "relearn", "leech", "types"]
FSRS_FIELDS = ["card_id", "state", "step", "stability", "difficulty", "due", "last_review"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(["card", "fsrs", "setting", "alias", "review"]),
       key=st.sampled_from(FIELDS + FSRS_FIELDS + ["leech_lapses", "desired_retention", "rating", "previous"]),
       value=JSON)
def test_any_json_value_in_a_stored_document_is_usable_or_refused_in_one_line(tmp_path_factory, where, key, value):
    from hipquiz.core.decks import load_library
    from hipquiz.core.scheduler import Scheduler, SchedulerSettings
    from hipquiz.core.session import StudySession

    data = tmp_path_factory.mktemp("data")
    make_store(data)
    if where in ("card", "fsrs"):
        edit_card(data, (lambda doc: doc.__setitem__(key, value)) if where == "card"
                  else (lambda doc: doc["fsrs"].__setitem__(key, value)))
    elif where == "review":  # the first line of the log, under the key a log line gives the field
        path = sorted((data / "log").glob("20*.jsonl*"))[0]
        raw = path.read_bytes()
        sealed = path.name.endswith(".gz")
        lines = (gzip.decompress(raw) if sealed else raw).decode("utf-8").splitlines()
        doc = json.loads(lines[0])
        doc[{"card_id": "card", "rating": "r", "previous": "b"}.get(key, key)] = value
        lines[0] = json.dumps(doc)
        text = ("\n".join(lines) + "\n").encode("utf-8")
        path.write_bytes(gzip.compress(text) if sealed else text)
    else:
        path = data / META_NAME
        tables = json.loads(path.read_text(encoding="utf-8"))
        if where == "setting":
            tables["settings"]["1"][key] = value
        else:
            tables.setdefault("aliases", {}).setdefault("1", {})["hip-muscles/tfl"] = value
        path.write_text(json.dumps(tables), encoding="utf-8")
    try:
        with Store.open(data, now=lambda: T0) as store:
            library = load_library(None)
            deck = library.find("hip-muscles")
            from hipquiz.core.settings import SCHEDULER_KEYS, checked_saved

            saved = {k: store.get_setting(k) for k in SCHEDULER_KEYS}
            scheduler = Scheduler(SchedulerSettings.from_settings(checked_saved(saved, SCHEDULER_KEYS),
                                                                  enable_fuzzing=False))
            session = StudySession(deck, store, scheduler, lambda: T0)
            store.reviews()
            card = deck.cards[0]
            progress = store.progress(CARD)
            if progress is not None:
                scheduler.preview(progress, T0)
            session.answer(card, 3, duration_ms=1000, question_type="flip")
    except StoreError as exc:
        message = str(exc)
        assert "\n" not in message and str(data) in message


def test_the_fsrs_state_numbers_are_fsrs_own():
    import fsrs

    from hipquiz.core.fsrs_state import FSRS_STATES, REVIEW

    assert FSRS_STATES == tuple(int(s) for s in fsrs.State) and REVIEW == fsrs.State.Review
