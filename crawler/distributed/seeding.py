"""Putting start pages into the shared frontier (what ``newscrawl enqueue`` does)."""

from __future__ import annotations

from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue
from crawler.distributed.keys import RedisKeys
from crawler.distributed.spider import WorkerSpider


def enqueue_seeds(
    server: Any, keys: RedisKeys, urls: list[str], *, direction: str, forget_seen: bool = False
) -> int:
    """Queue one start request per URL; returns how many were queued.

    A seed is always queued (a later crawl of the same chain must start again), and is
    marked seen so that links back to it are not fetched twice. ``forget_seen`` clears
    the shared duplicate filter first: every page is fetched again.
    """
    spider = WorkerSpider(url=urls)  # a plain instance: it only builds the requests
    queue = LeasedQueue(server, spider, keys.requests, serializer, lease_seconds=1, dead_key=keys.dead)
    dupefilter = RFPDupeFilter(server, key=keys.seen)
    if forget_seen:
        dupefilter.clear()
    for url in urls:
        request = spider.seed_request(url, direction)
        dupefilter.request_seen(request)
        queue.push(request)
    server.sadd(keys.seeds, *urls)
    return len(urls)
