"""Guards for text and files that someone else may have written: deck files, progress files, names.

Three dangers, each with one guard here:
- control characters (ESC, BEL, C1 CSI…) that a terminal obeys: a deck could retitle the terminal or
  clear the screen. :func:`control_chars` finds them, :func:`printable` strips them from output;
- files that are not what they claim (a FIFO blocks ``open`` for ever, ``/dev/zero`` never ends,
  a 1 GB file takes minutes to parse): :func:`read_regular` reads only regular files, up to a limit;
- nesting deep enough to exhaust Python's recursion (tomllib and json recurse): :func:`nesting_line`.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

# The patterns here are texts: re compiles each when first used and keeps it (compiled at import,
# they cost every start ~0.3 ms, and a start uses none of them before its first screen).
# C0 and C1 control characters and DEL, except tab and newline (text needs those, and they move the
# cursor only in the expected way). A carriage return not followed by a newline overwrites the line.
_CONTROL = "[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)"
# For output: every control character but tab and newline, a carriage return included.
_TERMINAL_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f]"


def control_chars(text: str) -> list[int]:
    """Offsets of the control characters in ``text`` (``\\r\\n`` line ends are allowed)."""
    return [match.start() for match in re.finditer(_CONTROL, text)]


def describe_char(char: str) -> str:
    """``U+001B (ESCAPE)``: how a control character is named in a message."""
    name = unicodedata.name(char, "") or _C0_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


_C0_NAMES = {0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
             0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x9B: "CONTROL SEQUENCE INTRODUCER"}


# TOML escapes that make a control character (an escaped backslash is matched first, to skip it).
_ESCAPES = (r"(?i)\\\\|(\\(?:u00(?:0[0-8b-f]|1[0-9a-f]|7f|[89][0-9a-f])"
            r"|U0000(?:0[0-8b-f]|1[0-9a-f]|7f|[89][0-9a-f])|[bfr]))")


def control_escapes(text: str) -> list[tuple[int, str]]:
    """(line, escape) of each TOML escape in ``text`` that stands for a control character."""
    return [(text.count("\n", 0, match.start()) + 1, match.group(1))
            for match in re.finditer(_ESCAPES, text) if match.group(1)]


def strings_in(value: object) -> list[str]:
    """Every string in nested lists and dicts, keys included (without recursion)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def printable(text: str) -> str:
    """``text`` without the control characters a terminal would act on (tab and newline kept)."""
    return re.sub(_TERMINAL_CONTROLS, "", text)


class NotARegularFile(OSError):
    """The path is a FIFO, a device, a folder or (when links are refused) a symbolic link;
    ``kind`` says which ("a folder", "a symbolic link", "a FIFO", "a device", "a socket")."""

    def __init__(self, message: str, kind: str = "not a regular file") -> None:
        super().__init__(message)
        self.kind = kind


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class TooLarge(OSError):
    """The file is larger than the limit the caller set."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(f"{path} is larger than {limit} bytes")
        self.path = path
        self.limit = limit


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO would wait for a writer for ever) and checked on the open
    descriptor, so a file swapped after a check is still caught. Raises NotARegularFile, TooLarge
    or the OSError of the open.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        # O_NOFOLLOW on a link fails with ELOOP: say what it is rather than "too many levels".
        if not follow_links and os.path.islink(path):
            raise NotARegularFile(f"{path} is a symbolic link", "a symbolic link") from None
        raise exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = file_kind(info.st_mode)
            raise NotARegularFile(f"{path} is {kind}", kind)
        if info.st_size > limit:
            raise TooLarge(path, limit)
        chunks: list[bytes] = []
        size = 0
        # Read to the end, but never past the limit: the file may grow after the fstat.
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise TooLarge(path, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


# Strings and comments can hold brackets that are not structure: skip them whole.
_TOKENS = r'(?s)"""(?:\\.|[^\\])*?"""|\'\'\'.*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]'


def nesting_line(text: str, limit: int) -> int | None:
    """The line where TOML arrays or inline tables first nest deeper than ``limit``, or None.

    tomllib parses nested values recursively and a few hundred levels exhaust the stack, so this
    is checked on the text, before parsing, in linear time.
    """
    depth = 0
    for match in re.finditer(_TOKENS, text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth = max(depth - 1, 0)
    return None


def depth_exceeds(value: object, limit: int) -> bool:
    """Whether lists and dicts in ``value`` nest deeper than ``limit`` (checked without recursion)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False
