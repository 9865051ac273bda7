"""The card index (cards/index.tsv): an open reads each card's state when it is first used, and the
day's counts from the index. A missing, stale, damaged or lying index (a line left out or out of
order, a card file replaced during a session) never changes what is seen, nor loses a card's
progress: it is rebuilt silently. A hostile state in a card not used yet is still refused when it
is used, and a card id that is not valid text in one line naming its card file."""

from __future__ import annotations

import json
import os
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import T0, answer, progress

from hipquiz.cli import main
from hipquiz.core.errors import StoreCorrupt
from hipquiz.core.store import Store, check_store, shard_name
from hipquiz.core.store.cardindex import HEADER, encode_index

INDEX = Path("cards") / "index.tsv"
CARDS = [f"deck/n{i:02d}/c" for i in range(40)]


def make_store(folder: Path) -> dict[str, object]:
    """40 cards, a few of them suspended or buried; the states as saved."""
    with Store.open(folder, now=lambda: T0) as store:
        for i, card_id in enumerate(CARDS):
            answer(store, f"r{i}", card_id, T0 + timedelta(minutes=i))
        for i in range(1, 3):  # a second review for two of them
            answer(store, f"s{i}", CARDS[i], T0 + timedelta(hours=i))
        store.save_progress(store.progress(CARDS[5]).with_changes(suspended=True))
        store.save_progress(store.progress(CARDS[6]).with_changes(buried_until=T0.date()))
        states = store.all_progress()
    assert (folder / INDEX).is_file()
    return states


def seen(folder: Path, *, read_only: bool = False) -> tuple[dict, dict, list[str]]:
    """(briefs, whole states, notices) of every card, as a session would read them."""
    with Store.open(folder, read_only=read_only, now=lambda: T0, notice=lambda text: None) as store:
        briefs = {}
        for card_id in [*CARDS, "deck/unknown/c"]:
            brief = store.brief(card_id)
            briefs[card_id] = None if brief is None else (
                brief.due, brief.phase, brief.reps, brief.suspended, brief.buried_until, brief.answer_hash)
        states = {card_id: store.progress(card_id) for card_id in CARDS}
        return briefs, states, list(store.notices)


def expected(states: dict) -> dict:
    briefs = {card_id: (p.due, p.phase, p.reps, p.suspended, p.buried_until, p.answer_hash)
              for card_id, p in states.items()}
    return {**briefs, "deck/unknown/c": None}


def index_lines(folder: Path) -> list[bytes]:
    return (folder / INDEX).read_bytes().splitlines()


def read_index(folder: Path) -> tuple[dict, list[bytes]]:
    """(what the index says of each card file, its card lines)."""
    head, *lines = index_lines(folder)
    return json.loads(head.partition(b"\t")[2])["files"], lines


def forge(folder: Path, lines: list[bytes] | None = None) -> None:
    """Write the index with ``lines`` (default: as they are) and the card files as they are now
    described as they are: a consistent index that lies, which only the checks of each line and
    of each card read can catch."""
    said, old = read_index(folder)
    for key in said:
        raw = (folder / "cards" / f"{key}.json").read_bytes()
        said[key] = [len(raw), 0, 0, 0, zlib.crc32(raw)]  # (no times: the CRC-32 decides)
    pairs = [tuple(line.split(b"\t", 1)) for line in (old if lines is None else lines)]
    (folder / INDEX).write_bytes(encode_index(said, pairs))


def test_an_open_with_the_index_sees_what_was_saved_and_keeps_it(tmp_path):
    states = make_store(tmp_path)
    before = (tmp_path / INDEX).read_bytes()
    briefs, loaded, notices = seen(tmp_path)
    assert briefs == expected(states) and loaded == states and notices == []
    assert (tmp_path / INDEX).read_bytes() == before  # nothing changed: not written again
    assert check_store(tmp_path) == []


@pytest.fixture
def read(monkeypatch) -> list[str]:
    """The store files read, in order (every read goes through FileBackend.read_bytes)."""
    from hipquiz.core.store.backends import FileBackend

    files: list[str] = []
    read_bytes = FileBackend.read_bytes

    def recording(self, rel):
        files.append(rel)
        return read_bytes(self, rel)

    monkeypatch.setattr(FileBackend, "read_bytes", recording)
    return files


