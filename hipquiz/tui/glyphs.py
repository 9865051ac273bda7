"""The few symbols hipquiz draws, with plain-ASCII stand-ins for terminals that cannot show them.

The Linux console (TERM=linux) has no ✓ ✗ ▶ or rounded box corners in its font; a terminal in a C
(non-UTF-8) locale cannot print them at all. There the marks fall back to ASCII, and the verdict
still reads from its words ("Right", "Wrong") and these marks, never from colour alone.
"""

from __future__ import annotations

import os
import sys

UNICODE = {"right": "✓", "wrong": "✗", "pointer": "▶", "enter": "⏎", "bullet": "•"}
ASCII = {"right": "+", "wrong": "x", "pointer": ">", "enter": "Enter", "bullet": "*"}


def ascii_only(environ: dict[str, str] | None = None, encoding: str | None = None) -> bool:
    """Whether to draw ASCII only: asked for (HIPQUIZ_ASCII=1), the Linux console, or an output
    that cannot encode the symbols."""
    env = os.environ if environ is None else environ
    if env.get("HIPQUIZ_ASCII", "") not in ("", "0"):
        return True
    if env.get("TERM", "") == "linux":
        return True
    encoding = encoding if encoding is not None else (getattr(sys.stdout, "encoding", None) or "utf-8")
    try:
        "".join(UNICODE.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return True
    return False


_TABLE = ASCII if ascii_only() else UNICODE
RIGHT, WRONG, POINTER, ENTER, BULLET = (_TABLE[k] for k in ("right", "wrong", "pointer", "enter", "bullet"))
ASCII_ONLY = _TABLE is ASCII
