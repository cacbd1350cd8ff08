"""What an article step is, the settings the steps read, and the counts they keep.

A step takes a ``PageItem`` and returns it (changed or not), or a skipped ``FailedPage``
with its reason. ``crawler.article.pipeline`` runs the steps in order; a step never calls
another. Two class attributes tell the runner where a step may run:

- ``in_pool``: the step is pure CPU work on the item alone (no state kept between items,
  no database), so it may run in a pool process: the runner pickles the step with the
  item and sends both (``crawler.pool``). Consecutive pool steps go in one hand-off.
- ``writer``: the step needs the run's database or every page of a site (site furniture,
  de-duplication). In a distributed crawl it runs at the single writer (``newscrawl
  ingest``); the steps before the first writer step run on the workers.

A step that keeps state across items implements ``open`` (the run's database is ready)
and ``close`` (the run's rows are stored; write what was learned).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from crawler.items import FailedPage, PageItem

if TYPE_CHECKING:  # the pool processes run steps without the storage package
    from crawler.storage import ArticleStore


class Tally(Counter[str]):
    """What the steps did, counted under Scrapy-style stats keys (``newscrawl/clean/date_dropped``).

    ``inc_value`` is the one method the steps call, so a Scrapy stats collector can stand in
    for a tally wherever a crawl has one.
    """

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value

    def add_to(self, stats: Any) -> None:
        """Add these counts to another tally or to Scrapy's stats collector."""
        for key, count in self.items():
            stats.inc_value(key, count)


@dataclass(frozen=True, slots=True)
class ArticleConfig:
    """The settings the article steps read (their defaults are in ``crawler/settings.py``)."""

    db_path: str  # NEWSCRAWL_DB_PATH
    min_body_chars: int  # NEWSCRAWL_MIN_BODY_CHARS
    furniture_min_pages: int  # NEWSCRAWL_FURNITURE_MIN_PAGES (0 = no furniture learning)
    furniture_min_share: float  # NEWSCRAWL_FURNITURE_MIN_SHARE
    summary_sentences: int  # NEWSCRAWL_SUMMARY_SENTENCES (0 = no summaries)
    languages: frozenset[str] = frozenset()  # NEWSCRAWL_LANGUAGES, primary subtags (empty = every language)
    coverage_window: int = 0  # NEWSCRAWL_COVERAGE_WINDOW (0 = no coverage watch)
    template_min_pages: int = 0  # NEWSCRAWL_TEMPLATE_MIN_PAGES (0 = no template learning)
    template_min_share: float = 1.0  # NEWSCRAWL_TEMPLATE_MIN_SHARE
    fast_path_min_pages: int = 0  # NEWSCRAWL_FAST_PATH_MIN_PAGES (0 = no template fast path)
    fast_path_min_share: float = 1.0  # NEWSCRAWL_FAST_PATH_MIN_SHARE
    fast_path_verify_every: int = 1  # NEWSCRAWL_FAST_PATH_VERIFY_EVERY
    fast_path_verify_most: int = 0  # NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY (<= the above: every Nth, fixed)
    archive_dir: str | None = None  # the WARC archive's folder (None: NEWSCRAWL_ARCHIVE off)

    @classmethod
    def from_settings(cls, settings: Any) -> ArticleConfig:
        """From Scrapy ``Settings`` (``crawler.runner.build_settings()`` outside a crawl); a bad
        NEWSCRAWL_LANGUAGES raises ValueError."""
        from crawler.archive import archive_folder
        from crawler.article.language import wanted_languages  # the step's own module imports this one

        return cls(
            db_path=str(settings.get("NEWSCRAWL_DB_PATH")),
            min_body_chars=settings.getint("NEWSCRAWL_MIN_BODY_CHARS"),
            furniture_min_pages=settings.getint("NEWSCRAWL_FURNITURE_MIN_PAGES"),
            furniture_min_share=settings.getfloat("NEWSCRAWL_FURNITURE_MIN_SHARE"),
            summary_sentences=settings.getint("NEWSCRAWL_SUMMARY_SENTENCES"),
            languages=wanted_languages(settings.getlist("NEWSCRAWL_LANGUAGES")),
            coverage_window=settings.getint("NEWSCRAWL_COVERAGE_WINDOW"),
            template_min_pages=settings.getint("NEWSCRAWL_TEMPLATE_MIN_PAGES"),
            template_min_share=settings.getfloat("NEWSCRAWL_TEMPLATE_MIN_SHARE"),
            fast_path_min_pages=settings.getint("NEWSCRAWL_FAST_PATH_MIN_PAGES"),
            fast_path_min_share=settings.getfloat("NEWSCRAWL_FAST_PATH_MIN_SHARE"),
            fast_path_verify_every=max(1, settings.getint("NEWSCRAWL_FAST_PATH_VERIFY_EVERY")),
            fast_path_verify_most=settings.getint("NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY"),
            archive_dir=str(archive_folder(settings.get("NEWSCRAWL_DB_PATH"), settings.get("NEWSCRAWL_ARCHIVE_DIR")))
            if settings.getbool("NEWSCRAWL_ARCHIVE") else None,
        )


class ArticleStep:
    """Base of the article steps; a subclass sets ``name`` and implements ``process``."""

    name: ClassVar[str]
    in_pool: ClassVar[bool] = False
    writer: ClassVar[bool] = False

    @classmethod
    def configured(cls, config: ArticleConfig) -> ArticleStep | None:
        """The step as the settings ask for it, or None when they switch it off."""
        return cls()

    def open(self, store: ArticleStore | None) -> None:
        """The run starts: ``store`` is the database the run writes (steps read it, never write
        rows); None on a distributed worker, which runs no writer step."""

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        raise NotImplementedError

    def crashed(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        """The item when the pool process running this step died twice on it: by default the
        step runs here instead (a step whose work may crash a process overrides this)."""
        return self.process(item, tally)

    def close(self, store: ArticleStore | None, tally: Tally) -> None:
        """The run's rows are stored: keep what was learned."""


def run_steps(steps: tuple[ArticleStep, ...], item: PageItem) -> tuple[PageItem | FailedPage, Tally]:
    """The item through ``steps`` with a fresh tally (module level: what a pool process runs)."""
    tally = Tally()
    result: PageItem | FailedPage = item
    for step in steps:
        result = step.process(result, tally)
        if not isinstance(result, PageItem):
            break
    return result, tally
