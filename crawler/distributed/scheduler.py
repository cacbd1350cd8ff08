"""The worker's scheduler: scrapy-redis's scheduler on the leased frontier.

Differences from ``scrapy_redis.scheduler.Scheduler`` (whose enqueue logic it reuses):

- the duplicate filter is scrapy-redis's with a scalable Bloom filter in place of its SET
  (``seen.BloomDupeFilter``: a few bytes per page instead of ~96);
- requests are always stored as JSON (``crawler.distributed.serializer``), never pickled;
- pops are leases (``crawler.distributed.frontier.LeasedQueue``), acknowledged once the
  engine is done with the request: its response went through the callback and every item
  it produced went through the pipelines (so into the Redis item list), and every
  follow-up request is in the frontier. Scrapy has no signal for "request done", so the
  scheduler asks the engine which of its leased requests are still in progress (the
  engine's in-progress set; checked in a test, since it is not public API);
- the frontier is shared and never flushed when a worker closes; leases still held at a
  clean close are handed back at once;
- the frontier is split per site (``LeasedQueue``): a pop that finds no site whose turn
  has come says how long until one's does, and the scheduler wakes the engine then, or
  every FULL_SITES_POLL seconds while the sites wait on other workers' leases (Scrapy
  would otherwise ask again only on its 5-second heartbeat);
- a worker stops by itself when the frontier (queue and every worker's leases) has been
  empty for NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS. scrapy-redis's own
  MAX_IDLE_TIME_BEFORE_CLOSE belongs to ``RedisSpider`` and watches only the start-URL
  list, not the frontier or other workers' leases, so it is not used;
- a new request is marked seen and queued in one script (``LeasedQueue.push_unseen``, over
  the Bloom filter),
  so a call cut off by a Redis failure leaves it either queued or not seen, never seen
  and lost;
- when Redis cannot be reached (``keys.RedisOutage``), the scheduler asks nothing of it
  until its back-off is over, and a request it had leased before any failure (of its
  own calls, the item pipeline's (``signals.redis_failed``) or a spider callback's) is
  handed back to the frontier when done instead of acknowledged, since its output may
  not all have reached Redis. After NEWSCRAWL_REDIS_OUTAGE_SECONDS the worker closes
  with the reason ``redis_unreachable`` (exit 4).

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE, NEWSCRAWL_REDIS_LEASE_SECONDS,
NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS, NEWSCRAWL_REDIS_TIMEOUT, NEWSCRAWL_REDIS_OUTAGE_SECONDS,
NEWSCRAWL_REDIS_SITE_DELAY and NEWSCRAWL_REDIS_SITE_CONCURRENCY (a site's politeness when
nobody set it), those of the seen filter (NEWSCRAWL_REDIS_SEEN_*), DUPEFILTER_DEBUG.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.scheduler import Scheduler
from scrapy.utils.asyncio import call_later
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue, SitePolicy
from crawler.distributed.keys import REDIS_DOWN, RedisKeys, RedisOutage, connect_with
from crawler.distributed.seen import BloomDupeFilter
from crawler.signals import redis_failed

logger = logging.getLogger(__name__)

# Seconds between looks at the frontier while every queued site has as many requests leased as
# its concurrency allows: another worker's acknowledgement frees one, and nothing tells this one.
FULL_SITES_POLL = 0.25
REDIS_UNREACHABLE = "redis_unreachable"  # the close reason after NEWSCRAWL_REDIS_OUTAGE_SECONDS without Redis


class LeasedRedisScheduler(Scheduler):
    def __init__(
        self,
        server: Any,
        *,
        crawler: Any,
        keys: RedisKeys,
        lease_seconds: float,
        idle_close_seconds: float,
        dupefilter: BloomDupeFilter,
        outage: RedisOutage,
        policy: SitePolicy,
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
        self.outage = outage
        self._taken_at: dict[Request, int] = {}  # leased request -> outage.failures when it was taken
        self._closing = False
        self.policy = policy
        self._wake: Any = None  # the pending call that asks the engine for work when a site's turn comes
        self._wake_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedRedisScheduler:
        settings = crawler.settings
        server = connect_with(settings)
        keys = RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"])
        dupefilter = BloomDupeFilter.configured(settings, server, keys.seen)
        scheduler = cls(
            server,
            crawler=crawler,
            keys=keys,
            lease_seconds=settings.getfloat("NEWSCRAWL_REDIS_LEASE_SECONDS"),
            idle_close_seconds=settings.getfloat("NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS"),
            dupefilter=dupefilter,
            outage=RedisOutage(settings["NEWSCRAWL_REDIS_URL"], settings.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS")),
            policy=site_policy(settings),
        )
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(scheduler.spider_error, signal=signals.spider_error)
        crawler.signals.connect(scheduler.redis_failed, signal=redis_failed)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = LeasedQueue(
            self.server, spider, self.queue_key, self.serializer,
            lease_seconds=self.lease_seconds, dead_key=self.keys.dead, policy=self.policy,
        )
        queued = len(self.queue)
        if queued:
            logger.info("joining a crawl with %s requests queued", queued)
        self._housekeeping = LoopingCall(self.housekeeping)
        self._housekeeping.start(max(1.0, self.lease_seconds / 3), now=False)

    def close(self, reason: str) -> None:
        if self._housekeeping is not None and self._housekeeping.running:
            self._housekeeping.stop()
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        self.ack_finished()
        released = self._call("handing back leases", self.queue.release)
        if released:
            logger.info("handed %s unfinished requests back to the frontier", released)
            self.stats.inc_value("newscrawl/redis/released", released)

    # --- the engine's calls ----------------------------------------------------------------
    def enqueue_request(self, request: Request) -> bool:
        """Queue a request the shared duplicate filter has not seen (marking it seen in the same script)."""
        if request.dont_filter:
            queued = self._call("queueing a request", self.queue.push, request) is not None
        else:
            fingerprint = self.df.request_fingerprint(request)
            queued = bool(self._call("queueing a request", self.queue.push_unseen, request, self.df, fingerprint))
            if not queued and not self.outage.down:
                self.df.log(request, self.spider)
        if queued:
            self.stats.inc_value("scheduler/enqueued/redis")
        return queued

    def next_request(self) -> Request | None:
        self.ack_finished()
        request = self._call("taking a request", self.queue.pop)
        if request is not None:
            self._taken_at[request] = self.outage.failures
            self.stats.inc_value("scheduler/dequeued/redis")
        elif self.queue.ready_in is not None:  # a site's turn is to come, or one waits on other workers' leases
            self._wake_engine_in(self.queue.ready_in if self.queue.ready_in < math.inf else FULL_SITES_POLL)
        return request

    def _wake_engine_in(self, seconds: float) -> None:
        """Ask the engine for work again when the next site's turn comes."""
        at = time.monotonic() + seconds
        if self._wake is not None:
            if self._wake_at <= at:
                return
            self._wake.cancel()
        self._wake_at = at
        self._wake = call_later(seconds + 0.001, self._engine_next)

    def _engine_next(self) -> None:
        self._wake = None
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            slot.nextcall.schedule()

    def has_pending_requests(self) -> bool:
        return bool(self._call("looking at the frontier", len, self.queue))

    # --- leases -------------------------------------------------------------------------------
    def ack_finished(self) -> int:
        """Acknowledge leased requests the engine no longer has in progress.

        One taken before a Redis failure is handed back to the frontier instead: some of
        its follow-up requests or items may not have reached Redis.
        """
        in_progress = self._engine_in_progress()
        done = [request for request in self.queue.held() if request not in in_progress]
        if not done or not self.outage.ready():
            return 0
        sure = [request for request in done if self._taken_at.get(request, 0) == self.outage.failures]
        doubtful = [request for request in done if request not in sure]
        acked = (self._call("acknowledging leases", self.queue.ack, sure) or 0) if sure else 0
        handed_back = (self._call("handing back leases", self.queue.release, doubtful) or 0) if doubtful else 0
        held = set(self.queue.held())
        for request in done:
            if request not in held:
                self._taken_at.pop(request, None)
        if acked:
            self.stats.inc_value("newscrawl/redis/acked", acked)
        if handed_back:
            self.stats.inc_value("newscrawl/redis/handed_back_after_outage", handed_back)
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
        if self.queue.held():  # a call that asks Redis nothing must not count as Redis answering
            self._call("renewing leases", self.queue.renew)
        self.requeue_expired()
        if self.outage.expired() and not self._closing:
            self._closing = True
            logger.error("%s; this worker stops", self.outage.error())
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=REDIS_UNREACHABLE))

    def requeue_expired(self) -> None:
        """Hand leases whose worker died back to the frontier; log and count them."""
        requeued = self._call("requeueing expired leases", self.queue.requeue_expired)
        if requeued:
            logger.info("handed %s expired leases back to the frontier", requeued)
            self.stats.inc_value("newscrawl/redis/requeued", requeued)

    # --- stopping -------------------------------------------------------------------------------
    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open while the shared frontier has work queued or leased."""
        self.ack_finished()
        self.requeue_expired()
        if self.outage.expired():
            self._closing = True
            logger.error("%s; this worker stops", self.outage.error())
            raise CloseSpider(REDIS_UNREACHABLE)
        busy = self._call("looking at the frontier", lambda: len(self.queue) + self.queue.leased_count())
        now = time.monotonic()
        if busy is None or busy > 0:
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
        if self.idle_close_seconds <= 0 or now - self._idle_since < self.idle_close_seconds:
            raise DontCloseSpider
        logger.info("the frontier has been empty for %.0f s: this worker stops", now - self._idle_since)

    # --- Redis outages ----------------------------------------------------------------------------
    def _call(self, description: str, function: Callable[..., Any], *args: Any) -> Any:
        """One Redis call, or None: skipped while Redis is down and its back-off lasts.

        A failure to reach Redis is part of the outage; another Redis error is logged and
        the crawl goes on (the leases just wait).
        """
        if not self.outage.ready():
            return None
        try:
            result = function(*args)
        except REDIS_DOWN as exc:
            self.outage.failed(exc)
            return None
        except RedisError as exc:
            logger.warning("%s failed: %r", description, exc)
            return None
        self.outage.recovered()
        return result

    def redis_failed(self, error: BaseException) -> None:
        """Another component of this worker could not reach Redis (``signals.redis_failed``)."""
        self.outage.failed(error)

    def spider_error(self, failure: Failure, response: Any, spider: Spider) -> None:
        """A spider callback that failed on Redis: part of the outage, its request is handed back."""
        if failure.check(*REDIS_DOWN):
            self.outage.failed(failure.value)


def site_policy(settings: Any) -> SitePolicy:
    """A site's politeness when nobody set it: NEWSCRAWL_REDIS_SITE_DELAY / _CONCURRENCY (the worker fills them in)."""
    return SitePolicy(delay=settings.getfloat("NEWSCRAWL_REDIS_SITE_DELAY"),
                      concurrency=settings.getint("NEWSCRAWL_REDIS_SITE_CONCURRENCY"))
