"""The hipquiz command: arguments, subcommands and exit codes.

Exit codes: 0 done, 1 a problem with the data (deck, progress file, lock), 2 a usage error,
70 a bug (the traceback is written to a report file instead of the screen). When the reader of
the output goes away (``hipquiz stats | head -c1``) the command stops quietly with 0.
The Textual UI is imported only by the commands that open it, so the others start fast.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Sequence

from hipquiz import __version__
from hipquiz.cli_commands import MAINTENANCE_COMMANDS, OWN_COMMANDS, UsageError
from hipquiz.core.errors import ExitCode, StoreError
from hipquiz.core.settings import BY_KEY, GRADE_KEYS, SETTINGS, SettingError
from hipquiz.core.untrusted import printable
from hipquiz.paths import data_dir as resolve_data_dir
from hipquiz.paths import ensure_user_decks_dir, user_decks_dir

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_BUG = ExitCode.OK, ExitCode.DATA, ExitCode.USAGE, ExitCode.BUG
CRASH_REPORTS_KEPT = 5

# The top-level options that take a value (what may come before a command named plainly).
_VALUE_OPTIONS = ("--data", "--deck")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser (hipquiz/cli_parser.py); with ``only``, the top-level options and
    that command's parser alone."""
    from hipquiz import cli_parser

    return cli_parser.build_parser(only)


def parse_command_line(argv: Sequence[str] | None) -> argparse.Namespace | SimpleNamespace:
    """``argv`` parsed (UsageError for a mistake). A plain start ('hipquiz', 'hipquiz --data DIR
    study DECK') is read without argparse (see _plain_start). When a command line names its
    command plainly, only that command's parser is built: building all fifteen costs ~2 ms.
    Anything else (help, a mistake, an abbreviated option) is parsed by the whole parser, so every
    help text and message is the whole command line's."""
    argv = sys.argv[1:] if argv is None else list(argv)
    plain = _plain_start(argv)
    if plain is not None:
        return plain
    only = _command_named(argv)
    if only is not None:
        try:
            return build_parser(only).parse_args(argv)
        except UsageError:
            pass  # said as the whole parser says it
    return build_parser().parse_args(argv)


# What argparse reads 'hipquiz study' as: the study command's options left out (see _plain_start).
_STUDY_DEFAULTS = {"deck": None, "mode": None, "tag": None, "limit": None, "minutes": None, "extra_new": 0,
                   "ahead": 0, "cram": False, "mistakes": False}


