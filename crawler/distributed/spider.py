"""The worker's spider: the local site crawl's fetching and discovery, state kept in Redis.

``WorkerSpider`` is ``spiders.article.ArticleSpider`` with ``spiders.discovery.DiscoveryMixin``,
as the local site spider is, so a worker reads home and section pages, feeds, sitemaps
and robots.txt and walks prev/next chains exactly as ``newscrawl crawl`` does. What is
different:

- No local database. Where the site spider asks its crawl state whether a page was
  fetched before, the worker sends every request it makes through the shared duplicate
  filter in Redis (``<ns>:seen``; the local spider keeps a per-process seen set and marks
  requests ``dont_filter``). Article pages stay seen across enqueues, so re-seeding a
  home page fetches only what is new. Listing pages, feeds, sitemaps and robots.txt are
  read again after each enqueue of their site: they are remembered per site in
  ``<ns>:discovery-seen:<site>``, which enqueue clears. The worker keeps no seen set of
  its own: it would grow without end in a long-lived worker and not see other workers.
- The listing budget (NEWSCRAWL_MAX_LISTING_PAGES) is per site since its last enqueue,
  counted in ``<ns>:listing-pages``, not per process.
- Start pages are the seeds ``newscrawl enqueue`` recorded (``<ns>:seeds``): they decide
  which sites the worker stays on; seeds added while it runs are picked up. ``start()``
  yields nothing: the seeds' requests are in the shared frontier already, built by
  ``seed_request`` as the local spider would start them.
- NEWSCRAWL_MAX_ARTICLES is refused: its budget counts requests in flight per process.
- A site's selector overrides, pinned template, date window, extra domains and direction
  come from its entry in ``<ns>:site-configs`` (``crawler.distributed.sites``), re-read at
  most every SEEDS_REFRESH_SECONDS.
- The site templates the parse is given are those the ingester learned and published
  (``crawler.distributed.templates.SharedTemplates``), unless NEWSCRAWL_TEMPLATE_MIN_PAGES
  is 0, with the template fast path's confident layouts unless NEWSCRAWL_FAST_PATH_MIN_PAGES is 0.

Every callback (``parse``, ``parse_feed``, ``parse_sitemap``, ``parse_robots``) and errback
is a method of this spider, so requests survive the JSON serializer, which stores them by
name.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler.discovery import DateWindow
from crawler.distributed.keys import REDIS_DOWN, RedisKeys, connect_with
from crawler.distributed.sites import SiteConfig, read_site_config
from crawler.distributed.templates import SharedTemplates
from crawler.parse_pool import share_templates
from crawler.parsing.template import SiteTemplate
from crawler.urls import canonical_url, site_key
from spiders.article import ArticleSpider
from spiders.discovery import DiscoveryMixin

logger = logging.getLogger(__name__)

SEEDS_REFRESH_SECONDS = 10.0  # how often seeds and a site's settings are read again from Redis
SEED_KINDS = ("page", "feed", "sitemap")


class NothingEnqueued(Exception):
    """A worker started before any seed was enqueued in its namespace."""


class _NoLocalSeen:
    """Stands in for the local spider's seen set: remembers nothing, Redis decides."""

    def __contains__(self, key: object) -> bool:
        return False

    def add(self, key: str) -> None:
        pass


