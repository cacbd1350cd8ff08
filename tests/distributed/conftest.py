"""A real redis-server on 127.0.0.1 for each test module: free port, temp dir, no persistence."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: Path, *, port: int | None = None, persist: bool = False) -> tuple[subprocess.Popen, str]:
    """A redis-server on 127.0.0.1 (a free port unless given), answering; returns the process and its URL.

    ``persist``: append-only file in ``workdir``, synced on every write, so a restart keeps everything.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make test` installs it (Debian package redis-server)")
    port = port or free_port()
    persistence = ["--appendonly", "yes", "--appendfsync", "always"] if persist else ["--appendonly", "no"]
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", *persistence,
         "--dir", str(workdir), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return process, url
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, url = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


class SlowHandler(SimpleHTTPRequestHandler):
    """Serves files after ``delay`` seconds, as a real site's latency; logs nothing."""

    delay = 0.05

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(self.delay)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_directory(root: Path, handler: type[SimpleHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1 with ``handler`` (a SimpleHTTPRequestHandler); yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def archive_args(db: Path) -> list[str]:
    """A worker's option that puts its WARC files where the ingester of ``db`` reads them (``warc/`` beside it)."""
    return ["-s", f"NEWSCRAWL_ARCHIVE_DIR={db.parent / 'warc'}"]


def assert_every_article_archived(db: Path) -> None:
    """Each stored article's page is indexed once per record, and reads back from the workers' WARC files."""
    import sqlite3

    from crawler.archive.warc import read_archived

    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT url, fetched_url FROM articles").fetchall()
        rows = conn.execute("SELECT request_url, file, offset, length, run_id FROM archive_records").fetchall()
    assert len({(url, file, offset) for url, file, offset, _, _ in rows}) == len(rows)  # nothing indexed twice
    assert all(file.startswith("newscrawl-worker-") and run for _, file, _, _, run in rows), rows[:3]
    records = {url: (file, offset, length) for url, file, offset, length, _ in rows}
    for url, fetched_url in articles:
        file, offset, length = records.get(fetched_url) or records[url]
        response = read_archived(db.parent / "warc", file, offset, length)
        assert response is not None and response.url in (url, fetched_url) and response.body, url
