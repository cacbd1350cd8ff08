"""ArticleStepsPipeline: the article steps (``crawler.article``) as one Scrapy item pipeline.

Each ``PageItem`` goes through ``crawler.article.pipeline.STEPS`` in their order and comes
out as the ``ArticleRow`` the store pipeline writes, or as a skipped ``FailedPage`` with
its reason. The first steps, pure CPU work on the page alone (cleaning, validation,
language, the summary), run in the crawl's process pool in the hand-off that parses the
page (``crawler.parse_pool.parse_with_steps``): the item arrives with their result and
the rest run here. Without that result (no pool, or a spider that changed the parse) the
pure steps go to the pool by themselves, and ``process_item`` returns a coroutine Scrapy
awaits. The steps' counts go to the crawl's stats.

``PageStepsPipeline`` is a distributed worker's: only the steps before the first writer
step, and the item goes on (to Redis) as a ``PageItem``; ``newscrawl ingest`` runs the rest.

Settings: NEWSCRAWL_DB_PATH, NEWSCRAWL_PARSE_PROCESSES, and the steps' own
(``crawler.article.step.ArticleConfig``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy import signals

from crawler.article import STEPS, ArticleConfig, ArticlePipeline, ArticleStep, page_steps
from crawler.items import PageItem
from crawler.parse_pool import crawler_pool, parse_with_steps, share_templates
from crawler.pool import ParsePool
from crawler.storage import ArticleStore, open_database


class ArticleStepsPipeline:
    steps: ClassVar[tuple[type[ArticleStep], ...]] = STEPS
    rows: ClassVar[bool] = True

    def __init__(self, pipeline: ArticlePipeline, *, db_path: str, pool: ParsePool | None = None) -> None:
        self.pipeline = pipeline
        self.db_path = db_path
        self.pool = pool if pool is not None and not pool.inline else None
        self.store: ArticleStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArticleStepsPipeline:
        config = ArticleConfig.from_settings(crawler.settings)
        pipeline = ArticlePipeline(config, stats=crawler.stats, steps=cls.steps, rows=cls.rows)
        adapter = cls(pipeline, db_path=config.db_path, pool=crawler_pool(crawler))
        template = pipeline.step("template")
        if template is not None:
            share_templates(crawler, template.book)  # type: ignore[attr-defined]
        parse_with_steps(crawler, pipeline.pool_steps)
        crawler.signals.connect(adapter.spider_closed, signal=signals.spider_closed)
        return adapter

    def open_spider(self) -> None:
        if self.pipeline.needs_store:
            self.store = ArticleStore(open_database(self.db_path))
        self.pipeline.open(self.store)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        if self.pool is not None and not self.pipeline.ready_for(item):
            return self.pipeline.process_async(item, self.pool)
        return self.pipeline.process(item)

    def spider_closed(self) -> None:
        """After every pipeline's close_spider (the store has written the run's rows): the steps
        keep what they learned."""
        try:
            self.pipeline.close(self.store)
        finally:
            if self.store is not None:
                self.store.db.conn.close()
                self.store = None


class PageStepsPipeline(ArticleStepsPipeline):
    steps = page_steps(STEPS)
    rows = False
