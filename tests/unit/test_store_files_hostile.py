"""Files in the data folder that are not what they claim: FIFOs, links, huge files. Refused at once,
naming the file; never a hang, never written through."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_helpers import T0, answer

from hipquiz.cli import main
from hipquiz.core.store import Store, shard_name
MAX_FILE_BYTES = 16_000_000

CARD = "hip-muscles/tfl/location"


def make_store(folder: Path) -> None:
    with Store.open(folder, now=lambda: T0) as store:
        answer(store, "r1", CARD, T0)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "link-to-a-real-file"])
def test_a_card_file_that_is_not_a_regular_file_is_named_and_nothing_hangs(tmp_path, capsys, kind):
    data = tmp_path / "data"
    make_store(data)
    card_file = data / shard_name(CARD)
    outside = tmp_path / "outside.json"
    outside.write_bytes(card_file.read_bytes())
    card_file.unlink()
    if kind == "fifo":
        os.mkfifo(card_file)
    else:
        card_file.symlink_to("/dev/zero" if kind == "dev-zero-link" else outside)
    for command in (["stats"], ["decks"], ["config", "new_per_day", "5"], ["doctor"]):
        assert main(["--data", str(data), *command]) == 1, command
        out, err = capsys.readouterr()
        assert str(card_file) in out + err and "unexpected error" not in err, (command, out, err)
    assert outside.read_bytes() == outside.read_bytes()


@pytest.mark.parametrize("name", ["cards", "log", "backups", "hipquiz.lock", "meta.json"])
def test_a_link_in_the_data_folder_is_refused_and_nothing_is_written_through_it(tmp_path, capsys, name):
    data = tmp_path / "data"
    make_store(data)
    target = tmp_path / f"elsewhere-{name}"
    os.replace(data / name, target) if (data / name).exists() else target.mkdir()
    (data / name).symlink_to(target)
    before = sorted(str(p) for p in target.rglob("*")) if target.is_dir() else target.read_bytes()
    assert main(["--data", str(data), "config", "new_per_day", "5"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(data / name) in err and "link" in err, err
    after = sorted(str(p) for p in target.rglob("*")) if target.is_dir() else target.read_bytes()
    assert after == before


def test_a_huge_log_file_is_refused_at_once(tmp_path, capsys):
    data = tmp_path / "data"
    make_store(data)
    log_file = next((data / "log").glob("20*.jsonl"))
    with open(log_file, "ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert main(["--data", str(data), "stats"]) == 1
    err = capsys.readouterr().err
    assert str(log_file) in err and "larger than" in err


def test_the_data_folder_is_private_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        data = tmp_path / "data"
        make_store(data)
    finally:
        os.umask(old)
    assert oct(data.stat().st_mode & 0o777) == "0o700"
    for path in data.rglob("*"):
        if path.is_dir():
            assert oct(path.stat().st_mode & 0o777) == "0o700", path
        else:
            assert oct(path.stat().st_mode & 0o777) == "0o600", path


def test_a_data_folder_owned_by_someone_else_is_refused(tmp_path, capsys):
    if os.getuid() != 0:
        pytest.skip("only root can give a folder away")
    data = tmp_path / "data"
    make_store(data)
    os.chown(data, 4321, 4321)
    assert main(["--data", str(data), "config", "new_per_day", "5"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "belongs to another user" in err and str(data) in err


@pytest.mark.parametrize("name", ["index.json", "totals.json"])
def test_a_fifo_in_place_of_a_cache_file_is_ignored_without_waiting(tmp_path, capsys, name):
    data = tmp_path / "data"
    make_store(data)
    cache = data / "log" / name
    if cache.exists():
        cache.unlink()
    os.mkfifo(cache)
    assert main(["--data", str(data), "stats"]) == 0
    capsys.readouterr()
