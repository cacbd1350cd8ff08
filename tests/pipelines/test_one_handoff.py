"""One pool hand-off a page: the parse and the first article steps together, the same rows as step by step."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from crawler.article import STEPS, ArticleConfig, ArticlePipeline
from crawler.article.prepare import FetchedPage, parse_fetched
from crawler.items import FailedPage, PageItem
from crawler.parsing import parse_page
from crawler.pool import ParsePool
from crawler.storage.store import ArticleRow
from crawler.urls import site_key
from tests.pipelines.helpers import BASE, make_crawler
from tests.spider.site import article_html

FETCHED_AT = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)


def _page(index: int, body: bytes | None = None) -> FetchedPage:
    url = f"{BASE}/a/{index}.html"
    return FetchedPage(body=body or article_html(index), content_type="text/html; charset=utf-8", fetched_url=url,
                       response_url=url, http_status=200, fetched_at=FETCHED_AT, site=site_key(url))


def _pipeline(**overrides) -> tuple[ArticlePipeline, object]:
    crawler = make_crawler(**overrides)
    return ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats), crawler


class CountingPool(ParsePool):
    """A two-process pool that runs inline and counts the hand-offs it was given."""

    def __init__(self) -> None:
        super().__init__(2)
        self.calls = 0

    async def run(self, function, *args, what=""):
        self.calls += 1
        return function(*args)

    def run_all(self, function, arguments, *, what=""):
        batch = list(arguments)
        self.calls += len(batch)
        return [function(*args) for args in batch]


def test_the_pure_steps_run_first_so_they_go_with_the_parse():
    pipeline, _ = _pipeline()
    names = [step.name for step in pipeline.pool_steps]
    assert names == ["clean", "validate", "summary"]  # language is off without NEWSCRAWL_LANGUAGES
    assert all(step.in_pool and not step.writer for step in pipeline.pool_steps)
    assert not any(step.in_pool for step in pipeline.steps[len(names):])
    assert [cls.name for cls in STEPS].index("summary") < [cls.name for cls in STEPS].index("furniture")


def test_steps_run_with_the_parse_give_the_same_rows_and_counts_as_step_by_step():
    ahead_pipeline, ahead_crawler = _pipeline()
    plain_pipeline, plain_crawler = _pipeline()
    pages = [_page(1), _page(2), _page(3, body=b"<html><head><title>Menu</title></head><body><p>Home</p></body></html>")]
    prepared = [parse_fetched(page, ahead_pipeline.pool_steps) for page in pages]
    plain = [page.item(parse_page(page.body, page.response_url, content_type=page.content_type,
                                  now=page.fetched_at)) for page in pages]
    assert all(isinstance(item, PageItem) and item.ahead is not None for item in prepared)
    assert prepared[0].parsed == plain[0].parsed  # the spider still sees the parse as the parser made it
    with_ahead = [ahead_pipeline.process(item) for item in prepared]
    step_by_step = [plain_pipeline.process(item) for item in plain]
    assert [type(row) for row in with_ahead] == [ArticleRow, ArticleRow, FailedPage]
    assert with_ahead == step_by_step
    assert with_ahead[0].summary
    keys = ("newscrawl/summary/written", "newscrawl/skipped/not_article")
    assert [ahead_crawler.stats.get_value(key) for key in keys] == [plain_crawler.stats.get_value(key) for key in keys]


def test_an_item_with_its_steps_done_needs_no_more_hand_offs():
    pipeline, _ = _pipeline()
    pool = CountingPool()
    item = parse_fetched(_page(1), pipeline.pool_steps)
    assert pipeline.ready_for(item)
    row = asyncio.run(pipeline.process_async(item, pool))
    [batch_row] = pipeline.process_batch([parse_fetched(_page(2), pipeline.pool_steps)], pool)
    assert isinstance(row, ArticleRow) and isinstance(batch_row, ArticleRow)
    assert pool.calls == 0


def test_a_changed_parse_runs_the_steps_again():
    """A spider that changes the parse (selector overrides) gives the item a new ParseResult: the
    result computed on the old one is not used."""
    pipeline, _ = _pipeline()
    pool = CountingPool()
    item = parse_fetched(_page(1), pipeline.pool_steps)
    item.parsed = replace(item.parsed, title="  Overridden   title  ")
    assert not pipeline.ready_for(item)
    row = asyncio.run(pipeline.process_async(item, pool))
    assert row.title == "Overridden title"  # cleaned by the steps run again
    assert pool.calls == 1  # the pure steps, in one hand-off


def test_the_crawl_middleware_parses_and_runs_the_steps_in_one_hand_off(tmp_path: Path):
    from scrapy.http import HtmlResponse, Request

    from crawler.parse_pool import ParseInPoolMiddleware, parse_with_steps, pooled_item
    from pipelines.article import ArticleStepsPipeline

    crawler = make_crawler(NEWSCRAWL_PARSE_PROCESSES=2, NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"))
    adapter = ArticleStepsPipeline.from_crawler(crawler)
    pool = CountingPool()
    middleware = ParseInPoolMiddleware(crawler, pool)
    parse_with_steps(crawler, adapter.pipeline.pool_steps)
    url = f"{BASE}/a/1.html"
    request = Request(url, callback=crawler.spider.parse)
    response = HtmlResponse(url, body=article_html(1), headers={"Content-Type": "text/html"}, request=request)
    asyncio.run(middleware.process_response(request, response))
    item = pooled_item(response)
    assert pool.calls == 1
    assert item.ahead.done == ("clean", "validate", "summary")
    adapter.pool = pool
    adapter.open_spider()
    try:
        row = adapter.process_item(item)
    finally:
        adapter.spider_closed()
    assert isinstance(row, ArticleRow) and row.summary  # no coroutine: nothing left for the pool
    assert pool.calls == 1
