"""The single writer SIGKILLed mid-crawl: the next ingester finishes its batch; each article is stored once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.demo.generate import build_synthetic_site
from tests.distributed.conftest import SlowHandler, archive_args, assert_every_article_archived, serve_directory

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTICLES, CHAIN = 40, 10
WORKER = ["--allow-network", "127.0.0.0/8", "--idle-close", "3", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0",
          "-s", "CONCURRENT_REQUESTS=2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "NEWSCRAWL_PARSE_PROCESSES=1"]


def _newscrawl(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _stored(db: Path) -> list[str]:
    try:
        with sqlite3.connect(db) as conn:
            return [url for (url,) in conn.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:  # not created yet
        return []


def test_a_killed_ingester_loses_nothing_and_stores_nothing_twice(redis_url, redis_client, tmp_path):
    root = tmp_path / "site"
    synthetic = build_synthetic_site(root, ARTICLES, chain_length=CHAIN)
    db = tmp_path / "news.db"
    with serve_directory(root, SlowHandler) as base:
        subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url, "--direction", "next",
                        *(base + chain[0] for chain in synthetic.chains)], cwd=ROOT, check=True, capture_output=True)
        first = _newscrawl("ingest", "--redis", redis_url, "--db", str(db), "--batch-size", "2", "--idle-close", "30")
        worker = _newscrawl("worker", "--redis", redis_url, *WORKER, *archive_args(db))
        deadline = time.monotonic() + 90
        while len(_stored(db)) < 6:
            assert time.monotonic() < deadline and first.poll() is None, "the first ingester stored nothing"
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        redis_client.delete("newscrawl:ingest:lock")  # stands for its TTL running out
        second = _newscrawl("ingest", "--redis", redis_url, "--db", str(db), "--batch-size", "2", "--idle-close", "3")
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-3000:]
        out, err = second.communicate(timeout=60)
        assert second.returncode == 0, err[-3000:]
    stored = _stored(db)
    expected = {base + path for chain in synthetic.chains for path in chain}
    assert len(stored) == len(set(stored)) == ARTICLES and set(stored) == expected
    assert redis_client.llen("newscrawl:items") == 0 and redis_client.llen("newscrawl:items:processing") == 0
    assert int(redis_client.get("newscrawl:requests:count") or 0) == 0
    with sqlite3.connect(db) as conn:
        hashes = conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0]
    assert hashes == ARTICLES
    assert_every_article_archived(db)  # the batch written again indexes no record twice
