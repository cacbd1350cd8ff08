"""The database under pressure: a reader that never lets go, another writer, a full disk, a read-only file.

Against ``crawler.storage`` on a real database file, and for the read-only file and the
full disk through ``newscrawl crawl``. What was committed before a failure must stay intact and
``PRAGMA integrity_check`` must say ok.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from tests.incremental.helpers import crawl_command
from tests.incremental.newssite import NewsSite
from tests.incremental.test_resume import chain

from .crawl import PROJECT_ROOT


def _row(index: int, body_chars: int = 400) -> ArticleRow:
    return ArticleRow(
        url=f"http://news.test/{index}.html", site="news.test", title=f"Harbour story {index}",
        body=f"Story {index}. " + "The tide gauge reports every minute. " * (body_chars // 36),
        content_hash=f"hash-{index}", fetched_at="2025-09-11T08:30:00+00:00",
    )  # fmt: skip


def _scalar(path: Path, sql: str) -> Any:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _count(path: Path) -> int:
    return _scalar(path, "SELECT count(*) FROM articles")


def _integrity(path: Path) -> str:
    return _scalar(path, "PRAGMA integrity_check")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ArticleStore]:
    db = open_database(tmp_path / "news.db")
    store = ArticleStore(db)
    store.upsert_articles([_row(index) for index in range(3)])
    yield store
    db.conn.close()


def test_long_read_transaction_never_blocks_the_writer(store: ArticleStore, tmp_path: Path) -> None:
    """An analyst's open read transaction (or Datasette's) and a crawl writing batches meanwhile."""
    reader = sqlite3.connect(tmp_path / "news.db", isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3  # the snapshot is taken
    started = time.monotonic()
    for batch in range(5):
        store.upsert_articles([_row(100 + batch * 10 + index) for index in range(10)])
    assert time.monotonic() - started < 30  # far below the 60 s busy timeout: the writer never waited
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 3  # the reader still sees its snapshot
    reader.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 53
    reader.close()


def test_writer_waits_for_another_writer_and_goes_on(store: ArticleStore, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "news.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    release = threading.Timer(1.5, lambda: other.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    store.upsert_articles([_row(200)])
    waited = time.monotonic() - started
    release.join()
    other.close()
    assert waited >= 1.0  # it waited for the lock instead of failing
    assert _count(tmp_path / "news.db") == 4


def test_disk_full_rolls_back_the_batch_and_keeps_what_was_committed(store: ArticleStore, tmp_path: Path) -> None:
    """SQLite's page limit stands in for a full disk: the same SQLITE_FULL error on the same path."""
    db = store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        store.upsert_articles([_row(300 + index, body_chars=40_000) for index in range(20)])
    assert not db.conn.in_transaction
    assert _count(tmp_path / "news.db") == 3  # none of the failed batch, all of what came before
    assert _integrity(tmp_path / "news.db") == "ok"
    db.execute("PRAGMA max_page_count = 1073741823")  # space freed: writing goes on
    store.upsert_articles([_row(400)])
    assert _count(tmp_path / "news.db") == 4


def _without_root_override(command: list[str]) -> list[str]:
    """Run ``command`` so that file permissions apply even to root (no CAP_DAC_OVERRIDE)."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only file cannot be made read-only for this test")
    return ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", *command]


@pytest.mark.slow
@pytest.mark.parametrize("read_only", ["file", "directory"])
def test_read_only_database_stops_the_crawl_with_a_clear_message(store: ArticleStore, tmp_path: Path, read_only: str) -> None:
    path = tmp_path / "news.db"
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.conn.close()
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if read_only == "directory":
        tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    try:
        command = [sys.executable, "-m", "crawler", "crawl", "http://127.0.0.1:9/a.html", "--db", str(path), "--quiet"]
        result = subprocess.run(_without_root_override(command), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)
    assert result.returncode == 4, result.stderr[-2000:]
    assert "could not run" in result.stderr and "readonly database" in result.stderr
    assert _count(path) == 3
    assert _integrity(path) == "ok"


def _private_tmpfs_available() -> bool:
    probe = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.slow
def test_disk_full_stops_the_crawl_and_keeps_what_was_committed(tmp_path: Path) -> None:
    """A real full disk: the crawl writes to a 600 KB tmpfs in a private mount namespace."""
    if not _private_tmpfs_available():
        pytest.skip("unshare cannot mount a private tmpfs here (no user namespaces)")
    count = 150
    with NewsSite(chain(count), broken_sitemaps=False) as site:
        crawl_line = shlex.join(crawl_command(Path("/mnt/news.db"), site.base_url + "/"))
        script = f"mount -t tmpfs -o size=600k tmpfs /mnt && {crawl_line}; status=$?; cp /mnt/news.db* {tmp_path}/; exit $status"
        command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script]
        result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    # a storage failure is no verdict on the site: 4 ("could not run or finish"), not 1 or 3, though articles were stored
    assert result.returncode == 4, result.stderr[-3000:]
    assert "database or disk is full" in result.stderr and "stopping the crawl" in result.stderr, result.stderr[-3000:]
    assert "Crawl stopped: cannot write to database /mnt/news.db: database or disk is full" in result.stdout, result.stdout
    assert (result.stdout + result.stderr).count("what it stored before is kept") == 1  # it was logged, then said
    stored = _count(tmp_path / "news.db")
    assert 0 < stored < count  # it stopped part way, with what it had committed
    assert _integrity(tmp_path / "news.db") == "ok"
    assert _scalar(tmp_path / "news.db", "SELECT count(*) FROM articles_fts") == stored
    assert _scalar(tmp_path / "news.db", "SELECT count(*) FROM articles WHERE title = '' OR body = ''") == 0
    # the run's own row says why it stopped: it stayed 'running' (the disk took no more writes) until
    # the next run called it 'interrupted'; the run lock's reserved space now takes that last write
    assert _scalar(tmp_path / "news.db", "SELECT outcome || ' ' || finish_reason FROM runs") == "storage_error storage_error"


def test_a_run_record_that_cannot_be_closed_is_a_storage_error(tmp_path: Path) -> None:
    """Every batch was stored, then the end of the run could not be written: still exit 4, not a verdict on the site."""
    from pipelines.store import StoreArticlesPipeline
    from tests.pipelines.helpers import make_crawler

    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"))
    store = StoreArticlesPipeline.from_crawler(crawler)
    store.open_spider()
    store.store.db.execute("PRAGMA query_only = ON")  # every write now fails like a full disk
    store.spider_closed(crawler.spider, "finished")
    assert "readonly" in crawler.stats.get_value("newscrawl/storage_error")
