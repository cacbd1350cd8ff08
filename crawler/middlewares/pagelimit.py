"""Per-site page budget: a crawler trap cannot keep the crawl on one site for ever.

Infinite pagination (``?page=N`` for every N), calendars with a "next month" link
into the year 3000, and sites that mint a new URL per visit all look like endless
chains. ``DEPTH_LIMIT`` bounds how far a chain of links is followed from a start
URL; this downloader middleware bounds how many pages one site may cost: after
``NEWSCRAWL_MAX_PAGES_PER_SITE`` requests to a site, further requests to it are
dropped with ``PageLimitReached`` (recorded as ``page_limit``) and counted in ``newscrawl/pagelimit/dropped``.
Retries and robots.txt fetches do not count; each redirect hop does (it is a page
fetched). A site is ``crawler.urls.site_key`` (host without ``www.``, plus a port
that is not the default).

Settings: ``NEWSCRAWL_MAX_PAGES_PER_SITE`` (0 = no limit).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from crawler.download_errors import RequestDropped
from crawler.urls import site_key

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class PageLimitReached(RequestDropped):
    """A request to a site that has used up its page budget."""

    reason = "page_limit"


class PageLimitMiddleware:
    """Downloader middleware: at most ``limit`` pages per site."""

    def __init__(self, crawler: Crawler, *, limit: int) -> None:
        self.stats = crawler.stats
        self.limit = limit
        self.pages: Counter[str] = Counter()
        self.reached: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLimitMiddleware:
        limit = crawler.settings.getint("NEWSCRAWL_MAX_PAGES_PER_SITE")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit=limit)

    def process_request(self, request: Request) -> None:
        if request.meta.get("retry_times") or urlparse_cached(request).path == "/robots.txt":
            return None  # a retry is the same page; robots.txt is not a page
        site = site_key(request.url)
        if self.pages[site] >= self.limit:
            if site not in self.reached:
                self.reached.add(site)
                logger.warning("%s reached NEWSCRAWL_MAX_PAGES_PER_SITE (%s): no more pages from it", site, self.limit)
                self.stats.inc_value("newscrawl/pagelimit/sites_reached")
            self.stats.inc_value("newscrawl/pagelimit/dropped")
            raise PageLimitReached(f"{site} reached its limit of {self.limit} pages")
        self.pages[site] += 1
        return None