class WorkerSpider(DiscoveryMixin, ArticleSpider):
    name = "site"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen = _NoLocalSeen()  # type: ignore[assignment]
        self._site_settings: dict[str, tuple[float, SiteConfig | None, DateWindow]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> WorkerSpider:
        settings = crawler.settings
        server = connect_with(settings)
        keys = RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"])
        seeds = read_seeds(server, keys)
        if not seeds:
            raise NothingEnqueued(
                f"nothing enqueued in namespace {keys.namespace!r}: run `newscrawl enqueue` first"
            )
        domains = _allowed_domains(server, keys)
        spider = super().from_crawler(crawler, *args, url=seeds, allow_domain=domains, **kwargs)
        spider._redis, spider._keys = server, keys
        spider._seeds_read_at = time.monotonic()
        if settings.getint("NEWSCRAWL_TEMPLATE_MIN_PAGES") > 0:
            fast = settings.getint("NEWSCRAWL_FAST_PATH_MIN_PAGES") > 0
            share_templates(crawler, SharedTemplates(
                server, keys, on_bad=lambda: crawler.stats.inc_value("newscrawl/redis/bad_template"),
                verify_every=max(1, settings.getint("NEWSCRAWL_FAST_PATH_VERIFY_EVERY")) if fast else 0,
                verify_most=settings.getint("NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY")))
        return spider

    def _configure(self, settings: Any) -> None:
        super()._configure(settings)
        if self.max_articles:  # the article spider counts requests in flight per process: wrong across workers
            raise ValueError("NEWSCRAWL_MAX_ARTICLES is not supported by workers (each would count only its own "
                             "requests): crawl a bounded set of seeds instead, or use `newscrawl crawl`")

    async def start(self) -> AsyncIterator[Any]:
        """Nothing to start: the seeds' requests are in the shared frontier."""
        for request in ():
            yield request

    def seed_request(self, url: str, kind: str, direction: str) -> scrapy.Request:
        """The request a crawl starting at ``url`` begins with: a start page, a feed or a sitemap.

        Seeds are ``dont_filter``: a seed enqueued again is fetched again.
        """
        if kind == "page":
            request = super()._request(url, direction)
            request.meta.update(kind="start", origin="start")
            return request
        if kind in ("feed", "sitemap"):
            return self.source_request(url, kind, origin="start")
        raise ValueError(f"a seed is one of {', '.join(SEED_KINDS)}, not {kind!r}")

    # --- what was fetched: Redis, not this process ---------------------------------------------
    def _request(self, url: str, direction: str) -> scrapy.Request:
        return super()._request(url, direction).replace(dont_filter=False)  # the shared duplicate filter decides

    def _first_time(self, url: str, requested: Any) -> bool:
        return bool(self._redis.sadd(self._keys.discovery_seen(site_key(url)), canonical_url(url)))

    def _take_listing_page(self, url: str) -> bool:
        taken = self._redis.hincrby(self._keys.listing_pages, site_key(url), 1)
        return not self.max_listing_pages or taken <= self.max_listing_pages

    # --- per-site settings ------------------------------------------------------------------------
    def window_for(self, url: str) -> DateWindow:
        return self._settings_of(site_key(url))[1]

    def selectors_for(self, url: str) -> dict[str, str]:
        config = self._settings_of(site_key(url))[0]
        return config.selectors if config is not None else {}

    def proxy_for(self, url: str) -> str | None:
        """The HTTP proxy of the site's profile, as enqueued (``middlewares.proxy``); None: the worker's."""
        config = self._settings_of(site_key(url))[0]
        return config.proxy if config is not None else None

    def direction_for(self, url: str) -> str:
        config = self._settings_of(site_key(url))[0]
        return config.direction if config is not None and config.direction else self.direction

    def template_pin(self, url: str) -> SiteTemplate | None:
        """The template the site's enqueued profile pins (``SiteConfig.template``); None without one,
        or while Redis cannot say (the page is parsed unhinted, never failed for it)."""
        try:
            config = self._settings_of(site_key(url))[0]
        except REDIS_DOWN:
            return None
        return SiteTemplate.from_paths(config.template) if config is not None and config.template else None

    def _settings_of(self, site: str) -> tuple[SiteConfig | None, DateWindow]:
        cached = self._site_settings.get(site)
        now = time.monotonic()
        if cached is not None and now - cached[0] < SEEDS_REFRESH_SECONDS:
            return cached[1], cached[2]
        try:
            config, window = read_site_config(self._redis, self._keys, site), self.window
            if config is not None and (config.since or config.until):
                window = DateWindow.from_text(config.since, config.until)
        except ValueError as exc:  # not written by enqueue: say so, crawl the site with the worker's settings
            logger.error("ignoring the unreadable settings of site %s in Redis: %s", site, exc)
            self.crawler.stats.inc_value("newscrawl/redis/bad_site_config")
            config, window = None, self.window
        self._site_settings[site] = (now, config, window)
        return config, window

    # --- which sites -------------------------------------------------------------------------------
    def on_site(self, url: str) -> bool:
        """A seed's site or an allowed domain, as enqueued so far (a site enqueued since is asked for at once)."""
        if super().on_site(url):
            return True
        stale = time.monotonic() - self._seeds_read_at >= SEEDS_REFRESH_SECONDS
        if not stale and not self._redis.hexists(self._keys.site_configs, site_key(url)):
            return False
        self._seeds_read_at = time.monotonic()
        self.start_page_urls = read_seeds(self._redis, self._keys)
        self._allow_domain_arg = _allowed_domains(self._redis, self._keys)
        self._configure(self.crawler.settings)
        return super().on_site(url)


def read_seeds(server: Any, keys: RedisKeys) -> list[str]:
    return sorted(value.decode("utf-8") for value in server.smembers(keys.seeds))


def _allowed_domains(server: Any, keys: RedisKeys) -> list[str]:
    """The extra domains of every enqueued site's settings."""
    return sorted({domain for data in server.hvals(keys.site_configs) for domain in _domains_of(data)})


def _domains_of(data: bytes) -> tuple[str, ...]:
    try:
        return SiteConfig.loads(data).allowed_domains
    except ValueError:  # logged when a page of that site is handled
        return ()
