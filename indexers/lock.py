"""A lock file so only one reindex runs at a time on a machine (flock: released if the process dies)."""
from __future__ import annotations

import fcntl
import os
from datetime import datetime, timezone
from pathlib import Path


class LockHeld(RuntimeError):
    """Another process holds the lock."""


class JobLock:
    """``with JobLock(path):`` runs the block only if no other process holds ``path``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._fd: int | None = None

    def __enter__(self) -> JobLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(f"another reindex is running ({holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, started {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
