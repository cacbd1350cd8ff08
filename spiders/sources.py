"""Feeds, sitemaps and robots.txt for the site spider: fetch them, read them, hand on their URLs.

``SourcesMixin`` is the base of ``spiders.discovery.DiscoveryMixin``; it needs from it
``_discovered_url`` (an article URL found, with the dates its source gives), ``_first_time``
(a source not requested yet), ``_failed``, ``on_site`` and ``window_for``. What it records:
a feed or sitemap that cannot be fetched fails with the download or HTTP reason; one that
can be read only in part is recorded as ``feed_unreadable`` / ``sitemap_unreadable``
(skipped when it still gave URLs, failed otherwise), and the URLs before the damage are
used. A missing robots.txt is no failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.discovery import parse_feed, parse_sitemap, sitemaps_from_robots
from crawler.download_errors import describe_download_error
from crawler.items import FailedPage

MAX_SITEMAP_DEPTH = 3  # sitemap index -> index -> sitemap: deeper nesting is not followed


class SourcesMixin:
    crawler: Any
    logger: Any
    _sitemaps_read: set[str]
    _robots_read: set[str]

    def _source_request(self, url: str, kind: str, *, origin: str, depth: int = 0) -> scrapy.Request:
        self.crawler.stats.inc_value(f"newscrawl/discovery/{kind}_requests")
        return self.source_request(url, kind, origin=origin, depth=depth)

    def source_request(self, url: str, kind: str, *, origin: str, depth: int = 0) -> scrapy.Request:
        """The request that reads a feed, a sitemap or a robots.txt."""
        callback = {"feed": self.parse_feed, "sitemap": self.parse_sitemap, "robots": self.parse_robots}[kind]
        meta = {"kind": kind, "origin": origin, "depth": depth}
        if kind == "robots":
            meta["dont_obey_robotstxt"] = True
        return scrapy.Request(url, callback=callback, errback=self._source_error, meta=meta, dont_filter=True)

    def _robots_request(self, page_url: str) -> Iterator[scrapy.Request]:
        parts = urlsplit(page_url)
        robots = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        if self._first_time(robots, self._robots_read):
            yield self._source_request(robots, "robots", origin=f"listing:{page_url}")

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status != 200:
            return
        for url in sitemaps_from_robots(response.body, response.url):
            if self.on_site(url):
                yield from self._sitemap_request(url, origin=f"robots:{response.url}", depth=0)

    def _sitemap_request(self, url: str, *, origin: str, depth: int) -> Iterator[scrapy.Request]:
        if depth <= MAX_SITEMAP_DEPTH and self._first_time(url, self._sitemaps_read):
            yield self._source_request(url, "sitemap", origin=origin, depth=depth)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            yield self._failed(response.url, f"http_{response.status}", "feed not available", response.status)
            return
        feed = parse_feed(response.body, response.url)
        self.crawler.stats.inc_value("newscrawl/discovery/feed_entries", len(feed.entries))
        if feed.error:
            yield self._failed(response.url, "feed_unreadable", feed.error, response.status, skipped=bool(feed.entries))
        for entry in feed.entries:
            yield from self._discovered_url(entry.url, origin=f"feed:{response.url}",
                                            published=entry.published, updated=entry.updated)  # fmt: skip

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            yield self._failed(response.url, f"http_{response.status}", "sitemap not available", response.status)
            return
        sitemap = parse_sitemap(response.body, response.url)
        self.crawler.stats.inc_value("newscrawl/discovery/sitemap_entries", len(sitemap.entries))
        if sitemap.error:
            usable = bool(sitemap.entries or sitemap.sitemaps)
            yield self._failed(response.url, "sitemap_unreadable", sitemap.error, response.status, skipped=usable)
        depth = response.meta.get("depth", 0)
        for child in sitemap.sitemaps:
            since = self.window_for(response.url).since
            if since and child.lastmod and child.lastmod < since:
                self.crawler.stats.inc_value("newscrawl/discovery/sitemap_older_than_since")
                continue  # nothing in it changed since the window opened
            if self.on_site(child.url):
                yield from self._sitemap_request(child.url, origin=f"sitemap:{response.url}", depth=depth + 1)
        for entry in sitemap.entries:
            yield from self._discovered_url(entry.url, origin=f"sitemap:{response.url}",
                                            published=entry.news_published, updated=entry.lastmod)  # fmt: skip

    def _source_error(self, failure: Failure) -> Iterator[FailedPage]:
        request = failure.request  # type: ignore[attr-defined]
        reason, detail = describe_download_error(failure)
        kind = request.meta.get("kind", "source")
        self.logger.info("%s %s could not be fetched: %s (%s)", kind, request.url, reason, detail)
        if kind != "robots":  # a site without robots.txt simply has no sitemap lines
            yield self._failed(request.url, reason, f"{kind}: {detail}", None)
