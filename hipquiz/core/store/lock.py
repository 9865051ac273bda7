"""The single-writer lock: an exclusive ``flock`` on the data folder itself and on ``hipquiz.lock``,
which holds the writer's pid (for messages).

The folder's lock is what counts: ``hipquiz.lock`` can be deleted while held, and a second writer
would then lock a new file. Before each write the writer also checks that its lock file is still
the one it locked (:meth:`Lock.verify`), and stops with a clear message when it is not.
The kernel drops the locks when the holder dies, so a stale lock is taken over without any clean-up.
Read-only opens take no lock: every file is replaced atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from hipquiz.core.errors import StoreError, StoreLocked
from hipquiz.core.store.files import os_error_text, what_to_do
from hipquiz.core.store.layout import LOCK_NAME

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class Lock:
    def __init__(self, path: Path, fd: int, folder_fd: int | None = None) -> None:
        self.path = path
        self.fd: int | None = fd
        self.folder_fd = folder_fd
        info = os.fstat(fd)
        self._identity = (info.st_dev, info.st_ino)

    @classmethod
    def acquire(cls, data_dir: Path) -> Lock:
        path = data_dir / LOCK_NAME
        folder_fd = _lock_folder(data_dir, path)
        try:
            # Never through a link (its target would be truncated), readable by the owner only (a
            # read-only open is enough to take a flock and lock the owner out).
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError as exc:
            if path.is_symlink() or path.is_dir():
                what = "a symbolic link" if path.is_symlink() else "a folder"
                raise StoreError(f"the lock file {path} is {what}: move it away (hipquiz makes its own)") from None
            raise StoreError(
                f"cannot write to {data_dir} ({os_error_text(exc)}); {what_to_do(exc)}, "
                "or use read-only commands like 'hipquiz stats'"
            ) from None
        try:
            os.fchmod(fd, 0o600)
        except OSError:
            pass
        except BaseException:
            _close(folder_fd)
            raise
        try:
            _lock_fd(fd)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            _close(folder_fd)
            raise StoreLocked(data_dir, pid) from None
        except BaseException:
            os.close(fd)
            _close(folder_fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only for messages
        return cls(path, fd, folder_fd)

    def verify(self) -> None:
        """Raise StoreError unless ``hipquiz.lock`` is still the file this writer locked."""
        try:
            info = os.stat(self.path, follow_symlinks=False)
            same = (info.st_dev, info.st_ino) == self._identity
        except OSError:
            same = False
        if not same:
            raise StoreError(f"the lock file {self.path} was removed or replaced while this hipquiz was "
                             "saving: quit and start hipquiz again (what was saved before is kept)")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.verify()
            os.ftruncate(self.fd, 0)  # (only our own file: a replaced one is another writer's)
        except (OSError, StoreError):
            pass
        os.close(self.fd)  # closing drops the flock
        self.fd = None
        _close(self.folder_fd)
        self.folder_fd = None


def _lock_folder(data_dir: Path, lock_path: Path) -> int | None:
    """Lock the data folder itself (None where folders cannot be opened, as on Windows)."""
    try:
        fd = os.open(data_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        _lock_fd(fd)
    except BlockingIOError:
        os.close(fd)
        raise StoreLocked(data_dir, _pid_in(lock_path)) from None
    except OSError:  # a file system without flock on folders: the lock file still counts
        os.close(fd)
        return None
    return fd


def _pid_in(lock_path: Path) -> int | None:
    try:
        fd = os.open(lock_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        return _read_pid(fd)
    finally:
        os.close(fd)


def _close(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


def _lock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError when held
    else:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None


def _read_text(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 256).decode("utf-8", "replace")
    except OSError:
        return ""


def _read_pid(fd: int) -> int | None:
    lines = _read_text(fd).splitlines()
    text = lines[0].strip() if lines else ""
    return int(text) if text.isdigit() else None


def lock_holder(data_dir: Path) -> int | None:
    """The pid written by the process holding the writer lock, if it looks alive (for messages)."""
    try:
        fd = os.open(Path(data_dir) / LOCK_NAME, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        lines = _read_text(fd).splitlines()
    finally:
        os.close(fd)
    text = lines[0].strip() if lines else ""
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

