"""Retry-After: when a host says "come back later", nothing is sent to it before then.

Scrapy's RetryMiddleware retries 429 and 503 answers at once and ignores the
``Retry-After`` header. This component reads ``Retry-After`` (seconds or an HTTP
date) on the status codes in ``NEWSCRAWL_RETRY_AFTER_CODES`` and holds the host until
that time:

- the answer is read on Scrapy's ``response_downloaded`` signal, which the downloader
  sends before its slot for the host hands out the next request; the slot is paused
  there, so requests already queued for the host wait;
- every later request to the host (the retry RetryMiddleware builds, new links) waits
  in this downloader middleware's ``process_request``.

A wait longer than ``NEWSCRAWL_RETRY_AFTER_MAX`` seconds is not worth holding the
crawl for: the answer is not retried and every request to that host until the time
is up is dropped with ``HostBackingOff`` (the spider records it as failed: ``retry_after``). Either way
no request reaches the host before the time it named. Counted in
``newscrawl/retry_after/*``.

Settings: ``NEWSCRAWL_RETRY_AFTER_CODES``, ``NEWSCRAWL_RETRY_AFTER_MAX``.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.asyncio import call_later, sleep
from scrapy.utils.httpobj import urlparse_cached

from crawler.download_errors import RequestDropped

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Downloader
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class HostBackingOff(RequestDropped):
    """A request to a host that asked for a longer pause than the crawl will wait."""

    reason = "retry_after"


def parse_retry_after(value: str, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date), or None.

    A date in the past means 0; a value that is neither form is ignored (None).
    """
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; a zone-less one is read as such
        return None
    return max(0.0, when.timestamp() - now)


class RetryAfterMiddleware:
    """Downloader middleware: honour ``Retry-After`` per host (see the module docstring)."""

    def __init__(self, crawler: Crawler, *, codes: frozenset[int], max_wait: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.codes = codes
        self.max_wait = max_wait
        self.not_before: dict[str, float] = {}  # host -> time.time() when it may be asked again

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        codes = frozenset(int(code) for code in settings.getlist("NEWSCRAWL_RETRY_AFTER_CODES"))
        middleware = cls(crawler, codes=codes, max_wait=settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX"))
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    @staticmethod
    def host(request: Request) -> str:
        return (urlparse_cached(request).hostname or "").lower()

    async def process_request(self, request: Request) -> None:
        host = self.host(request)
        wait = self.not_before.get(host, 0.0) - time.time()
        if wait <= 0:
            return None
        if wait > self.max_wait:
            self.stats.inc_value("newscrawl/retry_after/dropped")
            raise HostBackingOff(f"{host} asked for a pause until {wait:.0f}s from now (over NEWSCRAWL_RETRY_AFTER_MAX)")
        self.stats.inc_value("newscrawl/retry_after/waited")
        logger.debug("Holding %s for %.1fs: its host sent Retry-After", request.url, wait)
        await sleep(wait)
        return None

    def response_downloaded(self, response: Response, request: Request) -> None:
        """Note a Retry-After answer before the host's downloader slot sends anything else."""
        if response.status not in self.codes:
            return
        header = response.headers.get(b"Retry-After")
        if not header:
            return
        now = time.time()
        wait = parse_retry_after(header.decode("latin-1"), now=now)
        if wait is None:
            self.stats.inc_value("newscrawl/retry_after/unparsable")
            return
        host = self.host(request)
        until = max(self.not_before.get(host, 0.0), now + wait)
        self.not_before[host] = until
        self.stats.inc_value("newscrawl/retry_after/received")
        if wait > self.max_wait:
            logger.warning(
                "%s asked for a %.0fs pause (over NEWSCRAWL_RETRY_AFTER_MAX=%.0fs): not retrying %s",
                host, wait, self.max_wait, request.url,
            )
            request.meta["dont_retry"] = True  # RetryMiddleware leaves it as failed
        else:
            logger.info("%s answered %s with Retry-After %.0fs: pausing the host", host, response.status, wait)
            self._pause_slot(request, until - now)

    def _pause_slot(self, request: Request, wait: float) -> None:
        """Hold the requests already queued in the host's downloader slot for ``wait`` seconds."""
        try:
            downloader: Downloader = self.crawler.engine.downloader
        except RuntimeError:  # Crawler.engine is not set: no crawl is running
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is None:
            return
        if slot.latercall:
            slot.latercall.cancel()
        # The slot does not send while latercall is set; Scrapy's own delay uses the same hook.
        slot.latercall = call_later(wait, downloader._latercall, slot)  # noqa: SLF001