def test_card_files_touched_but_not_changed_are_read_once_then_indexed_again(tmp_path, read):
    states = make_store(tmp_path)
    for path in (tmp_path / "cards").glob("??.json"):  # (as the daily backup's hard links do)
        os.link(path, path.with_suffix(".link"))
        os.unlink(path.with_suffix(".link"))
    for _ in range(2):
        read.clear()
        with Store.open(tmp_path, now=lambda: T0) as store:
            at_open = {rel for rel in read if rel.startswith("cards/") and rel != str(INDEX)}
            assert store.all_progress() == states
        if _ == 0:
            assert len(at_open) > 3  # (compared byte for byte; the close writes the index again)
    assert len(at_open) <= 3  # (the card file of today's last log line, those of the index's tick)


def test_an_open_reads_no_card_file_and_a_card_used_reads_its_own(tmp_path, read):
    states = make_store(tmp_path)
    read.clear()  # (what making the store read)
    shards = sorted((tmp_path / "cards").glob("??.json"))
    # Card files changed in the clock tick the index was written in are compared byte for byte.
    written = (tmp_path / INDEX).stat().st_ctime_ns
    same_tick = {f"cards/{path.name}" for path in shards if path.stat().st_ctime_ns >= written}
    # The card of today's last log line is read whole: is it in the card files? (see Store._catch_up)
    last_logged = shard_name(CARDS[6])
    with Store.open(tmp_path, now=lambda: T0) as store:
        assert {card_id: store.brief(card_id) is not None for card_id in CARDS} == dict.fromkeys(CARDS, True)
        at_open = {rel for rel in read if rel.startswith("cards/") and rel != str(INDEX)}
        assert at_open <= same_tick | {last_logged} and len(at_open) < len(shards) / 2
        assert store.progress(CARDS[4]) == states[CARDS[4]]
        assert {rel for rel in read if rel.startswith("cards/") and rel != str(INDEX)} == at_open | {shard_name(CARDS[4])}


@pytest.mark.parametrize("damage", [
    "missing", "empty", "garbage", "cut short", "no header", "a folder", "a line changed", "a line gone",
])
def test_a_missing_or_damaged_index_is_rebuilt_silently_and_the_cards_are_right(tmp_path, damage):
    states = make_store(tmp_path)
    path = tmp_path / INDEX
    lines = index_lines(tmp_path)
    card = next(n for n, line in enumerate(lines) if line.startswith(json.dumps(CARDS[1]).encode()))
    if damage == "missing":
        path.unlink()
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff" * 300)
    elif damage == "cut short":
        path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    elif damage == "no header":
        path.write_bytes(b"\n".join(lines[1:]) + b"\n")
    elif damage == "a folder":
        path.unlink()
        path.mkdir()
    else:  # (the lines' CRC-32 in the header tells)
        if damage == "a line changed":
            lines[card] = lines[card].replace(b"\t0\t", b"\t1\t")  # said to be suspended
        else:
            del lines[card]
        path.write_bytes(b"\n".join(lines) + b"\n")
    briefs, loaded, notices = seen(tmp_path)
    assert briefs == expected(states) and loaded == states and notices == []
    if damage == "a folder":
        return
    assert index_lines(tmp_path)[0].startswith(b"hipquiz card index")
    assert read_index(tmp_path)[1] != lines
    briefs, loaded, notices = seen(tmp_path, read_only=True)  # the rebuilt index, as read
    assert briefs == expected(states) and loaded == states


@pytest.mark.parametrize("lie", ["a line damaged", "a line elsewhere", "a line lying", "a card left out"])
def test_an_index_that_lies_is_dropped_when_a_card_shows_it(tmp_path, lie):
    states = make_store(tmp_path)
    lines = read_index(tmp_path)[1]
    card = next(n for n, line in enumerate(lines) if line.startswith(json.dumps(CARDS[1]).encode()))
    fields = lines[card].split(b"\t")
    if lie == "a line damaged":
        fields[4] = b"not a time"
    elif lie == "a line elsewhere":  # pointing at another card's document
        other = next(line for line in lines if line.split(b"\t")[1] == fields[1] and line != lines[card])
        fields[2:4] = other.split(b"\t")[2:4]
    elif lie == "a line lying":  # said to be suspended
        fields[7] = b"1"
    if lie == "a card left out":
        del lines[card]
    else:
        lines[card] = b"\t".join(fields)
    forge(tmp_path, lines)
    assert check_store(tmp_path) != []  # (doctor reads every card and compares)
    briefs, loaded, notices = seen(tmp_path)
    if lie != "a line damaged" and lie != "a card left out":
        # Read from the index until the card itself is read (then the index is dropped).
        assert loaded == states
        briefs, loaded, notices = seen(tmp_path)
    assert briefs == expected(states) and loaded == states and notices == []
    assert check_store(tmp_path) == []


