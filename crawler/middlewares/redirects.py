"""Credentials stay on their origin: Cookie and Authorization headers never cross to another.

Scrapy's RedirectMiddleware (2.19) already drops ``Authorization`` when the scheme,
host or port changes, drops ``Proxy-Authorization`` when the scheme changes, and
drops ``Cookie`` when the host changes or https goes down to http. It keeps
``Cookie`` on a move to another port of the same host and on an upgrade from http to
https: another origin, by the origin rule (scheme, host, port) this project holds to.
This downloader middleware closes that gap: a request that a redirect or a meta
refresh produced (``redirect_urls`` in its meta) loses its ``Cookie`` and
``Authorization`` headers when its origin differs from the URL that redirected.

Credentials a user sets for the crawl (``-s DEFAULT_REQUEST_HEADERS='{"Authorization":
...}'``, or a Cookie there) are meant for the site crawled: they go only to the origins
of the spider's start URLs (``start_page_urls``: start pages, feeds, sitemaps; a worker's
seeds), never to another origin a link, a redirect or a robots.txt request leads to.

It runs after DefaultHeadersMiddleware (which would add a default header back after a
redirect dropped it) and before CookiesMiddleware. Counted in
``newscrawl/redirects/credentials_dropped`` and ``newscrawl/credentials/kept_from_origin``.

Settings: DEFAULT_REQUEST_HEADERS (always on).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

CREDENTIAL_HEADERS = (b"Cookie", b"Authorization")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


class RedirectCredentialsMiddleware:
    """Downloader middleware: strip credentials from a redirect that changes origin."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        defaults = crawler.settings.getdict("DEFAULT_REQUEST_HEADERS")
        wanted = {name.lower() for name in CREDENTIAL_HEADERS}
        self.default_credentials = {  # header name -> the value DefaultHeadersMiddleware adds
            name.encode(): str(value).encode() for name, value in defaults.items() if name.encode().lower() in wanted
        }
        self._start_origins: tuple[int, set[tuple[str, str, int | None]]] = (-1, set())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectCredentialsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.default_credentials:
            self._keep_defaults_home(request)
        redirected_from = request.meta.get("redirect_urls")
        if not redirected_from or origin(redirected_from[-1]) == origin(request.url):
            return None
        dropped = [name for name in CREDENTIAL_HEADERS if request.headers.pop(name, None) is not None]
        if dropped:
            logger.info(
                "Dropped %s on the redirect from %s to another origin: %s",
                b", ".join(dropped).decode(), redirected_from[-1], request.url,
            )
            self.stats.inc_value("newscrawl/redirects/credentials_dropped")
        return None

    def _keep_defaults_home(self, request: Request) -> None:
        """Drop the default credential headers from a request outside the start URLs' origins."""
        if origin(request.url) in self._origins():
            return
        dropped = False
        for name, value in self.default_credentials.items():
            if request.headers.get(name) == value:
                del request.headers[name]
                dropped = True
        if dropped:
            self.stats.inc_value("newscrawl/credentials/kept_from_origin")

    def _origins(self) -> set[tuple[str, str, int | None]]:
        """The start URLs' origins (recomputed when a worker's seeds change)."""
        urls = getattr(self.crawler.spider, "start_page_urls", None) or ()
        if self._start_origins[0] != len(urls):
            self._start_origins = (len(urls), {origin(url) for url in urls})
        return self._start_origins[1]
