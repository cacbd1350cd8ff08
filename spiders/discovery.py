"""Discovery for the article spider: listings, feeds, sitemaps, the date window, selector overrides.

``DiscoveryMixin`` is mixed into a subclass of ``spiders.article.ArticleSpider`` (before it
in the bases). It is what ``newscrawl crawl`` of a home page does beyond walking chains,
without any crawl state, so the local site spider (``spiders.site``, which adds the
SQLite crawl state) and the distributed worker (``crawler.distributed.spider``, where a
shared Redis duplicate filter plays that part) discover pages the same way:

- A start page that is not an article but links to several is a listing (a home page;
  any other non-article start page is recorded as usual): its article links are fetched,
  its section links and pagination are fetched as listings (sections only from a start
  page, at most NEWSCRAWL_MAX_LISTING_PAGES listings), its ``<link rel="alternate">``
  feeds are read, and so are the ``Sitemap:`` lines of its site's robots.txt. Feeds and
  sitemaps can also be given directly. Listing pages are never stored.
  ``crawler.discovery`` does the reading; this module decides what to fetch.
- Date window (NEWSCRAWL_SINCE / NEWSCRAWL_UNTIL). Applied before fetching when a feed
  or sitemap dates the URL, after parsing otherwise; a chain is not followed past it.
- Selector overrides (a site profile's CSS per field, ``crawler.parsing.overrides``).

Hooks a subclass overrides (the defaults are what a crawl without state does):
``_schedule`` (send a page request, or decide it need not be fetched), ``_over_budget``
(an article URL found when the budget is spent), ``_first_time`` (a listing or source
not requested before), ``_take_listing_page`` (the listing budget), ``window_for``, ``selectors_for`` and
``direction_for`` (per-URL settings; one of each here).

Settings: NEWSCRAWL_SINCE, NEWSCRAWL_UNTIL, NEWSCRAWL_MAX_LISTING_PAGES.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.discovery import DateWindow, ListingLinks, find_feed_links, listing_links
from crawler.discovery.dates import isoformat, parse_source_date
from crawler.items import FailedPage, PageItem
from crawler.parsing import load_document
from crawler.parsing.overrides import apply_selectors
from crawler.parsing.template import SiteTemplate
from crawler.urls import canonical_url, is_http_url, site_key
from spiders.article import _as_list, _header
from spiders.sources import SourcesMixin

MIN_LISTING_ARTICLES = 3  # a start page that is no article is a listing when it links to this many articles
LISTING_REASONS = frozenset({"home page", "listing page"})  # ... or when the parser says it is one


class DiscoveryMixin(SourcesMixin):
    # Provided by ArticleSpider, which follows this mixin in the bases.
    sites: set[str]
    direction: str
    start_page_urls: list[str]
    _seen: set[str]
    _in_flight: int

    def __init__(
        self,
        url: str | list[str] | None = None,
        feeds: str | list[str] | None = None,
        sitemaps: str | list[str] | None = None,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        selectors: str | dict[str, str] | None = None,
        template: str | dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(url=url, **kwargs)  # type: ignore[call-arg]
        self.feed_urls = _as_list(feeds)
        self.sitemap_urls = _as_list(sitemaps)
        self.profile_key = (site or "").strip() or None
        self._since_arg, self._until_arg = since, until
        self.selectors: dict[str, str] = json.loads(selectors) if isinstance(selectors, str) else dict(selectors or {})
        pinned = json.loads(template) if isinstance(template, str) else dict(template or {})
        self.pinned_template = SiteTemplate.from_paths(pinned) if pinned else None  # the profile's template hint
        self._robots_read: set[str] = set()
        self._sitemaps_read: set[str] = set()
        self._listing_requests = 0

    def _configure(self, settings: Any) -> None:
        pages = self.start_page_urls
        # The article spider wants start URLs and takes their sites as "the site": feeds and sitemaps count too.
        self.start_page_urls = [*pages, *self.feed_urls, *self.sitemap_urls]
        super()._configure(settings)  # type: ignore[misc]
        self.start_page_urls = pages
        since = self._since_arg or settings.get("NEWSCRAWL_SINCE") or None
        until = self._until_arg or settings.get("NEWSCRAWL_UNTIL") or None
        self.window = DateWindow.from_text(since, until)
        self.max_listing_pages = settings.getint("NEWSCRAWL_MAX_LISTING_PAGES")

    @property
    def run_arguments(self) -> dict[str, Any]:
        arguments = super().run_arguments  # type: ignore[misc]
        arguments.update(
            feeds=self.feed_urls,
            sitemaps=self.sitemap_urls,
            since=isoformat(self.window.since),
            until=isoformat(self.window.until),
        )
        return arguments

    # --- per-URL settings (one crawl, one set here) ------------------------------------------------
    def window_for(self, url: str) -> DateWindow:
        """The date window that applies to ``url``."""
        return self.window

    def selectors_for(self, url: str) -> dict[str, str]:
        """The selector overrides that apply to the page at ``url``."""
        return self.selectors

    def direction_for(self, url: str) -> str:
        """Which neighbours to follow from the article at ``url``, found by discovery."""
        return self.direction

    def template_pin(self, url: str) -> SiteTemplate | None:
        """The template the site profile pins for the page at ``url`` (None off the profile's site)."""
        return self.pinned_template if self.pinned_template is not None and self.on_site(url) else None

    # --- hooks ---------------------------------------------------------------------------------------
    def _schedule(
        self, request: scrapy.Request, *, origin: str, force: bool = False, source_date: datetime | None = None
    ) -> Iterator[scrapy.Request]:
        """Send a page request made by ``_request`` (``force``: a start page, always sent)."""
        request.meta.setdefault("origin", origin)
        yield request

    def _over_budget(self, key: str, *, origin: str, source_date: datetime | None) -> None:
        """An article URL found after the article budget was spent (it is not fetched)."""

    def _first_time(self, url: str, requested: set[str]) -> bool:
        """True (and now remembered) if the listing or source ``url`` was not requested yet."""
        key = canonical_url(url)
        if key in requested:
            return False
        requested.add(key)
        return True

    def _take_listing_page(self, url: str) -> bool:
        """One more listing page within NEWSCRAWL_MAX_LISTING_PAGES? (0 = no limit)."""
        if self.max_listing_pages and self._listing_requests >= self.max_listing_pages:
            return False
        self._listing_requests += 1
        return True

    # --- start ---------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        async for request in super().start():  # type: ignore[misc]
            request.meta["kind"] = "start"
            for scheduled in self._schedule(request, origin="start", force=True):
                yield scheduled
        for url in self.feed_urls:
            yield self._source_request(url, "feed", origin="start")
        for url in self.sitemap_urls:
            yield self._source_request(url, "sitemap", origin="start")

    # --- deciding what to fetch ------------------------------------------------------------------------
    def _discovered_url(
        self, url: str, *, origin: str, published: datetime | None = None, updated: datetime | None = None
    ) -> Iterator[scrapy.Request]:
        """An article URL found in a feed, a sitemap or on a listing page."""
        stats = self.crawler.stats
        if not is_http_url(url) or not self.on_site(url):
            stats.inc_value("newscrawl/discovery/offsite")
            return
        key = canonical_url(url)
        if key in self._seen:
            return
        if self.window_for(url).rejects(published, updated):
            self._seen.add(key)
            stats.inc_value("newscrawl/discovery/outside_window")
            return
        dates = [value for value in (published, updated) if value]
        source_date = max(dates) if dates else None
        if not self._budget_left():  # type: ignore[attr-defined]
            self._seen.add(key)
            stats.inc_value("newscrawl/links/over_budget")
            self._over_budget(key, origin=origin, source_date=source_date)
            return
        request = self._request(url, self.direction_for(url))  # type: ignore[attr-defined]
        request.meta["kind"] = "article"
        yield from self._schedule(request, origin=origin, source_date=source_date)

    def _follow(self, parsed: Any, direction: str) -> Iterator[scrapy.Request]:
        """The article spider's prev/next links, minus pages past the date window."""
        for request in super()._follow(parsed, direction):  # type: ignore[misc]
            side = request.meta.get("direction")
            if self._beyond_window(parsed.url, parsed.published_at, side):
                self._in_flight -= 1
                self.crawler.stats.inc_value("newscrawl/links/beyond_window")
                continue
            request.meta["kind"] = "article"
            yield from self._schedule(request, origin=f"{side}:{parsed.url}")

    def _beyond_window(self, url: str, published_at: str | None, side: str | None) -> bool:
        """Chains run in date order: past ``since`` going back, or past ``until`` going forward, stop."""
        moment = parse_source_date(published_at)
        window = self.window_for(url)
        if moment is None or window.contains(moment) is not False:
            return False
        if side == "prev":
            return bool(window.since and moment < window.since)
        if side == "next":
            return bool(window.until and moment > window.until)
        return False

    # --- callbacks ---------------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        kind = response.meta.get("kind", "article")
        for output in super().parse(response, **kwargs):  # type: ignore[misc]
            if isinstance(output, PageItem):
                # A section or pagination page is a listing whatever the parser thinks of it; a
                # start page is one when it is no article and links to several (a home page).
                maybe_listing = kind == "listing" or (kind == "start" and not output.parsed.is_article)
                links = self._listing_links(response) if maybe_listing else None
                if links is not None and (kind == "listing" or self._is_listing(output.parsed, links)):
                    yield from self._listing(response, kind, links)
                    continue
                output = self._checked(output, response)
            yield output

    @staticmethod
    def _is_listing(parsed: Any, links: ListingLinks) -> bool:
        """A non-article start page is a listing when the parser calls it one, or it links to several articles."""
        return parsed.not_article_reason in LISTING_REASONS or len(links.articles) >= MIN_LISTING_ARTICLES

    def _listing_links(self, response: Response) -> ListingLinks:
        return listing_links(response.body, response.url, allowed_hosts=frozenset({site_key(response.url), *self.sites}))

    def _checked(self, item: PageItem, response: Response) -> PageItem | FailedPage:
        """Selector overrides, then the date window on the parsed publication date."""
        selectors = self.selectors_for(response.url)
        if selectors:
            document = load_document(response.body, response.url, content_type=_header(response, b"Content-Type"))
            item.parsed = apply_selectors(item.parsed, document, selectors)
        window = self.window_for(response.url)
        if item.parsed.is_article and window.contains_text(item.parsed.published_at) is False:
            return self._failed(
                response.url, "outside_window",
                f"published {item.parsed.published_at}, window {window.describe()}", response.status, skipped=True,
            )  # fmt: skip
        return item

    def _listing(self, response: Response, kind: str, links: ListingLinks) -> Iterator[scrapy.Request]:
        """A home or section page: its article links, sections, pagination, feeds and robots.txt sitemaps."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/discovery/listing_pages")
        stats.inc_value("newscrawl/discovery/listing_links", len(links.articles))
        for link in links.articles:
            yield from self._discovered_url(link.url, origin=f"listing:{response.url}")
        more = [*links.pagination, *(links.sections if kind == "start" else [])]
        for url in more:
            if canonical_url(url) in self._seen or not self.on_site(url):
                continue
            if not self._take_listing_page(url):
                stats.inc_value("newscrawl/discovery/listing_limit")
                break
            if self._first_time(url, self._seen):
                yield self._listing_request(url, origin=f"listing:{response.url}")
        if kind == "start":
            for feed in find_feed_links(response.body, response.url):
                if self.on_site(feed) and self._first_time(feed, self._seen):
                    yield self._source_request(feed, "feed", origin=f"listing:{response.url}")
            yield from self._robots_request(response.url)

    def _listing_request(self, url: str, *, origin: str) -> scrapy.Request:
        self._in_flight += 1  # the article spider's parse and on_error count every page response
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, dont_filter=True,  # type: ignore[attr-defined]
                              meta={"kind": "listing", "direction": self.direction, "origin": origin})  # fmt: skip