def test_doctor_finds_an_index_that_disagrees_with_the_cards_and_repair_removes_it(tmp_path, capsys):
    make_store(tmp_path)
    lines = [line for line in read_index(tmp_path)[1] if not line.startswith(json.dumps(CARDS[3]).encode())]
    forge(tmp_path, lines)
    problems = check_store(tmp_path)
    assert len(problems) == 1 and str(tmp_path / INDEX) in problems[0], problems
    assert main(["--data", str(tmp_path), "doctor", "--repair"]) == 0
    capsys.readouterr()
    assert check_store(tmp_path) == [] and not (tmp_path / INDEX).exists()


def test_a_card_file_changed_after_the_index_is_read_whole(tmp_path):
    states = make_store(tmp_path)
    shard = tmp_path / shard_name(CARDS[2])
    text = shard.read_text(encoding="utf-8")
    tables = json.loads(text)
    for doc in tables["cards"].values():
        if doc["card_id"] == CARDS[2]:
            doc["suspended"] = True
    shard.write_text(json.dumps(tables, indent=1), encoding="utf-8")  # a hand edit, laid out otherwise
    states[CARDS[2]] = states[CARDS[2]].with_changes(suspended=True)
    briefs, loaded, notices = seen(tmp_path)
    assert briefs == expected(states) and loaded == states and notices == []
    # The writer's close rewrote the file as it writes card files, and indexed it.
    assert json.loads(shard.read_text(encoding="utf-8")) == tables
    assert b"\n" + json.dumps(CARDS[2]).encode() + b"\t" in (tmp_path / INDEX).read_bytes()
    assert check_store(tmp_path) == []
    briefs, loaded, notices = seen(tmp_path, read_only=True)
    assert briefs == expected(states) and loaded == states


def test_a_card_file_edited_in_place_to_the_same_size_is_read_whole(tmp_path):
    states = make_store(tmp_path)
    shard = tmp_path / shard_name(CARDS[3])
    with open(shard, "r+b") as handle:  # (the same inode, the same size: only its times differ)
        raw = handle.read()
        at = raw.index(b'"answer_hash":"abc123"', raw.index(json.dumps(CARDS[3]).encode()))
        handle.seek(at + len(b'"answer_hash":"abc12'))
        handle.write(b"4")
    states[CARDS[3]] = states[CARDS[3]].with_changes(answer_hash="abc124")
    briefs, loaded, notices = seen(tmp_path)
    assert briefs == expected(states) and loaded == states and notices == []


def test_a_hostile_state_in_a_card_not_used_yet_is_refused_when_used(tmp_path):
    make_store(tmp_path)
    shard = tmp_path / shard_name(CARDS[4])
    text = shard.read_text(encoding="utf-8")
    doc_at = text.index(json.dumps(CARDS[4]))
    stability = text.index('"stability":', doc_at)
    value_end = text.index(",", stability)
    hostile = '"stability":-1'.ljust(value_end - stability)  # (the same length: the index's places hold)
    shard.write_text(text[:stability] + hostile + text[value_end:], encoding="utf-8")
    forge(tmp_path)
    with Store.open(tmp_path, now=lambda: T0) as store:
        assert store.brief(CARDS[4]) is not None  # (the index's part of it is right)
        with pytest.raises(StoreCorrupt) as info:
            store.progress(CARDS[4])
    message = str(info.value)
    assert str(shard) in message and "stability" in message and "\n" not in message
    # Every command that reads the card says so in one line, naming the file.
    for command in (["stats"], ["doctor"]):
        assert main(["--data", str(tmp_path), *command]) == 1


def test_a_card_forgotten_is_not_brought_back_by_an_index_dropped_later(tmp_path):
    states = make_store(tmp_path)
    damaged = json.dumps(CARDS[9]).encode() + b"\t"
    forge(tmp_path, [line.replace(b"\treview\t", b"\tnot a phase\t") if line.startswith(damaged) else line
                     for line in read_index(tmp_path)[1]])
    with Store.open(tmp_path, now=lambda: T0) as store:
        answer(store, "new", CARDS[7], T0 + timedelta(days=3))
        store.undo_last_review()
        store.forget_progress(CARDS[8])
        assert store.brief(CARDS[8]) is None
        assert store.progress(CARDS[9]) == states[CARDS[9]]  # (its line is damaged: all read whole)
        assert store.progress(CARDS[8]) is None and store.progress(CARDS[7]) == states[CARDS[7]]
    briefs, loaded, _ = seen(tmp_path)
    del states[CARDS[8]]
    assert loaded == {**states, CARDS[8]: None} and briefs == {**expected(states), CARDS[8]: None}


