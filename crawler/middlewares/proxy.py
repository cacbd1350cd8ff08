"""SiteProxyMiddleware: send a site's requests through the HTTP proxy its profile names.

Scrapy's ``HttpProxyMiddleware`` (750) does the proxying: it takes ``request.meta["proxy"]``
and turns credentials in the proxy URL into a ``Proxy-Authorization`` header, and when
no request names a proxy it uses the environment's ``http_proxy`` / ``https_proxy`` /
``no_proxy``. This middleware (740) only chooses the proxy of a request that names none:
the spider's ``proxy_for(url)`` when it has one (a worker: the proxy of the site's
profile, as enqueued), else NEWSCRAWL_PROXY (a local crawl of a profile sets it from the
profile's ``proxy``).

The address guard (``netguard``) still applies to the *target* of every request: its
host is resolved and checked before the request goes to the proxy. The proxy's own
host, chosen by the operator, is exempt from the guarded resolver
(``trust_proxy_host``), so a proxy on the local network works without allowing that
network for targets. The proxy resolves the target's name again itself; a proxy that
answers differently from local DNS is the operator's to trust. Counted in
``newscrawl/proxy/requests``.

Settings: NEWSCRAWL_PROXY.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.middlewares.netguard import trust_proxy_host

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SiteProxyMiddleware:
    def __init__(self, crawler: Crawler, proxy: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.proxy = proxy
        if proxy:
            trust_proxy_host(urlsplit(proxy).hostname or "")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteProxyMiddleware:
        return cls(crawler, crawler.settings.get("NEWSCRAWL_PROXY") or "")

    def process_request(self, request: Request) -> None:
        if "proxy" in request.meta:  # chosen already (None: explicitly none)
            return None
        spider = getattr(self.crawler, "spider", None)
        chooser = getattr(spider, "proxy_for", None)
        proxy = (chooser(request.url) if chooser is not None else None) or self.proxy
        if proxy:
            trust_proxy_host(urlsplit(proxy).hostname or "")
            request.meta["proxy"] = proxy
            self.stats.inc_value("newscrawl/proxy/requests")
        return None
