"""The single-writer lock: an exclusive ``flock`` on ``hipquiz.lock`` holding the writer's pid.

The kernel drops the lock when the holder dies, so a stale lock is taken over without any clean-up.
Read-only opens take no lock: every file is replaced atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from hipquiz.core.errors import StoreError, StoreLocked
from hipquiz.core.store.files import os_error_text
from hipquiz.core.store.layout import LOCK_NAME

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class Lock:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd: int | None = fd

    @classmethod
    def acquire(cls, data_dir: Path) -> Lock:
        path = data_dir / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot write to {data_dir} ({os_error_text(exc)}); fix the folder's permissions, "
                "or use read-only commands like 'hipquiz stats'"
            ) from None
        try:
            _lock_fd(fd)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise StoreLocked(data_dir, pid) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only for messages
        return cls(path, fd)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _lock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError when held
    else:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def lock_holder(data_dir: Path) -> int | None:
    """The pid written by the process holding the writer lock, if it looks alive (for messages)."""
    try:
        text = (Path(data_dir) / LOCK_NAME).read_text("ascii", "replace").strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    pid = int(text)
    if pid == os.getpid():
        return pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    except OSError:  # pragma: no cover
        return None
    return pid

