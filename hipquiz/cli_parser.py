"""The command line's parser (argparse): every command, option and help text of ``hipquiz``.

Imported only for a command line that is not a plain start: ``hipquiz`` and ``hipquiz study DECK``
are read without argparse (see cli.parse_command_line), and importing and building it would be
~2 ms of every start (tests/tui/test_start_imports.py).
"""

from __future__ import annotations

import argparse

from hipquiz import __version__
from hipquiz.cli_commands import MAINTENANCE_COMMANDS, UsageError
from hipquiz.core.settings import BY_KEY


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says what to do, and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line. With ``only`` (a command's name, or "" for none), the top-level options
    and that command's parser alone (see cli.parse_command_line)."""
    from hipquiz import cli_decks

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

    def wanted(*names: str) -> bool:
        return only is None or only in names

    if wanted("study"):
        study = commands.add_parser("study", help="study a deck now (default: the first with cards to study)")
        study.add_argument("deck", nargs="?", help="deck id or name, as 'hipquiz decks' lists them")
        study.add_argument("--mode", choices=_modes(), type=_mode_called,
                           help="how cards are asked (remembered for next time)")
        study.add_argument("--tag", metavar="TAG", help="only cards with this tag (from every deck unless DECK is given)")
        study.add_argument("--limit", type=int, metavar="N", help="stop after N answers")
        study.add_argument("--minutes", type=float, metavar="M", help="stop offering cards after M minutes")
        study.add_argument("--extra-new", type=int, default=0, metavar="N", help="N new cards beyond today's limit")
        study.add_argument("--ahead", type=int, default=0, metavar="DAYS",
                           help="also review cards due in the next DAYS days")
        study.add_argument("--cram", action="store_true", help="practise, weakest first, without changing the schedule")
        study.add_argument("--mistakes", action="store_true", help="cram only the cards answered Again today")
    if wanted("decks"):
        commands.add_parser("decks", help="list the decks with their new, learning and due counts")
    if wanted("validate"):
        validate = commands.add_parser("validate", help="check deck files and report FILE:LINE problems")
        validate.add_argument("paths", nargs="+", metavar="PATH", help="deck files (.toml) or folders of them")
    if wanted("stats"):
        stats = commands.add_parser("stats", help="print review statistics (works while another hipquiz runs)")
        stats.add_argument("deck", nargs="?", help="one deck (id or name); default: all decks")
        stats.add_argument("--json", action="store_true", help="machine-readable output (fields in README)")
    if wanted("config"):
        config = commands.add_parser("config", help="show or change a setting")
        config.add_argument("key", nargs="?", choices=sorted(BY_KEY), metavar="KEY",
                            help=f"one of: {', '.join(sorted(BY_KEY))}")
        config.add_argument("value", nargs="?", help="new value")
    if wanted("paths"):
        commands.add_parser("paths", help="print where hipquiz keeps its data and your decks")
    if wanted("aliases"):
        aliases = commands.add_parser("aliases", help="list the typed answers you chose to accept, or forget one")
        aliases.add_argument("remove", nargs="?", choices=["remove"], help="forget an accepted answer")
        aliases.add_argument("text", nargs="?", help="the accepted answer to forget, as 'hipquiz aliases' lists it")
    if wanted(*MAINTENANCE_COMMANDS):
        from hipquiz import cli_maintenance

        cli_maintenance.add_parsers(commands)
    if wanted(*cli_decks.COMMANDS):
        cli_decks.add_parsers(commands)
    _accept_data_anywhere(commands)
    for name in ("study", "decks", "stats"):
        # --deck PATH may follow these commands too ('import --deck NAME' is the old spelling of --into).
        if name in commands.choices:
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


def _mode_called(name: str) -> str:
    """A mode's name, or its old name ('where' for pictures); an unknown name is left for the
    choices check to refuse."""
    from hipquiz.core.questions import mode_called

    return mode_called(name) or name
