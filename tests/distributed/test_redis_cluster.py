"""Two workers and one ingester crawl a local site through a real Redis; one worker is SIGKILLed.

The site serves every page after 50 ms. Once worker A has taken some pages, the server
stops answering it (its requests hang), so A certainly holds leases when it is killed;
worker B must get those requests after the visibility timeout, and the ingester must
store every article exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.archive.warc import Response, Unreadable, read_responses
from crawler.demo.generate import build_synthetic_site
from tests.distributed.conftest import SlowHandler, archive_args, assert_every_article_archived, serve_directory

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTICLES, CHAIN = 96, 16
A_PAGES_BEFORE_HANG = 12
LOCAL = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=4",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_TIMEOUT=60", "-s", "RETRY_TIMES=0",
         "-s", "NEWSCRAWL_REDIS_LEASE_SECONDS=3", "--allow-network", "127.0.0.0/8", "--idle-close", "2"]


class _Handler(SlowHandler):
    served: dict[str, int]
    lock = threading.Lock()

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        agent = self.headers.get("User-Agent", "")
        with self.lock:
            self.served[agent] = self.served.get(agent, 0) + 1
            count = self.served[agent]
        if agent == "worker-A" and count > A_PAGES_BEFORE_HANG and self.path.endswith(".html"):
            time.sleep(60)  # A hangs here until it is killed
            return
        super().do_GET()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    synthetic = build_synthetic_site(root, ARTICLES, chain_length=CHAIN)
    handler = type("H", (_Handler,), {"served": {}})
    with serve_directory(root, handler) as base:
        yield base, synthetic, handler


def newscrawl(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_killed_worker_loses_nothing_and_each_article_is_stored_once(site, redis_url, redis_client, tmp_path):
    base, synthetic, handler = site
    db = tmp_path / "news.db"
    seeds = [base + path for path in synthetic.middles]
    subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url, *seeds],
                   cwd=ROOT, check=True, capture_output=True)
    ingest = newscrawl("ingest", "--redis", redis_url, "--db", str(db), "--idle-close", "3", "--json")
    worker_a = newscrawl("worker", "--redis", redis_url, *LOCAL, *archive_args(db), "-s", "USER_AGENT=worker-A")
    deadline = time.monotonic() + 60
    while handler.served.get("worker-A", 0) <= A_PAGES_BEFORE_HANG + 2:  # A now holds leases it cannot finish
        assert time.monotonic() < deadline, f"worker A never got going: {worker_a.poll()}"
        time.sleep(0.1)
    worker_b = newscrawl("worker", "--redis", redis_url, *LOCAL, *archive_args(db), "-s", "USER_AGENT=worker-B",
                        "--json-logs")
    time.sleep(1.0)
    assert redis_client.zcard("newscrawl:requests:leases") > 0
    os.kill(worker_a.pid, signal.SIGKILL)
    worker_a.wait(timeout=10)

    out_b, err_b = worker_b.communicate(timeout=180)
    assert worker_b.returncode == 0, err_b[-3000:]
    out_i, err_i = ingest.communicate(timeout=60)
    assert ingest.returncode == 0, err_i[-3000:]

    stats_b = json.loads(out_b.strip().splitlines()[-1])["stats"]
    assert stats_b.get("newscrawl/redis/requeued", 0) >= 1  # B took over A's expired leases
    summary = json.loads(out_i.strip().splitlines()[-1])
    assert summary["counts"]["articles_new"] == ARTICLES

    with sqlite3.connect(db) as conn:
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
        hashes = {row[0] for row in conn.execute("SELECT content_hash FROM articles")}
    expected = {base + path for chain in synthetic.chains for path in chain}
    assert len(urls) == ARTICLES and set(urls) == expected
    assert len(hashes) == ARTICLES
    # Nothing left behind in Redis: frontier, leases and item queue all drained.
    assert int(redis_client.get("newscrawl:requests:count") or 0) == 0
    assert redis_client.zcard("newscrawl:requests:leases") == redis_client.zcard("newscrawl:requests:sites") == 0
    assert redis_client.hlen("newscrawl:requests:inflight") == 0
    assert redis_client.hlen("newscrawl:requests:leased") == 0
    assert redis_client.llen("newscrawl:items") == 0 and redis_client.llen("newscrawl:items:processing") == 0
    _killed_workers_archive_reads_back(db, worker_a.pid)


def _killed_workers_archive_reads_back(db: Path, killed_pid: int) -> None:
    """Every article's page reads back from the workers' WARC files (the killed worker's too); a
    partial last record, what a kill during its one write leaves, is detected and skipped by
    ``import`` and ``reparse``, which read everything before it."""
    assert_every_article_archived(db)
    warc = db.parent / "warc"
    [killed] = sorted(warc.glob(f"newscrawl-worker-*-{killed_pid}-*.warc.gz"))[-1:]
    with sqlite3.connect(db) as conn:
        offsets = conn.execute("SELECT offset, length FROM archive_records WHERE file = ? ORDER BY offset",
                               (killed.name,)).fetchall()
    assert offsets  # the pages it fetched before it hung
    offset, length = offsets[-1]
    whole = killed.read_bytes()
    killed.write_bytes(whole + whole[offset:offset + length // 2])
    records = list(read_responses(killed))
    assert isinstance(records[-1], Unreadable) and records[-1].reason == "truncated"
    assert sum(isinstance(r, Response) for r in records) == len(offsets)
    imported = subprocess.run([sys.executable, "-m", "crawler", "import", str(warc), "--db", str(db.parent / "imported.db"),
                               "--json"], cwd=ROOT, capture_output=True, text=True, timeout=180)  # fmt: skip
    assert imported.returncode == 3, imported.stderr[-3000:]  # stored, one record unreadable
    summary = json.loads(imported.stdout.strip().splitlines()[-1])
    assert summary["counts"]["articles_new"] == ARTICLES, summary
    reparsed = subprocess.run([sys.executable, "-m", "crawler", "reparse", "--db", str(db), "--json"], cwd=ROOT,
                              capture_output=True, text=True, timeout=180)  # fmt: skip
    assert reparsed.returncode == 0, reparsed.stderr[-3000:]
    assert json.loads(reparsed.stdout.strip().splitlines()[-1])["selected"] == ARTICLES


def test_a_worker_with_nothing_enqueued_says_so_and_exits_4(redis_url, redis_client):
    result = subprocess.run([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, "--idle-close", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert "run `newscrawl enqueue` first" in result.stdout + result.stderr


def test_a_second_ingester_refuses_to_write(redis_url, redis_client, tmp_path):
    redis_client.set("newscrawl:ingest:lock", "someone-else", px=30_000)
    result = subprocess.run([sys.executable, "-m", "crawler", "ingest", "--redis", redis_url,
                             "--db", str(tmp_path / "news.db"), "--idle-close", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert "another ingester is writing" in result.stderr
