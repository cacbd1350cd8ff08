"""The run records of `import` and `reparse` when their process dies (kill -9, a machine that
stops): each holds its run's lock while it runs, writes its counts after every batch, and the next
import or reparse marks a dead one 'interrupted'. They said 'running', counts 0, for good."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crawler.archive.warc import Exchange, WarcFileWriter
from crawler.cli import cli
from crawler.lock import RunLock, lock_path
from crawler.storage import ArticleStore, open_database
from tests.archive.test_archive import WHEN
from tests.spider.site import article_html


def _runs(db: Path) -> dict[int, tuple]:
    with sqlite3.connect(db) as conn:
        return {row[0]: row[1:] for row in conn.execute("SELECT id, outcome, pages_fetched, articles_new FROM runs")}


def test_a_dead_runs_row_is_marked_interrupted_with_its_counts_and_a_live_one_left_alone(tmp_path: Path):
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    writer.write(Exchange("https://chain.example/2025/03/story-1.html", "GET", [], 200, "OK",
                          [("Content-Type", "text/html; charset=utf-8")], article_html(1), WHEN))
    writer.close()
    db = tmp_path / "news.db"
    store = ArticleStore(open_database(db))
    dead = store.start_run(spider="import", started_at="2026-01-01T00:00:00+00:00", arguments={})
    store.record_counts(dead, {"pages_fetched": 100, "articles_new": 90})  # what it wrote after its last batch
    alive = store.start_run(spider="reparse", started_at="2026-01-01T00:00:00+00:00", arguments={})
    store.db.conn.close()
    with RunLock(db, [f"run {alive}"]):  # its process still runs
        result = CliRunner().invoke(cli, ["import", "--db", str(db), "-s", "NEWSCRAWL_PARSE_PROCESSES=1",
                                          str(tmp_path / "in")])
        assert result.exit_code == 0, result.output
        runs = _runs(db)
    assert runs[dead] == ("interrupted", 100, 90)
    assert runs[alive] == ("running", 0, 0)
    assert runs[alive + 1] == ("success", 1, 1)  # the import itself, its lock file gone with it
    assert not lock_path(db, f"run {dead}").exists() and not lock_path(db, f"run {alive + 1}").exists()
