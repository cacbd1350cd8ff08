"""The Redis keys newscrawl uses, all under one namespace; connecting, and riding out an outage.

Every client has the same bounds: NEWSCRAWL_REDIS_TIMEOUT to connect and for each answer,
and no retries inside redis-py, so a Redis that is down or never answers fails a call
within that time. ``RedisOutage`` is the one retry policy of workers and the ingester:
exponential back-off while Redis cannot be reached, and a clear ``RedisUnreachable`` once
it has been gone NEWSCRAWL_REDIS_OUTAGE_SECONDS.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE, NEWSCRAWL_REDIS_TIMEOUT,
NEWSCRAWL_REDIS_OUTAGE_SECONDS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from crawler.urls import redacted

logger = logging.getLogger(__name__)

# A call that failed because Redis could not be reached or did not answer in time (not a bad command).
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
FIRST_RETRY_SECONDS = 0.5  # back-off after the first failed call; doubled after each further one
MAX_RETRY_SECONDS = 10.0  # the back-off stops growing here


class RedisUnreachable(Exception):
    """Redis could not be reached at start-up, or for longer than the outage limit."""


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Key names of one crawl namespace (several crawls can share a server)."""

    namespace: str

    def _key(self, name: str) -> str:
        return f"{self.namespace}:{name}"

    @property
    def requests(self) -> str:  # base of the frontier's keys: a queue per site, the schedule of sites (frontier_lua)
        return self._key("requests")

    @property
    def queued(self) -> str:  # STRING: requests queued over all sites (frontier.FrontierKeys: "<requests>:count")
        return f"{self.requests}:count"

    @property
    def leases(self) -> str:  # ZSET: lease id -> deadline (frontier.LeasedQueue: "<requests>:leases")
        return f"{self.requests}:leases"

    @property
    def seen(self) -> str:  # HASH: the seen filter's shape, + "<seen>:<i>" Bloom bitmaps (seen.BloomDupeFilter)
        return self._key("seen-bloom")

    @property
    def seeds(self) -> str:  # SET: start URLs given to enqueue; their sites are the crawl's sites
        return self._key("seeds")

    @property
    def site_configs(self) -> str:  # HASH: site key -> JSON settings of its last enqueue (sites.SiteConfig)
        return self._key("site-configs")

    @property
    def templates(self) -> str:  # HASH: site key -> JSON paths of its learned template (templates.TemplatePublisher)
        return self._key("templates")

    @property
    def layouts(self) -> str:  # HASH: site key -> JSON list of its confident fast-path layouts (templates.TemplatePublisher)
        return self._key("layouts")

    def discovery_seen(self, site: str) -> str:  # SET: listings and sources requested since the site's last enqueue
        return self._key(f"discovery-seen:{site}")

    @property
    def listing_pages(self) -> str:  # HASH: site key -> listing pages requested since its last enqueue
        return self._key("listing-pages")

    @property
    def items(self) -> str:  # LIST: serialized items, workers push, the ingester pops
        return self._key("items")

    @property
    def items_processing(self) -> str:  # LIST: the batch the ingester is writing
        return self._key("items:processing")

    @property
    def ingest_lock(self) -> str:  # STRING: the single writer's token, with a TTL
        return self._key("ingest:lock")

    @property
    def dead(self) -> str:  # LIST: stored requests no worker could decode
        return self._key("dead")


def connect(url: str, *, timeout: float) -> redis.Redis:
    """A client for ``url`` (``redis://host:port/db``); raises RedisUnreachable now if it does not answer.

    ``timeout`` (seconds) bounds the connection and every answer; redis-py retries nothing.
    """
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                  retry_on_timeout=False, retry=Retry(NoBackoff(), 0))
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnreachable(f"Redis at {redacted(url)} is unreachable: {exc}") from None
    return client


def connect_with(settings: Any) -> redis.Redis:
    """``connect`` with the URL and timeout of Scrapy-style settings."""
    return connect(settings["NEWSCRAWL_REDIS_URL"], timeout=settings.getfloat("NEWSCRAWL_REDIS_TIMEOUT"))


class RedisOutage:
    """Since when Redis has been unreachable, when to try it again, and when to give up.

    ``failed`` after a call raised one of REDIS_DOWN, ``recovered`` after a call got through.
    ``failures`` only grows: a component compares it before and after a piece of work to know
    whether any Redis call failed meanwhile.
    """

    def __init__(self, url: str, limit: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = redacted(url)
        self.limit = limit  # seconds of outage before giving up
        self.clock = clock
        self.failures = 0
        self.since: float | None = None
        self.delay = 0.0
        self.next_try = 0.0
        self.last_error: BaseException | None = None

    @property
    def down(self) -> bool:
        return self.since is not None

    def failed(self, error: BaseException) -> None:
        now = self.clock()
        self.failures += 1
        self.last_error = error
        if self.since is None:
            self.since, self.delay = now, FIRST_RETRY_SECONDS
            logger.warning("Redis at %s is unreachable (%s): retrying with back-off for up to %.0f s",
                           self.url, error, self.limit)
        else:
            self.delay = min(self.delay * 2, MAX_RETRY_SECONDS)
        self.next_try = now + self.delay

    def recovered(self) -> None:
        if self.since is not None:
            logger.warning("Redis at %s answers again after %.1f s", self.url, self.clock() - self.since)
        self.since, self.delay, self.next_try = None, 0.0, 0.0

    def ready(self) -> bool:
        """May Redis be called now (not down, or its back-off is over)?"""
        return self.clock() >= self.next_try

    def wait(self) -> float:
        """Seconds until the next try."""
        return max(0.0, self.next_try - self.clock())

    def expired(self) -> bool:
        return self.since is not None and self.clock() - self.since >= self.limit

    def error(self) -> RedisUnreachable:
        gone = self.clock() - self.since if self.since is not None else 0.0
        return RedisUnreachable(f"Redis at {self.url} was unreachable for {gone:.0f} s "
                                f"(NEWSCRAWL_REDIS_OUTAGE_SECONDS={self.limit:g}): {self.last_error}")
