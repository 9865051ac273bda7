"""Maintenance commands: ``hipquiz doctor [--repair]``, ``backup list``, ``backup restore DATE``.

``cli.py`` calls :func:`add_parsers` with its subparsers object and, when one of these commands was
chosen (``args.maintenance`` is set), :func:`run`. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from hipquiz.core.errors import ExitCode, StoreError, StoreNotAFolder
from hipquiz.core.store.files import os_error_text

EXIT_OK, EXIT_DATA, EXIT_USAGE = ExitCode.OK, ExitCode.DATA, ExitCode.USAGE
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_USAGE = "DATE must look like 2026-11-24 (see 'hipquiz backup list')"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    doctor = subparsers.add_parser(
        "doctor", help="check the progress files; --repair salvages what can be read",
        description="Check every progress file. With --repair, copy the damaged files to "
                    "broken-<time>/ and rewrite them from every record that can still be read.")
    doctor.add_argument("--repair", action="store_true", help="salvage readable records into fresh files")
    doctor.set_defaults(maintenance="doctor")

    backup = subparsers.add_parser("backup", help="list or restore the daily backups of your progress")
    actions = backup.add_subparsers(dest="backup_action", metavar="{list,restore}")
    actions.required = True
    listing = actions.add_parser("list", help="show the daily backups")
    listing.set_defaults(maintenance="backup-list")
    restore = actions.add_parser("restore", help="put a backup back (the current files are kept)")
    restore.add_argument("date", metavar="DATE",
                         help="the backup's date, as 'backup list' shows it (YYYY-MM-DD), or the "
                              "name of a copy kept before an upgrade (before-schema-3-YYYY-MM-DD)")
    restore.add_argument("--yes", action="store_true", help="do not ask before restoring")
    restore.set_defaults(maintenance="backup-restore")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def _valid_date(text: str) -> bool:
    from datetime import date

    if not _DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _confirm_restore(day: str) -> bool:
    """Ask before the current progress is replaced (it is kept, but a person should know)."""
    question = (f"Restore the backup of {day}? Answers given since then leave your study record "
                "(your current files are kept in a copy). [y/N] ")
    if not sys.stdin.isatty():
        print("hipquiz: error: 'backup restore' replaces your progress: add --yes to confirm "
              "when not asked at a terminal", file=sys.stderr)
        return False
    try:
        answer = input(question)
    except EOFError:
        answer = ""
    if answer.strip().casefold() in ("y", "yes"):
        return True
    print("Nothing was restored.", file=sys.stderr)
    return False


def run(args: argparse.Namespace, data_dir: Path) -> int:
    """Run the chosen maintenance command; returns the exit code (2: usage, 1: data problem)."""
    # Imported here, not with the module: cli.py adds these commands' arguments on every start,
    # and checking, repairing and restoring are not on the way to the first card.
    from hipquiz.core.store import list_backups, list_migration_copies, refuse_newer, require_folder, restore_backup

    command = getattr(args, "maintenance", None)
    try:
        require_folder(data_dir)
        refuse_newer(data_dir)  # a newer hipquiz's files: nothing here may read them as damaged
        if command == "doctor":
            return _doctor(data_dir, repair=bool(getattr(args, "repair", False)))
        if command == "backup-list":
            return _backup_list(data_dir)
        if command == "backup-restore":
            kept_copies = {name for name, _path, _size in list_migration_copies(data_dir)}
            if args.date in kept_copies:
                pass  # the copy an upgrade kept: restored by its name
            elif not _valid_date(args.date):
                print(f"hipquiz: error: {DATE_USAGE}", file=sys.stderr)
                return EXIT_USAGE
            elif date.fromisoformat(args.date) not in {b.date for b in list_backups(data_dir)}:
                # Said before asking: there is nothing to confirm.
                raise StoreError(f"there is no backup of {args.date}; see 'hipquiz backup list'")
            if not args.yes and not _confirm_restore(args.date):
                return EXIT_USAGE
            kept = restore_backup(data_dir, args.date)
            print(f"restored the backup of {args.date} into {data_dir}; "
                  f"the files it replaced are kept in {kept}")
            return EXIT_OK
    except StoreNotAFolder as exc:  # a wrong --data / HIPQUIZ_DATA: a usage error
        print(f"hipquiz: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"hipquiz: {exc}", file=sys.stderr)
        return EXIT_DATA
    except OSError as exc:
        print(f"hipquiz: {exc.filename or data_dir}: {os_error_text(exc)}", file=sys.stderr)
        return EXIT_DATA
    print(f"hipquiz: unknown maintenance command {command!r}", file=sys.stderr)
    return EXIT_USAGE


def _doctor(data_dir: Path, *, repair: bool) -> int:
    from hipquiz.core.store import check_store, has_store, repair_store  # (see run)

    if not has_store(data_dir):
        print(f"no progress saved yet in {data_dir}; nothing to check")
        return EXIT_OK
    problems = check_store(data_dir)  # a store from a newer hipquiz raises StoreTooNew: upgrade, not repair
    if not problems:
        print(f"no problems found in {data_dir}")
        return EXIT_OK
    for problem in problems:
        print(f"problem: {problem}")
    if not repair:
        print("run 'hipquiz doctor --repair' to salvage what can be read, "
              "or 'hipquiz backup list' to restore a backup")
        return EXIT_DATA
    report = repair_store(data_dir)
    print(f"kept the files as they were in {report.broken_dir}")
    rebuilt = (f" ({report.cards_rebuilt} rebuilt from the review log)" if report.cards_rebuilt else "")
    if report.cards_rolled_forward:
        rebuilt += f" ({report.cards_rolled_forward} brought up to their newest review)"
    print(f"salvaged {report.cards_salvaged} card states{rebuilt} and {report.reviews_salvaged} reviews"
          + (f"; {report.records_dropped} unreadable records dropped" if report.records_dropped else "")
          + f"; rewrote {len(report.rewritten)} files")
    if report.reviews_lost:
        print(f"{report.reviews_lost} reviews the statistics had counted could not be salvaged "
              "(they are lost; an older backup may hold them: 'hipquiz backup list')")
    for path in report.cut_files:
        print(f"the end of {path} could not be read: the reviews it held there are lost")
    for problem in report.remaining:
        print(f"still a problem: {problem}")
    return EXIT_OK if report.ok else EXIT_DATA


def _backup_list(data_dir: Path) -> int:
    from hipquiz.core.store import list_backups, list_migration_copies  # (see run)

    backups = list_backups(data_dir)
    kept_copies = list_migration_copies(data_dir)
    if not backups:
        print(f"no backups yet in {data_dir / 'backups'} (one is made each day hipquiz is opened)")
    for info in backups:
        print(f"{info.date.isoformat()}  {_size(info.size):>9}  {info.path}")
    if backups:
        print("restore one with 'hipquiz backup restore DATE'")
    if kept_copies:
        print("kept before an upgrade changed the files (never pruned):")
        for name, path, size in kept_copies:
            print(f"{name}  {_size(size):>9}  {path}")
        print(f"restore one with 'hipquiz backup restore {kept_copies[-1][0]}'")
    return 0
