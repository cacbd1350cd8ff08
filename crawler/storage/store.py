"""The one write API over the database: runs, articles (batched upserts), failures.

Every statement is parameterised; table and column names come only from this module.
Writes of one batch happen in one transaction, so a killed process leaves either the
whole batch or none of it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import Enum
from typing import Any

import sqlite_utils

from crawler.storage.db import transaction

ARTICLE_COLUMNS = (
    "url",
    "site",
    "title",
    "body",
    "published_at",
    "published_relative",
    "modified_at",
    "authors",
    "language",
    "description",
    "site_name",
    "prev_url",
    "prev_title",
    "next_url",
    "next_title",
    "word_count",
    "content_hash",
    "fetched_url",
    "fetched_at",
    "summary",
    "image_url",
    "keywords",
    "free_to_read",
    "article_uncertain",
)
# Columns refreshed when a stored article is seen again with the same content (the page's
# furniture around the text: neighbours, image, tags, paywall).
_SEEN_COLUMNS = (
    "fetched_at", "fetched_url", "prev_url", "prev_title", "next_url", "next_title", "image_url", "keywords", "free_to_read",
    "article_uncertain",
)

RUN_COUNTERS = (
    "pages_fetched",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
    "skipped",
    "failed",
)


# A run whose process died: its end is the last thing it wrote (a crawl state change, a
# failure), its start when it wrote nothing; its counts are read from its crawl state rows
# (state and reason), the articles they stored (new when first seen after the run began,
# updated when a version was replaced after it began) and its failures.
_KILLED_RUN = """
WITH mine AS (SELECT s.state, s.reason, a.first_seen_at, a.url AS article
              FROM crawl_state AS s LEFT JOIN articles AS a ON a.url = s.url WHERE s.run_id = :run),
     run AS (SELECT started_at FROM runs WHERE id = :run),
     stored AS (SELECT article, first_seen_at FROM mine WHERE state = 'done' AND reason = 'stored'),
     new AS (SELECT count(*) AS n FROM stored WHERE first_seen_at >= (SELECT started_at FROM run)),
     updated AS (SELECT count(*) AS n FROM stored WHERE first_seen_at < (SELECT started_at FROM run)
                 AND EXISTS (SELECT 1 FROM article_history AS h WHERE h.url = stored.article
                             AND h.replaced_at >= (SELECT started_at FROM run)))
UPDATE runs SET
    outcome = 'interrupted',
    finish_reason = 'the process ended without closing its run (found by a later run; end and counts from what it left)',
    finished_at = coalesce((SELECT max(t) FROM (
        SELECT max(updated_at) AS t FROM crawl_state WHERE run_id = :run
        UNION ALL SELECT max(failed_at) FROM failures WHERE run_id = :run)), started_at),
    articles_new = (SELECT n FROM new),
    articles_updated = (SELECT n FROM updated),
    articles_unchanged = (SELECT count(*) FROM stored) - (SELECT n FROM new) - (SELECT n FROM updated),
    not_modified = (SELECT count(*) FROM mine WHERE state = 'done' AND reason = 'not_modified'),
    skipped = (SELECT count(*) FROM mine WHERE state = 'skipped'),
    failed = (SELECT count(*) FROM failures WHERE run_id = :run),
    pages_fetched = (SELECT count(*) FROM mine WHERE state IN ('done', 'failed')
                     OR (state = 'skipped' AND reason != 'outside_window'))
WHERE id = :run
"""


# Before its counts are read: a URL the killed run had pending or in flight whose article is
# stored was stored by it, killed before the crawl state said so. No run would settle it
# (``CrawlState.resumable`` passes stored articles over), so it stayed pending for ever.
_SETTLE_STORED = """
UPDATE crawl_state SET state = 'done', reason = 'stored'
WHERE run_id = :run AND state IN ('pending', 'in_flight') AND url IN (SELECT url FROM articles)
"""


class UpsertOutcome(str, Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article as stored; built by the store pipeline from a cleaned item."""

    url: str
    site: str
    title: str
    body: str
    content_hash: str
    fetched_at: str
    published_at: str | None = None
    published_relative: bool = False  # published_at resolved from "3 hours ago" against fetched_at
    modified_at: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    prev_url: str | None = None
    prev_title: str | None = None
    next_url: str | None = None
    next_title: str | None = None
    word_count: int = 0
    fetched_url: str | None = None
    summary: str | None = None
    image_url: str | None = None  # the lead image, absolute
    keywords: tuple[str, ...] = ()
    free_to_read: bool | None = None  # None when the page does not say
    article_uncertain: bool = False  # detection called the page an article by a small margin

    def values(self) -> dict[str, Any]:
        row = {name: getattr(self, name) for name in ARTICLE_COLUMNS}
        row["authors"] = json.dumps(list(self.authors), ensure_ascii=False)
        row["keywords"] = json.dumps(list(self.keywords), ensure_ascii=False)
        return row


