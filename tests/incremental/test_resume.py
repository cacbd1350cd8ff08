"""A run killed with SIGKILL in the middle, then resumed: every article exactly once, nothing
missing, the database intact; and the crawl state drives the resumed run."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from tests.incremental.helpers import PROJECT_ROOT, crawl, crawl_command, rows
from tests.incremental.newssite import Entry, NewsSite

pytestmark = pytest.mark.slow

COUNT = 40


def chain(count: int) -> list[Entry]:
    """One chain, only its newest article on the home page: the rest is found link by link."""
    return [
        Entry(index, "home" if index == count - 1 else "none", f"2025-03-{index % 28 + 1:02d}T08:00:00+00:00",
              prev=index - 1 if index else None, next=index + 1 if index < count - 1 else None)
        for index in range(count)
    ]  # fmt: skip


def stored_count(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_killed_run_is_resumed_without_loss_or_duplicates(tmp_path):
    db = tmp_path / "news.db"
    with NewsSite(chain(COUNT), latency=0.15, broken_sitemaps=False) as site:
        command = crawl_command(db, site.base_url + "/", "--set", "NEWSCRAWL_DB_BATCH_SIZE=3")
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while stored_count(db) < 8 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert process.poll() is None, "the crawl ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        killed_at = stored_count(db)
        assert 0 < killed_at < COUNT
        [interrupted] = rows(db, "SELECT outcome, finished_at FROM runs")
        assert interrupted == {"outcome": "running", "finished_at": None}  # the killed run never finished
        pending = rows(db, "SELECT count(*) AS n FROM crawl_state WHERE state IN ('pending', 'in_flight')")[0]["n"]
        assert pending >= 1  # the next link was recorded before the kill

        site.latency = 0
        resumed = crawl(db, site.base_url + "/")
        assert resumed.returncode == 0, resumed.stderr[-3000:]

    urls = [row["url"] for row in rows(db, "SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == COUNT
    assert sorted(urls) == sorted(site.url(index) for index in range(COUNT))
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == COUNT
    finally:
        conn.close()
    states = {row["state"]: row["n"] for row in rows(db, "SELECT state, count(*) AS n FROM crawl_state GROUP BY state")}
    assert states == {"done": COUNT + 1}  # every article and the home page
    last = rows(db, "SELECT outcome, articles_new FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert last == {"outcome": "success", "articles_new": COUNT - killed_at}
    first = rows(db, "SELECT outcome FROM runs ORDER BY id LIMIT 1")[0]
    assert first == {"outcome": "interrupted"}  # the resumed run closed the killed one's record


def test_a_start_page_left_pending_is_read_again_as_a_start_page(tmp_path):
    """A run killed before its home page was done leaves it pending. The next run resumed it as an
    article page (skipped: not_article) and, the URL being seen, never sent its start request: it
    followed none of the home page's links, stored nothing and exited 1 (found by
    tests/faults/test_kill_at_commit.py)."""
    from crawler.storage import ArticleStore, open_database
    from crawler.storage.state import CrawlState, StateChange
    from crawler.urls import canonical_url, site_key

    db = tmp_path / "news.db"
    entries = chain(6)
    for entry in entries[-3:]:
        entry.route = "home"
    with NewsSite(entries, broken_sitemaps=False) as site:
        home = site.base_url + "/"
        store = ArticleStore(open_database(db))
        killed = store.start_run(spider="site", started_at="2026-01-01T00:00:00+00:00",
                                 arguments={"sites": [site_key(home)]}, site=site_key(home))  # fmt: skip
        CrawlState(store.db).record([StateChange(url=canonical_url(home), site=site_key(home), state="pending",
                                                 discovered_from="start")], run_id=killed)  # fmt: skip
        store.db.conn.close()
        resumed = crawl(db, home)

    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert len(rows(db, "SELECT url FROM articles")) == len(entries)
    assert rows(db, "SELECT state, reason FROM crawl_state WHERE url = ?", [canonical_url(home)]) == [
        {"state": "done", "reason": "listing"}]  # fmt: skip
