"""The article spider's decisions, fed hand-made responses and failures (no network)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spiderloader import SpiderLoader
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from crawler.download_errors import describe_download_error
from crawler.items import FailedPage, PageItem
from crawler.runner import build_settings
from spiders.article import ArticleSpider
from tests.pipelines.helpers import make_crawler
from tests.spider.site import article_html, article_path

BASE = "http://news.test"


def _spider(**arguments) -> ArticleSpider:
    crawler = make_crawler()
    return ArticleSpider.from_crawler(crawler, url=BASE + article_path(4), **arguments)


def _response(spider: ArticleSpider, path: str, body: bytes, *, direction: str = "both", status: int = 200,
              headers: dict | None = None) -> HtmlResponse:  # fmt: skip
    request = Request(BASE + path, meta={"direction": direction})
    spider._in_flight += 1  # as if the spider had sent it
    return HtmlResponse(
        BASE + path, body=body, status=status, request=request,
        headers=headers if headers is not None else {"Content-Type": "text/html; charset=utf-8"},
    )  # fmt: skip


def _page(index: int) -> bytes:
    return article_html(index, prev_url=article_path(index - 1), next_url=article_path(index + 1))


def test_every_spider_module_is_named_after_its_spider_and_imports() -> None:
    loader = SpiderLoader.from_settings(build_settings())
    names = loader.list()
    assert "article" in names
    for name in names:
        assert loader.load(name).__module__ == f"spiders.{name}"


def test_a_start_page_in_both_directions_follows_prev_and_next_each_keeping_its_side() -> None:
    spider = _spider()
    output = list(spider.parse(_response(spider, article_path(4), _page(4))))
    [item] = [entry for entry in output if isinstance(entry, PageItem)]
    assert item.parsed.is_article and item.site == "news.test" and item.fetched_url == BASE + article_path(4)
    requests = {request.url: request.meta["direction"] for request in output if isinstance(request, Request)}
    assert requests == {BASE + article_path(3): "prev", BASE + article_path(5): "next"}


def test_a_page_reached_going_back_only_follows_prev() -> None:
    spider = _spider()
    output = list(spider.parse(_response(spider, article_path(3), _page(3), direction="prev")))
    assert [request.url for request in output if isinstance(request, Request)] == [BASE + article_path(2)]


def test_a_link_already_seen_is_not_requested_again() -> None:
    spider = _spider()
    list(spider.parse(_response(spider, article_path(4), _page(4))))
    again = list(spider.parse(_response(spider, article_path(5), _page(5), direction="both")))
    assert [request.url for request in again if isinstance(request, Request)] == [BASE + article_path(6)]
    assert spider.crawler.stats.get_value("newscrawl/links/seen") == 1  # its prev link: the start page


def test_max_articles_leaves_no_budget_for_more_requests() -> None:
    spider = _spider(max_articles="2")
    output = list(spider.parse(_response(spider, article_path(4), _page(4))))
    assert len([request for request in output if isinstance(request, Request)]) == 1  # 1 candidate + 1 in flight
    assert spider.crawler.stats.get_value("newscrawl/links/over_budget") == 1


@pytest.mark.parametrize(
    ("status", "headers", "body", "reason"),
    [
        (404, None, b"<html><body>gone</body></html>", "http_404"),
        (503, None, b"<html><body>busy</body></html>", "http_503"),
        (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 ...", "not_html"),
        (200, {}, b"\x00\x01\x02\x03binary\x00" * 50, "not_html"),
        (200, None, b"   \n ", "empty_page"),
    ],
)
def test_responses_that_cannot_hold_an_article_become_failed_pages(status, headers, body, reason) -> None:
    spider = _spider()
    [failure] = list(spider.parse(_response(spider, "/x.html", body, status=status, headers=headers)))
    assert isinstance(failure, FailedPage)
    assert (failure.reason, failure.url, failure.site) == (reason, BASE + "/x.html", "news.test")
    assert failure.detail and failure.failed_at
    assert spider._in_flight == 0


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DownloadTimeoutError("took too long"), "timeout"),
        (CannotResolveHostError("no such host"), "dns_error"),
        (ConnectionRefusedError(), "connection_refused"),
        (IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (IgnoreRequest("dropped by some middleware"), "ignored"),
        (RuntimeError("something else"), "download_error"),
    ],
)
def test_download_errors_have_stable_reason_codes(error: Exception, reason: str) -> None:
    assert describe_download_error(Failure(error))[0] == reason


def test_the_errback_records_the_failure_and_robots_refusals_as_skipped() -> None:
    spider = _spider()
    for error, reason, skipped in (
        (DownloadTimeoutError("took too long"), "timeout", False),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_disallowed", True),
    ):
        failure = Failure(error)
        failure.request = Request(BASE + "/slow.html")
        spider._in_flight += 1
        [page] = list(spider.on_error(failure))
        assert (page.reason, page.skipped, page.url) == (reason, skipped, BASE + "/slow.html")
    assert spider._in_flight == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"url": ""}, "start URL"),
        ({"url": "ftp://news.test/a"}, "not an http"),
        ({"url": BASE + "/a", "direction": "up"}, "direction"),
        ({"url": BASE + "/a", "max_articles": "many"}, "whole number"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(arguments: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ArticleSpider.from_crawler(make_crawler(), **arguments)


def test_a_plain_binary_response_without_html_class_is_still_judged_by_content() -> None:
    spider = _spider()
    request = Request(BASE + "/file", meta={"direction": "both"})
    spider._in_flight += 1
    response = Response(BASE + "/file", body=b"\x89PNG\r\n\x1a\n\x00\x00" * 20, request=request)
    [failure] = list(spider.parse(response))
    assert failure.reason == "not_html"
