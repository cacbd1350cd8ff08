"""The article pipeline: the steps every stored article goes through, in their one order.

``STEPS`` is the composition. The crawl (``pipelines/article.py``), the Redis worker and
ingester (``crawler/distributed``), ``newscrawl import`` and ``newscrawl reparse`` all run
it through ``ArticlePipeline``; adding a step is one line in ``STEPS`` (a class of
``crawler.article.step.ArticleStep``). After the last step, ``article_row`` turns the item
into the row the store writes.

The steps that need nothing but the page come first (``pool_steps``): every entry point
runs them in the pool process that parses the page, in the same hand-off
(``crawler.article.prepare``), and the item arrives here with their result
(``PageItem.ahead``); the steps that need the run's database or a site's other pages
(``writer`` steps) follow, in the process that stores.

``ArticlePipeline`` runs the steps of one run, configured from the settings (a step whose
setting switches it off is left out), with their state. Three ways in, one order:

- ``process(item)``: every step in this process;
- ``await process_async(item, pool)``: the crawl's way; consecutive ``in_pool`` steps run in
  one hand-off to the process pool, the others here (Scrapy awaits the coroutine);
- ``process_batch(items, pool)``: the stored-page commands' way (ingester, import,
  reparse); each run of ``in_pool`` steps is one pool hand-off per item, spread over the
  pool's processes, and the stateful steps see the items in their order.

Each starts after the steps an item's ``ahead`` already ran.

A distributed crawl splits the composition at its first ``writer`` step: the workers run
``page_steps`` and push the item, the single writer runs ``writer_steps`` and the row.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crawler.article.clean import CleanText
from crawler.article.coverage import WatchCoverage
from crawler.article.dedupe import Deduplicate
from crawler.article.furniture import LearnSiteFurniture
from crawler.article.language import FilterLanguage
from crawler.article.row import article_row
from crawler.article.step import ArticleConfig, ArticleStep, Tally, run_steps
from crawler.article.summary import Summarize
from crawler.article.template import LearnSiteTemplate, note_parse_path
from crawler.article.validate import ValidateArticle
from crawler.items import FailedPage, PageItem
from crawler.parsing.template import SiteTemplate
from crawler.pool import ParseCrashed, ParsePool
from crawler.storage import ArticleStore
from crawler.storage.store import ArticleRow

logger = logging.getLogger(__name__)

STEPS: tuple[type[ArticleStep], ...] = (
    CleanText,  # text repaired and normalised, boilerplate lines out, dates in ISO 8601
    ValidateArticle,  # not an article, no title, body too short: skipped with the reason
    FilterLanguage,  # with NEWSCRAWL_LANGUAGES: other languages skipped with the reason
    Summarize,  # extractive summary of the cleaned body (in the pool, with the parse)
    LearnSiteFurniture,  # paragraphs repeated across a site's pages removed, summary redone then (writer)
    Deduplicate,  # storage key; duplicates of this run and of the database skipped (writer)
    LearnSiteTemplate,  # where each field sits on the site's pages, for the parse of its next pages (writer)
    WatchCoverage,  # each site's dates, authors, bodies, links against its history (writer)
)

Result = ArticleRow | FailedPage | PageItem  # PageItem only from a pipeline built with rows=False


def page_steps(steps: Sequence[type[ArticleStep]] = STEPS) -> tuple[type[ArticleStep], ...]:
    """The steps before the first writer step: what a distributed worker runs."""
    for index, step in enumerate(steps):
        if step.writer:
            return tuple(steps[:index])
    return tuple(steps)


def writer_steps(steps: Sequence[type[ArticleStep]] = STEPS) -> tuple[type[ArticleStep], ...]:
    """The steps from the first writer step on: what the single writer runs."""
    return tuple(steps[len(page_steps(steps)):])


@dataclass(frozen=True, slots=True)
class _Group:
    """Consecutive steps that run in the same place."""

    steps: tuple[ArticleStep, ...]
    pooled: bool

    def describe(self, item: PageItem) -> str:
        return f"the {'/'.join(step.name for step in self.steps)} of {item.response_url}"


def _grouped(steps: list[ArticleStep]) -> tuple[_Group, ...]:
    groups: list[_Group] = []
    for step in steps:
        if groups and groups[-1].pooled == step.in_pool:
            groups[-1] = _Group((*groups[-1].steps, step), step.in_pool)
        else:
            groups.append(_Group((step,), step.in_pool))
    return tuple(groups)


def _placed(groups: tuple[_Group, ...]) -> tuple[tuple[_Group, int], ...]:
    placed, offset = [], 0
    for group in groups:
        placed.append((group, offset))
        offset += len(group.steps)
    return tuple(placed)


class ArticlePipeline:
    """The article steps of one run (see the module docstring)."""

    def __init__(
        self,
        config: ArticleConfig,
        *,
        stats: Any,
        steps: Sequence[type[ArticleStep]] = STEPS,
        rows: bool = True,
    ) -> None:
        """``stats``: where counts go (a ``Tally``, or Scrapy's stats collector); ``rows``: end
        with ``article_row`` (False for a distributed worker, which pushes the item)."""
        self.stats = stats
        self.rows = rows
        self.steps = [step for cls in steps if (step := cls.configured(config)) is not None]
        self._groups = _grouped(self.steps)
        self._placed = _placed(self._groups)  # each group with the index of its first step

    def step(self, name: str) -> ArticleStep | None:
        """The configured step of that name (None when the settings left it out)."""
        return next((step for step in self.steps if step.name == name), None)

    def template_for(self, site: str, pinned: SiteTemplate | None = None, *, new_sites: bool = True
                     ) -> SiteTemplate | None:
        """The hint for the parse of a page of ``site``, as a crawl's later pages get it: what the
        template step learned (in this run and kept by earlier ones: field paths, and the fast
        path's confident layouts) under a site profile's pin; None when template learning is off
        and nothing is pinned. ``new_sites`` False: None too for a site nothing was learned of
        (``import``: on a web archive's sites of a few pages each, which never earn a template,
        locating every page's fields cost about a tenth of its CPU). ``import`` and ``reparse``
        ask here; a crawl asks the same book (``crawler.parse_pool.template_for``)."""
        step = self.step("template")
        if not isinstance(step, LearnSiteTemplate):
            return pinned
        if not new_sites and not pinned and not step.book.votes(site).pages:
            return None
        return step.book.for_page(site, pinned)

    def parsed(self, item: PageItem | FailedPage) -> None:
        """A page parsed with ``template_for``'s hint: how it was read is counted, and a fast read its
        full parse disagreed with drops the site's layouts (``note_parse_path``)."""
        step = self.step("template")
        note_parse_path(item, self.stats, step.book if isinstance(step, LearnSiteTemplate) else None)

    @property
    def needs_store(self) -> bool:
        return any(step.writer for step in self.steps)

    @property
    def pool_steps(self) -> tuple[ArticleStep, ...]:
        """The leading ``in_pool`` steps: what ``crawler.article.prepare.parse_fetched`` runs with the parse."""
        return self._groups[0].steps if self._groups and self._groups[0].pooled else ()

    def open(self, store: ArticleStore | None) -> None:
        """The run starts; ``store`` is its database (None on a distributed worker, which has none)."""
        for step in self.steps:
            step.open(store)

    def close(self, store: ArticleStore | None) -> None:
        """The run's rows are stored: each step keeps what it learned (every step is closed,
        the first error is raised after)."""
        error: BaseException | None = None
        for step in self.steps:
            try:
                step.close(store, self.stats)
            except Exception as exc:  # noqa: BLE001 - the other steps still close
                logger.exception("the %s step could not finish the run", step.name)
                error = error or exc
        if error is not None:
            raise error

    # --- one item, here ----------------------------------------------------------------------
    def process(self, item: PageItem | FailedPage) -> Result:
        if not isinstance(item, PageItem):
            return item
        result, done = self._ahead(item)
        if isinstance(result, PageItem):
            result = self._through(self.steps[done:], result)
        return self._finish(result)

    # --- one item, CPU steps in the pool (the crawl) -------------------------------------------
    async def process_async(self, item: PageItem | FailedPage, pool: ParsePool | None) -> Result:
        if not isinstance(item, PageItem):
            return item
        result, done = self._ahead(item)
        for group, offset in self._placed:
            steps = group.steps[max(0, done - offset):]
            if not steps or not isinstance(result, PageItem):
                continue
            if group.pooled and pool is not None and not pool.inline:
                try:
                    result, tally = await pool.run(run_steps, steps, result, what=group.describe(result))
                    tally.add_to(self.stats)
                except ParseCrashed as exc:
                    logger.warning("%s", exc)
                    result = self._crashed(steps, result)
            else:
                result = self._through(steps, result)
        return self._finish(result)

    # --- many items, CPU steps spread over the pool (ingester, import, reparse) --------------------
    def process_batch(self, items: Iterable[PageItem | FailedPage], pool: ParsePool | None) -> list[Result]:
        results: list[PageItem | FailedPage] = []
        done: list[int] = []
        for item in items:
            result, count = self._ahead(item) if isinstance(item, PageItem) else (item, 0)
            results.append(result)
            done.append(count)
        for group, offset in self._placed:
            live = [index for index, result in enumerate(results)
                    if isinstance(result, PageItem) and done[index] < offset + len(group.steps)]
            calls = [(group.steps[max(0, done[index] - offset):], results[index]) for index in live]
            if group.pooled and pool is not None and not pool.inline and calls:
                outs = pool.run_all(run_steps, calls, what="/".join(step.name for step in group.steps))
                for index, out, (steps, item) in zip(live, outs, calls):
                    if isinstance(out, ParseCrashed):
                        results[index] = self._crashed(steps, item)  # type: ignore[arg-type]
                    else:
                        results[index], tally = out
                        tally.add_to(self.stats)
            else:
                for index, (steps, item) in zip(live, calls):
                    results[index] = self._through(steps, item)  # type: ignore[arg-type]
        return [self._finish(result) for result in results]

    # --- helpers ---------------------------------------------------------------------------------
    def ready_for(self, item: PageItem | FailedPage) -> bool:
        """What is left to do for ``item`` runs in this process anyway (its ``ahead`` ran every
        pool step): ``process`` is as good as ``process_async``."""
        if not isinstance(item, PageItem):
            return True
        done = self._ahead_holds(item)
        return done > 0 and not any(step.in_pool for step in self.steps[done:])

    def _ahead_holds(self, item: PageItem) -> int:
        """How many of our steps the item's ``ahead`` ran, while it holds (the item kept the parse
        it started from, and the steps it ran are our first ones); else 0."""
        ahead = item.ahead
        if ahead is None or ahead.source is not item.parsed:
            return 0
        count = len(ahead.done)
        return count if tuple(step.name for step in self.steps[:count]) == ahead.done else 0

    def _ahead(self, item: PageItem) -> tuple[PageItem | FailedPage, int]:
        """The item's ``ahead`` result and how many steps it ran (``_ahead_holds``), its counts
        added to ours; else the item and 0."""
        count = self._ahead_holds(item)
        ahead, item.ahead = item.ahead, None
        if ahead is None or not count:
            return item, 0
        for key, value in ahead.counts.items():
            self.stats.inc_value(key, value)
        return ahead.result, count

    def _through(self, steps: Sequence[ArticleStep], item: PageItem) -> PageItem | FailedPage:
        result: PageItem | FailedPage = item
        for step in steps:
            result = step.process(result, self.stats)
            if not isinstance(result, PageItem):
                break
        return result

    def _crashed(self, steps: Sequence[ArticleStep], item: PageItem) -> PageItem | FailedPage:
        """The steps' work killed a pool worker twice: each step's fallback, here."""
        result: PageItem | FailedPage = item
        for step in steps:
            result = step.crashed(result, self.stats)
            if not isinstance(result, PageItem):
                break
        return result

    def _finish(self, result: PageItem | FailedPage) -> Result:
        if self.rows and isinstance(result, PageItem):
            return article_row(result)
        return result
