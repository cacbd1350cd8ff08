"""A database on a disk that cannot be written (a read-only mount, a snapshot, a folder the user may
not write to): the commands that only read it work. SQLite cannot open a WAL database there in its
usual way (it must create the -shm file beside it): every reading command said "Error: DB: unable to
open database file". The commands that write say why they cannot, in one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """No file can be created in ``folder`` (as root: the immutable attribute; else its mode)."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("no way to make a folder unwritable for root here (chattr +i)")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def newscrawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def read_only_copy(analysis_db: Path, tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "snapshot"
    folder.mkdir()
    copy = folder / "news.db"
    shutil.copyfile(analysis_db, copy)  # checkpointed: the fixture's writer closed
    with unwritable(folder):
        yield copy


@pytest.mark.parametrize("command", [["stats"], ["search", "council"], ["show", "1"], ["runs"], ["templates"],
                                     ["export", "--format", "jsonl", "-o", "-"]])
def test_the_reading_commands_read_a_database_on_a_read_only_disk(read_only_copy: Path, command: list[str]) -> None:
    result = newscrawl(*command, "--db", str(read_only_copy))
    assert result.returncode == 0, result.stderr
    assert "unable to open" not in result.stderr


def test_a_write_says_why_in_one_line(read_only_copy: Path) -> None:
    result = newscrawl("reparse", "--db", str(read_only_copy))
    assert result.returncode == 4, result.stderr
    assert "read-only" in result.stderr or "cannot be written" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_database_in_a_folder_that_takes_no_file_says_so(tmp_path: Path) -> None:
    """A crawl into a new database in a folder the user may not write said only SQLite's "cannot open
    database DB: unable to open database file": nothing of the folder."""
    folder = tmp_path / "snapshot"
    folder.mkdir()
    with unwritable(folder):
        result = newscrawl("crawl", "http://127.0.0.1:9/a.html", "--db", str(folder / "news.db"))
    said = result.stdout + result.stderr
    assert result.returncode == 4, said
    assert f"its folder {folder} cannot be written" in said and "Traceback" not in said, said
    assert said.count("cannot be written") == 1, said


def test_serve_serves_a_database_on_a_read_only_disk(read_only_copy: Path) -> None:
    """Datasette opened it with mode=ro: a traceback, "sqlite3.OperationalError: unable to open database file". The commands that write say why they cannot, in one line."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "crawler", "serve", "--port", str(port), "--db", str(read_only_copy)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.communicate()[1][-3000:]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/news/articles/1", timeout=10) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline, "serve never answered"
                time.sleep(0.2)  # polling for the server to answer, not a timing assumption
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "<h1" in page and "Traceback" not in err, err
    assert "read-only" in err or "cannot be written" in err  # says it serves it as an unchanging snapshot
