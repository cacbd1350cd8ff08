"""Items and crawlers for pipeline tests: pages go through the real parser, components get a real crawler."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler

from crawler.archive import archive_folder
from crawler.archive.warc import Exchange, WarcFileWriter
from crawler.article import ArticleConfig, ArticlePipeline, ArticleStep
from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.runner import build_settings
from crawler.storage import ArticleStore
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
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


def archive_and_store(store: ArticleStore, pipeline: ArticlePipeline, db_path: Any, pages: Any, fetched: Any,
                      *, fast: bool = False) -> None:
    """Each page (``url``, ``html``) archived and indexed as a crawl does, then parsed with its site's
    template as it stands (the pipeline's template step) and its row stored, in order. ``fast``:
    with the template fast path's layouts and verification schedule too, as a crawl hands them
    (``ArticlePipeline.template_for``), the parse path noted (``ArticlePipeline.parsed``)."""
    book = pipeline.step("template").book  # type: ignore[union-attr]
    writer = WarcFileWriter(archive_folder(db_path), "test", 10**9)
    for page in pages:
        body = page.html.encode()
        written = writer.write(Exchange(page.url, "GET", [], 200, "OK", [("Content-Type", "text/html")], body, fetched))
        ArchiveIndex(store.db).add([ArchivedResponse(None, page.url, page.url, 200, "text/html", fetched.isoformat(),
                                                     written.file, written.offset, written.length, len(body),
                                                     written.payload_digest)])
        site = site_key(page.url)
        parsed = parse_page(body, page.url, now=fetched, template=pipeline.template_for(site) if fast else book.current(site))
        item = PageItem(parsed, page.url, page.url, 200, fetched.isoformat(), site)
        if fast:
            pipeline.parsed(item)
        row = pipeline.process(item)
        store.upsert_articles([row])  # type: ignore[list-item]
    writer.close()
