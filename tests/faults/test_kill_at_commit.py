"""Crash safety on transaction boundaries: the crawl is SIGKILLed right after one of its commits
(``tests/faults/killpoint.py``), again and again, resuming each time.

A kill by the clock (``test_kill_loop.py``) lands between two commits a few milliseconds apart
once in hundreds of tries: it found ``{'done': 150}`` against 151 once in session 6 and passed
every other time. Here each kill falls exactly after a chosen commit, so every boundary of the
write order is tried in a few runs. After each kill the crawl state and the rows must agree:
every stored article has its URL in ``crawl_state`` (else no run ever settles it: stored
articles are not fetched again), and no URL is marked stored without its article.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.incremental.helpers import PROJECT_ROOT, crawl, crawl_command, rows
from tests.incremental.newssite import NewsSite
from tests.incremental.test_resume import chain

pytestmark = pytest.mark.slow

ARTICLES = 16
HOME = 4  # the newest articles on the home page: fetched together, stored in the first batches
# Where each run is killed: right after its N-th commit of stored articles, or of any kind (the
# run's record, crawl state, failures, link checks). The first run stores its first batch and dies.
KILL_POINTS = ("articles:1", "any:4", "articles:2", "any:7", "articles:1", "any:10")


def _disagreements(db: Path) -> dict[str, list[str]]:
    """Stored articles with no crawl state row, and URLs marked stored whose article is missing."""
    if not db.exists():
        return {}
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        try:
            unknown = conn.execute(
                "SELECT url FROM articles AS a WHERE NOT EXISTS (SELECT 1 FROM crawl_state AS s"
                " WHERE s.url = a.url OR s.url = a.fetched_url)").fetchall()  # fmt: skip
            missing = conn.execute(
                "SELECT url FROM crawl_state AS s WHERE state = 'done' AND reason = 'stored' AND NOT EXISTS"
                " (SELECT 1 FROM articles AS a WHERE s.url = a.url OR s.url = a.fetched_url)").fetchall()  # fmt: skip
        except sqlite3.OperationalError as exc:  # killed before the schema was created
            assert "no such table" in str(exc)
            return {}
    found = {"stored, no state": [url for (url,) in unknown], "done, not stored": [url for (url,) in missing]}
    return {name: urls for name, urls in found.items() if urls}


def test_kills_right_after_commits_leave_state_and_rows_in_agreement(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    killed = []
    entries = chain(ARTICLES)
    for entry in entries[-HOME:]:
        entry.route = "home"
    with NewsSite(entries, latency=0.05, broken_sitemaps=False) as site:
        command = crawl_command(db, site.base_url + "/", "--set", "NEWSCRAWL_DB_BATCH_SIZE=2")
        assert command[1:3] == ["-m", "crawler"]
        for when in KILL_POINTS:
            # Output to a file: the parse pool's processes keep a pipe open after the kill.
            with (tmp_path / "crawl.log").open("w") as log:
                process = subprocess.Popen([sys.executable, "-m", "tests.faults.killpoint", when, *command[3:]],
                                           cwd=PROJECT_ROOT, stdout=log, stderr=log)  # fmt: skip
                killed.append((when, process.wait(timeout=300)))
            assert _disagreements(db) == {}, (when, killed)
        final = crawl(db, site.base_url + "/")
        assert final.returncode == 0, final.stderr[-3000:]

    assert [code for _, code in killed] == [-9] * len(KILL_POINTS), killed  # every run was killed (-9: SIGKILL)
    urls = [row["url"] for row in rows(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(site.url(index) for index in range(ARTICLES))
    assert _disagreements(db) == {}
    states = {row["state"]: row["n"] for row in rows(db, "SELECT state, count(*) AS n FROM crawl_state GROUP BY state")}
    assert states == {"done": ARTICLES + 1}, killed  # every article and the home page
