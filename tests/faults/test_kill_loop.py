"""Crash safety: SIGKILL the crawler at random moments, 20 times, resuming each time.

Afterwards every article of the test site is stored exactly once, nothing is missing,
the full-text index is in step and ``PRAGMA integrity_check`` is ok; the database is
checked after every kill too. The moments are drawn from a seeded generator, from
Scrapy's start-up to the middle of a batch write, and placed by what the run has stored
rather than by time, so a failure can be replayed on a busy machine as on an idle one.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.incremental.helpers import PROJECT_ROOT, crawl, crawl_command, rows
from tests.incremental.newssite import NewsSite
from tests.incremental.test_resume import chain

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


def _stored_now(db: Path) -> int:
    """Articles stored so far; a database busy with a write is read again, not taken for 0
    (a wrong 0 would end a wait before the run stored anything)."""
    deadline = time.monotonic() + 60
    while True:
        if not db.exists():
            return 0
        try:
            with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # killed before the schema was created
                return 0
            assert time.monotonic() < deadline, f"cannot read {db}: {exc}"
            time.sleep(0.05)


def _wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _kill_at_a_random_moment(process: subprocess.Popen[bytes], db: Path, moments: random.Random) -> bool:
    """One kill in four during start-up (importing, opening the database, fetching robots.txt:
    a random delay, cut short by the run's first write), the others once the run has stored
    1 to 4 more articles (mid-crawl, mid-batch); False if the crawl had already ended.

    Conditions, not delays: a busy machine starts a run slower and an idle one stores faster,
    and with delays either one moved the kills (start-ups that never reached a write, or a
    crawl finished before its last kill); counted in articles, every kill falls where it is
    meant to and 20 kills store well under the site's 150 articles."""
    stored_before = _stored_now(db)
    ended = process.poll
    if moments.random() < 0.25:
        _wait_until(lambda: ended() is not None or _stored_now(db) > stored_before, moments.uniform(0.2, 5.0))
    else:
        more = moments.randint(1, 4)
        _wait_until(lambda: ended() is not None or _stored_now(db) >= stored_before + more, 300)
    if ended() is not None:
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
