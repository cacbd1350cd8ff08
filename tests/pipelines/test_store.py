from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from crawler.items import FailedPage
from crawler.article.run import RunCounts, run_outcome
from pipelines.article import ArticleStepsPipeline
from pipelines.store import StoreArticlesPipeline
from tests.pipelines.helpers import article_item, make_crawler, run_pipelines
from tests.spider.site import rows


def _pipelines(crawler) -> list:
    return [ArticleStepsPipeline.from_crawler(crawler), StoreArticlesPipeline.from_crawler(crawler)]


def _open(pipelines: list) -> None:
    for pipeline in pipelines:
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider()


def _close(crawler, pipelines: list, reason: str = "finished") -> None:
    for pipeline in pipelines:
        if hasattr(pipeline, "close_spider"):
            pipeline.close_spider()
    pipelines[-1].spider_closed(crawler.spider, reason)
    pipelines[0].spider_closed()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


def test_articles_failures_and_one_run_record_are_written(db_path: Path) -> None:
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_DB_BATCH_SIZE=2)
    crawler.stats.set_value("newscrawl/pages_fetched", 5)
    pipelines = _pipelines(crawler)
    _open(pipelines)
    for index in range(3):
        run_pipelines(article_item(index), pipelines)
    run_pipelines(FailedPage(url="http://news.test/gone.html", reason="http_404", http_status=404,
                             failed_at="2025-03-05T10:00:00+00:00", site="news.test"), pipelines)
    run_pipelines(article_item(0, path="/a/0.html?utm_campaign=x"), pipelines)  # skipped as duplicate
    stored_before_close = rows(db_path, "SELECT count(*) AS n FROM articles")[0]["n"]
    assert stored_before_close >= 2  # batches of two are written as they fill
    _close(crawler, pipelines)

    articles = rows(db_path, "SELECT * FROM articles ORDER BY url")
    assert [row["url"] for row in articles] == [f"http://news.test/a/{index}.html" for index in range(3)]
    first = articles[0]
    assert first["site"] == "news.test" and first["title"] and first["body"]
    assert json.loads(first["authors"]) and first["published_at"].startswith("2025-03-")
    assert first["word_count"] > 50 and len(first["content_hash"]) == 64
    failures = {row["reason"]: row for row in rows(db_path, "SELECT * FROM failures")}
    assert set(failures) == {"http_404", "duplicate_url"}
    assert failures["http_404"]["http_status"] == 404
    [run] = rows(db_path, "SELECT * FROM runs")
    assert run["outcome"] == "partial" and run["finish_reason"] == "finished" and run["finished_at"]
    assert (run["pages_fetched"], run["articles_new"], run["skipped"], run["failed"]) == (5, 3, 1, 1)
    assert all(row["run_id"] == run["id"] for row in failures.values())
    assert crawler.stats.get_value("newscrawl/outcome") == "partial"


def test_a_dropped_item_keeps_its_reason(db_path: Path) -> None:
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path))
    store = StoreArticlesPipeline.from_crawler(crawler)
    store.open_spider()
    item = article_item(1)
    crawler.signals.send_catch_log(
        signal=__import__("scrapy").signals.item_dropped,
        item=item,
        response=None,
        exception=DropItem("blocked by a later pipeline: spam"),
        spider=crawler.spider,
    )
    store.close_spider()
    store.spider_closed(crawler.spider, "finished")
    [failure] = rows(db_path, "SELECT url, reason, detail FROM failures")
    assert failure == {"url": item.response_url, "reason": "dropped", "detail": "blocked by a later pipeline: spam"}


def test_nothing_stored_is_a_failed_run_and_a_signal_stop_is_interrupted(db_path: Path) -> None:
    for reason, outcome in (("finished", "failed"), ("shutdown", "interrupted")):
        crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path))
        pipelines = _pipelines(crawler)
        _open(pipelines)
        run_pipelines(FailedPage(url="http://news.test/x", reason="timeout", site="news.test"), pipelines)
        _close(crawler, pipelines, reason)
        assert rows(db_path, "SELECT outcome FROM runs ORDER BY id DESC LIMIT 1")[0]["outcome"] == outcome


@pytest.mark.parametrize(
    ("reason", "counts", "outcome"),
    [
        ("finished", RunCounts(articles_new=3), "success"),
        ("finished", RunCounts(articles_unchanged=3, skipped=2), "success"),
        ("finished", RunCounts(articles_updated=1, failed=1), "partial"),
        ("finished", RunCounts(skipped=4), "failed"),
        ("finished", RunCounts(), "success"),  # an incremental run that found nothing new
        ("shutdown", RunCounts(articles_new=3), "interrupted"),
        ("storage_error", RunCounts(articles_new=3), "storage_error"),
    ],
)
def test_run_outcome(reason: str, counts: RunCounts, outcome: str) -> None:
    assert run_outcome(reason, counts) == outcome


def test_a_database_that_cannot_be_written_stops_the_crawl_with_a_clear_error(db_path: Path, caplog) -> None:
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path))
    closed: list[str] = []

    class Engine:  # records the request to close the spider
        def close_spider_async(self, *, reason: str) -> None:
            closed.append(reason)

    crawler.engine = Engine()
    store = StoreArticlesPipeline.from_crawler(crawler)
    store.open_spider()
    store.store.db.execute("PRAGMA query_only = ON")  # every write now fails like a read-only file
    store.process_item(FailedPage(url="http://news.test/x", reason="timeout"))
    store.flush()
    assert closed == ["storage_error"]
    assert "cannot write to" in caplog.text
    assert isinstance(crawler.stats.get_value("newscrawl/storage_error"), str)
    with pytest.raises(sqlite3.OperationalError):
        store.store.db.execute("INSERT INTO failures (url, reason, failed_at) VALUES ('u', 'r', 't')")
