"""SummarizeArticlePipeline: every article gets an extractive summary of at most three sentences.

The ranking (TextRank over the article's own sentences, with a lead prior) lives in
``crawler.summarize``; this module only applies it to items that reached storage,
after cleaning, validation and de-duplication, so a dropped page costs nothing.

With a process pool (``crawler.parse_pool``, NEWSCRAWL_PARSE_PROCESSES) the ranking runs
in a pool process.

Settings: NEWSCRAWL_SUMMARY_SENTENCES (0 switches the pipeline off).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.items import PageItem
from crawler.parse_pool import ParseCrashed, ParsePool, crawler_pool
from crawler.summarize import summarize

logger = logging.getLogger(__name__)


def summary_for(item: PageItem, *, max_sentences: int) -> str | None:
    """The summary of the item's cleaned body, split by the rules of its language."""
    return _summary(item.parsed.body, item.parsed.language, max_sentences)


def _summary(body: str | None, language: str | None, max_sentences: int) -> str | None:
    # module level, positional: what a pool process is sent
    return summarize(body, language, max_sentences=max_sentences)


class SummarizeArticlePipeline:
    def __init__(self, stats: Any, *, max_sentences: int, pool: ParsePool | None = None) -> None:
        self.stats = stats
        self.max_sentences = max_sentences
        self.pool = pool if pool is not None and not pool.inline else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SummarizeArticlePipeline:
        max_sentences = crawler.settings.getint("NEWSCRAWL_SUMMARY_SENTENCES")
        if max_sentences <= 0:
            raise NotConfigured("NEWSCRAWL_SUMMARY_SENTENCES is 0: no summaries")
        return cls(crawler.stats, max_sentences=max_sentences, pool=crawler_pool(crawler))

    def process_item(self, item: Any) -> Any:
        """The item with its summary; with a process pool, a coroutine Scrapy awaits (the
        ranking is CPU work, done beside the reactor)."""
        if not isinstance(item, PageItem):
            return item
        if self.pool is not None:
            return self._in_pool(item, self.pool)
        item.summary = summary_for(item, max_sentences=self.max_sentences)
        return self._counted(item)

    async def _in_pool(self, item: PageItem, pool: ParsePool) -> PageItem:
        try:
            item.summary = await pool.run(_summary, item.parsed.body, item.parsed.language, self.max_sentences,
                                          what=f"the summary of {item.response_url}")
        except ParseCrashed as exc:  # the article is stored without a summary, never dropped
            logger.error("no summary for %s: %s", item.response_url, exc)
            self.stats.inc_value("newscrawl/summary/crashed")
            item.summary = None
            return item
        return self._counted(item)

    def _counted(self, item: PageItem) -> PageItem:
        if item.summary is None:
            logger.debug("no summary for %s: no sentence long enough", item.response_url)
            self.stats.inc_value("newscrawl/summary/none")
        else:
            self.stats.inc_value("newscrawl/summary/written")
        return item
