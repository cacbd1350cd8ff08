"""The summary step: every article gets an extractive summary of at most three sentences.

The ranking (TextRank over the article's own sentences, with a lead prior) lives in
``crawler.summarize``; this step applies it to items that passed cleaning, validation and
the language filter. It is CPU work on the page alone, so it runs in the pool process that
parsed the page, in the same hand-off (``crawler.article.prepare``), before the writer
steps: site furniture writes the summary again when it shortens a body (no summary quotes
furniture), and a duplicate de-duplication drops has cost a summary in the pool.

Settings: NEWSCRAWL_SUMMARY_SENTENCES (0 switches the step off).
"""

from __future__ import annotations

import logging

from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.items import PageItem

logger = logging.getLogger(__name__)


def summary_for(item: PageItem, *, max_sentences: int) -> str | None:
    """The summary of the item's cleaned body, split by the rules of its language. ``crawler.summarize``
    (and numpy) is imported at the first summary: the crawl process only composes this step, its pool
    (which preloads it, ``crawler.pool.PRELOAD``) runs it."""
    from crawler.summarize import summarize

    return summarize(item.parsed.body, item.parsed.language, max_sentences=max_sentences)


class Summarize(ArticleStep):
    """The item's ``summary``: at most ``max_sentences`` of its own sentences (``crawler.summarize``)."""

    name = "summary"
    in_pool = True

    def __init__(self, *, max_sentences: int) -> None:
        self.max_sentences = max_sentences

    @classmethod
    def configured(cls, config: ArticleConfig) -> Summarize | None:
        return cls(max_sentences=config.summary_sentences) if config.summary_sentences > 0 else None

    def process(self, item: PageItem, tally: Tally) -> PageItem:
        item.summary = summary_for(item, max_sentences=self.max_sentences)
        if item.summary is None:
            logger.debug("no summary for %s: no sentence long enough", item.response_url)
            tally.inc_value("newscrawl/summary/none")
        else:
            tally.inc_value("newscrawl/summary/written")
        return item

    def crashed(self, item: PageItem, tally: Tally) -> PageItem:
        """The article is stored without a summary, never dropped, and the crash is counted."""
        logger.error("no summary for %s: the summary killed a pool worker twice", item.response_url)
        tally.inc_value("newscrawl/summary/crashed")
        item.summary = None
        return item
