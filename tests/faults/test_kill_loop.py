"""Crash safety: SIGKILL the crawler at random moments, 20 times, resuming each time.

Afterwards every article of the test site is stored exactly once, nothing is missing,
the full-text index is in step and ``PRAGMA integrity_check`` is ok; the database is
checked after every kill too. The moments are drawn from a seeded generator, from
Scrapy's start-up to the middle of a batch write, so a failure can be replayed.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.incremental.helpers import PROJECT_ROOT, crawl, crawl_command, rows
from tests.incremental.newssite import NewsSite
from tests.incremental.test_resume import chain, stored_count

pytestmark = pytest.mark.slow

ARTICLES = 150
KILLS = 20
SEED = 6  # the number: change it to try other moments


def _check(db: Path) -> int:
    """integrity_check ok and the FTS index in step; returns the number of stored articles."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == stored
        return stored
    except sqlite3.OperationalError as exc:  # killed before the schema was created
        assert "no such table" in str(exc)
        return 0
    finally:
        conn.close()


def _kill_at_a_random_moment(process: subprocess.Popen[bytes], db: Path, moments: random.Random) -> bool:
    """One kill in four during start-up, the others while the run is storing articles;
    False if the crawl had already ended."""
    if moments.random() < 0.25:
        time.sleep(moments.uniform(0.2, 5.0))  # importing, opening the database, fetching robots.txt
    else:
        stored_before = stored_count(db)
        deadline = time.monotonic() + 90
        while stored_count(db) == stored_before and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # until this run has stored something: mid-crawl, mid-batch
        # A short random delay after that first write: on an idle machine a run stores
        # several articles a second, and 20 longer delays let the crawl finish before the
        # last kill (the test then proves less than it says).
        time.sleep(moments.uniform(0.0, 0.75))
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return True


def test_twenty_kills_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    moments = random.Random(SEED)
    stored_after_kill = []
    with NewsSite(chain(ARTICLES), latency=0.1, broken_sitemaps=False) as site:
        command = crawl_command(db, site.base_url + "/", "--set", "NEWSCRAWL_DB_BATCH_SIZE=2")
        for _ in range(KILLS):
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if _kill_at_a_random_moment(process, db, moments):
                stored_after_kill.append(_check(db))
            else:
                process.wait(timeout=30)
        final = crawl(db, site.base_url + "/")
        assert final.returncode == 0, final.stderr[-3000:]

    # Most kills must have hit a crawl that was storing articles, not only start-ups.
    gains = [after - before for before, after in zip([0, *stored_after_kill], stored_after_kill, strict=False)]
    assert len(stored_after_kill) == KILLS and sum(gain > 0 for gain in gains) >= KILLS // 2, stored_after_kill
    assert stored_after_kill[-1] < ARTICLES  # the last kill still interrupted an unfinished crawl
    urls = [row["url"] for row in rows(db, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == ARTICLES
    assert sorted(urls) == sorted(site.url(index) for index in range(ARTICLES))
    assert _check(db) == ARTICLES
    states = {row["state"]: row["n"] for row in rows(db, "SELECT state, count(*) AS n FROM crawl_state GROUP BY state")}
    assert states == {"done": ARTICLES + 1}  # every article and the home page
