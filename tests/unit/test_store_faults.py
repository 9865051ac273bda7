"""The store under faults: full disks, read-only folders, damaged files, SIGKILL, a second process."""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import T0, answer, progress

from hipquiz.core.store import files as store_files
from hipquiz.core.store import (
    Store,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreTooNew,
    check_store,
    shard_name,
)

HELPER = Path(__file__).with_name("store_helpers.py")
ROOT = Path(__file__).resolve().parents[2]
ADVICE = "run 'hipquiz doctor --repair' or restore a backup with 'hipquiz backup list'"


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "hipquiz.lock"}


@pytest.fixture
def filled(tmp_path) -> Path:
    with Store.open(tmp_path, now=lambda: T0) as s:
        for i in range(6):
            answer(s, f"r{i}", f"c{i % 3}", T0 + timedelta(minutes=i))
        s.set_setting("theme", "dark")
    return tmp_path


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


# -- failed writes ------------------------------------------------------------------------------------


def test_disk_full_at_fsync_keeps_the_old_file(filled, monkeypatch):
    before = snapshot(filled)
    with Store.open(filled, now=lambda: T0) as s:
        old = s.progress("c1")
        monkeypatch.setattr(os, "fsync", enospc)
        with pytest.raises(StoreError, match=f"could not save {re.escape(str(filled))}.* "
                                             r"\(the disk is full\)"):
            s.save_progress(old.with_changes(suspended=True))
        with pytest.raises(StoreError, match="disk is full"):
            answer(s, "late", "c2", T0 + timedelta(minutes=9))
        assert s.progress("c1") == old and s.review_count() == 6  # memory still matches the disk
        monkeypatch.undo()
        assert {p: b for p, b in snapshot(filled).items() if p.name != "totals.json"} == before
        assert not list(filled.rglob("*.tmp"))
        s.save_progress(old.with_changes(suspended=True))  # works again once there is space
    with Store.open(filled) as s:
        assert s.progress("c1").suspended and s.review_count() == 6


def test_disk_full_mid_line_takes_the_part_back(filled, monkeypatch):
    """A save that wrote part of its line (a full disk) cuts it off again: the next save starts on
    a line of its own, and nothing of the failed one is left."""
    with Store.open(filled, now=lambda: T0) as s:
        answer(s, "r6", "c0", T0 + timedelta(minutes=8))  # (pending.json now in place)
        log = filled / "log" / "2024-05-01.jsonl"
        before = log.read_bytes()
        real_write = os.write
        calls = []

        def full(fd, data):  # what a filling disk does: part of the data, then ENOSPC
            if calls:
                enospc()
            calls.append(fd)
            return real_write(fd, bytes(data)[: len(data) // 2])

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(StoreError, match="disk is full"):
            answer(s, "late", "c2", T0 + timedelta(minutes=9))
        monkeypatch.undo()
        assert log.read_bytes() == before and s.review_count() == 7
        answer(s, "later", "c2", T0 + timedelta(minutes=10))
    with Store.open(filled, now=lambda: T0) as s:
        assert [r.id for r in s.reviews()][-2:] == ["r6", "later"] and s.progress("c2").reps == 3
    assert check_store(filled) == []


def test_a_part_line_that_cannot_be_taken_back_is_dropped_at_the_next_open(filled, monkeypatch):
    with Store.open(filled, now=lambda: T0) as s:
        answer(s, "r6", "c0", T0 + timedelta(minutes=8))
        real_write = os.write
        monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data)[:25]) and enospc())
        monkeypatch.setattr(store_files, "truncate", enospc)
        with pytest.raises(StoreError, match="disk is full"):
            answer(s, "late", "c2", T0 + timedelta(minutes=9))
        monkeypatch.undo()
        # The store refuses more writes until reopened...
        with pytest.raises(StoreError, match="restart hipquiz"):
            s.set_setting("x", 1)
        with pytest.raises(StoreError, match="restart hipquiz"):
            answer(s, "later", "c2", T0 + timedelta(minutes=10))
    # ...and the reopened store drops the torn line and goes on.
    with Store.open(filled, now=lambda: T0) as s:
        assert [r.id for r in s.reviews()][-1] == "r6" and s.review_count() == 7
        answer(s, "later", "c2", T0 + timedelta(minutes=10))
    with Store.open(filled, now=lambda: T0) as s:
        assert [r.id for r in s.reviews()][-2:] == ["r6", "later"]
    assert check_store(filled) == []