@pytest.mark.parametrize("read_all", [False, True], ids=["cards read as used", "every card read first"])
def test_saves_after_an_open_with_the_index_are_kept(tmp_path, read_all):
    states = make_store(tmp_path)
    with Store.open(tmp_path, now=lambda: T0) as store:
        if read_all:
            assert store.all_progress() == states
        for i, card_id in enumerate(CARDS[10:30]):
            answer(store, f"t{i}", card_id, T0 + timedelta(days=2, minutes=i))
        store.save_progress(progress("deck/new/c", 3))
        for card_id in CARDS[30:]:  # (a document a byte shorter: the others of its file move)
            store.save_progress(store.progress(card_id).with_changes(suspended=True))
        states = store.all_progress()
    assert check_store(tmp_path) == []  # (the index written at close says where every card is)
    briefs, loaded, notices = seen(tmp_path)
    assert loaded == {card_id: states[card_id] for card_id in CARDS} and notices == []
    assert briefs == {**expected({c: states[c] for c in CARDS}), "deck/unknown/c": None}
    with Store.open(tmp_path, read_only=True) as store:
        assert store.all_progress() == states
    assert check_store(tmp_path) == []


@pytest.mark.parametrize("indexed", [True, False])
def test_a_card_id_that_cannot_be_utf8_is_refused_in_one_line_and_repair_fixes_it(tmp_path, capsys, indexed):
    make_store(tmp_path)
    if not indexed:
        (tmp_path / INDEX).unlink()
    shard = tmp_path / shard_name(CARDS[0])
    shard.write_text(shard.read_text(encoding="utf-8").replace(json.dumps(CARDS[0])[1:-1], "deck/\\ud800/c"),
                     encoding="utf-8")
    capsys.readouterr()
    assert main(["--data", str(tmp_path), "stats"]) == 1  # (a data problem, not a crash)
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(shard) in err and "card_id is not valid text" in err
    assert main(["--data", str(tmp_path), "doctor"]) == 1
    assert str(shard) in capsys.readouterr().out
    problems = check_store(tmp_path)
    assert len(problems) == 1 and str(shard) in problems[0]
    assert main(["--data", str(tmp_path), "doctor", "--repair"]) == 0
    assert check_store(tmp_path) == []
    with Store.open(tmp_path, now=lambda: T0) as store:  # (the other cards kept)
        assert store.progress(CARDS[1]).reps == 2 and store.progress(CARDS[3]).reps == 1


def test_a_reader_uses_the_index_but_never_writes_it(tmp_path):
    states = make_store(tmp_path)
    (tmp_path / INDEX).unlink()
    briefs, loaded, _ = seen(tmp_path, read_only=True)
    assert briefs == expected(states) and loaded == states
    assert not (tmp_path / INDEX).exists()  # (a reader creates nothing; the next writer does)
    seen(tmp_path)
    assert (tmp_path / INDEX).exists()


def _same_file(prefix: str, rel: str) -> str:
    """A card id of the form PREFIX{n}/c that goes into card file ``rel``."""
    return next(c for c in (f"{prefix}{n}/c" for n in range(100_000)) if shard_name(c) == rel)


def test_a_card_file_replaced_by_another_program_during_a_session_keeps_its_cards(tmp_path):
    from hipquiz.core.store.files import encode_cards

    make_store(tmp_path)
    rel = shard_name(CARDS[2])
    added, new = _same_file("deck/added", rel), _same_file("deck/new", rel)
    writer = Store.open(tmp_path, now=lambda: T0)  # trusts the card file by its stamp, unread
    # Another program (a sync tool, an unzipped backup) suspends a card and adds one studied 9 times.
    shard = tmp_path / rel
    table = json.loads(shard.read_bytes())["cards"]
    for doc in table.values():
        if doc["card_id"] == CARDS[2]:
            doc["suspended"] = True
    table["999"] = {**progress(added, 9, at=T0).to_dict()}
    (tmp_path / "replaced").write_bytes(encode_cards(table)[0])
    os.replace(tmp_path / "replaced", shard)
    answer(writer, "w1", new, T0)  # a card new to the session, in the same card file
    writer.close()
    for _ in range(2):
        with Store.open(tmp_path, now=lambda: T0) as store:
            assert store.brief(CARDS[2]).suspended and store.progress(CARDS[2]).suspended
            assert store.brief(added).reps >= 9 and store.progress(new).reps == 1
            if store.progress(added).reps == 9:
                answer(store, "w2", added, T0)
    with Store.open(tmp_path, read_only=True) as store:
        assert store.progress(added).reps == 10 and store.progress(CARDS[2]).suspended
    assert check_store(tmp_path) == []


