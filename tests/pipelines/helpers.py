"""Items and crawlers for pipeline tests: pages go through the real parser, components get a real crawler."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.runner import build_settings
from crawler.urls import site_key
from tests.spider.site import article_html

BASE = "http://news.test"


class PipelineTestSpider(Spider):
    name = "pipeline-test"


def make_crawler(**overrides: Any) -> Any:
    """A crawler with the project settings plus overrides, its spider attached (as while crawling).

    Pipelines work inline here (NEWSCRAWL_PARSE_PROCESSES 1), so ``process_item`` returns the
    item; tests of the pool path pass NEWSCRAWL_PARSE_PROCESSES=2 and await it."""
    if not is_reactor_installed():
        install_reactor(build_settings()["TWISTED_REACTOR"])
    # TWISTED_REACTOR None: use whichever reactor this test session installed first.
    settings = build_settings({"NEWSCRAWL_DB_FLUSH_INTERVAL": 0, "TWISTED_REACTOR": None,
                               "NEWSCRAWL_PARSE_PROCESSES": 1, **overrides})
    crawler = get_crawler(PipelineTestSpider, settings.copy_to_dict())
    crawler.spider = PipelineTestSpider()
    return crawler


def page_item(html: bytes, url: str, *, fetched_url: str | None = None, status: int = 200) -> PageItem:
    return PageItem(
        parsed=parse_page(html, url, content_type="text/html; charset=utf-8"),
        fetched_url=fetched_url or url,
        response_url=url,
        http_status=status,
        fetched_at="2025-03-05T10:00:00+00:00",
        site=site_key(url),
    )


def article_item(index: int, *, path: str | None = None, **kwargs: Any) -> PageItem:
    """An article of the test site as the spider hands it over."""
    url = BASE + (path or f"/a/{index}.html")
    return page_item(article_html(index), url, **kwargs)


def run_pipelines(item: Any, pipelines: list[Any]) -> Any:
    for pipeline in pipelines:
        item = pipeline.process_item(item)
    return item
