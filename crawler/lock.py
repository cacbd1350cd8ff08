"""Run locks: two crawls of the same site into the same database never overlap.

A lock is ``fcntl.flock`` on a small file beside the database's real file
(``<db>.locks/<sha256 of the name>.lock``: file names are never built from URL pieces,
and the site key comes from a URL). The kernel drops the lock when its process dies, however
it dies (SIGKILL included), so a crashed run never blocks the next one; the file itself
may stay behind and means nothing on its own. The holder writes its pid and start time
into the file so that the refused run can say who holds the lock.

A run that cannot take its lock exits at once with ``ExitCode.ALREADY_RUNNING``.

The first lock file also holds ``reserve`` bytes of disk space (allocated, not a sparse hole):
when the disk fills mid-crawl, ``free_reserve`` gives them back while the lock is still held,
so the run can still write its own end into the ``runs`` table (a few pages of SQLite's WAL).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

class AlreadyRunning(RuntimeError):
    """Another process holds the lock; the message names it."""


def lock_path(db_path: str | Path, name: str) -> Path:
    """``data/news.db`` + ``harbour`` -> ``data/news.db.locks/<sha256("harbour")[:32]>.lock``.

    The database's real path decides (symlinks, ``..`` and relative spellings resolved), so
    a crawl through a symlink to the same file takes the same lock. A hard link is another
    name of the same file that no path resolves to: it is not covered.
    """
    db_path = Path(db_path).resolve()
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return db_path.with_name(db_path.name + ".locks") / f"{digest}.lock"


@dataclass
class RunLock:
    """Exclusive, non-blocking locks on several names at once (all or none), the first holding
    ``reserve`` bytes of disk for the run's last write (``free_reserve``)."""

    db_path: Path
    names: list[str]
    reserve: int = 0
    _held: list[IO[str]] = field(default_factory=list)

    def acquire(self) -> None:
        try:
            for name in sorted(set(self.names)):  # one order everywhere: no deadlock between runs
                self._take(name)
            if self._held and self.reserve:
                _allocate(self._held[0], self.reserve)
        except BaseException:
            self.release()
            raise

    def free_reserve(self) -> None:
        """Give the reserved bytes back to the disk; the locks stay held."""
        for handle in self._held:
            handle.truncate(handle.tell())  # after the holder's line

    def _take(self, name: str) -> None:
        path = lock_path(self.db_path, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.readline().strip() or "another process"  # the holder's line, not its reserve
            handle.close()
            raise AlreadyRunning(f"a crawl of {name!r} into {self.db_path} is already running ({holder}); lock file {path}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{name}: pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        self._held.append(handle)

    def release(self) -> None:
        while self._held:
            handle = self._held.pop()
            try:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            finally:
                handle.close()

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _allocate(handle: IO[str], size: int) -> None:
    """``size`` bytes of disk allocated after the holder's line. A full disk refuses the run
    (ENOSPC, an OSError); a system or file system that cannot allocate ahead (macOS has no
    ``posix_fallocate``; some network file systems refuse it) runs without the reserve, as
    before there was one."""
    allocate = getattr(os, "posix_fallocate", None)
    if allocate is None:
        return
    try:
        allocate(handle.fileno(), handle.tell(), size)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
