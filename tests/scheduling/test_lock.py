"""Run locks: a second run of the same site exits at once with its own code; a dead holder holds nothing."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from crawler.exitcodes import ExitCode, worst
from crawler.lock import AlreadyRunning, RunLock, lock_path
from tests.incremental.helpers import crawl
from tests.incremental.newssite import Entry, NewsSite


def test_second_holder_is_refused_and_names_the_first(tmp_path):
    db = tmp_path / "news.db"
    with RunLock(db, ["harbour"]):
        with pytest.raises(AlreadyRunning, match=rf"pid {os.getpid()}"):
            RunLock(db, ["harbour"]).acquire()
        RunLock(db, ["ledger"]).acquire()  # another site is not blocked
    with RunLock(db, ["harbour"]):  # released on exit
        pass


def test_the_reserve_is_disk_the_lock_holds_and_gives_back_while_still_locked(tmp_path):
    """A full disk mid-crawl: the run frees the reserve to write its end into `runs` (crawler.runner)."""
    db = tmp_path / "news.db"
    with RunLock(db, ["harbour", "ledger"], reserve=32 * 1024) as lock:
        held = [lock_path(db, name) for name in ("harbour", "ledger")]
        assert held[0].stat().st_blocks * 512 >= 32 * 1024  # allocated, not a sparse hole
        with pytest.raises(AlreadyRunning, match=rf"\(harbour: pid {os.getpid()} since [0-9T:+-]+\); lock file"):
            RunLock(db, ["harbour"]).acquire()  # the holder's line, not the reserve's zero bytes
        lock.free_reserve()
        assert held[0].read_text().startswith("harbour: pid ") and held[0].stat().st_size < 100
        with pytest.raises(AlreadyRunning):
            RunLock(db, ["harbour"]).acquire()  # still held
    assert all(path.stat().st_size == 0 for path in held)


def test_a_symlink_or_another_spelling_of_the_database_is_the_same_lock(tmp_path):
    db = tmp_path / "data" / "news.db"
    db.parent.mkdir()
    db.touch()
    (tmp_path / "link.db").symlink_to(db)
    (tmp_path / "linkdir").symlink_to(db.parent, target_is_directory=True)
    spellings = [tmp_path / "link.db", tmp_path / "linkdir" / "news.db", tmp_path / "data" / ".." / "data" / "news.db"]
    with RunLock(db, ["harbour"]):
        for other in spellings:
            with pytest.raises(AlreadyRunning):
                RunLock(other, ["harbour"]).acquire()
    assert {lock_path(other, "harbour") for other in spellings} == {lock_path(db, "harbour")}


def test_lock_file_names_are_never_built_from_url_pieces(tmp_path):
    db = tmp_path / "news.db"
    for hostile in ("127.0.0.1:8001", "../../etc/passwd", "a/b", "CON", "x" * 500, "é\x00"):
        path = lock_path(db, hostile)
        assert path.parent == tmp_path / "news.db.locks"
        assert path.stem.isalnum() and path.stem.islower() and len(path.stem) == 32
    assert lock_path(db, "a") != lock_path(db, "b")


def test_all_or_nothing(tmp_path):
    db = tmp_path / "news.db"
    with RunLock(db, ["b"]):
        lock = RunLock(db, ["a", "b"])
        with pytest.raises(AlreadyRunning):
            lock.acquire()
        RunLock(db, ["a"]).acquire()  # "a" was given back when "b" could not be taken


def test_a_killed_holder_does_not_hold_the_lock(tmp_path):
    db = tmp_path / "news.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from crawler.lock import RunLock
            lock = RunLock({str(db)!r}, ["harbour"])
            lock.acquire()
            print("locked", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning):
            RunLock(db, ["harbour"]).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        with RunLock(db, ["harbour"]):
            pass
    finally:
        holder.kill()


@pytest.mark.slow
def test_overlapping_crawl_exits_at_once_with_already_running(tmp_path):
    db = tmp_path / "news.db"
    entries = [Entry(0, "home", "2025-03-01T08:00:00+00:00")]
    with NewsSite(entries, broken_sitemaps=False) as site:
        from crawler.urls import site_key

        with RunLock(db, [site_key(site.base_url)]):
            started = time.monotonic()
            result = crawl(db, site.base_url + "/")
            elapsed = time.monotonic() - started
        assert site.hits == []
    assert result.returncode == ExitCode.ALREADY_RUNNING == 5
    assert "already running" in result.stdout + result.stderr
    assert elapsed < 30


def test_worst_exit_code_of_several_runs():
    assert worst([]) == ExitCode.SUCCESS
    assert worst([0, 3, 0]) == ExitCode.PARTIAL
    assert worst([3, 5]) == ExitCode.ALREADY_RUNNING
    assert worst([5, 1, 3]) == ExitCode.NOTHING_STORED
    assert worst([1, 4, 130]) == ExitCode.COULD_NOT_RUN


def test_a_system_that_cannot_allocate_ahead_takes_the_lock_without_the_reserve(tmp_path, monkeypatch):
    # macOS has no posix_fallocate; some file systems refuse it: the run goes on, as before the reserve
    monkeypatch.delattr(os, "posix_fallocate", raising=False)
    with RunLock(tmp_path / "news.db", ["harbour"], reserve=32 * 1024) as lock:
        assert lock.names == ["harbour"]

    def refused(fd, offset, length):
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(os, "posix_fallocate", refused, raising=False)
    with RunLock(tmp_path / "news.db", ["harbour"], reserve=32 * 1024):
        pass


def test_a_full_disk_refuses_the_lock(tmp_path, monkeypatch):
    def full(fd, offset, length):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "posix_fallocate", full, raising=False)
    with pytest.raises(OSError):
        RunLock(tmp_path / "news.db", ["harbour"], reserve=32 * 1024).acquire()