@pytest.mark.parametrize("lie", ["a line left out", "the lines reversed"])
def test_a_card_the_index_leaves_out_keeps_its_progress_when_answered(tmp_path, lie):
    states = make_store(tmp_path)
    for day in (tmp_path / "log").iterdir():  # (the card files hold every answer: no log to replay)
        day.unlink()
    lines = read_index(tmp_path)[1]
    if lie == "a line left out":
        lines = [line for line in lines if not line.startswith(json.dumps(CARDS[1]).encode())]
        forge(tmp_path, lines)  # (CRC and fence made anew)
    else:  # as a forger or a buggy writer would: one fence key (its first line), the CRC made anew
        forge(tmp_path)
        head = json.loads(index_lines(tmp_path)[0].partition(b"\t")[2])
        body = b"".join(line + b"\n" for line in lines[::-1])
        head["crc"] = zlib.crc32(body)
        for _ in range(3):  # (the fence's offset is after the header it is in)
            head["fence"] = [[json.loads(lines[-1].split(b"\t")[0]), len(HEADER + json.dumps(head).encode()) + 1]]
        (tmp_path / INDEX).write_bytes(HEADER + json.dumps(head).encode() + b"\n" + body)
    with Store.open(tmp_path, now=lambda: T0) as store:
        assert store.brief(CARDS[1]).reps == states[CARDS[1]].reps == 2
        answer(store, "again", CARDS[1], T0 + timedelta(days=1))
    with Store.open(tmp_path, read_only=True) as store:
        assert store.progress(CARDS[1]).reps == 3
        assert {c: p for c, p in store.all_progress().items() if c != CARDS[1]} == {
            c: p for c, p in states.items() if c != CARDS[1]}
    assert check_store(tmp_path) == []


def test_a_card_saved_without_being_read_under_an_index_that_leaves_it_out_keeps_the_others(tmp_path):
    states = make_store(tmp_path)
    lines = read_index(tmp_path)[1]
    wrong = next(n for n, line in enumerate(lines) if line.startswith(json.dumps(CARDS[2]).encode()))
    fields = lines[wrong].split(b"\t")
    fields[6] = b"7"  # a lie about another card of the same file, never read in the session
    lines[wrong] = b"\t".join(fields)
    lines = [line for line in lines if not line.startswith(json.dumps(CARDS[1]).encode())]
    forge(tmp_path, lines)
    with Store.open(tmp_path, now=lambda: T0) as store:
        store.save_progress(states[CARDS[1]].with_changes(suspended=True))  # (set, never read first)
    with Store.open(tmp_path, now=lambda: T0) as store:
        assert store.brief(CARDS[1]).suspended and store.progress(CARDS[1]).reps == 2
        assert store.brief(CARDS[2]).reps == states[CARDS[2]].reps


def test_a_card_file_edited_after_the_session_read_it_is_not_indexed_as_it_was_read(tmp_path):
    make_store(tmp_path)
    shard = tmp_path / shard_name(CARDS[2])
    other = next(c for c in CARDS if shard_name(c) != shard_name(CARDS[2]))
    with Store.open(tmp_path, now=lambda: T0) as store:
        assert not store.progress(CARDS[2]).suspended  # (its card file read)
        with open(shard, "r+b") as handle:  # another program suspends it, in place, to the same size
            raw = handle.read()
            at = raw.index(b'"suspended":false', raw.index(json.dumps(CARDS[2]).encode()))
            handle.seek(at)
            handle.write(b'"suspended":true ')
        answer(store, "w1", other, T0 + timedelta(days=1))  # (another card file written: index anew)
    with Store.open(tmp_path, read_only=True) as store:
        assert store.brief(CARDS[2]).suspended and store.progress(CARDS[2]).suspended
