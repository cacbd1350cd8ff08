"""Redis that goes away, comes back or never answers (issue 15, items 5 and 6).

- A Redis that accepts connections and never answers: enqueue, ingest and worker each end
  with exit 4 and "unreachable" within a bounded time (NEWSCRAWL_REDIS_TIMEOUT), no traceback.
- Redis killed mid-run and not coming back: the ingester and the worker retry with back-off
  for NEWSCRAWL_REDIS_OUTAGE_SECONDS, then exit 4 with the reason; what was stored is intact.
- Redis killed mid-run and restarted (append-only file, so it keeps its data): the worker
  and the ingester ride out the outage and every article is stored exactly once.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from click.testing import CliRunner

from crawler import settings as defaults
from crawler.cli import cli
from crawler.demo.generate import build_synthetic_site
from tests.distributed.conftest import (SlowHandler, archive_args, assert_every_article_archived, free_port,
                                        serve_directory, start_redis)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTICLES, CHAIN = 30, 10
FAST = ["-s", "NEWSCRAWL_REDIS_TIMEOUT=1", "-s", "NEWSCRAWL_REDIS_OUTAGE_SECONDS=4"]
WORKER = ["--allow-network", "127.0.0.0/8", "--idle-close", "2", "-s", "AUTOTHROTTLE_ENABLED=False",
          "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=2", "-s", "RETRY_TIMES=0",
          "-s", "NEWSCRAWL_REDIS_LEASE_SECONDS=3", "-s", "NEWSCRAWL_PARSE_PROCESSES=1"]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()
    for connection in held:
        connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    synthetic = build_synthetic_site(root, ARTICLES, chain_length=CHAIN)
    with serve_directory(root, SlowHandler) as base:
        yield base, synthetic


def newscrawl(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> list[str]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return [url for (url,) in conn.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:  # not created yet
        return []


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _start_crawl(url: str, base: str, synthetic, db: Path, *extra: str) -> tuple[subprocess.Popen, subprocess.Popen]:
    seeds = [base + chain[0] for chain in synthetic.chains]
    subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", url, "--direction", "next", *seeds],
                   cwd=ROOT, check=True, capture_output=True)
    ingest = newscrawl("ingest", "--redis", url, "--db", str(db), "--idle-close", "3", "--batch-size", "3",
                       *FAST, *extra)
    worker = newscrawl("worker", "--redis", url, *WORKER, *FAST, *archive_args(db), *extra)
    return ingest, worker


def test_a_redis_that_never_answers_ends_each_command_with_exit_4(silent_server, tmp_path, monkeypatch):
    monkeypatch.setattr(defaults, "NEWSCRAWL_REDIS_TIMEOUT", 1, raising=False)  # enqueue reads the default
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["enqueue", "--redis", silent_server, "http://127.0.0.1:9/a.html"])
    assert result.exit_code == 4, result.output
    assert "unreachable" in result.output and time.monotonic() - started < 10
    for command in (["ingest", "--db", str(tmp_path / "news.db")], ["worker"]):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "crawler", *command, "--redis", silent_server,
                               "--idle-close", "1", *FAST], cwd=ROOT, capture_output=True, text=True, timeout=40)
        output = done.stdout + done.stderr
        assert done.returncode == 4, output[-3000:]
        assert "unreachable" in output and "Traceback" not in output, output[-3000:]
        assert time.monotonic() - started < 30


def test_redis_killed_for_good_stops_ingester_and_worker_with_exit_4(site, tmp_path):
    base, synthetic = site
    process, url = start_redis(tmp_path)
    db = tmp_path / "news.db"
    ingest, worker = _start_crawl(url, base, synthetic, db)
    try:
        _wait_for(lambda: len(_stored(db)) >= 3, 60, "nothing stored before Redis was killed")
        process.kill()
        process.wait(timeout=10)
        stopped = time.monotonic()
        for command in (ingest, worker):
            out, err = command.communicate(timeout=60)
            assert command.returncode == 4, err[-3000:]
            assert "unreachable" in out + err, err[-3000:]
            assert "Traceback" not in err, err[-3000:]
        assert time.monotonic() - stopped < 40  # outage limit 4 s, plus back-off and shutdown
    finally:
        for command in (ingest, worker):
            if command.poll() is None:
                command.kill()
    stored = _stored(db)
    assert len(stored) == len(set(stored)) >= 3
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_redis_restarted_mid_run_loses_nothing(site, tmp_path):
    base, synthetic = site
    port = free_port()
    process, url = start_redis(tmp_path, port=port, persist=True)
    db = tmp_path / "news.db"
    ingest, worker = _start_crawl(url, base, synthetic, db, "-s", "NEWSCRAWL_REDIS_OUTAGE_SECONDS=60")
    logs = {command: _Drained(command) for command in (ingest, worker)}  # read as they run: a full pipe stalls them
    try:
        _wait_for(lambda: len(_stored(db)) >= 3 or any(c.poll() is not None for c in logs), 180,
                  "nothing stored before Redis was killed")
        assert all(command.poll() is None for command in logs), [log.text()[-2000:] for log in logs.values()]
        process.kill()
        process.wait(timeout=10)
        # Redis comes back once both have met the outage (or the crawl was over), however slow the machine.
        _wait_for(lambda: all("unreachable" in log.text() or command.poll() is not None
                              for command, log in logs.items()), 60, "the outage went unnoticed")
        process, url = start_redis(tmp_path, port=port, persist=True)
        for command in (worker, ingest):
            command.wait(timeout=300)
            assert command.returncode == 0, logs[command].text()[-3000:]
        assert "answers again" in logs[ingest].text()  # it rode the outage out, it did not start over
    finally:
        for command in (ingest, worker):
            if command.poll() is None:
                command.kill()
        client = redis.Redis.from_url(url)
        left = {key: client.type(key) for key in (b"newscrawl:requests:sites", b"newscrawl:items",
                                                   b"newscrawl:items:processing", b"newscrawl:requests:leases",
                                                   b"newscrawl:requests:leased", b"newscrawl:requests:inflight")
                if client.exists(key)}
        left.update({b"queued": int(client.get(b"newscrawl:requests:count"))}
                    if int(client.get(b"newscrawl:requests:count") or 0) else {})
        process.terminate()
        process.wait(timeout=10)
    stored = _stored(db)
    expected = {base + path for chain in synthetic.chains for path in chain}
    assert len(stored) == len(set(stored)) and set(stored) == expected
    assert not left, left
    assert os.path.exists(tmp_path / "appendonlydir")
    assert_every_article_archived(db)  # a page whose index row met the outage was fetched and indexed again


class _Drained:
    """A process's stdout and stderr, read by threads as it writes them."""

    def __init__(self, command: subprocess.Popen) -> None:
        self.parts: list[str] = []
        for stream in (command.stdout, command.stderr):
            threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.parts.append(line)

    def text(self) -> str:
        return "".join(self.parts)
