"""The article steps: what happens to a parsed page between the parser and the database.

No Scrapy here. One module per step (``clean``, ``validate``, ``furniture``, ``dedupe``,
``summary``, ``row``), ``step`` for what a step is, and ``pipeline`` for their composition
(``STEPS``, in order) and the runner every entry point uses (``ArticlePipeline``: the
crawl's item pipeline, the Redis ingester, ``import``, ``reparse``). ``run`` writes a
run's results in batches.
"""

from crawler.article.pipeline import STEPS, ArticlePipeline, page_steps, writer_steps
from crawler.article.row import article_row, failure_row
from crawler.article.run import RunCounts, RunWriter, run_outcome
from crawler.article.step import ArticleConfig, ArticleStep, Tally

__all__ = [
    "STEPS",
    "ArticleConfig",
    "ArticlePipeline",
    "ArticleStep",
    "RunCounts",
    "RunWriter",
    "Tally",
    "article_row",
    "failure_row",
    "page_steps",
    "run_outcome",
    "writer_steps",
]
