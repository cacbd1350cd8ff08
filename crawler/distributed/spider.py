"""The article spider as a worker: same fetching and following, start pages from Redis.

``WorkerSpider`` changes three things of ``spiders.article.ArticleSpider`` and nothing
about what it fetches or how it reads a page:

- its start pages are the seeds ``newscrawl enqueue`` recorded (``<ns>:seeds``); they
  decide which sites the worker stays on, and seeds added while it runs are picked up.
  Its ``start()`` yields nothing: the seeds' requests are in the shared frontier already;
- the prev/next requests it makes go through the shared duplicate filter in Redis (the
  local spider keeps a per-process seen set and marks them ``dont_filter``); seeds stay
  ``dont_filter`` so a new crawl of a chain always starts;
- ``seed_request`` builds the request ``enqueue`` stores, so a seed is exactly the
  request the local spider would have started with.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import scrapy

from crawler.distributed.keys import RedisKeys, connect
from spiders.article import ArticleSpider

SEEDS_REFRESH_SECONDS = 10.0  # how often an off-site link makes the worker re-read the seeds


class NothingEnqueued(Exception):
    """A worker started before any seed was enqueued in its namespace."""


class WorkerSpider(ArticleSpider):
    name = "article"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> WorkerSpider:
        settings = crawler.settings
        server = connect(settings["NEWSCRAWL_REDIS_URL"])
        keys = RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"])
        seeds = read_seeds(server, keys)
        if not seeds:
            raise NothingEnqueued(
                f"nothing enqueued in namespace {keys.namespace!r}: run `newscrawl enqueue` first"
            )
        spider = super().from_crawler(crawler, *args, url=seeds, **kwargs)
        spider._redis, spider._keys = server, keys
        spider._seeds_read_at = time.monotonic()
        return spider

    async def start(self) -> AsyncIterator[Any]:
        """Nothing to start: the seeds' requests are in the shared frontier."""
        for request in ():
            yield request

    def seed_request(self, url: str, direction: str) -> scrapy.Request:
        """The request a crawl of ``url`` starts with (the local spider's own start request)."""
        return self._request(url, direction)

    def _follow(self, parsed: Any, direction: str) -> Any:
        for request in super()._follow(parsed, direction):
            yield request.replace(dont_filter=False)  # the frontier's duplicate filter decides

    def on_site(self, url: str) -> bool:
        if super().on_site(url):
            return True
        if time.monotonic() - self._seeds_read_at < SEEDS_REFRESH_SECONDS:
            return False
        self._seeds_read_at = time.monotonic()
        self.start_page_urls = read_seeds(self._redis, self._keys)
        self._configure(self.crawler.settings)
        return super().on_site(url)


def read_seeds(server: Any, keys: RedisKeys) -> list[str]:
    return sorted(value.decode("utf-8") for value in server.smembers(keys.seeds))
