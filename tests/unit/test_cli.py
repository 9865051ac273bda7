"""The command line: exit codes and one-line messages for every kind of bad input."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hipquiz import __version__
from hipquiz.cli import main

GOOD_DECK = """\
[deck]
id = "mine"
name = "My deck"

[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "Femur"
source = "your thigh bone (femur bone)"
"""


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HIPQUIZ_DATA", str(folder))
    return folder


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"hipquiz {__version__}"


@pytest.mark.parametrize("argv", [["--frobnicate"], ["study", "--mode", "telepathy"], ["nonsense"]])
def test_usage_errors_are_one_line_and_exit_2(argv, capsys, data):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("hipquiz: error: ") and "--help" in err


@pytest.mark.parametrize("argv", [["--data", "", "study"], ["--data=", "paths"], ["--data=", "stats", "--json"]])
def test_an_empty_data_folder_name_is_refused_not_taken_for_the_default(argv, capsys, data):
    # (--data "$DIR" with DIR unset): the default folder's progress must not be studied or changed
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("hipquiz: error: --data was given an empty folder name") and len(err.splitlines()) == 1
    assert not data.exists()


def test_unknown_deck_names_the_decks_there_are(capsys, data):
    assert main(["study", "no-such-deck"]) == 2
    err = capsys.readouterr().err.strip()
    assert "no deck called 'no-such-deck'" in err and "hip-muscles" in err
    assert not data.exists() or not any(data.rglob("*.json")), "nothing is written for a usage error"


def test_validate_reports_file_line_problems_and_exits_1(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(GOOD_DECK, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD_DECK.replace('answer = "Femur"', 'answer = ""'), encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert "ok: deck 'mine', 1 notes, 1 cards" in capsys.readouterr().out
    assert main(["validate", str(good), str(bad)]) == 1
    assert capsys.readouterr().err.strip() == f"{bad}:9: 'answer' is empty"
    assert main(["validate", str(tmp_path / "missing.toml")]) == 1


def test_a_torn_last_line_found_at_start_is_shown_in_the_app_too(data, capsys, monkeypatch):
    # Printed on stderr before the app takes the terminal, the notice would be hidden until quit.
    from datetime import datetime, timezone

    from store_helpers import answer

    from hipquiz.core.store import Store
    from hipquiz.tui.app import HipquizApp

    now = datetime.now(timezone.utc)
    with Store.open(data, now=lambda: now) as store:
        for i in range(3):
            answer(store, f"r{i}", "hip-muscles/tfl-location/basic", now)
    log = next((data / "log").glob("*.jsonl"))
    log.write_bytes(log.read_bytes()[:-20])
    shown: list[tuple[str, ...]] = []
    monkeypatch.setattr(HipquizApp, "run", lambda app: shown.append(app.notices))
    assert main([]) == 0
    assert len(shown) == 1 and len(shown[0]) == 1 and "incomplete last line" in shown[0][0]
    assert capsys.readouterr().err.count("incomplete last line") == 1  # said once, as it happened


def test_validate_refuses_a_picture_of_what_is_not_a_drawn_muscle(tmp_path, capsys):
    deck = tmp_path / "pictured.toml"
    deck.write_text(GOOD_DECK.replace('answer = "Femur"', 'answer = "Femur"\npictured = "femur"'), encoding="utf-8")
    assert main(["validate", str(deck)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{deck}:5: note 'femur': pictured 'femur' is not a drawn muscle (drawn: ")
    assert "tensor-fasciae-latae" in err and "\n" not in err
    deck.write_text(GOOD_DECK.replace('answer = "Femur"', 'answer = "Femur"\npictured = "piriformis"'),
                    encoding="utf-8")
    assert main(["validate", str(deck)]) == 0


def test_validate_accepts_the_shipped_decks(capsys):
    decks = Path(__file__).resolve().parents[2] / "decks"
    assert main(["validate", str(decks)]) == 0, capsys.readouterr().err


def test_decks_lists_shipped_and_user_decks_with_counts(data, capsys):
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "mine.toml").write_text(GOOD_DECK, encoding="utf-8")
    assert main(["decks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["DECK", "NEW", "LEARN", "DUE", "CARDS", "NAME"]
    mine = next(line for line in lines if line.startswith("mine "))
    assert mine.split()[:5] == ["mine", "1", "0", "0", "1"]
    assert any(line.startswith("hip-muscles ") for line in lines)


def test_a_broken_user_deck_is_skipped_with_its_line_and_the_others_still_work(data, capsys):
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "mine.toml").write_text(GOOD_DECK.replace("type =", "kind ="), encoding="utf-8")
    assert main(["decks"]) == 1
    captured = capsys.readouterr()
    assert "mine.toml:7: unknown key 'kind'" in captured.err
    assert "hipquiz validate" in captured.err.splitlines()[-1]
    assert any(line.startswith("hip-muscles ") for line in captured.out.splitlines())


def test_validate_checks_every_path_even_after_a_missing_one(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text(GOOD_DECK, encoding="utf-8")
    assert main(["validate", str(tmp_path / "missing.toml"), str(good)]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'missing.toml'}: no such file" in captured.err
    assert "ok: deck 'mine'" in captured.out


def test_config_sets_and_shows_settings(data, capsys):
    assert main(["config", "new_per_day", "5"]) == 0
    assert main(["config", "new_per_day"]) == 0
    assert "new_per_day = 5" in capsys.readouterr().out
    assert main(["config", "desired_retention", "1.5"]) == 2
    assert "desired_retention must be between 0.7 and 0.99" in capsys.readouterr().err
    assert main(["config", "new_per_day", "many"]) == 2
    assert "new_per_day needs a whole number, got 'many'" in capsys.readouterr().err


def test_stats_json_on_an_empty_store(data, capsys):
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["reviews"] == 0
    assert {d["deck"] for d in stats["decks"]} >= {"hip-muscles"}


def test_corrupt_progress_is_refused_untouched(data, capsys):
    assert main(["config", "new_per_day", "5"]) == 0
    files = [p for p in data.rglob("*.json") if "backups" not in p.parts]
    assert files
    victim = files[0]
    victim.write_bytes(b'{"_default": {"1": {"broken')
    assert main(["decks"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(victim) in err
    assert victim.read_bytes() == b'{"_default": {"1": {"broken'


def test_python_dash_m_runs_the_cli():
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-m", "hipquiz", "--version"], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and out.stdout.strip() == f"hipquiz {__version__}"


def test_a_bug_is_one_line_with_a_report_file_not_a_traceback(data, capsys, monkeypatch):
    import hipquiz.cli as cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(cli, "_list_decks", broken)
    assert main(["decks"]) == 70
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "ZeroDivisionError: oops" in err
    report = Path(err.rsplit(" ", 1)[-1])
    assert "Traceback" in report.read_text()
    report.unlink()


def test_a_file_given_as_data_folder_is_a_usage_error(tmp_path, capsys):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("hello")
    assert main(["--data", str(not_a_folder), "stats"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "is a file, not a folder" in err
    assert not_a_folder.read_text() == "hello"


def test_stats_on_a_folder_without_progress_says_so(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "typo"), "stats"]) == 0
    assert f"no progress saved yet in {tmp_path / 'typo'}" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists(), "a read-only command creates nothing"


def test_data_may_come_before_or_after_the_command(tmp_path, capsys):
    folder = tmp_path / "elsewhere"
    assert main(["config", "new_per_day", "7", "--data", str(folder)]) == 0
    assert main(["--data", str(folder), "config", "new_per_day"]) == 0
    assert "new_per_day = 7" in capsys.readouterr().out
    assert main(["backup", "list", "--data", str(folder)]) == 0


def test_grading_thresholds_are_settings(data, capsys):
    assert main(["config", "typed_fast_seconds", "4.5"]) == 0
    assert main(["config", "near_miss_is_hard", "false"]) == 0
    assert main(["config", "typed_slow_seconds", "3"]) == 2  # slower limit below the fast one
    assert "must be less than typed_slow_seconds" in capsys.readouterr().err
    from hipquiz.cli import _grade_thresholds
    from hipquiz.core.store import Store

    with Store.open(data, read_only=True) as store:
        thresholds = _grade_thresholds(store)
    assert (thresholds.typed_fast_seconds, thresholds.near_miss_is_hard) == (4.5, False)


def test_a_usage_error_stays_one_line_even_with_a_broken_user_deck(data, capsys):
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "mine.toml").write_text(GOOD_DECK.replace("type =", "kind ="), encoding="utf-8")
    assert main(["study", "nosuchdeck"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_accepted_answers_are_listed_and_can_be_forgotten(data, capsys):
    from hipquiz.core.store import Store

    with Store.open(data) as store:
        store.add_alias("hip-anatomy/answer:superior gluteal nerve", "SGN")
    assert main(["aliases"]) == 0
    assert "'SGN' counts as superior gluteal nerve (hip-anatomy)" in capsys.readouterr().out
    assert main(["aliases", "remove", "SGN"]) == 0
    assert main(["aliases", "remove", "SGN"]) == 2
    with Store.open(data, read_only=True) as store:
        assert store.aliases() == {}


def test_stats_for_one_deck_and_an_unknown_deck(data, capsys):
    assert main(["stats", "hip-anatomy", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["deck"] == "hip-anatomy" and [d["deck"] for d in figures["decks"]] == ["hip-anatomy"]
    assert len(figures["forecast"]) == 30 and figures["today"]["correct_percent"] is None
    assert main(["stats", "no-such-deck"]) == 2
    assert "no deck called 'no-such-deck'" in capsys.readouterr().err


def test_stats_piped_into_head_ends_quietly(data):
    # The reader is gone before hipquiz writes a byte, as when `head` has read its fill.
    child = subprocess.Popen([sys.executable, "-m", "hipquiz", "--data", str(data), "stats", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child.stdout.close()
    err = child.stderr.read()
    child.stderr.close()
    assert child.wait(timeout=30) == 0 and "crash" not in err and "Traceback" not in err


def test_stats_reads_while_a_study_session_holds_the_store(data, capsys):
    from hipquiz.core.store import Store

    assert main(["config", "new_per_day", "5"]) == 0
    capsys.readouterr()
    with Store.open(data):  # the trainer, open in another terminal
        assert main(["stats", "--json"]) == 0
        assert main(["stats"]) == 0
    assert "All decks" in capsys.readouterr().out


def test_stats_tables_and_json_show_the_same_figures(data, capsys):
    from datetime import timedelta

    from hipquiz.core.decks import load_library
    from hipquiz.core.model import ReviewRecord, utc_now
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.store import write_store
    from hipquiz.paths import user_decks_dir

    deck = load_library(user_decks_dir(data)).find("hip-anatomy")
    scheduler, at = Scheduler(), utc_now() - timedelta(days=3)
    states, pairs = {}, []
    for n, card in enumerate(deck.cards[:6]):
        outcome = scheduler.review(scheduler.new_progress(card.id, card.answer_hash, at), 1 + n % 4, at)
        pairs.append((ReviewRecord(f"r{n}", card.id, 1 + n % 4, at, 61_000, "typed", None), outcome.progress))
        states[card.id] = outcome.progress
    write_store(data, states.values(), pairs, durable=False)
    assert main(["stats", "hip-anatomy", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["reviews"] == 6 and sum(d["reviews"] for d in figures["history"]) == 6
    assert figures["history"][0]["seconds"] == 366
    assert main(["stats", "hip-anatomy"]) == 0
    out = capsys.readouterr().out
    assert "Hip muscles: textbook anatomy" in out and "6m 06s" in out
    studied = {m["label"]: m["studied"] for m in figures["muscles"]}
    assert sum(studied.values()) == 6 and f"{studied['tensor fasciae latae (TFL)']}/" in out


# What a start's command line may look like, plainly or not: each is read by the parser built for
# its command alone when it names one plainly (see cli.parse_command_line), else by the whole one.
COMMAND_LINES = [
    [], ["--data", "d"], ["--data=d", "--deck", "p"], ["study"], ["--data", "d", "study", "hip-anatomy"],
    ["--deck=p", "study", "--mode", "typed", "--limit", "5", "--deck", "q"], ["study", "--mode", "where"],
    ["study", "--mode", "telepathy"], ["study", "--limit", "many"], ["study", "--bogus"], ["study", "a", "b"],
    ["study", "--help"], ["study", "-h"], ["-h"], ["--help", "study"], ["-h", "study"], ["--version"],
    ["--version", "study"], ["nonsense"], ["--data", "study", "decks"], ["--data"], ["--data", "d", "--dat", "e"],
    ["--da", "d", "study"], ["--de", "p", "study"], ["--", "study"], ["decks", "--data", "d"], ["stats", "--json"],
    ["stats", "--deck", "p", "deck"], ["validate"], ["validate", "a.toml"], ["config", "nokey"],
    ["config", "mode", "typed"], ["paths", "extra"], ["aliases", "remove", "x"], ["aliases", "forget"],
    ["doctor", "--repair"], ["backup"], ["backup", "restore"], ["backup", "restore", "2026-01-01", "--yes"],
    ["backup", "list", "--help"], ["new-deck"], ["import", "f.csv", "--deck", "old"], ["export", "deck", "-o", "-"],
    ["export", "--help"], ["studdy"], ["Study"],
    # Read without argparse, or handed to it (cli._plain_start): values that look like options, empty
    # ones, repeated options, a second word, a deck named like a command.
    ["--data", "d", "--data", "e", "--deck", "p", "--deck=q", "study", "study"], ["--data=", "study"],
    ["--data", "", "study"], ["--data", "-d", "study"], ["--data=-d"], ["--deck", "study"], ["study", ""],
    ["study", "-"], ["study", "-x"], ["study", "--", "deck"], ["study", "deck", "--cram"], ["--deck"],
    ["--data", "d", "decks"], ["deck"], ["--mode", "typed", "study"],
]


def _read(parse, argv, capsys):
    """What the user sees of parsing ``argv``: the arguments read or the exit, and the output."""
    from hipquiz.cli import UsageError

    try:
        outcome = vars(parse(argv))
    except SystemExit as exited:
        outcome = f"exit {exited.code}"
    except UsageError as exc:
        outcome = f"usage error: {exc}"
    out, err = capsys.readouterr()
    return outcome, out, err


@pytest.mark.parametrize("argv", COMMAND_LINES, ids=" ".join)
def test_a_command_line_reads_as_the_whole_parser_reads_it(argv, capsys, monkeypatch):
    from hipquiz.cli import build_parser, parse_command_line

    monkeypatch.setenv("COLUMNS", "80")  # help is wrapped to the terminal's width
    assert _read(parse_command_line, argv, capsys) == _read(lambda a: build_parser().parse_args(a), argv, capsys)


def test_a_plain_start_builds_no_parser_and_a_plain_command_only_its_own(monkeypatch):
    from hipquiz import cli

    built = []
    build = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda only=None: built.append(only) or build(only))
    cli.parse_command_line(["--data", "d", "study", "hip-anatomy"])
    cli.parse_command_line(["--data=d"])
    assert built == []
    cli.parse_command_line(["--data", "d", "study", "--mode", "typed"])
    cli.parse_command_line(["--data=d", "stats", "--json"])
    assert built == ["study", "stats"]


def test_every_command_named_plainly_is_read_by_its_own_parser():
    # cli.py lists the command names apart from the parsers it builds (to know, before building
    # any, which one a command line names): a command added to one and not the other would be
    # read by the whole parser again (correct, but the ~2 ms the split saves are lost unnoticed).
    from hipquiz import cli

    commands = next(action for action in cli.build_parser()._actions if isinstance(action, argparse._SubParsersAction))
    for name in commands.choices:
        assert cli._command_named(["--data", "d", name]) == name
        # (with the other commands of its module: doctor and backup, new-deck, import and export)
        only = next(a for a in cli.build_parser(name)._actions if isinstance(a, argparse._SubParsersAction))
        assert name in only.choices and len(only.choices) <= 3


@pytest.mark.parametrize("argv, paused", [(["study", "hip-anatomy"], True), (["--data", "d"], True),
                                          (["paths"], False), (["stats", "--json"], False)])
def test_a_start_reads_its_command_line_without_collecting_garbage(argv, paused, monkeypatch):
    # Collections while the trainer loads walk everything loaded so far (hipquiz/tui/collector.py):
    # a start pauses them before reading its command line; other commands leave them alone.
    import gc

    from hipquiz import cli

    seen = []
    parse = cli.parse_command_line
    monkeypatch.setattr(cli, "parse_command_line", lambda argv: seen.append(not gc.isenabled()) or parse(argv))
    monkeypatch.setattr(cli, "_dispatch", lambda args, data: 0)
    assert gc.isenabled()
    assert cli.main(argv) == 0
    assert seen == [paused]
    assert gc.isenabled()
