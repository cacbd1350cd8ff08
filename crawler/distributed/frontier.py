"""The shared frontier: one queue per site, a schedule of sites, and pops that are leases.

scrapy-redis keeps one priority queue (a ZSET) and pops destructively (ZRANGE +
ZREMRANGEBYRANK): a worker killed after the pop loses every request it had taken, and
Scrapy's per-site delay and concurrency hold only inside each process, so N workers hit
a site N times as hard. ``LeasedQueue`` keeps scrapy-redis's queue format (a request's
score is minus its priority) but splits it per site (``frontier_lua`` names the keys):

- **A queue per site and a schedule of sites.** A pop leases the best request of the site
  whose turn came first (the schedule is ordered by the time each site may next be asked),
  then moves that site back by its delay. A big site's thousands of requests wait in its
  own queue and every other site keeps its turn: no site starves another.
- **Politeness across workers.** A site's delay and concurrency (``<base>:policy``, from its
  profile via ``newscrawl enqueue``, else the first worker's DOWNLOAD_DELAY and
  CONCURRENT_REQUESTS_PER_DOMAIN) hold over all workers: a site with as many leased
  requests as its concurrency leaves the schedule until one is acknowledged, and the
  moment a request is actually sent is a *turn* taken in Redis
  (``politeness.SharedPolitenessMiddleware``), which robots.txt's Crawl-delay and a
  Retry-After answer push back.
- **Leases.** A pop moves the request, in the same script, into ``<base>:leases`` (lease id
  -> deadline, Redis's clock) and ``<base>:leased``. The worker acknowledges a lease when
  everything the request produced is safely in Redis (its follow-up requests in the
  queue, its items in the item list); any worker hands expired leases back
  (``requeue_expired``), so a request taken by a dead worker is fetched again after the
  visibility timeout. Live workers renew their leases (``renew``).

At-least-once: a request can be fetched twice (a worker that stalls longer than the
timeout); the ingester's upsert on the canonical URL stores the article once anyway.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from redis.exceptions import RedisError
from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from crawler.distributed import frontier_lua
from crawler.distributed.seen import BloomDupeFilter
from crawler.urls import site_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SitePolicy:
    """How hard one site may be asked, over all workers together."""

    delay: float = 0.0  # seconds between two requests sent to the site
    concurrency: int = 1  # requests of the site leased at once

    def __post_init__(self) -> None:
        if self.delay < 0 or self.concurrency < 1:
            raise ValueError(f"a site's delay must be >= 0 and its concurrency >= 1, not {self}")

    def dumps(self) -> str:
        return f"{self.delay:g} {self.concurrency}"


@dataclass(frozen=True, slots=True)
class FrontierKeys:
    """The frontier's Redis keys under its base key (``<ns>:requests``); ``frontier_lua`` says what each holds."""

    base: str

    def queue(self, site: str) -> str:
        return f"{self.base}:site:{site}"

    def _key(self, name: str) -> str:
        return f"{self.base}:{name}"

    @property
    def sites(self) -> str:
        return self._key("sites")

    @property
    def count(self) -> str:
        return self._key("count")

    @property
    def leases(self) -> str:
        return self._key("leases")

    @property
    def leased(self) -> str:
        return self._key("leased")

    @property
    def inflight(self) -> str:
        return self._key("inflight")

    @property
    def policy(self) -> str:
        return self._key("policy")

    @property
    def crawl_delay(self) -> str:
        return self._key("crawl-delay")

    def fixed(self) -> list[str]:
        """Every key but the per-site queues."""
        names = ("sites", "count", "leases", "leased", "lease-seq", "inflight", "next", "policy", "crawl-delay")
        return [self._key(name) for name in names]


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue split per site, with leased pops (see the module docstring).

    ``pop`` returns a request and remembers its lease; ``ack`` / ``release`` end it.
    ``policy`` is what a site gets when nobody (no enqueue, no earlier worker) set its own;
    None (``newscrawl enqueue``) leaves that to the workers.
    """

    def __init__(
        self,
        server: Any,
        spider: Spider | None,
        key: str,
        serializer: Any,
        *,
        lease_seconds: float,
        dead_key: str | None = None,
        policy: SitePolicy | None = None,
    ) -> None:
        if serializer is None:
            raise ValueError("LeasedQueue needs an explicit serializer (scrapy-redis would fall back to pickle)")
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        spider_name = spider.name if spider is not None else ""
        super().__init__(server, spider, key.replace("%(spider)s", spider_name), serializer)
        self.keys = FrontierKeys(self.key)
        self.lease_seconds = lease_seconds
        self.policy = policy
        self.dead_key = dead_key or f"{self.key}:dead"
        self.ready_in: float | None = None  # after an empty pop: seconds until a site's turn (None: nothing queued)
        self._scripts = {name: server.register_script(getattr(frontier_lua, name))
                         for name in ("PUSH", "PUSH_UNSEEN", "POP", "END_LEASES", "REQUEUE_EXPIRED", "RENEW")}
        self._held: dict[Request, str] = {}  # request object (identity) -> lease id

    @property
    def _policy_text(self) -> str:
        return self.policy.dumps() if self.policy is not None else ""

    def _run(self, name: str, *args: Any) -> Any:
        return self._scripts[name](args=[self.key, *args])

    # --- queueing --------------------------------------------------------------------------
    def __len__(self) -> int:
        """Requests queued over all sites (leased ones not counted)."""
        return int(self.server.get(self.keys.count) or 0)

    def push(self, request: Request) -> None:
        site = site_key(request.url)
        self._run("PUSH", site, -request.priority, self._encode_request(request), self._policy_text)

    def push_unseen(self, request: Request, seen: BloomDupeFilter, fingerprint: str) -> bool:
        """Queue ``request`` unless ``fingerprint`` is in the seen filter, which it joins; True if queued.

        One script: a call cut off by a lost connection leaves the request both seen and
        queued, or neither, so it is never marked seen without being queued.
        """
        site = site_key(request.url)
        return bool(self._run("PUSH_UNSEEN", site, -request.priority, self._encode_request(request),
                              self._policy_text, seen.key, fingerprint, *seen.shape_args))

    # --- taking work --------------------------------------------------------------------
    def pop(self, timeout: int = 0) -> Request | None:
        """Lease the best request of the site whose turn came first (``timeout`` is ignored: never block).

        None when no site's turn has come; ``ready_in`` then says how long until one's does.
        """
        while True:
            lease_id, data = self._run("POP", self.lease_seconds, self._policy_text)
            lease_id = _text(lease_id)
            if not lease_id:
                wait = float(_text(data))
                self.ready_in = None if wait < 0 else max(0.0, wait) if math.isfinite(wait) else math.inf
                return None
            try:
                request = self._decode_request(data)
            except Exception as exc:  # a request no worker can read must not circle forever
                logger.error("dropping undecodable request %.200r: %r (kept in %s)", data, exc, self.dead_key)
                self.server.rpush(self.dead_key, data)
                self._run("END_LEASES", 0, lease_id)
                continue
            self._held[request] = lease_id
            return request

    def held(self) -> list[Request]:
        """Requests this process has leased and not yet acknowledged."""
        return list(self._held)

    # --- ending leases ----------------------------------------------------------------------
    def ack(self, requests: list[Request]) -> int:
        """End the leases of finished requests; returns how many were still held in Redis.

        Unknown requests are ignored; a lease that expired and went to another worker is
        not touched.
        """
        ids = [self._held.pop(request) for request in requests if request in self._held]
        return int(self._run("END_LEASES", 0, *ids)) if ids else 0

    def release(self, requests: list[Request] | None = None) -> int:
        """Put leased requests back in their sites' queues now (default: all held)."""
        chosen = self.held() if requests is None else requests
        ids = [self._held.pop(request) for request in chosen if request in self._held]
        return int(self._run("END_LEASES", 1, *ids)) if ids else 0

    def renew(self) -> int:
        """Push the deadline of every held lease forward by ``lease_seconds``."""
        ids = list(self._held.values())
        return int(self._run("RENEW", self.lease_seconds, *ids)) if ids else 0

    def requeue_expired(self, limit: int = 1000) -> int:
        """Hand requests whose lease ran out back to their sites' queues (any process may call this)."""
        return int(self._run("REQUEUE_EXPIRED", limit))

    # --- looking ------------------------------------------------------------------------
    def leased_count(self) -> int:
        """Leases held by all workers together."""
        return int(self.server.zcard(self.keys.leases))

    def sites(self) -> dict[str, int]:
        """Requests queued per site (sites with none are left out)."""
        names = [_text(site) for site in self.server.zrange(self.keys.sites, 0, -1)]
        with self.server.pipeline(transaction=False) as pipe:
            for site in names:
                pipe.zcard(self.keys.queue(site))
            counts = pipe.execute()
        return {site: int(count) for site, count in zip(names, counts) if count}

    def set_policy(self, site: str, policy: SitePolicy | None) -> None:
        """Give a site its own delay and concurrency (None: forget it; the next worker's settings apply)."""
        if policy is None:
            self.server.hdel(self.keys.policy, site)
        else:
            self.server.hset(self.keys.policy, site, policy.dumps())

    def clear(self) -> None:
        queues = [self.keys.queue(_text(site)) for site in self.server.zrange(self.keys.sites, 0, -1)]
        self.server.delete(*self.keys.fixed(), *queues)
        self._held.clear()


def safe_call(description: str, function: Any, *args: Any) -> Any:
    """Run a housekeeping call; a Redis hiccup is logged, the crawl goes on (leases just wait)."""
    try:
        return function(*args)
    except RedisError as exc:
        logger.warning("%s failed: %r", description, exc)
        return None


def _text(value: bytes | str) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else str(value)
