"""The article steps: what happens to a parsed page between the parser and the database.

No Scrapy here. One module per step (``clean``, ``validate``, ``furniture``, ``dedupe``,
``summary``, ``row``), ``step`` for what a step is, and ``pipeline`` for their composition
(``STEPS``, in order) and the runner every entry point uses (``ArticlePipeline``: the
crawl's item pipeline, the Redis ingester, ``import``, ``reparse``). ``run`` writes a
run's results in batches.

The names below are imported when first asked for: a pool process runs the page steps
(``crawler.article.prepare``) without the writer steps, the storage package and the archive
that ``pipeline`` and ``run`` import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.lazy import lazy_exports

if TYPE_CHECKING:
    from crawler.article.pipeline import STEPS, ArticlePipeline, page_steps, writer_steps
    from crawler.article.row import article_row, failure_row
    from crawler.article.run import RunCounts, RunWriter, run_outcome
    from crawler.article.step import ArticleConfig, ArticleStep, Tally

_EXPORTS = {
    "STEPS": "crawler.article.pipeline",
    "ArticlePipeline": "crawler.article.pipeline",
    "page_steps": "crawler.article.pipeline",
    "writer_steps": "crawler.article.pipeline",
    "article_row": "crawler.article.row",
    "failure_row": "crawler.article.row",
    "RunCounts": "crawler.article.run",
    "RunWriter": "crawler.article.run",
    "run_outcome": "crawler.article.run",
    "ArticleConfig": "crawler.article.step",
    "ArticleStep": "crawler.article.step",
    "Tally": "crawler.article.step",
}

__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
