"""The worker's scheduler: scrapy-redis's scheduler on the leased frontier.

Differences from ``scrapy_redis.scheduler.Scheduler`` (whose enqueue logic and duplicate
filter it reuses):

- requests are always stored as JSON (``crawler.distributed.serializer``), never pickled;
- pops are leases (``crawler.distributed.frontier.LeasedQueue``), acknowledged once the
  engine is done with the request: its response went through the callback and every item
  it produced went through the pipelines (so into the Redis item list), and every
  follow-up request is in the frontier. Scrapy has no signal for "request done", so the
  scheduler asks the engine which of its leased requests are still in progress (the
  engine's in-progress set; checked in a test, since it is not public API);
- the frontier is shared and never flushed when a worker closes; leases still held at a
  clean close are handed back at once;
- a worker stops by itself when the frontier (queue and every worker's leases) has been
  empty for NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS. scrapy-redis's own
  MAX_IDLE_TIME_BEFORE_CLOSE belongs to ``RedisSpider`` and watches only the start-URL
  list, not the frontier or other workers' leases, so it is not used.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE, NEWSCRAWL_REDIS_LEASE_SECONDS,
NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS, DUPEFILTER_DEBUG.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue, safe_call
from crawler.distributed.keys import RedisKeys, connect

logger = logging.getLogger(__name__)


class LeasedRedisScheduler(Scheduler):
    def __init__(
        self,
        server: Any,
        *,
        crawler: Any,
        keys: RedisKeys,
        lease_seconds: float,
        idle_close_seconds: float,
        dupefilter: RFPDupeFilter,
    ) -> None:
        super().__init__(
            server,
            persist=True,  # the frontier is shared: a closing worker must not flush it
            queue_key=keys.requests,
            dupefilter=dupefilter,
            serializer=serializer,
        )
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        self.lease_seconds = lease_seconds
        self.idle_close_seconds = idle_close_seconds
        self._idle_since: float | None = None
        self._housekeeping: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedRedisScheduler:
        settings = crawler.settings
        server = connect(settings["NEWSCRAWL_REDIS_URL"])
        keys = RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"])
        dupefilter = RFPDupeFilter(server, key=keys.seen, debug=settings.getbool("DUPEFILTER_DEBUG"))
        scheduler = cls(
            server,
            crawler=crawler,
            keys=keys,
            lease_seconds=settings.getfloat("NEWSCRAWL_REDIS_LEASE_SECONDS"),
            idle_close_seconds=settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS"),
            dupefilter=dupefilter,
        )
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LeasedQueue(
            self.server, spider, self.queue_key, self.serializer,
            lease_seconds=self.lease_seconds, dead_key=self.keys.dead,
        )
        queued = len(self.queue)
        if queued:
            logger.info("joining a crawl with %s requests queued", queued)
        self._housekeeping = LoopingCall(self.housekeeping)
        self._housekeeping.start(max(1.0, self.lease_seconds / 3), now=False)

    def close(self, reason: str) -> None:
        if self._housekeeping is not None and self._housekeeping.running:
            self._housekeeping.stop()
        self.ack_finished()
        released = safe_call("handing back leases", self.queue.release)
        if released:
            logger.info("handed %s unfinished requests back to the frontier", released)
            self.stats.inc_value("newscrawl/redis/released", released)

    # --- the engine's calls ----------------------------------------------------------------
    def next_request(self) -> Request | None:
        self.ack_finished()
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queue) > 0

    # --- leases -------------------------------------------------------------------------------
    def ack_finished(self) -> int:
        """Acknowledge leased requests the engine no longer has in progress."""
        in_progress = self._engine_in_progress()
        done = [request for request in self.queue.held() if request not in in_progress]
        acked = safe_call("acknowledging leases", self.queue.ack, done) or 0
        if acked:
            self.stats.inc_value("newscrawl/redis/acked", acked)
        return acked

    def _engine_in_progress(self) -> set[Request] | frozenset[Request]:
        engine = self.crawler.engine
        if not hasattr(engine, "_slot"):  # acking blind would lose requests: refuse instead
            raise RuntimeError("this Scrapy version's engine has no _slot.inprogress; the lease scheduler needs it")
        if engine._slot is None:  # engine closed: nothing is in progress any more
            return frozenset()
        return engine._slot.inprogress

    def housekeeping(self) -> None:
        """Every lease_seconds/3: ack, renew this worker's leases, requeue expired ones."""
        self.ack_finished()
        safe_call("renewing leases", self.queue.renew)
        self.requeue_expired()

    def requeue_expired(self) -> None:
        """Hand leases whose worker died back to the frontier; log and count them."""
        requeued = safe_call("requeueing expired leases", self.queue.requeue_expired)
        if requeued:
            logger.info("handed %s expired leases back to the frontier", requeued)
            self.stats.inc_value("newscrawl/redis/requeued", requeued)

    # --- stopping -------------------------------------------------------------------------------
    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open while the shared frontier has work queued or leased."""
        self.ack_finished()
        self.requeue_expired()
        busy = safe_call("looking at the frontier", lambda: len(self.queue) + self.queue.leased_count())
        now = time.monotonic()
        if busy is None or busy > 0:
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
        if self.idle_close_seconds <= 0 or now - self._idle_since < self.idle_close_seconds:
            raise DontCloseSpider
        logger.info("the frontier has been empty for %.0f s: this worker stops", now - self._idle_since)
