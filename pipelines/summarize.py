"""SummarizeArticlePipeline: every article gets an extractive summary of at most three sentences.

The ranking (TextRank over the article's own sentences, with a lead prior) lives in
``crawler.summarize``; this module only applies it to items that reached storage,
after cleaning, validation and de-duplication, so a dropped page costs nothing.

Settings: NEWSCRAWL_SUMMARY_SENTENCES (0 switches the pipeline off).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.items import PageItem
from crawler.summarize import summarize

logger = logging.getLogger(__name__)


def summary_for(item: PageItem, *, max_sentences: int) -> str | None:
    """The summary of the item's cleaned body, split by the rules of its language."""
    return summarize(item.parsed.body, item.parsed.language, max_sentences=max_sentences)


class SummarizeArticlePipeline:
    def __init__(self, stats: Any, *, max_sentences: int) -> None:
        self.stats = stats
        self.max_sentences = max_sentences

    @classmethod
    def from_crawler(cls, crawler: Any) -> SummarizeArticlePipeline:
        max_sentences = crawler.settings.getint("NEWSCRAWL_SUMMARY_SENTENCES")
        if max_sentences <= 0:
            raise NotConfigured("NEWSCRAWL_SUMMARY_SENTENCES is 0: no summaries")
        return cls(crawler.stats, max_sentences=max_sentences)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        item.summary = summary_for(item, max_sentences=self.max_sentences)
        if item.summary is None:
            logger.debug("no summary for %s: no sentence long enough", item.response_url)
            self.stats.inc_value("newscrawl/summary/none")
        else:
            self.stats.inc_value("newscrawl/summary/written")
        return item
