"""SharedPolitenessMiddleware: turns, Retry-After and robots.txt's Crawl-delay are shared through Redis."""

from __future__ import annotations

import asyncio
import time

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.distributed.politeness import SharedPolitenessMiddleware
from crawler.distributed.worker import WorkerOptions, worker_settings


def _middleware(redis_url: str, delay: float = 0.3) -> SharedPolitenessMiddleware:
    settings = worker_settings(WorkerOptions(redis_url=redis_url, namespace="t",
                                             settings={"DOWNLOAD_DELAY": delay, "USER_AGENT": "newscrawl/1"}))
    names = ("NEWSCRAWL_REDIS_URL", "NEWSCRAWL_REDIS_NAMESPACE", "NEWSCRAWL_REDIS_SITE_DELAY",
             "NEWSCRAWL_REDIS_SITE_CONCURRENCY", "NEWSCRAWL_RETRY_AFTER_CODES", "USER_AGENT", "NEWSCRAWL_REDIS_TIMEOUT",
             "NEWSCRAWL_REDIS_OUTAGE_SECONDS")
    return SharedPolitenessMiddleware.from_crawler(get_crawler(settings_dict={name: settings[name] for name in names}))


def _send(middleware: SharedPolitenessMiddleware, url: str) -> float:
    """Seconds the request waited for its site's turn."""
    started = time.monotonic()
    asyncio.run(middleware.process_request(Request(url)))
    return time.monotonic() - started


def test_workers_take_turns_on_one_site_and_not_across_sites(redis_url, redis_client):
    worker_a, worker_b = _middleware(redis_url), _middleware(redis_url)
    assert _send(worker_a, "https://a.example/1") < 0.1
    assert 0.2 < _send(worker_b, "https://a.example/2") < 0.5  # the other worker waits for a.example's delay
    assert _send(worker_b, "https://b.example/1") < 0.1  # another site is not held
    assert worker_b.stats.get_value("newscrawl/politeness/turns") == 2


def test_retry_after_pauses_the_site_for_every_worker(redis_url, redis_client):
    worker_a, worker_b = _middleware(redis_url, delay=0), _middleware(redis_url, delay=0)
    request = Request("https://a.example/1")
    worker_a.process_response(request, Response(request.url, status=429, headers={"Retry-After": "1"}))
    assert 0.8 < _send(worker_b, "https://a.example/2") < 1.5
    assert _send(worker_b, "https://b.example/1") < 0.1


def test_robots_crawl_delay_raises_the_sites_delay_for_every_worker(redis_url, redis_client):
    worker_a, worker_b = _middleware(redis_url, delay=0), _middleware(redis_url, delay=0)
    robots = Request("https://a.example/robots.txt")
    body = b"User-agent: *\nCrawl-delay: 0.5\nDisallow: /private\n"
    worker_a.process_response(robots, Response(robots.url, status=200, body=body))
    assert redis_client.hget("t:requests:crawl-delay", "a.example") == b"0.5"
    assert _send(worker_a, "https://a.example/1") < 0.1
    assert 0.35 < _send(worker_b, "https://a.example/2") < 0.8


def test_a_crawl_delay_for_another_agent_does_not_apply(redis_url, redis_client):
    worker = _middleware(redis_url, delay=0)
    robots = Request("https://a.example/robots.txt")
    body = b"User-agent: otherbot\nCrawl-delay: 30\n\nUser-agent: *\nDisallow:\n"
    assert worker.note_crawl_delay("a.example", body) is None
    worker.process_response(robots, Response(robots.url, status=200, body=body))
    assert redis_client.hget("t:requests:crawl-delay", "a.example") is None


def test_the_worker_moves_politeness_from_the_process_to_redis():
    settings = worker_settings(WorkerOptions(redis_url="redis://127.0.0.1:1/0",
                                             settings={"DOWNLOAD_DELAY": 2, "CONCURRENT_REQUESTS_PER_DOMAIN": 3}))
    assert settings.getfloat("NEWSCRAWL_REDIS_SITE_DELAY") == 2
    assert settings.getint("NEWSCRAWL_REDIS_SITE_CONCURRENCY") == 3
    assert settings.getfloat("DOWNLOAD_DELAY") == 0 and not settings.getbool("AUTOTHROTTLE_ENABLED")
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert max(middlewares, key=lambda name: middlewares[name] or 0).endswith("SharedPolitenessMiddleware")
