"""One thing wrong in a file (a deck, the lexicon, the drawings), shown as ``FILE:LINE: message``.

Apart from decks.py so that a start does not make the class: its decks come from the parse cache
and have no problems, and each dataclass made at import costs every start ~0.3 ms
(tests/tui/test_start_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hipquiz.core.untrusted import printable


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file, shown as ``FILE:LINE: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        # The file name comes from the user's folder: it may hold control characters too.
        return printable(f"{self.path}:{self.line}: {self.message}")
