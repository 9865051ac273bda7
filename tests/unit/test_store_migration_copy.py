"""Migrating a schema-2 folder keeps a complete copy of it first, ``backups/before-schema-3-DATE.zip``
(said in one line, never pruned with the daily backups), whatever backups the day already has; a
long history says it is being converted before it starts; a read-only command converts it once."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hipquiz.cli import main
from hipquiz.core.store import Store, make_daily_backup
from hipquiz.core.store.backups import finish_backups, take_snapshot

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "schema2" / "store"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def schema2(tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    return data


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.parts[len(folder.parts)] != "backups"}


def test_the_copy_holds_every_schema2_file_even_when_todays_backup_exists(tmp_path):
    data = schema2(tmp_path)
    make_daily_backup(data, now=lambda: NOW)  # today's backup, taken before...
    meta = json.loads((data / "meta.json").read_text())
    meta["settings"]["1"]["new_per_day"] = 13  # ...a change the old hipquiz made afterwards
    (data / "meta.json").write_text(json.dumps(meta))
    before = {k: v for k, v in files_of(data).items() if k not in ("log/index.json", "log/totals.json")}
    said: list[str] = []
    with Store.open(data, now=lambda: NOW, notice=said.append) as s:
        assert s.get_setting("new_per_day") == 13
    [copy] = list((data / "backups").glob("before-schema-3-*.zip"))
    with zipfile.ZipFile(copy) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == before
    assert [line for line in said if str(copy) in line], said
    assert not list((data / "log").glob("20*.json"))  # the old files are gone from the folder


def test_the_copy_is_never_pruned(tmp_path):
    data = schema2(tmp_path)
    with Store.open(data, now=lambda: NOW, notice=lambda _: None) as s:
        s.set_setting("backups_keep", 1)
    for day in range(1, 10):
        later = NOW + timedelta(days=day)
        take_snapshot(data, now=lambda: later)
        finish_backups(data, keep=1)
    assert len(list((data / "backups").glob("20*.zip"))) == 1
    assert len(list((data / "backups").glob("before-schema-3-*.zip"))) == 1


def test_a_read_only_command_converts_once(tmp_path, capsys):
    data = schema2(tmp_path)
    assert main(["--data", str(data), "stats"]) == 0
    err = capsys.readouterr().err
    assert "before-schema-3-" in err
    assert json.loads((data / "meta.json").read_text())["meta"]["1"]["schema"] == 3
    assert main(["--data", str(data), "stats"]) == 0
    assert capsys.readouterr().err == ""  # nothing more to convert, nothing said


def test_a_long_history_says_it_is_being_converted_before_it_starts(tmp_path, monkeypatch):
    from hipquiz.core.store import migrations

    data = schema2(tmp_path)
    said: list[str] = []
    monkeypatch.setattr(migrations, "LONG_HISTORY_BYTES", 1000)  # (the fixture's history is short)
    real = migrations._read_schema
    monkeypatch.setattr(migrations, "_read_schema", lambda *a: said.append("<reading>") or real(*a))
    Store.open(data, now=lambda: NOW, notice=said.append).close()
    assert "converting" in said[0] and said[1] == "<reading>"


def test_a_short_history_is_converted_without_the_notice(tmp_path):
    said: list[str] = []
    Store.open(schema2(tmp_path), now=lambda: NOW, notice=said.append).close()
    assert len(said) == 1 and "before-schema-3-" in said[0]


def test_the_copy_is_listed_and_restored_by_the_name_the_notice_gives(tmp_path, capsys):
    data = schema2(tmp_path)
    before = files_of(data)
    assert main(["--data", str(data), "stats"]) == 0
    notice = capsys.readouterr().err
    name = notice.split("'hipquiz backup restore ")[1].split("'")[0]  # as the person reads it
    assert main(["--data", str(data), "backup", "list"]) == 0
    listed = capsys.readouterr().out
    assert name in listed and "before an upgrade" in listed
    assert main(["--data", str(data), "backup", "restore", name, "--yes"]) == 0
    assert f"restored the backup of {name}" in capsys.readouterr().out
    after = files_of(data)
    # The schema-2 files as they were (less the two indexes rebuilt from the log, as in the first test).
    derived = ("log/index.json", "log/totals.json")
    assert {k: after.get(k) for k in before if k not in derived} == {
        k: v for k, v in before.items() if k not in derived}


def test_a_name_that_is_no_kept_copy_is_a_usage_error(tmp_path, capsys):
    data = schema2(tmp_path)
    assert main(["--data", str(data), "stats"]) == 0
    capsys.readouterr()
    assert main(["--data", str(data), "backup", "restore", "before-schema-9-2026-01-01", "--yes"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "backup list" in err
