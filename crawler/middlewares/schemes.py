"""Scheme guard: only http and https are ever requested.

Scrapy ships download handlers for ``file``, ``data``, ``ftp`` and ``s3``, so a page
that links to ``file:///etc/passwd`` could make it read a local file. This downloader
middleware runs first and drops every request whose scheme is not allowed, whether it
came from a start URL, a link, a redirect or a meta refresh: each of those is a new
request through the downloader middlewares. Dropped requests raise ``SchemeNotAllowed``
(an ``IgnoreRequest``: no retry; recorded as ``bad_scheme``) and are counted in ``newscrawl/schemes/dropped/<scheme>``.
crawler/settings.py also switches the non-HTTP download handlers off, so a request
that bypassed this middleware would still fail.

Settings: ``NEWSCRAWL_ALLOWED_SCHEMES`` (default ``["http", "https"]``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.utils.httpobj import urlparse_cached

from crawler.download_errors import RequestDropped

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SchemeNotAllowed(RequestDropped):
    """A request for a URL scheme the crawler never fetches."""

    reason = "bad_scheme"


class SchemeFilterMiddleware:
    """Downloader middleware: drop every request whose scheme is not http(s)."""

    def __init__(self, crawler: Crawler, allowed: frozenset[str]) -> None:
        self.stats = crawler.stats
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemeFilterMiddleware:
        allowed = frozenset(s.lower() for s in crawler.settings.getlist("NEWSCRAWL_ALLOWED_SCHEMES", ["http", "https"]))
        return cls(crawler, allowed)

    def process_request(self, request: Request) -> None:
        scheme = urlparse_cached(request).scheme.lower()
        if scheme in self.allowed:
            return None
        label = scheme or "none"
        logger.warning("Dropped a %s: URL (only %s are fetched): %.200s", label, ", ".join(sorted(self.allowed)), request.url)
        self.stats.inc_value("newscrawl/schemes/dropped")
        self.stats.inc_value(f"newscrawl/schemes/dropped/{label}")
        raise SchemeNotAllowed(f"scheme {label!r} is not fetched")
