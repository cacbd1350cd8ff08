"""StoreArticlesPipeline: articles and failures into SQLite in batches, one run record per crawl.

Articles are upserted on their storage key through ``crawler.storage.ArticleStore``
(new rows inserted, changed rows updated in place, unchanged rows touched); failed
and skipped pages go to the ``failures`` table with their reason. Writes are batched:
one transaction per NEWSCRAWL_DB_BATCH_SIZE items, and whatever is pending is written
every NEWSCRAWL_DB_FLUSH_INTERVAL seconds and when the spider closes, so a killed
crawl loses at most that much.

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from crawler.items import FailedPage, PageItem
from crawler.signals import pages_stored
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow, UpsertOutcome

logger = logging.getLogger(__name__)

INTERRUPTED_REASONS = frozenset({"shutdown", "cancelled"})  # Scrapy's close reasons for a stop by signal
STORAGE_ERROR = "storage_error"  # close reason when the database cannot be written


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def article_row(item: PageItem) -> ArticleRow:
    """The row for a validated, de-duplicated item (url and content_hash set by the dedupe pipeline)."""
    parsed = item.parsed
    if item.url is None or item.content_hash is None:
        raise ValueError(f"{item.response_url}: item reached storage without a storage key")
    return ArticleRow(
        url=item.url,
        site=item.site,
        title=parsed.title or "",
        body=parsed.body or "",
        content_hash=item.content_hash,
        fetched_at=item.fetched_at,
        published_at=parsed.published_at,
        published_relative=parsed.published_relative,
        modified_at=parsed.modified_at,
        authors=tuple(parsed.authors),
        language=parsed.language,
        description=parsed.description,
        site_name=parsed.site_name,
        prev_url=parsed.prev_url,
        prev_title=parsed.prev_title,
        next_url=parsed.next_url,
        next_title=parsed.next_title,
        word_count=item.word_count,
        fetched_url=item.fetched_url if item.fetched_url != item.url else None,
        summary=item.summary,
        image_url=parsed.image_url,
        keywords=tuple(parsed.keywords),
        free_to_read=parsed.free_to_read,
    )


def failure_row(page: FailedPage) -> dict[str, Any]:
    return {
        "url": page.url,
        "site": page.site or None,
        "reason": page.reason,
        "detail": page.detail,
        "http_status": page.http_status,
        "failed_at": page.failed_at or _now(),
        "skipped": page.skipped,
    }


@dataclass(slots=True)
class RunCounts:
    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def stored(self) -> int:
        return self.articles_new + self.articles_updated + self.articles_unchanged

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def run_outcome(reason: str, counts: RunCounts) -> str:
    """success | partial | failed | interrupted, from Scrapy's close reason and the counts."""
    if reason == STORAGE_ERROR:
        return "failed"
    if reason in INTERRUPTED_REASONS:
        return "interrupted"
    if counts.stored == 0 and (counts.failed or counts.skipped):
        return "failed"  # pages were tried and none gave an article (an incremental run with nothing new succeeds)
    return "partial" if counts.failed else "success"


@dataclass(slots=True)
class _Pending:
    articles: list[ArticleRow] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.failures)


class StoreArticlesPipeline:
    def __init__(self, crawler: Any, *, db_path: str, batch_size: int, flush_interval: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.batch_size = max(1, batch_size)
        self.flush_interval = flush_interval
        self.store: ArticleStore | None = None
        self.run_id: int | None = None
        self.counts = RunCounts()
        self._pending = _Pending()
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

    # --- lifecycle ------------------------------------------------------------------------
    def open_spider(self) -> None:
        self.store = ArticleStore(open_database(self.db_path))
        spider = self.crawler.spider
        arguments = dict(getattr(spider, "run_arguments", {}) or {})
        sites = arguments.get("sites") or []
        self.run_id = self.store.start_run(
            spider=spider.name,
            started_at=_now(),
            arguments=arguments,
            site=sites[0] if len(sites) == 1 else None,
        )
        self.stats.set_value("newscrawl/run_id", self.run_id)
        self.stats.set_value("newscrawl/db_path", str(self.db_path))
        if self.flush_interval > 0:
            self._timer = LoopingCall(self.flush)
            self._timer.start(self.flush_interval, now=False)

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        if self._broken:
            reason = STORAGE_ERROR
        self.counts.pages_fetched = int(self.stats.get_value("newscrawl/pages_fetched", 0))
        outcome = run_outcome(reason, self.counts)
        self.stats.set_value("newscrawl/outcome", outcome)
        try:
            self.store.finish_run(
                self.run_id,
                finished_at=_now(),
                outcome=outcome,
                finish_reason=self._finish_reason(reason),
                counts=self.counts.as_dict(),
            )
        except sqlite3.Error as exc:
            logger.error("could not record the end of run %s in %s: %s", self.run_id, self.db_path, exc)
            self.stats.set_value("newscrawl/outcome", "failed")
            self.stats.set_value("newscrawl/storage_error", str(exc))
        finally:
            self.store.db.conn.close()
            self.store = None

    def _finish_reason(self, reason: str) -> str:
        if reason == "finished" and self.stats.get_value("newscrawl/max_articles_reached"):
            return "max_articles"
        return reason

    # --- items ------------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._pending.articles.append(article_row(item))
        elif isinstance(item, FailedPage):
            self._add_failure(item)
        else:
            return item
        if len(self._pending) >= self.batch_size:
            self.flush()
        return item

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        """A DropItem from any pipeline still leaves a record of the page and the reason."""
        url = getattr(item, "response_url", None) or getattr(item, "url", None) or getattr(response, "url", "")
        site = getattr(item, "site", "")
        self._add_failure(FailedPage(url=url, reason="dropped", detail=str(exception), site=site, skipped=True))

    def _add_failure(self, page: FailedPage) -> None:
        kind = "skipped" if page.skipped else "failed"
        setattr(self.counts, kind, getattr(self.counts, kind) + 1)
        self.stats.inc_value(f"newscrawl/{kind}")
        self.stats.inc_value(f"newscrawl/{kind}/{page.reason}")
        self._pending.failures.append(failure_row(page))

    def flush(self) -> None:
        """Write what is pending: articles in one transaction, failures in another."""
        if not len(self._pending) or self.store is None or self._broken:
            return
        pending, self._pending = self._pending, _Pending()
        try:
            if pending.articles:
                self._count(self.store.upsert_articles(pending.articles))
            if pending.failures:
                self.store.record_failures(pending.failures, run_id=self.run_id)
        except sqlite3.Error as exc:
            self._broken = True
            lost = len(pending)
            logger.error("cannot write to %s: %s; stopping the crawl (%d items not stored)", self.db_path, exc, lost)
            self.stats.set_value("newscrawl/storage_error", str(exc))
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=STORAGE_ERROR))
        else:
            self.crawler.signals.send_catch_log(
                signal=pages_stored, articles=pending.articles, failures=pending.failures
            )

    def _count(self, outcomes: list[UpsertOutcome]) -> None:
        for outcome in outcomes:
            name = f"articles_{outcome.value}"
            setattr(self.counts, name, getattr(self.counts, name) + 1)
            self.stats.inc_value(f"newscrawl/{name}")
