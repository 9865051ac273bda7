"""The command line's commands and its usage error, shared by the reader of a command line
(cli.py) and its parser (cli_parser.py), so that each imports them from here and the parser
needs nothing of cli.py. Nothing here imports argparse: a plain start reads its command line
without it (see cli.parse_command_line)."""

from __future__ import annotations


class UsageError(Exception):
    """A mistake in the command line (exit 2); the message says what to type instead."""


# The commands of cli_maintenance.py (cli_decks.COMMANDS are those of cli_decks.py).
MAINTENANCE_COMMANDS = ("doctor", "backup")
OWN_COMMANDS = ("study", "decks", "validate", "stats", "config", "paths", "aliases")
