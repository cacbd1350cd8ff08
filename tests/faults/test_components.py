"""The scheme guard, redirect credentials, Retry-After and the page budget, component level.

Each component is built with ``project_crawler`` (the project settings) and fed hand-made requests and responses;
crawl-level tests against the fault server are in test_crawl_faults.py.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.defaultheaders import DefaultHeadersMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.http import HtmlResponse, Response

from crawler.middlewares.pagelimit import PageLimitMiddleware, PageLimitReached
from crawler.middlewares.redirects import RedirectCredentialsMiddleware
from crawler.middlewares.retry_after import HostBackingOff, RetryAfterMiddleware, parse_retry_after
from crawler.middlewares.schemes import SchemeFilterMiddleware, SchemeNotAllowed
from tests.pipelines.helpers import project_crawler


# --- schemes ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.news.example/pub/",
        "data:text/html,<h1>hi</h1>",
        "s3://bucket/key",
        "about:blank",
        "ws://news.example/live",
        "gopher://news.example/",
    ],
)
def test_scheme_guard_drops_non_http(url: str) -> None:
    middleware = SchemeFilterMiddleware.from_crawler(project_crawler())
    with pytest.raises(SchemeNotAllowed):
        middleware.process_request(Request(url))
    scheme = url.split(":", 1)[0]
    assert middleware.stats.get_value(f"newscrawl/schemes/dropped/{scheme}") == 1
    assert middleware.stats.get_value("newscrawl/schemes/dropped") == 1


@pytest.mark.parametrize("url", ["http://news.example/a.html", "HTTPS://news.example/b.html"])
def test_scheme_guard_passes_http(url: str) -> None:
    middleware = SchemeFilterMiddleware.from_crawler(project_crawler())
    assert middleware.process_request(Request(url)) is None


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://news.example/x", "data:text/html,hi"])
def test_scheme_guard_drops_a_redirect_to_another_scheme(status: int, location: str) -> None:
    middleware = SchemeFilterMiddleware.from_crawler(project_crawler())
    request = Request("http://news.example/a.html")
    response = Response(request.url, status=status, headers={"Location": location}, request=request)
    with pytest.raises(SchemeNotAllowed, match="redirect"):
        middleware.process_response(request, response)
    scheme = location.split(":", 1)[0]
    assert middleware.stats.get_value(f"newscrawl/schemes/dropped/{scheme}") == 1


@pytest.mark.parametrize(("status", "location", "meta"), [
    (302, "/b.html", {}), (302, "https://news.example/b.html", {}), (200, "file:///etc/passwd", {}),
    (302, "file:///etc/passwd", {"dont_redirect": True}),
])
def test_scheme_guard_leaves_other_responses_alone(status: int, location: str, meta: dict) -> None:
    middleware = SchemeFilterMiddleware.from_crawler(project_crawler())
    request = Request("http://news.example/a.html", meta=meta)
    response = Response(request.url, status=status, headers={"Location": location}, request=request)
    assert middleware.process_response(request, response) is response


# --- redirect credentials ---------------------------------------------------------------------
SECRETS = {"Authorization": "Basic dXNlcjpwYXNz", "Cookie": "session=s3cret"}


def _redirected(source: str, location: str) -> Request:
    """The request Scrapy's RedirectMiddleware builds for a 302 from ``source``."""
    crawler = project_crawler()
    redirect = RedirectMiddleware.from_crawler(crawler)
    request = Request(source, headers=SECRETS)
    response = Response(source, status=302, headers={"Location": location})
    redirected = redirect.process_response(request, response)
    assert isinstance(redirected, Request)
    return redirected


def _strip(request: Request) -> Request:
    RedirectCredentialsMiddleware.from_crawler(project_crawler()).process_request(request)
    return request


class _Spider:
    start_page_urls = ["https://news.example/2025/a.html", "https://feeds.news.example/rss"]


def _with_defaults(url: str, **meta: object) -> Request:
    """``url`` requested as Scrapy's DefaultHeadersMiddleware and then ours see it, with credentials as defaults."""
    crawler = project_crawler({"DEFAULT_REQUEST_HEADERS": {**SECRETS, "Accept-Language": "en"}})
    crawler.spider = _Spider()
    request = Request(url, meta=meta)
    DefaultHeadersMiddleware.from_crawler(crawler).process_request(request)
    RedirectCredentialsMiddleware.from_crawler(crawler).process_request(request)
    return request


@pytest.mark.parametrize("url", ["https://news.example/2025/b.html", "https://feeds.news.example/other"])
def test_default_credentials_go_to_the_start_origins(url: str) -> None:
    request = _with_defaults(url)
    assert request.headers[b"Authorization"] == SECRETS["Authorization"].encode()
    assert request.headers[b"Cookie"] == SECRETS["Cookie"].encode()


@pytest.mark.parametrize("url", ["https://cdn.example/b.html", "http://news.example/b.html", "https://news.example:8443/"])
def test_default_credentials_go_nowhere_else(url: str) -> None:
    request = _with_defaults(url, redirect_urls=["https://news.example/2025/a.html"])
    assert b"Authorization" not in request.headers and b"Cookie" not in request.headers
    assert request.headers[b"Accept-Language"] == b"en"
    request = _with_defaults(url)  # a plain link, no redirect
    assert b"Authorization" not in request.headers and b"Cookie" not in request.headers


