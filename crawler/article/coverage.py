"""The coverage step: does a run still get each site's dates, authors, bodies and links?

The commonest silent failure of a crawler is a site that changes its template: pages
still come, articles are still stored, but their dates (or authors, or bodies) stop
coming. Coverage is watched per site, against the site's own history, so a site that
never shows authors is not flagged, and one that always did and stops is:

- a *field* is present in an article when: ``date`` it has a publication date;
  ``authors`` at least one author; ``body`` its word count is at least half the site's
  median so far (a body of normal length, not a teaser or an error text); ``links`` a
  previous or next article link;
- a site's articles are taken in windows of ``window`` articles, in the order they are
  stored; each full window (and at the end, a last window of at least half that size) is
  compared with everything before it: the site's earlier runs (``SiteHistory``, from the
  ``run_coverage`` table) and the run's earlier windows;
- a field *drops* when the baseline had it in at least ``min_share`` of at least
  ``window`` articles and the window has it in at most ``1 - drop`` times that share
  (defaults: baseline >= 50%, window <= half the baseline). Each site and field is
  reported once per run.

``WatchCoverage`` is the article step (a writer step: it needs the site's history from
the database and every page of the site, so in a distributed crawl it runs in the
ingester). A drop is logged as a warning naming the site and field the moment its window
closes, and counted in ``newscrawl/coverage/degraded``; when the run closes, its counts
per site go to ``run_coverage`` (``crawler.storage.coverage``), where ``newscrawl runs``
and ``stats`` find them, and the command exits with DEGRADED (6). Each article also counts
in ``newscrawl/coverage/<site>/articles`` and ``.../<field>`` for the metrics endpoint.

Settings: NEWSCRAWL_COVERAGE_WINDOW (0 = no coverage watch).
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore
from crawler.storage.coverage import CoverageRow, CoverageStore

logger = logging.getLogger(__name__)

FIELDS = ("date", "authors", "body", "links")
MEDIAN_SAMPLE = 1000  # word counts kept per site for its median (the first ones of the run)


@dataclass(slots=True)
class FieldCounts:
    """How many articles of a stretch, and how many of them had each field."""

    articles: int = 0
    present: Counter[str] = field(default_factory=Counter)

    def add(self, fields: dict[str, bool]) -> None:
        self.articles += 1
        self.present.update(name for name, there in fields.items() if there)

    def merge(self, other: FieldCounts) -> None:
        self.articles += other.articles
        self.present.update(other.present)

    def share(self, name: str) -> float:
        return self.present[name] / self.articles if self.articles else 0.0


@dataclass(slots=True)
class SiteHistory:
    """A site's earlier runs, summed: the baseline a new run starts from."""

    counts: FieldCounts
    median_words: float | None


@dataclass(frozen=True, slots=True)
class Drop:
    """A field a site stopped delivering: its share in a window against the baseline before it."""

    site: str
    field: str
    share: float
    articles: int
    baseline_share: float
    baseline_articles: int

    def describe(self) -> str:
        return (f"{self.site}: {self.field} in {self.share:.0%} of {self.articles} articles, down from "
                f"{self.baseline_share:.0%} of the {self.baseline_articles} before")


@dataclass(frozen=True, slots=True)
class CoverageRules:
    window: int = 20  # articles per window
    min_share: float = 0.5  # a field the baseline has in fewer articles than this is not watched
    drop: float = 0.5  # a window with at most (1 - drop) x the baseline's share has dropped


def fields_of(parsed: Any, word_count: int, normal_words: float | None) -> dict[str, bool]:
    """Which fields an article has (``parsed``: a ``ParseResult``)."""
    return {
        "date": bool(parsed.published_at),
        "authors": bool(parsed.authors),
        "body": normal_words is None or word_count >= normal_words / 2,
        "links": bool(parsed.prev_url or parsed.next_url),
    }


