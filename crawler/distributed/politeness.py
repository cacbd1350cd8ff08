"""SharedPolitenessMiddleware: a worker sends a request to a site only when the site's turn has come in Redis.

Scrapy's DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN hold inside one process.
A worker leaves them to the shared frontier instead (``worker.worker_settings`` turns
the local ones off): the frontier leases a site's requests no faster than its policy
allows (``frontier.LeasedQueue``), and this downloader middleware, the last before the
download handler, takes the site's *turn* in Redis at the moment the request goes out:
the site's next allowed time must have come, and taking the turn moves it on by the
site's delay, for every worker at once. Requests that do not come from the frontier
(Scrapy's own robots.txt fetch) take turns too.

What the site says is shared the same way:

- a ``Retry-After`` on a status of NEWSCRAWL_RETRY_AFTER_CODES pauses the site for every
  worker (``PAUSE``; the local ``RetryAfterMiddleware`` still decides whether to retry);
- robots.txt's ``Crawl-delay`` for our user agent (read with Protego, Scrapy's robots.txt
  parser) raises the site's delay (``<base>:crawl-delay``), never lowers it.

A request is never sent without its turn. While Redis cannot be reached, the turn is
asked for again every second, and the ``redis_failed`` signal tells the scheduler, which
then hands the request back instead of acknowledging it; after
NEWSCRAWL_REDIS_OUTAGE_SECONDS the request is dropped (``RedisTurnUnavailable``; the
worker is stopping by then). Counted in ``newscrawl/politeness/*``.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE, NEWSCRAWL_REDIS_TIMEOUT,
NEWSCRAWL_REDIS_OUTAGE_SECONDS, NEWSCRAWL_REDIS_SITE_DELAY, NEWSCRAWL_REDIS_SITE_CONCURRENCY,
NEWSCRAWL_RETRY_AFTER_CODES, USER_AGENT.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from protego import Protego
from redis.exceptions import RedisError
from scrapy.utils.asyncio import sleep

from crawler.distributed import frontier_lua
from crawler.distributed.frontier import FrontierKeys
from crawler.distributed.keys import REDIS_DOWN, RedisKeys, connect_with
from crawler.distributed.scheduler import site_policy
from crawler.download_errors import RequestDropped
from crawler.middlewares.retry_after import parse_retry_after
from crawler.signals import redis_failed
from crawler.urls import site_key

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

MAX_SLEEP = 1.0  # seconds: a waiting request looks at its site's turn again at least this often
REDIS_RETRY = 1.0  # seconds between tries while Redis does not answer


class RedisTurnUnavailable(RequestDropped):
    """Redis could not be asked for the site's turn for NEWSCRAWL_REDIS_OUTAGE_SECONDS."""

    reason = "redis_unreachable"


class SharedPolitenessMiddleware:
    def __init__(self, crawler: Crawler, server: Any, keys: RedisKeys) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.signals = crawler.signals
        self.outage_seconds = settings.getfloat("NEWSCRAWL_REDIS_OUTAGE_SECONDS")
        self.server = server
        self.frontier = FrontierKeys(keys.requests)
        self.policy = site_policy(settings).dumps()
        self.retry_after_codes = frozenset(int(code) for code in settings.getlist("NEWSCRAWL_RETRY_AFTER_CODES"))
        self.user_agent = settings.get("USER_AGENT")
        self._take_turn = server.register_script(frontier_lua.TAKE_TURN)
        self._pause = server.register_script(frontier_lua.PAUSE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPolitenessMiddleware:
        settings = crawler.settings
        return cls(crawler, connect_with(settings), RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"]))

    async def process_request(self, request: Request) -> None:
        """Wait for the site's turn, then take it."""
        site = site_key(request.url)
        waited, failing_since = 0.0, None
        while True:
            try:
                wait = float(self._take_turn(args=[self.frontier.base, site, self.policy]))
                failing_since = None
            except REDIS_DOWN as exc:
                if failing_since is None:  # once per outage: the scheduler keeps its own count of it
                    logger.warning("cannot take %s's turn in Redis (%s): trying again every %.0f s", site, exc,
                                   REDIS_RETRY)
                    self.signals.send_catch_log(redis_failed, error=exc)
                failing_since = failing_since or time.monotonic()
                if time.monotonic() - failing_since >= self.outage_seconds:
                    raise RedisTurnUnavailable(f"Redis gave no turn for {site} in {self.outage_seconds:.0f} s: {exc}")
                self.stats.inc_value("newscrawl/politeness/redis_errors")
                wait = REDIS_RETRY
            if wait <= 0:
                break
            step = min(wait, MAX_SLEEP)
            waited += step
            await sleep(step)
        self.stats.inc_value("newscrawl/politeness/turns")
        if waited:
            self.stats.inc_value("newscrawl/politeness/waited_seconds", waited)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        site = site_key(request.url)
        if response.status in self.retry_after_codes and (header := response.headers.get(b"Retry-After")):
            wait = parse_retry_after(header.decode("latin-1"), now=time.time())
            if wait:
                self._shared("pausing", lambda: self._pause(args=[self.frontier.base, site, wait]))
                self.stats.inc_value("newscrawl/politeness/retry_after")
        elif response.status == 200 and urlsplit(request.url).path == "/robots.txt":
            self.note_crawl_delay(site, response.body)
        return response

    def note_crawl_delay(self, site: str, body: bytes) -> float | None:
        """Share robots.txt's Crawl-delay for our user agent; returns it (None: none given)."""
        try:
            delay = Protego.parse(body.decode("utf-8", errors="replace")).crawl_delay(self.user_agent)
        except Exception as exc:  # Protego on a hostile file: the site keeps its policy's delay
            logger.warning("cannot read the Crawl-delay of %s's robots.txt: %r", site, exc)
            return None
        if delay is None:
            self._shared("forgetting a crawl-delay", lambda: self.server.hdel(self.frontier.crawl_delay, site))
            return None
        delay = float(delay)
        self._shared("sharing a crawl-delay", lambda: self.server.hset(self.frontier.crawl_delay, site, f"{delay:g}"))
        self.stats.inc_value("newscrawl/politeness/crawl_delay")
        logger.info("%s asks for a Crawl-delay of %g s in robots.txt: every worker keeps it", site, delay)
        return delay

    def _shared(self, what: str, call: Any) -> None:
        try:
            call()
        except RedisError as exc:
            logger.warning("%s in Redis failed: %r", what, exc)
