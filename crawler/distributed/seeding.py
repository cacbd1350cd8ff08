"""Putting start pages, feeds and sitemaps into the shared frontier (what ``newscrawl enqueue`` does)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


from crawler.distributed import serializer
from crawler.distributed.frontier import FrontierKeys, LeasedQueue, SitePolicy
from crawler.distributed.keys import RedisKeys
from crawler.distributed.seen import BloomDupeFilter
from crawler.distributed.sites import SiteConfig, write_site_configs
from crawler.distributed.spider import WorkerSpider
from crawler.runner import build_settings
from crawler.urls import canonical_url, site_key


@dataclass(slots=True)
class Seeds:
    """Where a crawl starts: home, section or article pages, feeds, sitemaps."""

    pages: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)

    def by_kind(self) -> list[tuple[str, str]]:
        """(kind, url) for every seed, kinds as ``WorkerSpider.seed_request`` takes them."""
        return [*(("page", url) for url in self.pages), *(("feed", url) for url in self.feeds),
                *(("sitemap", url) for url in self.sitemaps)]  # fmt: skip

    def urls(self) -> list[str]:
        return [url for _, url in self.by_kind()]


def enqueue_seeds(
    server: Any,
    keys: RedisKeys,
    seeds: Seeds,
    *,
    direction: str,
    config: SiteConfig | None = None,
    policy: SitePolicy | None = None,
    forget_seen: bool = False,
) -> int:
    """Queue one start request per seed; returns how many were queued.

    A seed is always queued (a later crawl of the same site must start again). Start
    pages are marked seen so that links back to them are not fetched twice. Each site of
    the seeds starts a new round of discovery: its settings (``config``, with ``direction``
    for the articles discovery finds) replace those of its last enqueue, its listing pages, feeds and sitemaps may be read again and its
    listing budget starts over. ``policy`` (a profile's politeness) is the sites' delay and
    concurrency over all workers; None leaves them to the workers' settings. ``forget_seen`` clears the shared duplicate filter first:
    every page is fetched again.
    """
    urls = seeds.urls()
    if not urls:
        raise ValueError("nothing to enqueue: give start pages, feeds, sitemaps or a site profile")
    spider = WorkerSpider(url=urls)  # a plain instance: it only builds the requests
    queue = LeasedQueue(server, spider, keys.requests, serializer, lease_seconds=1, dead_key=keys.dead)
    dupefilter = BloomDupeFilter.configured(build_settings(), server, keys.seen)
    if forget_seen:
        dupefilter.clear()
    sites = sorted({site_key(url) for url in urls})
    with server.pipeline(transaction=True) as pipe:  # sites and settings first: a worker may pop a seed at once
        write_site_configs(pipe, keys, sites, replace(config or SiteConfig(), direction=direction))
        for site in sites:
            pipe.delete(keys.discovery_seen(site))
        pipe.hdel(keys.listing_pages, *sites)
        for site in sites:
            if policy is None:
                pipe.hdel(FrontierKeys(keys.requests).policy, site)
            else:
                pipe.hset(FrontierKeys(keys.requests).policy, site, policy.dumps())
        for url in urls:  # a start page or source linked again from a listing is not read twice
            pipe.sadd(keys.discovery_seen(site_key(url)), canonical_url(url))
        pipe.sadd(keys.seeds, *urls)
        pipe.execute()
    for kind, url in seeds.by_kind():
        request = spider.seed_request(url, kind, direction)
        if kind == "page":
            dupefilter.request_seen(request)
        queue.push(request)
    return len(urls)


def profile_policy(profile: Any) -> SitePolicy | None:
    """A site profile's politeness (``crawler.profiles.SiteProfile``), the settings' defaults
    for the half it leaves out; None when it says nothing."""
    if profile.delay is None and profile.concurrency is None:
        return None
    settings = build_settings()
    delay = profile.delay if profile.delay is not None else settings.getfloat("DOWNLOAD_DELAY")
    concurrency = profile.concurrency if profile.concurrency is not None else settings.getint(
        "CONCURRENT_REQUESTS_PER_DOMAIN")
    return SitePolicy(delay=delay, concurrency=concurrency)
