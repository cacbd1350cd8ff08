"""Redirect credentials: Cookie and Authorization headers never cross to another origin.

Scrapy's RedirectMiddleware (2.19) already drops ``Authorization`` when the scheme,
host or port changes, drops ``Proxy-Authorization`` when the scheme changes, and
drops ``Cookie`` when the host changes or https goes down to http. It keeps
``Cookie`` on a move to another port of the same host and on an upgrade from http to
https: another origin, by the origin rule (scheme, host, port) this project holds to.
This downloader middleware closes that gap: a request that a redirect or a meta
refresh produced (``redirect_urls`` in its meta) loses its ``Cookie`` and
``Authorization`` headers when its origin differs from the URL that redirected.
It runs before HttpAuthMiddleware and CookiesMiddleware, which add the headers that
belong to the new origin. Counted in ``newscrawl/redirects/credentials_dropped``.

Settings: none (always on).
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
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectCredentialsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
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
