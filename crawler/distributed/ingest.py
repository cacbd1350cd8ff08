"""The single writer: drain the Redis item list into SQLite, in batches, exactly once per article.

Items arrive as JSON (``serializer.dumps_item``) from the workers, which ran the article
steps before the first writer step (cleaning, validation). The ingester runs the rest of
the same composition (``crawler.article.pipeline.writer_steps``: site furniture, which
needs every page of a site whichever worker fetched it, de-duplication against this run
and the database, the summary, the row), a batch at a time, with the summary's CPU work
spread over a process pool (NEWSCRAWL_PARSE_PROCESSES); a ``RunWriter`` stores each batch
in one transaction. What the furniture step learned is saved, and articles stored before a
paragraph was learned are cleaned, when the ingester stops, as at the end of a local crawl.
The site template step learns where each field sits on a site's pages from every worker's
items, and each site's template is published in Redis for the workers' parse
(``crawler.distributed.templates``): when the ingester starts (what the database learned
before) and after each batch.

The WARC archive: each worker writes its own files and pushes each record's index row to the
same item list, ahead of the page's article (``crawler.distributed.archive``). The ingester adds
the rows of a batch to ``archive_records`` under its run before it stores the batch's articles
(``ArchiveIndex.add_new``: a batch written again after a kill adds nothing twice), so the
end-of-run template re-check and ``newscrawl reparse`` read a worker's pages as a local
crawl's, from NEWSCRAWL_ARCHIVE_DIR (``warc/`` beside the database when "").

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
NEWSCRAWL_REDIS_OUTAGE_SECONDS, NEWSCRAWL_PARSE_PROCESSES, and those of the article steps
(``crawler.article.ArticleConfig``).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from crawler.article.coverage import degraded_fields
from crawler.article.template import parse_paths
from crawler.article import ArticleConfig, ArticlePipeline, RunCounts, RunWriter, Tally, run_outcome, writer_steps
from crawler.distributed.keys import REDIS_DOWN, RedisKeys, RedisOutage
from crawler.distributed.serializer import loads_item
from crawler.distributed.templates import TemplatePublisher
from crawler.items import PageItem
from crawler.pool import ParsePool
from crawler.storage import ArticleStore, open_database
from crawler.storage.archive import ArchiveIndex, ArchivedResponse
from crawler.storage.templates import TemplateStore

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


@dataclass(slots=True)
class IngestReport:
    run_id: int
    outcome: str
    counts: RunCounts
    batches: int = 0
    undecodable: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    degraded: list[str] = field(default_factory=list)  # "site/field" whose coverage dropped
    parse_paths: dict[str, int] = field(default_factory=dict)  # how the workers read the pages (the template fast path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Ingester:
    def __init__(self, server: Any, keys: RedisKeys, *, settings: Any) -> None:
        """``settings``: the project's (``crawler.runner.build_settings``); the database is NEWSCRAWL_DB_PATH."""
        self.server = server
        self.keys = keys
        self.outage = RedisOutage(_url_of(server), settings.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS"))
        self._committed = False  # the batch in the processing list is in SQLite: only its deletion is missing
        self.config = ArticleConfig.from_settings(settings)
        self.db_path = self.config.db_path
        self.batch_size = max(1, min(settings.getint("NEWSCRAWL_INGEST_BATCH_SIZE"), MAX_BATCH))
        self.pool = ParsePool.from_settings(settings)
        self.stats = Tally()
        self.undecodable = 0
        self.batches = 0
        self._token = secrets.token_hex(16)
        self._take = server.register_script(_TAKE_BATCH)
        self._renew = server.register_script(_RENEW_LOCK)
        self.stop_requested = False
        self.templates: TemplatePublisher | None = None  # set when the run opens its steps

    def stats_view(self) -> dict[str, int]:
        """This run's counts under the crawl's stats keys (``newscrawl/articles_new``, ``newscrawl/failed/<reason>``)."""
        return dict.copy(self.stats)  # one C call: safe while the ingest loop counts on (the scrape runs in a thread)

    # --- the loop ------------------------------------------------------------------------
    def run(self, *, idle_close_seconds: float, poll_seconds: float = 0.5, arguments: dict[str, Any]) -> IngestReport:
        """Write batches until stopped, or until nothing was queued, leased or pending that long."""
        store = ArticleStore(open_database(self.db_path))  # an unusable database fails before the lock is taken
        try:
            self._take_lock()
        except BaseException:
            store.db.conn.close()
            raise
        steps = ArticlePipeline(self.config, stats=self.stats, steps=writer_steps())
        steps.open(store)
        template = steps.step("template")
        self.templates = TemplatePublisher(self.server, self.keys, template.book) if template is not None else None  # type: ignore[attr-defined]
        writer = RunWriter(store, run_id=store.start_run(spider="ingest", started_at=_now(), arguments=arguments),
                           stats=self.stats)
        self.stats.set_value("newscrawl/run_id", writer.run_id)  # the coverage step records under it
        reason = "finished"
        try:
            if self.templates is not None:
                self.templates.publish_stored(TemplateStore(store.db))  # the workers parse with them from now on
            self._write(writer, steps, self._leftover())  # a crashed ingester's batch first
            idle_since: float | None = None
            while not self.stop_requested:
                if not self.outage.ready():
                    time.sleep(min(poll_seconds, self.outage.wait()))
                    continue
                try:
                    if self.outage.down:
                        self._resume(writer, steps)
                    busy = self._step(writer, steps)
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
            outcome = "failed" if reason in ("failed", "redis_unreachable") else run_outcome(reason, writer.counts)
            try:
                self._close_steps(steps, store)
                store.finish_run(writer.run_id, finished_at=_now(), outcome=outcome, finish_reason=reason,
                                 counts=writer.counts.as_dict())
            except sqlite3.Error as exc:  # the database that failed the batch refuses the run record too
                logger.error("cannot close ingest run %s: %s", writer.run_id, exc)
            finally:
                self.pool.close()
                store.db.conn.close()
                self._release_lock()
        return IngestReport(run_id=writer.run_id, outcome=outcome, counts=writer.counts, batches=self.batches,
                            undecodable=self.undecodable, reasons=self._reasons(),
                            degraded=degraded_fields(self.stats), parse_paths=parse_paths(self.stats))

    @staticmethod
    def _close_steps(steps: ArticlePipeline, store: ArticleStore) -> None:
        """Save what the steps learned, clean articles stored before; a failure here still closes the run."""
        try:
            steps.close(store)
        except Exception:
            logger.exception("site furniture: what was learned could not be saved or applied to stored articles")

    def _reasons(self) -> Counter[str]:
        """skipped/<reason> and failed/<reason> counts of this ingest."""
        return Counter({
            key.removeprefix("newscrawl/"): count for key, count in self.stats.items()
            if key.startswith(("newscrawl/skipped/", "newscrawl/failed/"))
        })  # fmt: skip

    def _step(self, writer: RunWriter, steps: ArticlePipeline) -> bool:
        """Keep the lock, write one batch; True while there is or may be more to write."""
        if not self._renew(keys=[self.keys.ingest_lock], args=[self._token, LOCK_SECONDS * 1000]):
            self._take_lock()  # it expired (Redis was away or restarted): take it again unless someone else has
        batch = self._take(keys=[self.keys.items, self.keys.items_processing], args=[self.batch_size])
        if batch:
            self._write(writer, steps, batch)
            return True
        return self._crawl_busy()

    def _resume(self, writer: RunWriter, steps: ArticlePipeline) -> None:
        """After an outage: finish the batch a failed call left in the processing list."""
        if self._committed:
            self.server.delete(self.keys.items_processing)
            self._committed = False
        self._write(writer, steps, self._leftover())  # what an interrupted take had moved

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
    def _write(self, writer: RunWriter, steps: ArticlePipeline, batch: list[bytes]) -> None:
        if not batch:
            return
        items, archived = [], []
        for data in batch:
            try:
                item = loads_item(data)
            except (ValueError, TypeError, KeyError) as exc:
                self.undecodable += 1
                logger.error("skipping an item that is not newscrawl JSON (%r): %.200r", exc, data)
                continue
            if isinstance(item, ArchivedResponse):
                archived.append(replace(item, run_id=writer.run_id))
            else:
                items.append(item)
        if archived:
            self.stats.inc_value("newscrawl/archive/records", ArchiveIndex(writer.store.db).add_new(archived))
        writer.counts.pages_fetched += len(items)
        self.stats.inc_value("newscrawl/pages_fetched", len(items))
        for item in items:
            steps.parsed(item)  # how the worker read it; a fast read that disagreed drops the site's layouts
        for result in steps.process_batch(items, self.pool):
            writer.add(result)
        written = writer.flush()
        self._committed = True
        self.server.delete(self.keys.items_processing)
        self._committed = False
        self.batches += 1
        if self.templates is not None:
            self.templates.publish(item.site for item in items if isinstance(item, PageItem))
        logger.debug("batch of %s items written (%s articles)", len(batch), len(written.articles))


def _url_of(server: Any) -> str:
    """The address of a redis-py client's server, for messages."""
    options = server.connection_pool.connection_kwargs
    return f"redis://{options.get('host', '?')}:{options.get('port', '?')}/{options.get('db', 0)}"