def test_permission_denied_at_rename(filled, monkeypatch):
    before = snapshot(filled)
    with Store.open(filled, now=lambda: T0) as s:
        def denied(*args):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(os, "replace", denied)
        with pytest.raises(StoreError, match=r"permission denied"):
            s.set_setting("theme", "light")
        with pytest.raises(StoreError, match=r"permission denied"):
            answer(s, "late", "c2", T0 + timedelta(minutes=9))
        monkeypatch.undo()
        assert s.get_setting("theme") == "dark"
    after = snapshot(filled)
    assert {p: b for p, b in after.items() if p in before} == before
    assert not list(filled.rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder(filled):
    folders = [filled, *(p for p in filled.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot write to .*permission denied"):
            Store.open(filled)
        with Store.open(filled, read_only=True) as s:
            assert s.review_count() == 6
    finally:
        for folder in folders:
            folder.chmod(0o755)


# -- damaged files ------------------------------------------------------------------------------------

DAMAGE = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "binary": lambda raw: bytes(range(256)) * 3,
    "list": lambda raw: b"[1, 2, 3]\n",
    "table-not-object": lambda raw: b'{"cards": [1, 2], "reviews": "x", "meta": 3}',
    "bad-record": lambda raw: (raw.replace(b'"phase":"review"', b'"phase":"asleep"', 1)
                               .replace(b'"rating":3', b'"rating":7', 1)
                               .replace(b'"schema":3', b'"schema":"three"', 1)),
    "future-schema": lambda raw: raw.replace(b'"schema":3', b'"schema":99', 1),
    # Valid JSON, valid TinyDB, but not hipquiz's: another program's default table...
    "foreign": lambda raw: b'{"_default":{"1":{"x":1}}}\n',
    # ...or hipquiz's tables plus one it never writes.
    "extra-table": lambda raw: raw.rstrip()[:-1] + b',\n"_default": {"1": {"x": 1}}}\n',
    "no-table": lambda raw: b"{}",
}
TARGETS = {"meta": lambda d: d / "meta.json", "shard": lambda d: d / shard_name("c1")}


@pytest.mark.parametrize(("damage", "target"), [(d, t) for d in DAMAGE for t in TARGETS
                                                 if d != "future-schema" or t == "meta"])
def test_damaged_file_is_named_and_left_alone(filled, damage, target):
    path = TARGETS[target](filled)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    before = snapshot(filled)
    for read_only in (True, False):
        with pytest.raises(StoreCorrupt) as info:
            Store.open(filled, read_only=read_only, now=lambda: T0 + timedelta(days=2))
        assert info.value.path == path
        message = str(info.value)
        assert "\n" not in message and message.startswith(f"progress file {path} ")
        if damage == "future-schema":
            assert isinstance(info.value, StoreTooNew) and "upgrade hipquiz" in message
        else:
            assert message.endswith(f": {ADVICE}")
    assert snapshot(filled) == before  # not a byte changed, no backup made
    if damage == "future-schema":  # this hipquiz cannot judge a newer store's files: no verdict
        with pytest.raises(StoreTooNew):
            check_store(filled)
    else:
        assert any(p.startswith(str(path)) for p in check_store(filled))


LOG_DAMAGE = {
    "binary": lambda raw: raw + bytes(range(256)) * 3 + b"\n",
    "not-an-object": lambda raw: raw + b"[1, 2, 3]\n",
    "foreign": lambda raw: b'{"_default":{"1":{"x":1}}}\n' + raw,
    "bad-record": lambda raw: raw.replace(b'"phase":"review"', b'"phase":"asleep"', 1),
    "bad-rating": lambda raw: raw.replace(b'"r":3', b'"r":7', 1),
    "cut-line": lambda raw: raw.replace(b"}\n", b"\n", 1),
}


@pytest.mark.parametrize("damage", LOG_DAMAGE)
def test_a_damaged_log_file_is_named_when_read_and_left_alone(filled, damage):
    path = filled / "log" / "2024-05-01.jsonl"
    path.write_bytes(LOG_DAMAGE[damage](path.read_bytes()))
    damaged = path.read_bytes()
    for read_only in (True, False):
        # Opening reads no log file: the cards are there. What reads the day says what is wrong.
        with Store.open(filled, read_only=read_only, now=lambda: T0 + timedelta(days=2)) as s:
            assert len(s.all_progress()) == 3
            with pytest.raises(StoreCorrupt) as info:
                s.reviews()
            assert info.value.path == path
            message = str(info.value)
            assert "\n" not in message and message.startswith(f"progress file {path} ")
            assert message.endswith(f": {ADVICE}")
    assert path.read_bytes() == damaged  # never compressed, rewritten or "repaired" by an open
    assert any(p.startswith(str(path)) for p in check_store(filled))


@pytest.mark.parametrize("target", TARGETS)
def test_foreign_file_is_refused_by_every_reader_and_reported(filled, target):
    """The reviewer's case: a foreign file used to make the cards silently revert to new."""
    path = TARGETS[target](filled)
    path.write_bytes(DAMAGE["foreign"](b""))
    with pytest.raises(StoreCorrupt, match=f"^progress file {re.escape(str(path))} is not a hipquiz "):
        Store.open(filled, read_only=True)
    (problem,) = check_store(filled)
    assert problem.startswith(f"{path} is not a hipquiz ")


def test_foreign_older_log_file_is_refused_when_read(filled):
    with Store.open(filled) as s:
        answer(s, "next-day", "c1", T0 + timedelta(days=1))  # (and the index counts the old day)
    old = filled / "log" / "2024-05-01.jsonl.gz"
    old.write_bytes(DAMAGE["foreign"](b""))
    (filled / "log" / "totals.json").unlink(missing_ok=True)
    with Store.open(filled, read_only=True) as s:
        for read in (s.review_count, s.reviews):
            with pytest.raises(StoreCorrupt, match="2024-05-01.jsonl.gz is not a compressed hipquiz log"):
                read()
    assert len(check_store(filled)) == 1


def test_a_file_where_a_folder_belongs_is_reported(filled):
    with Store.open(filled) as s:
        s.save_progress(progress("late"))
    cards = filled / "cards"
    moved = filled / "cards-moved"
    cards.rename(moved)
    cards.write_text("not a folder")
    with pytest.raises(StoreCorrupt, match=f"{re.escape(str(cards))} is a file, not a folder: move it out"):
        Store.open(filled, read_only=True)
    assert check_store(filled) == [f"{cards} is a file, not a folder"]


def test_message_names_the_line(filled):
    path = filled / "log" / "2024-05-01.jsonl"
    lines = path.read_text().split("\n")
    lines[2] = lines[2][:-5]
    path.write_text("\n".join(lines))
    with Store.open(filled, read_only=True) as s, pytest.raises(StoreCorrupt) as info:
        s.reviews()
    assert str(info.value) == (f"progress file {path} has a bad review record on line 3 (not valid "
                               f"JSON): {ADVICE}")


def test_damaged_older_log_file_is_found_when_read_and_never_written(filled):
    with Store.open(filled) as s:
        answer(s, "next-day", "c1", T0 + timedelta(days=1))
    old = filled / "log" / "2024-05-01.jsonl.gz"
    old.write_bytes(old.read_bytes()[:-30])
    damaged = old.read_bytes()
    with Store.open(filled) as s:  # opening reads no day of the log
        assert s.progress("c1").reps == 3
        with pytest.raises(StoreCorrupt, match="2024-05-01.jsonl.gz is cut short"):
            s.reviews()
        # A back-dated answer goes to a new file beside it: the damaged one is never written.
        answer(s, "back-dated", "c1", T0 + timedelta(hours=1))
        assert [r.id for r in s.reviews(since=T0 + timedelta(days=1))] == ["next-day"]
    assert old.read_bytes() == damaged
    assert (filled / "log" / "2024-05-01.jsonl").is_file()  # (not merged into the damaged .gz)
    assert len(check_store(filled)) == 1


def test_duplicate_card_is_reported(filled):
    a, b = filled / shard_name("c0"), filled / shard_name("c1")
    assert a != b
    doc = json.loads(a.read_text())
    doc["cards"]["999"] = progress("c1").to_dict()
    a.write_text(json.dumps(doc))
    with pytest.raises(StoreCorrupt, match="also in"):
        Store.open(filled)


# -- processes ----------------------------------------------------------------------------------------


def child(*args: str, **kwargs) -> subprocess.Popen:
    path = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    return subprocess.Popen([sys.executable, str(HELPER), *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.slow
def test_sigkill_never_loses_a_reported_review(tmp_path):
    data = tmp_path / "data"
    rng = random.Random(5)
    reported: set[str] = set()
    for round_no in range(30):
        proc = child("loop", str(data), str(round_no))
        want = rng.choice([0, 1, 2, 3, 5, 8, 13])
        seen = []
        if want:
            for line in proc.stdout:
                seen.append(line.strip())
                if len(seen) >= want:
                    break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen += proc.stdout.read().split()
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, stderr
        reported.update(seen)
        with Store.open(data, read_only=True) as s:
            logged = s.reviews()
            assert reported <= {r.id for r in logged}
            # Every card's state agrees with the log: reps counts its reviews.
            counts: dict[str, int] = {}
            for r in logged:
                counts[r.card_id] = counts.get(r.card_id, 0) + 1
            assert {c: p.reps for c, p in s.all_progress().items()} == counts
    assert len(reported) > 30
    with Store.open(data) as s:
        assert reported <= {r.id for r in s.reviews()}
    assert check_store(data) == []
    assert not list(data.rglob("*.tmp"))


def test_second_writer_is_refused_and_takes_over_a_dead_holder(tmp_path):
    with Store.open(tmp_path, now=lambda: T0) as s:
        answer(s, "r1", "x", T0)
    holder = child("hold", str(tmp_path), stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().split() == ["ready", str(holder.pid)]
        with pytest.raises(StoreLocked) as info:
            Store.open(tmp_path)
        assert info.value.pid == holder.pid and info.value.path == tmp_path
        assert str(info.value) == (f"another hipquiz (pid {holder.pid}) is using {tmp_path}; close it "
                                   "first, or use read-only commands like 'hipquiz stats'")
        with Store.open(tmp_path, read_only=True) as reader:
            assert reader.review_count() == 1
            with pytest.raises(StoreError, match=f"read-only because another hipquiz \\(pid {holder.pid}\\)"):
                reader.save_progress(progress("y"))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        for stream in (holder.stdin, holder.stdout, holder.stderr):
            stream.close()
    with Store.open(tmp_path) as s:  # the dead holder's lock is taken over
        answer(s, "r2", "x", T0 + timedelta(minutes=1))
        assert s.review_count() == 2


def test_lock_is_released_on_close(tmp_path):
    s = Store.open(tmp_path)
    with pytest.raises(StoreLocked):
        Store.open(tmp_path)
    s.close()
    Store.open(tmp_path).close()
    assert (tmp_path / "hipquiz.lock").read_text() == ""
