"""The single writer: drain the Redis item list into SQLite, in batches, exactly once per article.

Items arrive as JSON (``serializer.dumps_item``) from the workers, already cleaned,
validated and summarized. The ingester runs what is left of the local pipeline chain,
with the same code and in the same order: ``LearnSiteFurniturePipeline`` (paragraphs
repeated across a site's pages: it needs every page of the site, whichever worker
fetched it, and the database, so it runs here; an article it shortens is summarized
again), ``DeduplicatePipeline`` (storage key, content hash, duplicates of this run and
of the database) and the store pipeline's row builders into ``ArticleStore`` (one
transaction per batch). What the furniture learner learned is saved, and articles stored
before a paragraph was learned are cleaned, when the ingester stops, as at the end of a
local crawl.

Reliable hand-over: a batch is moved atomically from ``<ns>:items`` to
``<ns>:items:processing`` and deleted from there only after it is committed. An ingester
killed mid-batch leaves the batch in the processing list; the next ingester writes it
first (upserts on the canonical URL, so an article is still stored once).

One writer at a time: the ingester holds ``<ns>:ingest:lock`` (a token with a TTL it
renews); a second ingester on the same namespace refuses to start.

Redis going away: the ingester retries with back-off (``keys.RedisOutage``). When Redis
answers again it first finishes what the failure interrupted (deletes the processing
list of a batch already committed; writes a batch the interrupted take had moved) and
takes its lock again; if another ingester took the lock meanwhile it stops (WriterBusy).
After NEWSCRAWL_REDIS_OUTAGE_SECONDS it stops with ``RedisUnreachable``; the run is
recorded with the reason ``redis_unreachable``.

Settings: NEWSCRAWL_INGEST_BATCH_SIZE, NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS,
NEWSCRAWL_REDIS_OUTAGE_SECONDS, and those of the furniture and summary pipelines
(NEWSCRAWL_FURNITURE_*, NEWSCRAWL_SUMMARY_SENTENCES).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.distributed.keys import REDIS_DOWN, RedisKeys, RedisOutage
from crawler.distributed.serializer import loads_item
from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore, open_database
from pipelines.dedupe import DeduplicatePipeline
from pipelines.furniture import LearnSiteFurniturePipeline
from pipelines.store import RunCounts, article_row, failure_row, run_outcome
from pipelines.summarize import SummarizeArticlePipeline

logger = logging.getLogger(__name__)

LOCK_SECONDS = 30  # the writer's lock lives this long unless renewed (renewed every batch)
MAX_BATCH = 5000  # items moved by one script call (Lua's argument limit is ~8000)

# KEYS: items, processing. ARGV: batch size. Moves up to N items, oldest first.
_TAKE_BATCH = """
local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then
  redis.call('LTRIM', KEYS[1], #items, -1)
  redis.call('RPUSH', KEYS[2], unpack(items))
end
return items
"""

# KEYS: lock. ARGV: token, ttl ms. Renews the lock only if this writer still holds it.
_RENEW_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


class WriterBusy(Exception):
    """Another ingester holds the namespace's writer lock."""


class _Stats:
    """The slice of Scrapy's stats collector the pipelines' code calls."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


@dataclass(slots=True)
class IngestReport:
    run_id: int
    outcome: str
    counts: RunCounts
    batches: int = 0
    undecodable: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ingester:
    def __init__(self, server: Any, keys: RedisKeys, *, settings: Any) -> None:
        """``settings``: the project's (``crawler.runner.build_settings``); the database is NEWSCRAWL_DB_PATH."""
        self.server = server
        self.keys = keys
        self.outage = RedisOutage(_url_of(server), settings.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS"))
        self._committed = False  # the batch in the processing list is in SQLite: only its deletion is missing
        self.db_path = settings.get("NEWSCRAWL_DB_PATH")
        self.batch_size = max(1, min(settings.getint("NEWSCRAWL_INGEST_BATCH_SIZE"), MAX_BATCH))
        self.stats = _Stats()
        self.furniture = _optional(LearnSiteFurniturePipeline.configured, settings, self.stats)
        sentences = settings.getint("NEWSCRAWL_SUMMARY_SENTENCES")
        self.summarize = SummarizeArticlePipeline(self.stats, max_sentences=sentences) if sentences > 0 else None
        self.counts = RunCounts()
        self.reasons: Counter[str] = Counter()
        self.undecodable = 0
        self.batches = 0
        self._token = secrets.token_hex(16)
        self._take = server.register_script(_TAKE_BATCH)
        self._renew = server.register_script(_RENEW_LOCK)
        self.stop_requested = False

    def stats_view(self) -> dict[str, int]:
        """This run's counts as crawl stats keys (``newscrawl/articles_new``, ``newscrawl/failed/<reason>``, ...)."""
        view = {f"newscrawl/{name}": value for name, value in self.counts.as_dict().items()}
        view.update({f"newscrawl/{reason}": count for reason, count in self.reasons.copy().items()})
        return view

    # --- the loop ------------------------------------------------------------------------
    def run(self, *, idle_close_seconds: float, poll_seconds: float = 0.5, arguments: dict[str, Any]) -> IngestReport:
        """Write batches until stopped, or until nothing was queued, leased or pending that long."""
        store = ArticleStore(open_database(self.db_path))  # an unusable database fails before the lock is taken
        try:
            self._take_lock()
        except BaseException:
            store.db.conn.close()
            raise
        dedupe = DeduplicatePipeline(self.stats, db_path=self.db_path)
        dedupe.open_spider()
        if self.furniture is not None:
            self.furniture.open_spider()
        run_id = store.start_run(spider="ingest", started_at=_now(), arguments=arguments)
        reason = "finished"
        try:
            self._write(store, dedupe, self._leftover(), run_id)  # a crashed ingester's batch first
            idle_since: float | None = None
            while not self.stop_requested:
                if not self.outage.ready():
                    time.sleep(min(poll_seconds, self.outage.wait()))
                    continue
                try:
                    if self.outage.down:
                        self._resume(store, dedupe, run_id)
                    busy = self._step(store, dedupe, run_id)
                except REDIS_DOWN as exc:
                    self.outage.failed(exc)
                    if self.outage.expired():
                        reason = "redis_unreachable"
                        raise self.outage.error() from None
                    continue
                self.outage.recovered()
                if busy:
                    idle_since = None
                    continue
                if idle_close_seconds > 0:
                    idle_since = idle_since or time.monotonic()
                    if time.monotonic() - idle_since >= idle_close_seconds:
                        break
                time.sleep(poll_seconds)
            if self.stop_requested:
                reason = "shutdown"
        except BaseException:
            if reason == "finished":
                reason = "shutdown" if self.stop_requested else "failed"
            raise
        finally:
            outcome = "failed" if reason in ("failed", "redis_unreachable") else run_outcome(reason, self.counts)
            try:
                self._close_furniture()
                store.finish_run(run_id, finished_at=_now(), outcome=outcome, finish_reason=reason,
                                 counts=self.counts.as_dict())
            except sqlite3.Error as exc:  # the database that failed the batch refuses the run record too
                logger.error("cannot close ingest run %s: %s", run_id, exc)
            finally:
                dedupe.close_spider()
                store.db.conn.close()
                self._release_lock()
        return IngestReport(run_id=run_id, outcome=outcome, counts=self.counts, batches=self.batches,
                            undecodable=self.undecodable, reasons=self.reasons)

    def _close_furniture(self) -> None:
        """Save what the learner learned, clean articles stored before; a failure here still closes the run."""
        if self.furniture is None:
            return
        try:
            self.furniture.spider_closed()
        except Exception:
            logger.exception("site furniture: what was learned could not be saved or applied to stored articles")

    def _step(self, store: ArticleStore, dedupe: DeduplicatePipeline, run_id: int) -> bool:
        """Keep the lock, write one batch; True while there is or may be more to write."""
        if not self._renew(keys=[self.keys.ingest_lock], args=[self._token, LOCK_SECONDS * 1000]):
            self._take_lock()  # it expired (Redis was away or restarted): take it again unless someone else has
        batch = self._take(keys=[self.keys.items, self.keys.items_processing], args=[self.batch_size])
        if batch:
            self._write(store, dedupe, batch, run_id)
            return True
        return self._crawl_busy()

    def _resume(self, store: ArticleStore, dedupe: DeduplicatePipeline, run_id: int) -> None:
        """After an outage: finish the batch a failed call left in the processing list."""
        if self._committed:
            self.server.delete(self.keys.items_processing)
            self._committed = False
        self._write(store, dedupe, self._leftover(), run_id)  # what an interrupted take had moved

    def _take_lock(self) -> None:
        if not self.server.set(self.keys.ingest_lock, self._token, nx=True, px=LOCK_SECONDS * 1000):
            raise WriterBusy(f"another ingester is writing namespace {self.keys.namespace!r}")

    def _leftover(self) -> list[bytes]:
        return list(self.server.lrange(self.keys.items_processing, 0, -1))

    def _crawl_busy(self) -> bool:
        """Work is still queued or leased somewhere: more items may come."""
        with self.server.pipeline(transaction=False) as pipe:
            pipe.get(self.keys.queued)
            pipe.zcard(self.keys.leases)
            queued, leased = pipe.execute()
        return bool(int(queued or 0) or leased)

    def _release_lock(self) -> None:
        try:
            if self.server.get(self.keys.ingest_lock) == self._token.encode():
                self.server.delete(self.keys.ingest_lock)
        except REDIS_DOWN as exc:  # it expires by itself
            logger.warning("cannot release the writer lock (%s): it expires in %s s", exc, LOCK_SECONDS)

    # --- one batch -----------------------------------------------------------------------------
    def _write(self, store: ArticleStore, dedupe: DeduplicatePipeline, batch: list[bytes], run_id: int) -> None:
        if not batch:
            return
        articles, failures = [], []
        for data in batch:
            try:
                item = loads_item(data)
            except (ValueError, TypeError, KeyError) as exc:
                self.undecodable += 1
                logger.error("skipping an item that is not newscrawl JSON (%r): %.200r", exc, data)
                continue
            self.counts.pages_fetched += 1
            if isinstance(item, PageItem):
                item = self._without_furniture(item)
            if isinstance(item, PageItem):
                item = dedupe.process_item(item)
            if isinstance(item, PageItem):
                articles.append(article_row(item))
            elif isinstance(item, FailedPage):
                kind = "skipped" if item.skipped else "failed"
                setattr(self.counts, kind, getattr(self.counts, kind) + 1)
                self.reasons[f"{kind}/{item.reason}"] += 1
                failures.append(failure_row(item))
        if articles:
            for outcome in store.upsert_articles(articles):
                name = f"articles_{outcome.value}"
                setattr(self.counts, name, getattr(self.counts, name) + 1)
        if failures:
            store.record_failures(failures, run_id=run_id)
        self._committed = True
        self.server.delete(self.keys.items_processing)
        self._committed = False
        self.batches += 1
        logger.debug("batch of %s items written (%s articles)", len(batch), len(articles))

    def _without_furniture(self, item: PageItem) -> PageItem | FailedPage:
        """The furniture pipeline's verdict; an article it shortened gets the summary of what is left."""
        if self.furniture is None:
            return item
        body = item.parsed.body
        item = self.furniture.process_item(item)
        if isinstance(item, PageItem) and item.parsed.body != body and self.summarize is not None:
            item = self.summarize.process_item(item)
        return item


def _url_of(server: Any) -> str:
    """The address of a redis-py client's server, for messages."""
    options = server.connection_pool.connection_kwargs
    return f"redis://{options.get('host', '?')}:{options.get('port', '?')}/{options.get('db', 0)}"


def _optional(build: Any, *args: Any) -> Any:
    """A pipeline, or None when its settings switch it off (NotConfigured)."""
    try:
        return build(*args)
    except NotConfigured:
        return None