class ArticleStore:
    """Writes to one newscrawl database (see ``crawler.storage.open_database``)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)

    # --- runs -------------------------------------------------------------------------
    def start_run(self, *, spider: str, started_at: str, arguments: dict[str, Any], site: str | None = None) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, spider, site, arguments) VALUES (?, ?, ?, ?)",
                [started_at, spider, site, json.dumps(arguments, sort_keys=True, default=str)],
            )
        return int(cursor.lastrowid)

    def finish_run(
        self, run_id: int, *, finished_at: str, outcome: str, finish_reason: str, counts: dict[str, int],
        if_open: bool = False,
    ) -> bool:
        """Write the run's end; with ``if_open`` only while its row still says 'running'. True if written."""
        assignments = ", ".join(f"{name} = ?" for name in RUN_COUNTERS)
        values = [int(counts.get(name, 0)) for name in RUN_COUNTERS]
        still_open = " AND outcome = 'running'" if if_open else ""
        with self.transaction():
            cursor = self.db.execute(
                f"UPDATE runs SET finished_at = ?, outcome = ?, finish_reason = ?, {assignments} WHERE id = ?{still_open}",
                [finished_at, outcome, finish_reason, *values, run_id],
            )
        return cursor.rowcount > 0

    def record_counts(self, run_id: int, counts: dict[str, int]) -> None:
        """A running run's counts so far: a run killed later keeps what it did up to here."""
        assignments = ", ".join(f"{name} = ?" for name in RUN_COUNTERS)
        with self.transaction():
            self.db.execute(f"UPDATE runs SET {assignments} WHERE id = ? AND outcome = 'running'",
                            [*(int(counts.get(name, 0)) for name in RUN_COUNTERS), run_id])

    def open_runs(self, spiders: tuple[str, ...]) -> list[int]:
        """The ids of the runs of these spiders (``import``, ``reparse``) whose row still says 'running'."""
        marks = ", ".join("?" for _ in spiders)
        return [row[0] for row in self.db.execute(
            f"SELECT id FROM runs WHERE outcome = 'running' AND spider IN ({marks}) ORDER BY id", list(spiders))]

    def mark_interrupted(self, run_id: int, *, finish_reason: str) -> bool:
        """A run whose process died without closing it: 'interrupted', its counts as it last wrote them."""
        with self.transaction():
            cursor = self.db.execute("UPDATE runs SET outcome = 'interrupted', finish_reason = ?"
                                     " WHERE id = ? AND outcome = 'running'", [finish_reason, run_id])
        return cursor.rowcount > 0

    def close_interrupted_runs(self, sites: list[str]) -> int:
        """Mark the runs of ``sites`` still 'running' as 'interrupted'; return how many.

        Call it only while holding the run locks of ``sites`` (``crawler.lock``): then no
        live process owns those runs, and a row still 'running' belongs to a process that
        died (SIGKILL, power loss) before it could close its run record. Such a run never
        wrote its counts or its end: both are taken from what it left (``_KILLED_RUN``), after
        the articles it stored but had not yet marked done are marked (``_SETTLE_STORED``).
        """
        if not sites:
            return 0
        marks = ", ".join("?" for _ in sites)
        with self.transaction():
            ids = [
                row[0]
                for row in self.db.execute(
                    f"SELECT id FROM runs WHERE outcome = 'running' AND (site IN ({marks}) OR (site IS NULL"
                    "   AND json_array_length(arguments, '$.sites') > 0"
                    f"   AND NOT EXISTS (SELECT 1 FROM json_each(runs.arguments, '$.sites') WHERE value NOT IN ({marks}))))",
                    [*sites, *sites],
                )
            ]
            for run_id in ids:
                self.db.execute(_SETTLE_STORED, {"run": run_id})
                self.db.execute(_KILLED_RUN, {"run": run_id})
        return len(ids)

    # --- articles -----------------------------------------------------------------------
    def existing_hash(self, url: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def url_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute("SELECT url FROM articles WHERE content_hash = ? LIMIT 1", [content_hash]).fetchone()
        return row[0] if row else None

    def upsert_articles(self, rows: Iterable[ArticleRow]) -> list[UpsertOutcome]:
        """Insert new articles, update changed ones in place, touch unchanged ones.

        One transaction for the whole batch. Returns one outcome per row, in order. The new
        rows enter the full-text index together at the end of the batch (``_index``), not one
        by one through the insert trigger, which stays off for this transaction only
        (schema migration 20): the same index for 0.1 ms less a row.
        """
        outcomes: list[UpsertOutcome] = []
        with self.transaction():
            self.db.conn.execute("INSERT INTO articles_fts_deferred (id) VALUES (1)")
            unindexed: dict[str, tuple[int, str, str]] = {}  # url -> (rowid, title, body) inserted, not yet indexed
            for row in rows:
                if row.url in unindexed:  # updating it: the update trigger takes its old text out of the index
                    self._index(unindexed.values())
                    unindexed.clear()
                outcome, rowid = self._upsert_one(row)
                if outcome is UpsertOutcome.NEW:
                    unindexed[row.url] = (rowid, row.title, row.body)
                outcomes.append(outcome)
            self._index(unindexed.values())
            self.db.conn.execute("DELETE FROM articles_fts_deferred")
        return outcomes

    def _index(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Into the full-text index what the insert trigger would have put there: (rowid, title, body)."""
        self.db.conn.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", rows)

    def _upsert_one(self, row: ArticleRow) -> tuple[UpsertOutcome, int]:
        """The row's outcome and its rowid (0 unless inserted)."""
        values = row.values()
        stored = self.db.execute("SELECT content_hash FROM articles WHERE url = ?", [row.url]).fetchone()
        if stored is None:
            columns = (*ARTICLE_COLUMNS, "first_seen_at", "last_seen_at")
            placeholders = ", ".join("?" for _ in columns)
            cursor = self.db.execute(
                f"INSERT INTO articles ({', '.join(columns)}) VALUES ({placeholders})",
                [*(values[name] for name in ARTICLE_COLUMNS), row.fetched_at, row.fetched_at],
            )
            return UpsertOutcome.NEW, int(cursor.lastrowid)
        if stored[0] == row.content_hash:
            assignments = ", ".join(f"{name} = ?" for name in _SEEN_COLUMNS)
            self.db.execute(
                f"UPDATE articles SET {assignments}, last_seen_at = ? WHERE url = ?",
                [*(values[name] for name in _SEEN_COLUMNS), row.fetched_at, row.url],
            )
            return UpsertOutcome.UNCHANGED, 0
        updated = [name for name in ARTICLE_COLUMNS if name != "url"]
        assignments = ", ".join(f"{name} = ?" for name in updated)
        self.db.execute(
            f"UPDATE articles SET {assignments}, last_seen_at = ? WHERE url = ?",
            [*(values[name] for name in updated), row.fetched_at, row.url],
        )
        return UpsertOutcome.UPDATED, 0

    # --- failures ---------------------------------------------------------------------------
    def record_failures(self, failures: Iterable[dict[str, Any]], *, run_id: int | None) -> int:
        """Record pages that produced no article: dicts with url, reason, detail, http_status, failed_at, site."""
        count = 0
        with self.transaction():
            for failure in failures:
                self.db.execute(
                    "INSERT INTO failures (url, site, reason, detail, http_status, run_id, failed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        failure["url"],
                        failure.get("site"),
                        failure["reason"],
                        failure.get("detail", ""),
                        failure.get("http_status"),
                        run_id,
                        failure["failed_at"],
                    ],
                )
                count += 1
        return count
