"""Field coverage per run and site (``run_coverage``): each run's counts, and a site's history.

``crawler.article.coverage`` decides whether a site's dates, authors, bodies or links
dropped; this module only stores what a run counted and reads a site's earlier runs back
as the baseline of the next.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from crawler.storage.db import transaction

COLUMNS = {"date": "dated", "authors": "with_authors", "body": "normal_body", "links": "with_links"}
HISTORY_RUNS = 5  # a site's baseline: its latest runs that stored articles


@dataclass(slots=True)
class CoverageRow:
    """One site's articles in one run (or several runs summed), and how many had each field."""

    site: str
    articles: int
    present: dict[str, int] = field(default_factory=dict)  # field name (COLUMNS' keys) -> articles with it
    median_words: float | None = None
    degraded: tuple[str, ...] = ()  # fields that dropped in the run


class CoverageStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def history(self, site: str, *, before_run: int | None = None) -> CoverageRow | None:
        """The site's latest HISTORY_RUNS runs with articles (before ``before_run``), summed; None: none.

        ``median_words`` is the median of the runs' medians."""
        rows = self.db.execute(
            f"SELECT articles, {', '.join(COLUMNS.values())}, median_words FROM run_coverage "
            "WHERE site = ? AND articles > 0 AND run_id < ? ORDER BY run_id DESC LIMIT ?",
            [site, before_run if before_run is not None else 2**63 - 1, HISTORY_RUNS],
        ).fetchall()
        if not rows:
            return None
        medians = [row[-1] for row in rows if row[-1] is not None]
        return CoverageRow(
            site=site,
            articles=sum(row[0] for row in rows),
            present={name: sum(row[1 + index] for row in rows) for index, name in enumerate(COLUMNS)},
            median_words=statistics.median(medians) if medians else None,
        )

    def record(self, run_id: int, rows: Iterable[CoverageRow]) -> None:
        """One row per site of the run, in one transaction."""
        values = [[run_id, row.site, row.articles, *(row.present.get(name, 0) for name in COLUMNS),
                   row.median_words, ",".join(row.degraded) or None] for row in rows]
        if not values:
            return
        with transaction(self.db):
            self.db.conn.executemany(
                f"INSERT OR REPLACE INTO run_coverage (run_id, site, articles, {', '.join(COLUMNS.values())}, "
                "median_words, degraded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values,
            )

    def degraded(self, run_id: int) -> list[tuple[str, str]]:
        """(site, fields) of a run whose coverage dropped."""
        return [(site, fields) for site, fields in self.db.execute(
            "SELECT site, degraded FROM run_coverage WHERE run_id = ? AND degraded IS NOT NULL ORDER BY site",
            [run_id]).fetchall()]
