"""Retry-After through a real crawl: after a 429 or 503 with Retry-After, the host hears nothing until the time is up."""

from __future__ import annotations

import pytest

from .crawl import crawl
from .server import FaultServer, Hit

pytestmark = pytest.mark.slow

WAIT = 2  # seconds, the Retry-After the server sends
SLACK = 0.15  # seconds: the server stamps arrival, the crawler's clock starts at the answer


def _crawl(server: FaultServer, tmp_path_factory: pytest.TempPathFactory, paths: list[str], **settings: object):  # noqa: ANN202
    mark = len(server.hits)
    run = crawl([server.url(path) for path in paths], tmp_path_factory.mktemp("retry") / "news.db", settings=settings)
    return run, [hit for hit in server.hits_since(mark) if hit.path != "/robots.txt"]


def test_no_request_reaches_the_host_before_retry_after(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    # One request at a time: while one page is answered 429/503, the others wait queued in the
    # host's downloader slot, and the retry of the refused page waits in the middleware. (A small
    # delay keeps the slot to one request: with no delay, Scrapy 2.19 on asyncio hands a slot's
    # whole queue out at once, whatever CONCURRENT_REQUESTS_PER_DOMAIN says.)
    paths = [f"/retry-after/{WAIT}/429/slow-a", f"/retry-after/{WAIT}/429/slow-b", f"/retry-after/{WAIT}/503/slow-c"]
    run, hits = _crawl(
        fault_server, tmp_path_factory, paths, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0.2, DOWNLOAD_DELAY_JITTER=0
    )
    assert len(run.articles()) == 3, run.failures()  # every page stored after its retry
    hits.sort(key=lambda hit: hit.at)
    refused: list[Hit] = []
    for hit in hits:
        for earlier in refused:
            assert hit.at - earlier.at >= WAIT - SLACK, f"{hit.path} came {hit.at - earlier.at:.2f}s after {earlier.path} was refused"
        if len([h for h in hits if h.path == hit.path and h.at <= hit.at]) == 1:  # first request of a path: refused
            refused.append(hit)
    assert len(refused) == 3 and len(hits) == 6


def test_retry_after_over_the_cap_is_not_waited_for(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _crawl(fault_server, tmp_path_factory, ["/retry-after/3600/503/closed"], NEWSCRAWL_RETRY_AFTER_MAX=60)
    assert [hit.path for hit in hits] == ["/retry-after/3600/503/closed"]  # no retry, no waiting an hour
    assert run.elapsed < 60
    failure = run.failures()[fault_server.url("/retry-after/3600/503/closed")]
    assert failure["reason"] == "http_503"
