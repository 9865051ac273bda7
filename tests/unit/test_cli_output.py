"""What the command prints: no control characters, quiet when the reader goes away, bounded crash reports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import hipquiz.cli as cli
from hipquiz.cli import main


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HIPQUIZ_DATA", str(folder))
    return folder


@pytest.fixture
def crash_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "crash"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("hipquiz.paths.crash_reports_dir", lambda: folder)
    return folder


@pytest.mark.parametrize("command", [["stats"], ["decks"], ["config"], ["paths"], ["aliases"], ["stats", "--json"]])
def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path, command):
    env = {**os.environ, "HIPQUIZ_DATA": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run([sys.executable, "-m", "hipquiz", "config", "new_per_day", "20"], env=env, check=True,
                   capture_output=True)
    # `hipquiz stats | head -c1`: the reader is gone before the first write.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "hipquiz", *command], env=env, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    # 0, or 1 where Rich's console writes the output (it exits 1 on a closed pipe): never a crash.
    assert done.returncode in (0, 1)
    assert not (tmp_path / "state").exists() or not list((tmp_path / "state").rglob("hipquiz-crash-*"))


def test_a_crash_report_names_its_file_and_only_the_last_five_are_kept(data, crash_dir, capsys, monkeypatch):
    def broken(args, data_dir):
        raise RuntimeError("planted bug")

    monkeypatch.setattr(cli, "_dispatch", broken)
    named = []
    for _ in range(8):
        assert main(["paths"]) == 70
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "RuntimeError: planted bug" in err
        named.append(err.strip().rsplit(" ", 1)[-1])
    kept = sorted(crash_dir.glob("hipquiz-crash-*.txt"))
    assert len(kept) == 5
    assert [str(p) for p in kept] == sorted(named)[-5:]
    assert "planted bug" in Path(named[-1]).read_text(encoding="utf-8")
    assert oct(crash_dir.stat().st_mode & 0o777) == "0o700"


def test_printed_text_carries_no_control_characters(data, capsys, monkeypatch):
    monkeypatch.setenv("HIPQUIZ_DATA", str(data.parent / "da\x1b]0;pwned\x07ta"))
    assert main(["paths"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "da]0;pwnedta" in out


def test_a_bug_inside_the_trainer_is_reported_like_any_other(data, crash_dir, capsys, monkeypatch):
    """Textual catches an error in the app, prints its own traceback and exits 1; hipquiz's promise
    is one line naming a crash report, and exit 70."""
    from textual.app import App

    from hipquiz.tui.app import HipquizApp

    def broken(self):
        raise RuntimeError("planted bug in a screen")

    monkeypatch.setattr(HipquizApp, "get_default_screen", broken)
    monkeypatch.setattr(HipquizApp, "run", lambda self: App.run(self, headless=True, size=(80, 24)))
    assert main(["decks"]) == 0  # the shipped decks in place
    capsys.readouterr()
    assert main([]) == 70
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    err = captured.err.strip()
    assert len(err.splitlines()) == 1 and "RuntimeError: planted bug in a screen" in err
    report = Path(err.rsplit(" ", 1)[-1])
    assert "planted bug in a screen" in report.read_text(encoding="utf-8")


def test_the_deck_folder_is_private_like_the_rest_of_the_data_folder(data, capsys):
    old = os.umask(0o022)  # the usual umask, which left the folder 0755
    try:
        assert main(["new-deck", "My hip"]) == 0
    finally:
        os.umask(old)
    assert oct((data / "decks").stat().st_mode & 0o777) == "0o700"


def test_the_readme_names_the_review_log_file_export_writes(data, tmp_path, capsys):
    import re

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    out_name, log_name = re.search(r"`-o (\S+)`\s+also writes `(\S+)`", readme).groups()
    assert main(["export", "hip-muscles", "-o", str(tmp_path / out_name), "--with-progress"]) == 0
    assert (tmp_path / log_name).is_file()
