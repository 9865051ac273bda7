"""The errors hipquiz's core raises for the UI and the CLI to show: ``str()`` is one line saying what to do.

One place for every error type, so the TUI and the CLI import them from here and never from the
modules that raise them.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What every ``hipquiz`` command exits with."""

    OK = 0
    DATA = 1  # a problem with the data (a deck, the progress files): the message says what to fix
    USAGE = 2  # a mistake in the command line
    BUG = 70  # hipquiz itself failed (EX_SOFTWARE); the message asks for a bug report

class RecordError(ValueError):
    """A stored record has the wrong shape."""


class DeckError(Exception):
    """A deck file could not be loaded; ``problems`` lists every problem found (``FILE:LINE: message``)."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DrawingError(DeckError):
    """The drawings file could not be loaded; ``problems`` lists every problem found (``FILE:LINE: message``)."""


_ADVICE = "run 'hipquiz doctor --repair' or restore a backup with 'hipquiz backup list'"


class StoreError(Exception):
    """Something is wrong with the stored data or the folder; ``str()`` is one line saying what to do."""


class StoreLocked(StoreError):
    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = Path(path)
        self.pid = pid
        who = f"another hipquiz (pid {pid})" if pid else "another hipquiz"
        super().__init__(
            f"{who} is using {self.path}; close it first, or use read-only commands like 'hipquiz stats'"
        )


class StoreCorrupt(StoreError):
    def __init__(self, path: Path, reason: str, advice: str = _ADVICE) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"progress file {self.path} {reason}: {advice}")

    @property
    def problem(self) -> str:
        """The short form used in ``check_store`` listings."""
        return f"{self.path} {self.reason}"


class StoreTooNew(StoreCorrupt):
    def __init__(self, path: Path, version: int, known: int) -> None:
        self.version = version
        super().__init__(
            path,
            f"was written by a newer hipquiz (schema {version}; this one knows {known})",
            "upgrade hipquiz to use it (nothing was changed)",
        )


class StoreNotAFolder(StoreError):
    """The data folder given (``--data`` / ``HIPQUIZ_DATA``) is a file, or lies inside one.

    A mistake in the argument rather than damaged data: the CLI may treat it as a usage error.
    """

    def __init__(self, data_dir: Path, culprit: Path) -> None:
        self.path = Path(data_dir)
        self.culprit = Path(culprit)
        where = (f"the data folder {self.path} is a file, not a folder" if self.culprit == self.path
                 else f"the data folder {self.path} is inside {self.culprit}, which is a file")
        super().__init__(f"{where}: pass a folder to --data (or HIPQUIZ_DATA)")