def test_scrapy_drops_credentials_on_redirect_to_another_host() -> None:
    """Scrapy 2.19 already does this: kept as a regression test of the dependency."""
    redirected = _redirected("https://news.example/a", "https://evil.example/steal")
    assert b"Authorization" not in redirected.headers
    assert b"Cookie" not in redirected.headers


@pytest.mark.parametrize(
    "location",
    ["https://news.example:8443/b", "http://news.example/b", "https://news.example:444/b"],
)
def test_credentials_never_cross_to_another_origin(location: str) -> None:
    redirected = _strip(_redirected("https://news.example/a", location))
    assert b"Authorization" not in redirected.headers
    assert b"Cookie" not in redirected.headers


def test_scrapy_alone_keeps_the_cookie_on_a_port_change() -> None:
    """The gap RedirectCredentialsMiddleware closes (fails once Scrapy closes it itself)."""
    redirected = _redirected("https://news.example/a", "https://news.example:8443/b")
    assert redirected.headers.get(b"Cookie") == b"session=s3cret"


def test_credentials_stay_on_the_same_origin() -> None:
    redirected = _strip(_redirected("https://news.example/a", "/b"))
    assert redirected.headers.get(b"Authorization") == SECRETS["Authorization"].encode()
    assert redirected.headers.get(b"Cookie") == SECRETS["Cookie"].encode()


def test_meta_refresh_to_another_origin_drops_credentials() -> None:
    crawler = project_crawler()
    refresh = MetaRefreshMiddleware.from_crawler(crawler)
    request = Request("http://news.example/a", headers=SECRETS)
    body = b'<html><head><meta http-equiv="refresh" content="0; url=http://news.example:8080/b"></head></html>'
    redirected = refresh.process_response(request, HtmlResponse(request.url, body=body, request=request))
    assert isinstance(redirected, Request)
    assert b"Cookie" not in _strip(redirected).headers


# --- Retry-After -----------------------------------------------------------------------------
def test_parse_retry_after() -> None:
    now = time.time()
    assert parse_retry_after("120", now=now) == 120
    assert parse_retry_after(" 0 ", now=now) == 0
    assert parse_retry_after(formatdate(now + 90, usegmt=True), now=now) == pytest.approx(90, abs=1.5)
    assert parse_retry_after(formatdate(now - 90, usegmt=True), now=now) == 0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after("-5", now=now) is None


def _retry_after(max_wait: float = 300.0) -> RetryAfterMiddleware:
    crawler = project_crawler(settings_dict={"NEWSCRAWL_RETRY_AFTER_MAX": max_wait})
    return RetryAfterMiddleware.from_crawler(crawler)


def _answer(middleware: RetryAfterMiddleware, url: str, status: int, retry_after: str) -> Request:
    request = Request(url)
    response = Response(url, status=status, headers={"Retry-After": retry_after}, request=request)
    middleware.response_downloaded(response, request)
    return request


def _elapsed(middleware: RetryAfterMiddleware, url: str) -> float:
    started = time.monotonic()
    asyncio.run(middleware.process_request(Request(url)))
    return time.monotonic() - started


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_holds_the_host(status: int) -> None:
    middleware = _retry_after()
    _answer(middleware, "http://news.example/a", status, "1")
    assert _elapsed(middleware, "http://news.example/b") >= 0.9  # same host: waits
    assert _elapsed(middleware, "http://news.example/c") < 0.5  # time is up: no more waiting
    assert middleware.stats.get_value("newscrawl/retry_after/waited") == 1


def test_retry_after_leaves_other_hosts_alone() -> None:
    middleware = _retry_after()
    _answer(middleware, "http://news.example/a", 429, "30")
    assert _elapsed(middleware, "http://other.example/b") < 0.5


def test_retry_after_ignored_on_other_statuses() -> None:
    middleware = _retry_after()
    _answer(middleware, "http://news.example/a", 301, "30")
    assert _elapsed(middleware, "http://news.example/b") < 0.5


def test_retry_after_over_the_cap_drops_requests_instead_of_waiting() -> None:
    middleware = _retry_after(max_wait=60)
    request = _answer(middleware, "http://news.example/a", 429, "3600")
    assert request.meta["dont_retry"] is True  # RetryMiddleware leaves it failed
    with pytest.raises(HostBackingOff):
        asyncio.run(middleware.process_request(Request("http://news.example/b")))
    assert middleware.stats.get_value("newscrawl/retry_after/dropped") == 1


# --- page budget ---------------------------------------------------------------------------
def test_page_limit_per_site() -> None:
    middleware = PageLimitMiddleware.from_crawler(project_crawler(settings_dict={"NEWSCRAWL_MAX_PAGES_PER_SITE": 3}))
    for page in range(3):
        assert middleware.process_request(Request(f"http://news.example/page/{page}")) is None
    middleware.process_request(Request("http://news.example/page/1", meta={"retry_times": 1}))  # a retry: free
    middleware.process_request(Request("http://news.example/robots.txt"))  # not a page: free
    with pytest.raises(PageLimitReached):
        middleware.process_request(Request("http://www.news.example/page/4"))  # same site with www.
    assert middleware.process_request(Request("http://other.example/page/1")) is None
    assert middleware.stats.get_value("newscrawl/pagelimit/dropped") == 1


def test_page_limit_zero_means_off() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        PageLimitMiddleware.from_crawler(project_crawler(settings_dict={"NEWSCRAWL_MAX_PAGES_PER_SITE": 0}))
