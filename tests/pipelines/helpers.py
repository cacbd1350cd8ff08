"""Items and crawlers for pipeline tests: pages go through the real parser, components get a real crawler."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler

from bench.template.redesign import archive_and_store  # noqa: F401 - the tests' way to run a site's pages
from crawler.article import ArticleConfig, ArticlePipeline, ArticleStep
from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.runner import build_settings
from crawler.urls import site_key
from tests.spider.site import article_html

BASE = "http://news.test"


class PipelineTestSpider(Spider):
    name = "pipeline-test"


def _install_reactor() -> None:
    if not is_reactor_installed():
        install_reactor(build_settings()["TWISTED_REACTOR"])


def project_crawler(settings_dict: dict[str, Any] | None = None) -> Any:
    """A crawler with the project settings (every default, from crawler/settings.py) plus ``settings_dict``,
    as ``scrapy.utils.test.get_crawler`` builds one with Scrapy's own defaults only."""
    _install_reactor()
    return get_crawler(settings_dict={**build_settings().copy_to_dict(), "TWISTED_REACTOR": None, **(settings_dict or {})})


def make_crawler(**overrides: Any) -> Any:
    """A crawler with the project settings plus overrides, its spider attached (as while crawling).

    Pipelines work inline here (NEWSCRAWL_PARSE_PROCESSES 1), so ``process_item`` returns the
    item; tests of the pool path pass NEWSCRAWL_PARSE_PROCESSES=2 and await it."""
    _install_reactor()
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


def article_steps(*steps: type[ArticleStep], crawler: Any = None, **overrides: Any) -> ArticlePipeline:
    """Only these article steps, configured from the project settings plus overrides, counting into
    the crawler's stats; the item comes out as a PageItem (no row). Open it with a store for the
    writer steps."""
    crawler = crawler or make_crawler(**overrides)
    return ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats, steps=steps, rows=False)


