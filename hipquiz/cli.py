"""The hipquiz command: arguments, subcommands and exit codes.

Exit codes: 0 done, 1 a problem with the data (deck, progress file, lock), 2 a usage error,
70 a bug (the traceback is written to a report file instead of the screen).
The Textual UI is imported only by the commands that open it, so the others start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from hipquiz import __version__
from hipquiz.core.errors import ExitCode
from hipquiz.paths import data_dir as resolve_data_dir
from hipquiz.paths import ensure_user_decks_dir, user_decks_dir

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_BUG = ExitCode.OK, ExitCode.DATA, ExitCode.USAGE, ExitCode.BUG

# Settings a user may change with `hipquiz config`, with their type and what they mean.
CONFIG_KEYS: dict[str, tuple[type, str]] = {
    "new_per_day": (int, "new cards introduced per day and deck (default 20)"),
    "reviews_per_day": (int, "most review cards per day and deck (default 200)"),
    "desired_retention": (float, "chance of remembering a card when it comes back, 0.70-0.99 (default 0.9)"),
    "leech_lapses": (int, "a card forgotten this many times is a leech (default 8)"),
    "backups_keep": (int, "how many daily backups to keep (default 7)"),
    # Checked answers grade themselves: right within the fast limit is Easy, at or past the slow
    # limit Hard (see GradeThresholds).
    "fast_seconds": (float, "multiple choice: a right answer this fast is Easy (default 6)"),
    "slow_seconds": (float, "multiple choice: a right answer this slow is Hard (default 20)"),
    "typed_fast_seconds": (float, "typed answers: Easy when this fast (default 8)"),
    "typed_slow_seconds": (float, "typed answers: Hard when this slow (default 25)"),
    "list_fast_seconds": (float, "select and order, up to 4 options: Easy when this fast (default 12)"),
    "list_slow_seconds": (float, "select and order, up to 4 options: Hard when this slow (default 45)"),
    "per_option_seconds": (float, "select and order: seconds added to both limits per option past 4 (default 2)"),
    "near_miss_is_hard": (bool, "a typed answer accepted with a typo is Hard: true or false (default true)"),
}
GRADE_KEYS = ("fast_seconds", "slow_seconds", "typed_fast_seconds", "typed_slow_seconds", "list_fast_seconds",
              "list_slow_seconds", "per_option_seconds", "near_miss_is_hard")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says what to do, and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hipquiz",
        description="Study the small muscles of the hip with spaced repetition. "
        "With no command, opens the trainer.",
    )
    parser.add_argument("--version", action="version", version=f"hipquiz {__version__}")
    parser.add_argument("--data", metavar="DIR", help="folder for progress and your decks "
                        "(default: $HIPQUIZ_DATA or your user data folder)")
    parser.add_argument("--deck", metavar="PATH", action="append", dest="deck_paths", default=[],
                        help="also load this deck file or folder of decks (may be repeated)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    study = commands.add_parser("study", help="study a deck now (default: the first with cards to study)")
    study.add_argument("deck", nargs="?", help="deck id or name, as 'hipquiz decks' lists them")
    study.add_argument("--mode", choices=_modes(), help="how cards are asked (remembered for next time)")
    commands.add_parser("decks", help="list the decks with their new, learning and due counts")
    validate = commands.add_parser("validate", help="check deck files and report FILE:LINE problems")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="deck files (.toml) or folders of them")
    stats = commands.add_parser("stats", help="print review statistics (works while another hipquiz runs)")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    config = commands.add_parser("config", help="show or change a setting")
    config.add_argument("key", nargs="?", choices=sorted(CONFIG_KEYS), metavar="KEY",
                        help=f"one of: {', '.join(sorted(CONFIG_KEYS))}")
    config.add_argument("value", nargs="?", help="new value")
    commands.add_parser("paths", help="print where hipquiz keeps its data and your decks")
    aliases = commands.add_parser("aliases", help="list the typed answers you chose to accept, or forget one")
    aliases.add_argument("remove", nargs="?", choices=["remove"], help="forget an accepted answer")
    aliases.add_argument("text", nargs="?", help="the accepted answer to forget, as 'hipquiz aliases' lists it")

    from hipquiz import cli_maintenance

    cli_maintenance.add_parsers(commands)
    from hipquiz import cli_decks

    cli_decks.add_parsers(commands)
    _accept_data_anywhere(commands)
    for name in ("study", "decks", "stats"):
        # --deck PATH may follow these commands too ('import' has a --deck of its own: the deck to write).
        commands.choices[name].add_argument("--deck", metavar="PATH", action="append", dest="deck_paths",
                                            default=argparse.SUPPRESS, help="also load this deck file or folder")
    return parser


def _accept_data_anywhere(commands: argparse._SubParsersAction) -> None:
    """Let --data follow the command too ('hipquiz stats --data DIR'), as people type it."""
    for sub in set(commands.choices.values()):
        sub.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_data_anywhere(action)


def _modes() -> tuple[str, ...]:
    from hipquiz.core.questions import MODES

    return MODES


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"hipquiz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    data = resolve_data_dir(args.data)
    try:
        return _dispatch(args, data)
    except UsageError as exc:
        print(f"hipquiz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except _DataProblem as exc:
        print(f"hipquiz: {exc}", file=sys.stderr)
        return EXIT_DATA
    except Exception as exc:  # a bug: one line for the user, the traceback kept for the report
        report = _save_crash_report()
        print(f"hipquiz: unexpected error ({type(exc).__name__}: {exc}); nothing saved was lost. "
              f"Please report it with {report}", file=sys.stderr)
        return EXIT_BUG


def _save_crash_report() -> Path:
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="hipquiz-crash-", suffix=".txt", delete=False) as report:
        report.write(f"hipquiz {__version__}, Python {sys.version}\n\n")
        report.write(traceback.format_exc())
    return Path(report.name)


class _DataProblem(Exception):
    pass


def _dispatch(args: argparse.Namespace, data: Path) -> int:
    command = args.command
    for path in getattr(args, "deck_paths", ()):
        if not Path(path).exists():
            raise UsageError(f"--deck {path}: no such deck file or folder")
    if command == "validate":
        return _validate(args.paths)
    if command == "paths":
        print(f"data:  {data}")
        print(f"decks: {user_decks_dir(data)}")
        return EXIT_OK
    from hipquiz import cli_decks

    if command in cli_decks.COMMANDS:
        try:
            return cli_decks.run(args, data)
        except cli_decks.DeckUsageError as exc:
            raise UsageError(str(exc)) from None
        except cli_decks.DeckCommandError as exc:
            raise _DataProblem(str(exc)) from None
    if command in ("doctor", "backup"):
        from hipquiz import cli_maintenance

        return cli_maintenance.run(args, data)
    if command == "decks":
        return _list_decks(data, args.deck_paths)
    if command == "stats":
        return _stats(data, args.deck_paths, as_json=args.json)
    if command == "config":
        return _config(data, args.key, args.value)
    if command == "aliases":
        return _aliases(data, args.remove, args.text)
    return _run_app(data, args.deck_paths, deck_name=getattr(args, "deck", None), mode=getattr(args, "mode", None),
                    start_study=command == "study")


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
        print(f"{path}: ok: deck {deck.id!r}, {len(deck.notes)} notes, {len(deck.cards)} cards")
    return EXIT_DATA if failed else EXIT_OK


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


def _scheduler_settings(store, **overrides: Any):
    from hipquiz.core.scheduler import SchedulerSettings

    saved = {key: store.get_setting(key) for key in CONFIG_KEYS}
    try:
        return SchedulerSettings.from_settings({k: v for k, v in saved.items() if v is not None}, **overrides)
    except (TypeError, ValueError) as exc:
        raise _DataProblem(f"a saved setting is invalid ({exc}); change it with 'hipquiz config KEY VALUE'") from None


def _list_decks(data: Path, extra: Sequence[str]) -> int:
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.session import deck_counts
    from hipquiz.core.model import utc_now

    library = _load_library(data, extra)
    with _open_store(data, read_only=True) as store:
        scheduler = Scheduler(_scheduler_settings(store))
        now = utc_now()
        print(f"{'DECK':<16} {'NEW':>4} {'LEARN':>5} {'DUE':>4} {'CARDS':>5}  NAME")
        for deck in library.decks:
            counts = deck_counts(deck, store, scheduler, now)
            line = f"{deck.id:<16} {counts.new:>4} {counts.learning:>5} {counts.due:>4} {counts.total:>5}  {deck.name}"
            if counts.to_study == 0 and counts.next_due is not None:
                line += f"  (next due {_local(counts.next_due)})"
            print(line)
    # The list is printed, but skipped deck files are a problem to fix: say so in the exit code.
    return EXIT_DATA if library.problems else EXIT_OK


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _stats(data: Path, extra: Sequence[str], *, as_json: bool) -> int:
    from dataclasses import asdict

    from hipquiz.core.model import utc_now
    from hipquiz.core.stats import deck_stats, review_totals

    library = _load_library(data, extra)
    with _open_store(data, read_only=True, say_if_empty=True) as store:
        totals = review_totals(store.reviews(), utc_now())
        progress = store.all_progress()
    decks = [deck_stats(deck, progress) for deck in library.decks]
    if as_json:
        print(json.dumps({
            "reviews": totals.reviews,
            "reviews_today": totals.today,
            "correct_percent": totals.remembered_percent,
            "by_rating": totals.by_rating,
            "decks": [{"deck": d.deck_id, **{k: v for k, v in asdict(d).items() if k not in ("deck_id", "name")}}
                      for d in decks],
        }, indent=2))
        return EXIT_OK
    print(f"reviews: {totals.reviews} in all, {totals.today} today, {totals.remembered_percent}% remembered")
    print("ratings: " + ", ".join(f"{k} {v}" for k, v in totals.by_rating.items()))
    for d in decks:
        print(f"{d.deck_id}: {d.studied}/{d.cards} cards studied, {d.in_review} in review, "
              f"{d.suspended} suspended, {d.leeches} leeches")
    return EXIT_OK


def _config(data: Path, key: str | None, value: str | None) -> int:
    if key is None or value is None:
        with _open_store(data, read_only=True) as store:
            for name, (_kind, meaning) in sorted(CONFIG_KEYS.items()):
                if key is None or key == name:
                    current = store.get_setting(name)
                    shown = "default" if current is None else current
                    print(f"{name} = {shown}    # {meaning}")
        return EXIT_OK
    kind, _meaning = CONFIG_KEYS[key]
    parsed = _parse_setting(key, kind, value)
    from hipquiz.core.scheduler import SchedulerSettings

    if key in SchedulerSettings.__dataclass_fields__:
        try:
            SchedulerSettings(**{key: parsed})
        except ValueError as exc:
            raise UsageError(f"{key}: {exc}") from None
    elif key not in GRADE_KEYS and parsed < 1:
        raise UsageError(f"{key} must be at least 1")
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


def _parse_setting(key: str, kind: type, value: str) -> Any:
    if kind is bool:
        if value.lower() in ("true", "yes", "on", "1"):
            return True
        if value.lower() in ("false", "no", "off", "0"):
            return False
        raise UsageError(f"{key} needs true or false, got {value!r}")
    try:
        return kind(value)
    except ValueError:
        wanted = "a whole number" if kind is int else "a number"
        raise UsageError(f"{key} needs {wanted}, got {value!r}") from None


def _saved_grade_settings(store) -> dict[str, Any]:
    return {key: store.get_setting(key) for key in GRADE_KEYS if store.get_setting(key) is not None}


def _grade_thresholds(store):
    from hipquiz.core.questions import GradeThresholds

    try:
        return GradeThresholds.from_settings(_saved_grade_settings(store))
    except ValueError as exc:
        raise _DataProblem(f"a saved grading setting is invalid ({exc}); change it with "
                           "'hipquiz config KEY VALUE'") from None


def _run_app(data: Path, extra: Sequence[str], *, deck_name: str | None, mode: str | None, start_study: bool) -> int:
    library = _load_library(data, extra, report=False)
    deck = None
    if deck_name is not None:
        deck = library.find(deck_name)
        if deck is None:
            known = ", ".join(d.id for d in library.decks)
            raise UsageError(f"no deck called {deck_name!r}; the decks are: {known}")
    with _open_store(data, read_only=False) as store:
        # The user's deck folder is made on the first run, so that it is there to be found.
        try:
            ensure_user_decks_dir(data)
        except OSError as exc:
            raise _DataProblem(f"cannot create the deck folder {user_decks_dir(data)}: {exc.strerror or exc}") from None
        if mode is not None:
            store.set_setting("mode", mode)
        settings = _scheduler_settings(store)
        from hipquiz.tui.app import HipquizApp

        app = HipquizApp(library=library, store=store, settings=settings, start_deck=deck,
                         start_study=start_study, warnings=[str(p) for p in library.problems],
                         thresholds=_grade_thresholds(store))
        app.run()
    return app.return_code or EXIT_OK
