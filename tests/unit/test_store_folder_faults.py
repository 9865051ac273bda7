"""A data folder that cannot be used as it is: every command says why in one line (the real cause),
and ``doctor`` reports the same instead of "no problems found"."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from store_helpers import T0, answer

from hipquiz.cli import main
from hipquiz.core.store import Store, check_store


def make_store(folder: Path) -> None:
    with Store.open(folder, now=lambda: T0) as store:
        answer(store, "r1", "d/x/c", T0)


def run(data: Path, capsys, *command: str) -> tuple[int, str]:
    code = main(["--data", str(data), *command])
    out, err = capsys.readouterr()
    return code, out + err


def assert_every_command_says(data: Path, capsys, words: str, commands=(("config", "new_per_day", "5"),)) -> None:
    for command in commands:
        code, said = run(data, capsys, *command)
        assert code == 1 and words in said and "unexpected error" not in said, (command, said)
        assert len(said.strip().splitlines()) == 1, said
    code, said = run(data, capsys, "doctor")
    assert code == 1 and words in said and "no problems" not in said, said


def test_a_lock_that_is_a_folder(tmp_path, capsys):
    data = tmp_path / "data"
    make_store(data)
    (data / "hipquiz.lock").unlink()
    (data / "hipquiz.lock").mkdir()
    assert_every_command_says(data, capsys, "hipquiz.lock is a folder")


def test_a_backups_path_that_is_a_file(tmp_path, capsys):
    data = tmp_path / "data"
    with Store.open(data, now=lambda: T0.replace(year=2023)) as store:  # (no backup made today yet)
        answer(store, "r1", "d/x/c", T0)
    import shutil

    shutil.rmtree(data / "backups")
    (data / "backups").write_text("not a folder")
    assert_every_command_says(data, capsys, "backups is a file where hipquiz keeps its backups folder")


def test_a_read_only_file_system_is_named_as_such(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    make_store(data)
    monkeypatch.setattr(os, "statvfs", lambda path: type("V", (), {"f_flag": os.ST_RDONLY})())
    assert_every_command_says(data, capsys, "read-only")
    code, said = run(data, capsys, "config", "new_per_day", "5")
    assert "permission denied" not in said and "free some space" not in said


def test_a_write_refused_by_a_read_only_file_system_says_so(tmp_path, monkeypatch):
    data = tmp_path / "data"
    make_store(data)
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(dst))

    with Store.open(data, now=lambda: T0) as store:
        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(Exception) as info:
            store.set_setting("new_per_day", 5)
        monkeypatch.setattr(os, "replace", real_replace)
    message = str(info.value)
    assert "the file system is read-only" in message and "free some space" not in message
    assert "permission denied" not in message


def test_a_folder_that_cannot_be_written(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    make_store(data)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == data else real_access(path, mode))
    assert_every_command_says(data, capsys, "permission denied")


def test_a_folder_where_a_card_file_should_be(tmp_path, capsys):
    data = tmp_path / "data"
    make_store(data)
    shard = next((data / "cards").glob("*.json"))
    shard.unlink()
    shard.mkdir()
    assert_every_command_says(data, capsys, f"{shard} is a folder", commands=(("stats",), ("config", "new_per_day", "5")))
    assert check_store(data)


def test_a_folder_that_cannot_be_looked_into(tmp_path, capsys, monkeypatch):
    """Mode 000 (as a user other than root): the folder itself can be seen, nothing in it."""
    data = tmp_path / "data"
    make_store(data)
    real_stat, real_listdir, real_open = os.stat, os.listdir, os.open

    def inside(path) -> bool:
        return str(path).startswith(str(data) + os.sep)

    def deny(real):
        def guarded(path, *args, **kwargs):
            if inside(path) or (real is real_listdir and Path(path) == data):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path, *args, **kwargs)
        return guarded

    monkeypatch.setattr(os, "stat", deny(real_stat))
    monkeypatch.setattr(os, "listdir", deny(real_listdir))
    monkeypatch.setattr(os, "open", deny(real_open))
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != data)
    for command in (("stats",), ("config", "new_per_day", "5"), ("decks",)):
        code, said = run(data, capsys, *command)
        assert code == 1 and "permission denied" in said and "unexpected error" not in said, (command, said)
    code, said = run(data, capsys, "doctor")
    assert code == 1 and "permission denied" in said and "no problems" not in said, said
