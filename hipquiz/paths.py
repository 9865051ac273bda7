"""Where hipquiz keeps its data. One folder holds everything; HIPQUIZ_DATA or --data overrides it."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path, user_log_path

DATA_ENV = "HIPQUIZ_DATA"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``override`` (from --data), else $HIPQUIZ_DATA, else the platform's user data dir.

    The folder is not created here: a read-only command must not leave folders behind.
    """
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_data_path("hipquiz", appauthor=False)


def user_decks_dir(data: Path) -> Path:
    """The user's own decks live beside their progress."""
    return data / "decks"


def crash_reports_dir() -> Path:
    """Where the report of an unexpected error goes (not the data folder: it may be what failed)."""
    return user_log_path("hipquiz", appauthor=False)


def ensure_user_decks_dir(data: Path) -> Path:
    """The user's deck folder, created if missing (by the commands that write or study decks)."""
    from hipquiz.core.store.files import private_dir  # only for the commands that write

    folder = user_decks_dir(data)
    private_dir(folder)  # 0700 like the rest of the data folder: the decks hold the user's own notes
    return folder