def _plain_start(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a command line that plainly opens the trainer, read without argparse
    (importing it and building the study parser cost ~2 ms of every start): top-level --data DIR
    and --deck PATH (or --data=DIR), then nothing, or 'study' and perhaps a deck name. None for
    anything else, which argparse reads (a value that could be taken for an option, an empty one,
    any other word or option). tests/unit/test_cli.py checks that argparse reads them alike."""
    found: dict[str, Any] = {"data": None, "deck_paths": []}
    at = 0
    while at < len(argv) and argv[at].startswith("-"):
        option, equals, value = argv[at].partition("=")
        if not equals:
            value = argv[at + 1] if at + 1 < len(argv) else ""
        if option not in _VALUE_OPTIONS or not value or value.startswith("-"):
            return None
        if option == "--data":
            found["data"] = value
        else:
            found["deck_paths"].append(value)
        at += 1 if equals else 2
    rest = argv[at:]
    if not rest:
        return SimpleNamespace(**found, command=None)
    if rest[0] != "study" or len(rest) > 2 or (len(rest) == 2 and (not rest[1] or rest[1].startswith("-"))):
        return None
    return SimpleNamespace(**found, command="study", **dict(_STUDY_DEFAULTS, deck=rest[1] if len(rest) == 2 else None))


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names after top-level options given in full (--data DIR, --deck=PATH), or
    "" when it names none; None when anything else comes first (-h, --version, an abbreviation) or
    it names no command. (A wrong guess costs nothing: that command's parser alone refuses the
    arguments, and the whole parser reads them.)"""
    from hipquiz import cli_decks

    at = 0
    while at < len(argv):
        arg = argv[at]
        if arg in _VALUE_OPTIONS:
            at += 2
        elif arg.startswith(tuple(f"{option}=" for option in _VALUE_OPTIONS)):
            at += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in (*OWN_COMMANDS, *MAINTENANCE_COMMANDS, *cli_decks.COMMANDS) else None
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    # Text from files (a deck's name, a saved alias, a folder's name) is printed as is: control
    # characters in it would drive the terminal, so every line printed goes through printable().
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PrintableStream(sys.stdout), _PrintableStream(sys.stderr)
    try:
        code = _main(argv)
        sys.stdout.flush()  # a reader that went away shows up here when the output was short
        return code
    except BrokenPipeError:
        _discard_unwritten_output()
        return EXIT_OK
    finally:
        sys.stdout, sys.stderr = saved


class _PrintableStream:
    """A text stream that drops control characters on the way (see hipquiz.core.untrusted)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard_unwritten_output() -> None:
    """The reader closed the pipe: send what is still buffered nowhere, so that Python's own flush
    at exit does not print "Exception ignored … BrokenPipeError"."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            os.dup2(devnull, stream.fileno())
        except (AttributeError, OSError, ValueError):  # not a real file (tests capture output)
            pass
    os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if _command_named(argv) not in ("", "study"):
        return _parse_and_run(argv)
    # A command line that plainly opens the trainer: garbage collection is paused from here (see
    # _dispatch), so that the imports of reading it (the question types, the decks) are not
    # collected either (~2.5 ms of a start).
    from hipquiz.tui import collector

    collector.pause_for_start()
    try:
        return _parse_and_run(argv)
    finally:
        collector.resume()  # (a usage or data problem found before the app runs)


def _parse_and_run(argv: Sequence[str]) -> int:
    try:
        args = parse_command_line(argv)
    except UsageError as exc:
        print(f"hipquiz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.data == "":
        # (an unset shell variable, --data "$DIR"): not the default folder's progress, silently
        print("hipquiz: error: --data was given an empty folder name: name the folder, or leave --data out "
              "(see 'hipquiz --help')", file=sys.stderr)
        return EXIT_USAGE
    data = resolve_data_dir(args.data)
    try:
        return _dispatch(args, data)
    except UsageError as exc:
        print(f"hipquiz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # not a bug: main() ends quietly
    except _DataProblem as exc:
        print(f"hipquiz: {exc}", file=sys.stderr)
        return EXIT_DATA
    except StoreError as exc:  # a damaged log day, found when a command first reads it (not at open)
        print(f"hipquiz: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:  # the machine, not a bug: a folder that cannot be read, a full disk...
        from hipquiz.core.store.files import os_error_text

        print(f"hipquiz: {exc.filename or 'a file'}: {os_error_text(exc)}", file=sys.stderr)
        return EXIT_DATA
    except Exception as exc:  # a bug: one line for the user, the traceback kept for the report
        report = _save_crash_report()
        print(f"hipquiz: unexpected error ({type(exc).__name__}: {exc}); nothing saved was lost. "
              f"Please report it with {report}", file=sys.stderr)
        return EXIT_BUG


def _save_crash_report() -> Path:
    """Write the traceback to a new file in the crash reports folder, keeping only the last few."""
    import os
    import tempfile
    import traceback

    from hipquiz import paths

    folder = paths.crash_reports_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())  # a report somewhere beats none
    # The name sorts by time, so the oldest reports are the first ones.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    with tempfile.NamedTemporaryFile("w", dir=folder, prefix=f"hipquiz-crash-{stamp}-", suffix=".txt",
                                     delete=False, encoding="utf-8") as report:
        report.write(f"hipquiz {__version__}, Python {sys.version}\n\n")
        report.write(traceback.format_exc())
    for old in sorted(folder.glob("hipquiz-crash-*.txt"))[:-CRASH_REPORTS_KEPT]:
        try:
            os.unlink(old)
        except OSError:
            pass
    return Path(report.name)


class _DataProblem(Exception):
    pass


def _dispatch(args: argparse.Namespace | SimpleNamespace, data: Path) -> int:
    command = args.command
    for path in getattr(args, "deck_paths", ()):
        if not Path(path).exists():
            raise UsageError(f"--deck {path}: no such deck file or folder")
    if command == "validate":
        return _validate(args.paths)
    if command == "paths":
        print(f"data:  {data}")
        print(f"decks: {user_decks_dir(data)}")
        from hipquiz.core.parse_cache import cache_dir

        print(f"cache: {cache_dir() or '(none: HIPQUIZ_CACHE is empty)'}")
        return EXIT_OK
    from hipquiz import cli_decks

    if command in cli_decks.COMMANDS:
        try:
            return cli_decks.run(args, data)
        except cli_decks.DeckUsageError as exc:
            raise UsageError(str(exc)) from None
        except cli_decks.DeckCommandError as exc:
            raise _DataProblem(str(exc)) from None
    if command in MAINTENANCE_COMMANDS:
        from hipquiz import cli_maintenance

        return cli_maintenance.run(args, data)
    if command == "decks":
        return _list_decks(data, args.deck_paths)
    if command == "stats":
        return _stats(data, args.deck, args.deck_paths, as_json=args.json)
    if command == "config":
        return _config(data, args.key, args.value)
    if command == "aliases":
        return _aliases(data, args.remove, args.text)
    # No garbage collection while the trainer loads (Textual, the decks, the store) and until its
    # first screen is up, when HipquizApp.first_screen_shown turns it back on (hipquiz/tui/collector.py):
    # collections during the imports alone walk tens of thousands of objects, ~15 ms of a start.
    from hipquiz.tui import collector

    collector.pause_for_start()
    try:
        return _run_app(data, args.deck_paths, deck_name=getattr(args, "deck", None), mode=getattr(args, "mode", None),
                        start_study=command == "study", custom=args if command == "study" else None)
    finally:
        collector.resume()  # (a usage or data problem found before the app runs)


def _validate(paths: list[str]) -> int:
    from hipquiz.core.decks import LEXICON_FILE, DeckError, deck_files, load_deck
    from hipquiz.core.lexicon import validate_lexicon_file

    files: list[Path] = []
    failed = False
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = deck_files([path])
            if (path / LEXICON_FILE).is_file():
                found.append(path / LEXICON_FILE)
            if not found:
                print(f"{path}: no .toml deck files in this folder", file=sys.stderr)
                failed = True
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            print(f"{path}: no such file", file=sys.stderr)
            failed = True
    for path in files:
        if path.name == LEXICON_FILE:
            try:
                print(validate_lexicon_file(path))
            except DeckError as exc:
                failed = True
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
            continue
        try:
            deck = load_deck(path)
        except DeckError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        from hipquiz.core.figures import picture_problems

        pictures = picture_problems(deck)
        if pictures:
            failed = True
            print(*pictures, sep="\n", file=sys.stderr)
            continue
        print(f"{path}: ok: deck {deck.id!r}, {len(deck.notes)} notes, {len(deck.cards)} cards; {_asked_as(deck)}")
    return EXIT_DATA if failed else EXIT_OK


def _asked_as(deck) -> str:
    """How many cards each mode (--mode) asks in its own way rather than as a flip card:
    "cards per mode: choice 30, typed 20, select 5, mixed 40"."""
    from hipquiz.core.questions import FLIP, mode_counts

    counts = mode_counts(deck)
    return "cards per mode: " + ", ".join(f"{mode} {count}" for mode, count in counts.items() if mode != FLIP)


def _load_library(data: Path, extra: Sequence[str] = (), *, report: bool = True):
    """The decks; a deck file with problems is skipped (each problem printed as FILE:LINE, unless
    the trainer opens, which shows them itself)."""
    from hipquiz.core.decks import load_library

    library = load_library(user_decks_dir(data), [Path(path) for path in extra])
    if not report:
        if not library.decks:
            raise _DataProblem("no decks to study: check your deck files with 'hipquiz validate "
                               + str(user_decks_dir(data)) + "'")
        return library
    for problem in library.problems:
        print(problem, file=sys.stderr)
    if library.problems:
        files = sorted({str(p.path) for p in library.problems})
        print(f"hipquiz: skipped {len(files)} deck file(s) with problems; fix the lines above "
              "and check with 'hipquiz validate FILE'", file=sys.stderr)
    if not library.decks:
        raise _DataProblem("no decks to study; your decks go in " + str(user_decks_dir(data)))
    return library


def _open_store(data: Path, *, read_only: bool, say_if_empty: bool = False):
    from hipquiz.core.errors import StoreError, StoreNotAFolder
    from hipquiz.core.store import Store

    try:
        store = Store.open(data, read_only=read_only)
    except StoreNotAFolder as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        raise _DataProblem(str(exc)) from None
    if say_if_empty and store.is_new:
        # Most likely a mistyped --data: say so rather than show an empty history silently.
        print(f"hipquiz: no progress saved yet in {data}", file=sys.stderr)
    return store


def _open_collection(data: Path, library, *, read_only: bool, notice=None):
    """The decks and the progress in ``data`` (see core/collection.py), errors as exit codes."""
    from hipquiz.core.collection import Collection
    from hipquiz.core.errors import StoreError, StoreNotAFolder

    try:
        return Collection.open(data, library, read_only=read_only, notice=notice)
    except StoreNotAFolder as exc:
        raise UsageError(str(exc)) from None
    except StoreError as exc:
        raise _DataProblem(str(exc)) from None


def _scheduler_settings(store, **overrides: Any):
    from hipquiz.core.collection import saved_settings, scheduler_settings
    from hipquiz.core.errors import StoreError

    try:
        return scheduler_settings(saved_settings(store), **overrides)
    except StoreError as exc:
        raise _DataProblem(str(exc)) from None


def _list_decks(data: Path, extra: Sequence[str]) -> int:
    from hipquiz.core.model import utc_now

    library = _load_library(data, extra)
    with _open_collection(data, library, read_only=True) as collection:
        now = utc_now()
        print(f"{'DECK':<16} {'NEW':>4} {'LEARN':>5} {'DUE':>4} {'CARDS':>5}  NAME")
        for deck in library.decks:
            counts = collection.counts(deck, now)
            line = f"{deck.id:<16} {counts.new:>4} {counts.learning:>5} {counts.due:>4} {counts.total:>5}  {deck.name}"
            if counts.to_study == 0 and counts.next_due is not None:
                line += f"  (next due {_local(counts.next_due)})"
            print(line)
    # The list is printed, but skipped deck files are a problem to fix: say so in the exit code.
    return EXIT_DATA if library.problems else EXIT_OK


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _stats(data: Path, deck_name: str | None, extra: Sequence[str], *, as_json: bool) -> int:
    from hipquiz import cli_stats
    from hipquiz.core.model import utc_now
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.stats import deck_stats, gather

    library = _load_library(data, extra)
    decks = library.decks
    if deck_name is not None:
        deck = library.find(deck_name)
        if deck is None:
            raise UsageError(f"no deck called {deck_name!r}; the decks are: {', '.join(d.id for d in decks)}")
        decks = [deck]
    with _open_store(data, read_only=True, say_if_empty=True) as store:
        scheduler = Scheduler(_scheduler_settings(store))
        figures = gather(decks, store, scheduler, utc_now(), deck_id=deck_name and decks[0].id)
        progress = store.all_progress()
    if as_json:
        print(cli_stats.as_json(figures, [deck_stats(d, progress) for d in decks]))
    else:
        cli_stats.print_tables(figures, decks[0].name if deck_name else "All decks")
    return EXIT_OK


def _config(data: Path, key: str | None, value: str | None) -> int:
    if key is None or value is None:
        with _open_store(data, read_only=True) as store:
            for setting in sorted(SETTINGS, key=lambda s: s.key):
                if key is None or key == setting.key:
                    current = store.get_setting(setting.key)
                    shown = "default" if current is None else current
                    print(f"{setting.key} = {shown}    # {setting.help}: {setting.bounds} "
                          f"(default {setting.shown_default})")
        return EXIT_OK
    try:
        parsed = BY_KEY[key].parse(value)
    except SettingError as exc:
        raise UsageError(str(exc)) from None
    with _open_store(data, read_only=False) as store:
        if key in GRADE_KEYS:
            saved = _saved_grade_settings(store)
            saved[key] = parsed
            from hipquiz.core.questions import GradeThresholds

            try:
                GradeThresholds.from_settings(saved)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        store.set_setting(key, parsed)
    print(f"{key} = {parsed}")
    return EXIT_OK


def _aliases(data: Path, remove: str | None, text: str | None) -> int:
    if remove is None:
        with _open_store(data, read_only=True) as store:
            kept = store.aliases()
        if not kept:
            print("no accepted answers of your own yet")
        for key, texts in sorted(kept.items()):
            meaning = key.split("/", 1)[-1].removeprefix("answer:")
            for text_ in texts:
                print(f"{text_!r} counts as {meaning} ({key.split('/', 1)[0]})")
        return EXIT_OK
    if not text:
        raise UsageError("say which accepted answer to forget: hipquiz aliases remove TEXT")
    with _open_store(data, read_only=False) as store:
        removed = [key for key, texts in store.aliases().items() if text in texts and store.remove_alias(key, text)]
    if not removed:
        raise UsageError(f"{text!r} is not one of your accepted answers (see 'hipquiz aliases')")
    print(f"forgot {text!r}")
    return EXIT_OK


def _saved_grade_settings(store) -> dict[str, Any]:
    return {key: store.get_setting(key) for key in GRADE_KEYS if store.get_setting(key) is not None}


def _grade_thresholds(store):
    from hipquiz.core.collection import grade_thresholds, saved_settings
    from hipquiz.core.errors import StoreError

    try:
        return grade_thresholds(saved_settings(store))
    except StoreError as exc:
        raise _DataProblem(str(exc)) from None


def _run_app(data: Path, extra: Sequence[str], *, deck_name: str | None, mode: str | None, start_study: bool,
             custom: argparse.Namespace | SimpleNamespace | None = None) -> int:
    from hipquiz.core.study_options import OptionError, StudyOptions, study_set

    library = _load_library(data, extra, report=False)
    deck = None
    if deck_name is not None and deck_name.casefold() != "all":
        deck = library.find(deck_name)
        if deck is None:
            known = ", ".join(d.id for d in library.decks)
            raise UsageError(f"no deck called {deck_name!r}; the decks are: {known} (or 'all')")
    options = None
    if custom is not None:
        try:
            options = StudyOptions(limit=custom.limit, minutes=custom.minutes, extra_new=custom.extra_new,
                                   ahead_days=custom.ahead, cram=custom.cram or custom.mistakes,
                                   mistakes_only=custom.mistakes)
            # All decks together when asked for, or when a tag or cram has no deck to narrow it.
            together = deck_name is not None or custom.tag is not None or custom.cram or custom.mistakes
            if together and deck is None and library.decks:
                deck = study_set(library.decks, tag=custom.tag)
            elif deck is not None and custom.tag is not None:
                deck = study_set([deck], tag=custom.tag)
        except OptionError as exc:
            raise UsageError(str(exc)) from None
    # What the store says at open is printed at once (a long conversion says so while it runs)
    # and shown again in the app: the screen takes over the terminal and would hide it until quit.
    notices: list[str] = []

    def notice(line: str) -> None:
        print(f"hipquiz: {line}", file=sys.stderr, flush=True)
        notices.append(line)

    with _open_collection(data, library, read_only=False, notice=notice) as collection:
        # The user's deck folder is made on the first run, so that it is there to be found.
        try:
            ensure_user_decks_dir(data)
        except OSError as exc:
            raise _DataProblem(f"cannot create the deck folder {user_decks_dir(data)}: {exc.strerror or exc}") from None
        if mode is not None:
            collection.set_setting("mode", mode)
        from hipquiz.tui.app import HipquizApp

        app = HipquizApp(collection=collection, start_deck=deck, start_study=start_study,
                         start_options=options, warnings=[str(p) for p in library.problems], notices=notices)
        app.run()
        if app.crashed is not None:
            raise app.crashed  # reported as a bug: one line, a crash report, exit 70
    return app.return_code or EXIT_OK
