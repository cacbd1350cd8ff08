"""StoreArticlesPipeline: articles and failures into SQLite in batches, one run record per crawl.

It takes the ``ArticleRow`` items the article steps made (``pipelines/article.py``) and the
``FailedPage`` items. Articles are upserted on their storage key through ``crawler.storage.ArticleStore``
(new rows inserted, changed rows updated in place, unchanged rows touched); failed
and skipped pages go to the ``failures`` table with their reason. Writes are batched:
one transaction per NEWSCRAWL_DB_BATCH_SIZE items, and whatever is pending is written
every NEWSCRAWL_DB_FLUSH_INTERVAL seconds and when the spider closes, so a killed
crawl loses at most that much (``crawler.article.run.RunWriter``, shared with the other
entry points that store articles).

The run record is opened when the spider opens and finished when it closes, with the
counts and an outcome: ``success`` (articles stored, no page failed), ``partial``
(articles stored, some pages failed), ``failed`` (no article stored, or the database
broke), ``interrupted`` (stopped by a signal). Items dropped by any pipeline
(``DropItem``) are recorded too, with the exception's message as the detail.

Settings: NEWSCRAWL_DB_PATH, NEWSCRAWL_DB_BATCH_SIZE, NEWSCRAWL_DB_FLUSH_INTERVAL.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from crawler.article.run import STORAGE_ERROR, RunWriter, run_outcome
from crawler.items import FailedPage
from crawler.signals import pages_stored, pages_storing
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow

logger = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreArticlesPipeline:
    def __init__(self, crawler: Any, *, db_path: str, batch_size: int, flush_interval: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.flush_interval = flush_interval
        self.writer: RunWriter | None = None
        self._timer: LoopingCall | None = None
        self._broken = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoreArticlesPipeline:
        settings = crawler.settings
        pipeline = cls(
            crawler,
            db_path=settings.get("NEWSCRAWL_DB_PATH"),
            batch_size=settings.getint("NEWSCRAWL_DB_BATCH_SIZE"),
            flush_interval=settings.getfloat("NEWSCRAWL_DB_FLUSH_INTERVAL"),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    @property
    def run_id(self) -> int | None:
        return self.writer.run_id if self.writer is not None else None

    @property
    def store(self) -> ArticleStore | None:
        return self.writer.store if self.writer is not None else None

    # --- lifecycle ------------------------------------------------------------------------
    def open_spider(self) -> None:
        store = ArticleStore(open_database(self.db_path))
        spider = self.crawler.spider
        arguments = dict(getattr(spider, "run_arguments", {}) or {})
        sites = arguments.get("sites") or []
        run_id = store.start_run(
            spider=spider.name,
            started_at=_now(),
            arguments=arguments,
            site=sites[0] if len(sites) == 1 else None,
        )
        self.writer = RunWriter(store, run_id=run_id, stats=self.stats)
        self.stats.set_value("newscrawl/run_id", run_id)
        self.stats.set_value("newscrawl/db_path", str(self.db_path))
        if self.flush_interval > 0:
            self._timer = LoopingCall(self.flush)
            self._timer.start(self.flush_interval, now=False)

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        writer, self.writer = self.writer, None
        if writer is None or writer.run_id is None:
            return
        if self._broken:
            reason = STORAGE_ERROR
        writer.counts.pages_fetched = int(self.stats.get_value("newscrawl/pages_fetched", 0))
        outcome = run_outcome(reason, writer.counts)
        self.stats.set_value("newscrawl/outcome", outcome)
        try:
            writer.store.finish_run(
                writer.run_id,
                finished_at=_now(),
                outcome=outcome,
                finish_reason=self._finish_reason(reason),
                counts=writer.counts.as_dict(),
            )
        except sqlite3.Error as exc:
            logger.warning("could not record the end of run %s in %s: %s", writer.run_id, self.db_path, exc)  # crawl tries again (crawler.runner)
            self.stats.set_value("newscrawl/outcome", "failed")
            self.stats.set_value("newscrawl/storage_error", str(exc))
        finally:
            writer.store.db.conn.close()

    def _finish_reason(self, reason: str) -> str:
        if reason == "finished" and self.stats.get_value("newscrawl/max_articles_reached"):
            return "max_articles"
        return reason

    # --- items ------------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (ArticleRow, FailedPage)) or self.writer is None:
            return item
        if self.writer.add(item) >= self.batch_size:
            self.flush()
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        """A DropItem from any pipeline still leaves a record of the page and the reason."""
        url = getattr(item, "response_url", None) or getattr(item, "url", None) or getattr(response, "url", "")
        site = getattr(item, "site", "")
        if self.writer is not None:
            self.writer.add(FailedPage(url=url, reason="dropped", detail=str(exception), site=site, skipped=True))

    def flush(self) -> None:
        """Write what is pending: articles in one transaction, failures in another."""
        writer = self.writer
        if writer is None or not len(writer.pending) or self._broken:
            return
        lost = len(writer.pending)
        self.crawler.signals.send_catch_log(signal=pages_storing)
        try:
            batch = writer.flush()
        except sqlite3.Error as exc:
            self._broken = True
            logger.error("cannot write to %s: %s; stopping the crawl (%d items not stored)", self.db_path, exc, lost)
            self.stats.set_value("newscrawl/storage_error", str(exc))
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORAGE_ERROR))
        else:
            self.crawler.signals.send_catch_log(signal=pages_stored, articles=batch.articles, failures=batch.failures)
