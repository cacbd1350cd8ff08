"""Scheme guard: only http and https are ever requested.

Scrapy ships download handlers for ``file``, ``data``, ``ftp`` and ``s3``, so a page
that links to ``file:///etc/passwd`` could make it read a local file. This downloader
middleware runs first and drops every request whose scheme is not allowed, whether it
came from a start URL, a link, a redirect or a meta refresh: each of those is a new
request through the downloader middlewares. Dropped requests raise ``SchemeNotAllowed``
(an ``IgnoreRequest``: no retry; recorded as ``bad_scheme``) and are counted in ``newscrawl/schemes/dropped/<scheme>``.
A redirect (301, 302, 303, 307, 308) whose Location has another scheme is the same:
Scrapy's RedirectMiddleware does not follow it but hands the 3xx to the spider, which
would record a mere ``http_302``; this middleware sees the response last and drops it
as ``bad_scheme``.
crawler/settings.py also switches the non-HTTP download handlers off, so a request
that bypassed this middleware would still fail.

Settings: ``NEWSCRAWL_ALLOWED_SCHEMES`` (default ``["http", "https"]``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from urllib.parse import urljoin, urlsplit

from scrapy.utils.httpobj import urlparse_cached
from w3lib.url import safe_url_string

from crawler.download_errors import RequestDropped

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})  # the ones Scrapy's RedirectMiddleware follows


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
        allowed = frozenset(s.lower() for s in crawler.settings.getlist("NEWSCRAWL_ALLOWED_SCHEMES"))
        return cls(crawler, allowed)

    def process_request(self, request: Request) -> None:
        scheme = urlparse_cached(request).scheme.lower()
        if scheme not in self.allowed:
            self._drop(scheme, request.url)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        """A redirect to a scheme that is not fetched ends the request as ``bad_scheme``."""
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location or request.meta.get("dont_redirect"):
            return response
        target = urljoin(request.url, safe_url_string(location))
        scheme = urlsplit(target).scheme.lower()
        if scheme not in self.allowed:
            self._drop(scheme, target, redirect=response.status)
        return response

    def _drop(self, scheme: str, url: str, *, redirect: int | None = None) -> None:
        label = scheme or "none"
        what = f"a {redirect} redirect to " if redirect else ""
        logger.warning("Dropped %sa %s: URL (only %s are fetched): %.200s", what, label,
                       ", ".join(sorted(self.allowed)), url)
        self.stats.inc_value("newscrawl/schemes/dropped")
        self.stats.inc_value(f"newscrawl/schemes/dropped/{label}")
        raise SchemeNotAllowed(f"{what}scheme {label!r} is not fetched")
