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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.article.pipeline import STEPS, ArticlePipeline, page_steps, writer_steps
    from crawler.article.row import article_row, failure_row
    from crawler.article.run import RunCounts, RunWriter, run_outcome
    from crawler.article.step import ArticleConfig, ArticleStep, Tally

_HOME = {
    "STEPS": "pipeline",
    "ArticlePipeline": "pipeline",
    "page_steps": "pipeline",
    "writer_steps": "pipeline",
    "article_row": "row",
    "failure_row": "row",
    "RunCounts": "run",
    "RunWriter": "run",
    "run_outcome": "run",
    "ArticleConfig": "step",
    "ArticleStep": "step",
    "Tally": "step",
}

__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