def _median(ordered: list[int]) -> float:
    """``statistics.median`` of a sorted, non-empty list, without sorting it again."""
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class SiteCoverage:
    """One site's coverage in a run, window by window, against everything before each window."""

    def __init__(self, site: str, history: SiteHistory | None, rules: CoverageRules) -> None:
        self.site, self.rules = site, rules
        self.baseline = FieldCounts()
        self.history_median = None
        if history is not None:
            self.baseline.merge(history.counts)
            self.history_median = history.median_words
        self.run = FieldCounts()
        self.window = FieldCounts()
        self.words: list[int] = []  # sorted, so the median is a look-up
        self.dropped: set[str] = set()
        self.last: dict[str, bool] = {}  # the fields of the latest article

    def normal_words(self) -> float | None:
        """The site's median word count: this run's so far, else its history's."""
        if len(self.words) >= self.rules.window:
            return _median(self.words)
        return self.history_median

    def add(self, parsed: Any, word_count: int) -> list[Drop]:
        """Count one stored article; the drops shown when it completes a window."""
        fields = self.last = fields_of(parsed, word_count, self.normal_words())
        self.run.add(fields)
        self.window.add(fields)
        if len(self.words) < MEDIAN_SAMPLE:
            bisect.insort(self.words, word_count)
        if self.window.articles < self.rules.window:
            return []
        return self._close_window()

    def finish(self) -> list[Drop]:
        """The drops of the last, partial window (judged when it holds half a window or more)."""
        if self.window.articles * 2 < self.rules.window:
            return []
        return self._close_window()

    def median_words(self) -> float | None:
        return _median(self.words) if self.words else None

    def _close_window(self) -> list[Drop]:
        drops = []
        for name in FIELDS:
            if name in self.dropped or self.baseline.articles < self.rules.window:
                continue
            before, now = self.baseline.share(name), self.window.share(name)
            if before >= self.rules.min_share and now <= before * (1 - self.rules.drop):
                self.dropped.add(name)
                drops.append(Drop(self.site, name, now, self.window.articles, before, self.baseline.articles))
        self.baseline.merge(self.window)
        self.window = FieldCounts()
        return drops


class RunCoverage:
    """Every site of a run (``history``: how to get a site's ``SiteHistory``, asked once per site)."""

    def __init__(self, history: Any, rules: CoverageRules | None = None) -> None:
        self.history = history
        self.rules = rules or CoverageRules()
        self.sites: dict[str, SiteCoverage] = {}
        self.drops: list[Drop] = []

    def add(self, site: str, parsed: Any, word_count: int) -> list[Drop]:
        coverage = self.sites.get(site)
        if coverage is None:
            coverage = self.sites[site] = SiteCoverage(site, self.history(site), self.rules)
        drops = coverage.add(parsed, word_count)
        self.drops.extend(drops)
        return drops

    def finish(self) -> list[Drop]:
        drops = [drop for coverage in self.sites.values() for drop in coverage.finish()]
        self.drops.extend(drops)
        return drops

    def shares(self) -> dict[str, dict[str, float]]:
        """{site: {field: share of this run's articles with it}} (for metrics and reports)."""
        return {site: {name: coverage.run.share(name) for name in FIELDS} for site, coverage in self.sites.items()}

    def rows(self) -> list[CoverageRow]:
        """What the run counted per site, as ``run_coverage`` rows."""
        return [CoverageRow(site, coverage.run.articles, {name: coverage.run.present[name] for name in FIELDS},
                            coverage.median_words(), tuple(name for name in FIELDS if name in coverage.dropped))
                for site, coverage in self.sites.items()]


def degraded_fields(stats: Any) -> list[str]:
    """"site/field" for every drop counted in a run's stats or tally (``newscrawl/coverage/degraded/...``)."""
    prefix = "newscrawl/coverage/degraded/"
    return sorted(key.removeprefix(prefix) for key in stats if key.startswith(prefix))


def history_of(row: CoverageRow | None) -> SiteHistory | None:
    if row is None:
        return None
    return SiteHistory(FieldCounts(row.articles, Counter(row.present)), row.median_words)


class WatchCoverage(ArticleStep):
    """Watch each site's field coverage against its history (the module docstring)."""

    name = "coverage"
    writer = True

    def __init__(self, rules: CoverageRules) -> None:
        self.rules = rules
        self.store: CoverageStore | None = None
        self.coverage = RunCoverage(self._history, rules)

    @classmethod
    def configured(cls, config: ArticleConfig) -> WatchCoverage | None:
        return cls(CoverageRules(window=config.coverage_window)) if config.coverage_window > 0 else None

    def open(self, store: ArticleStore | None) -> None:
        self.store = CoverageStore(store.db) if store is not None else None
        self.coverage = RunCoverage(self._history, self.rules)

    def _history(self, site: str) -> SiteHistory | None:
        return history_of(self.store.history(site)) if self.store is not None else None

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        drops = self.coverage.add(item.site, item.parsed, item.word_count)
        tally.inc_value(f"newscrawl/coverage/{item.site}/articles")
        for name, there in self.coverage.sites[item.site].last.items():
            if there:
                tally.inc_value(f"newscrawl/coverage/{item.site}/{name}")
        self._report(drops, tally)
        return item

    def close(self, store: ArticleStore | None, tally: Tally) -> None:
        """Judge the last windows, record the run's coverage (its id: the ``newscrawl/run_id`` stat)."""
        self._report(self.coverage.finish(), tally)
        run_id = tally.get_value("newscrawl/run_id")
        if self.store is not None and run_id is not None:
            self.store.record(int(run_id), self.coverage.rows())

    @staticmethod
    def _report(drops: list[Drop], tally: Tally) -> None:
        for drop in drops:
            logger.warning("field coverage dropped (template change?): %s", drop.describe())
            tally.inc_value("newscrawl/coverage/degraded")
            tally.inc_value(f"newscrawl/coverage/degraded/{drop.site}/{drop.field}")

