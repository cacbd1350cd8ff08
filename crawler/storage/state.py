"""The crawl state table: what each discovered URL is waiting for, and what is known of it.

``CrawlState`` is the one reader/writer of ``crawl_state`` (schema migration 4):
- ``record`` writes a batch of ``StateChange`` in one transaction (a row per URL,
  merged: a known ETag or source date is kept when a change does not carry one);
- ``resumable`` lists what a new run of a site must pick up: pending and in-flight
  URLs, and failed ones with fewer than ``max_attempts`` attempts;
- ``lookup`` says what the database already holds for a URL (stored article,
  state row), which is how a run decides not to fetch a page again;
- ``record_link_checks`` writes the verification of followed prev/next links
  (``crawler.chaincheck``) into the articles they belong to;
- ``finish_run`` adds the discovery counters to the run record.

The ``articles`` table stays the truth of what is stored: a URL counts as known when
its article is stored, or when its state row says it was done or skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from crawler.storage.db import transaction

STATES = ("pending", "in_flight", "done", "failed", "skipped")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class StateChange:
    url: str  # canonical URL (crawler.urls.canonical_url)
    site: str
    state: str
    reason: str | None = None
    discovered_from: str | None = None
    source_date: str | None = None  # ISO 8601 UTC
    etag: str | None = None
    last_modified: str | None = None
    failed_attempt: bool = False  # counts one more failed attempt


@dataclass(frozen=True, slots=True)
class Known:
    """What the database holds for one URL."""

    url: str
    state: str | None = None  # the crawl_state row's state, if any
    reason: str | None = None
    source_date: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    article_fetched_at: str | None = None  # set when the article is stored
    prev_url: str | None = None
    next_url: str | None = None
    attempts: int = 0  # fetches that ended in a failure

    @property
    def stored(self) -> bool:
        return self.article_fetched_at is not None

    @property
    def settled(self) -> bool:
        """Nothing left to do for this URL unless it changed: stored, done, or skipped for good.

        A page skipped for being outside the date window is not settled: a later run
        with another window may want it.
        """
        if self.stored or self.state == "done":
            return True
        return self.state == "skipped" and self.reason != "outside_window"

    def given_up(self, max_attempts: int) -> bool:
        """Failed ``max_attempts`` times: no run fetches it again on its own (a start URL still is)."""
        return self.state == "failed" and self.attempts >= max_attempts


@dataclass(frozen=True, slots=True)
class Resumable:
    url: str
    state: str
    attempts: int
    discovered_from: str | None
    source_date: str | None


class CrawlState:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def record(self, changes: Iterable[StateChange], *, run_id: int | None) -> int:
        now = _now()
        rows = [
            (
                change.url, change.site, change.state, change.reason, 1 if change.failed_attempt else 0,
                change.discovered_from, change.source_date, change.etag, change.last_modified, now, now, run_id,
            )
            for change in changes
        ]  # fmt: skip
        if not rows:
            return 0
        with transaction(self.db):
            self.db.conn.executemany(
                """
                INSERT INTO crawl_state (url, site, state, reason, attempts, discovered_from, source_date,
                                         etag, last_modified, first_seen_at, updated_at, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET
                    site = excluded.site,
                    state = excluded.state,
                    reason = excluded.reason,
                    attempts = crawl_state.attempts + excluded.attempts,
                    discovered_from = coalesce(crawl_state.discovered_from, excluded.discovered_from),
                    source_date = coalesce(excluded.source_date, crawl_state.source_date),
                    etag = coalesce(excluded.etag, crawl_state.etag),
                    last_modified = coalesce(excluded.last_modified, crawl_state.last_modified),
                    updated_at = excluded.updated_at,
                    run_id = excluded.run_id
                """,
                rows,
            )
        return len(rows)

    def sites(self) -> list[str]:
        """Every site the crawl state holds URLs of."""
        return [row[0] for row in self.db.execute("SELECT DISTINCT site FROM crawl_state")]

    def resumable(self, site: str, *, max_attempts: int) -> list[Resumable]:
        """Pending and in-flight URLs of the site, and failed ones still under the attempt limit."""
        cursor = self.db.execute(
            """
            SELECT url, state, attempts, discovered_from, source_date FROM crawl_state
            WHERE site = ? AND (state IN ('pending', 'in_flight') OR (state = 'failed' AND attempts < ?))
              AND url NOT IN (SELECT url FROM articles)
            ORDER BY first_seen_at, url
            """,
            [site, max_attempts],
        )
        return [Resumable(*row) for row in cursor.fetchall()]

    def lookup(self, url: str) -> Known | None:
        """The state row and stored article of a canonical URL, or None when neither exists."""
        state = self.db.execute(
            "SELECT state, reason, source_date, etag, last_modified, attempts FROM crawl_state WHERE url = ?", [url]
        ).fetchone()
        article = self.db.execute(
            "SELECT fetched_at, prev_url, next_url FROM articles WHERE url = ? OR fetched_url = ? LIMIT 1", [url, url]
        ).fetchone()
        if state is None and article is None:
            return None
        *state, attempts = state or (None, None, None, None, None, 0)
        article = article or (None, None, None)
        return Known(url, *state, *article, attempts=attempts)

    def record_link_checks(self, checks: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """Write each (canonical URL, "prev"/"next", status) into that article's ``prev_check`` /
        ``next_check``; returns the checks whose article is not stored (yet), to retry or drop."""
        waiting = []
        with transaction(self.db):
            for url, side, status in checks:
                column = "prev_check" if side == "prev" else "next_check"
                cursor = self.db.execute(f"UPDATE articles SET {column} = ? WHERE url = ? OR fetched_url = ?",
                                         [status, url, url])  # fmt: skip
                if not cursor.rowcount:
                    waiting.append((url, side, status))
        return waiting

    def finish_run(self, run_id: int, *, urls_discovered: int, not_modified: int) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET urls_discovered = ?, not_modified = ? WHERE id = ?",
                [urls_discovered, not_modified, run_id],
            )


# --- reading runs and sites (newscrawl runs / newscrawl sites) ----------------------------------
RUN_COLUMNS = (
    "id", "site", "started_at", "finished_at", "outcome", "finish_reason", "pages_fetched", "articles_new",
    "articles_updated", "articles_unchanged", "not_modified", "skipped", "failed", "urls_discovered",
)  # fmt: skip


# A run's degraded sites and fields ("site: date,authors; other: body"), from run_coverage; NULL: none.
DEGRADED_SQL = ("(SELECT group_concat(site || ': ' || degraded, '; ') FROM run_coverage"
                " WHERE run_coverage.run_id = runs.id AND degraded IS NOT NULL) AS degraded")


def recent_runs(
    db: sqlite_utils.Database, *, limit: int, site: str | None = None, sites: Sequence[str] = ()
) -> list[dict[str, object]]:
    """The latest runs, newest first (optionally of one site, or of any of ``sites``), each with
    its ``degraded`` coverage (or None). A run of a site is one recorded under it, or one of several
    sites (an ad hoc crawl of many start URLs, an import, an ingest) that stored articles of it."""
    wanted = [site] if site else list(sites)
    marks = ", ".join("?" for _ in wanted)
    where = f"WHERE site IN ({marks}) OR id IN (SELECT run_id FROM run_coverage WHERE site IN ({marks}))" if wanted else ""
    params = [*wanted, *wanted]
    cursor = db.execute(f"SELECT {', '.join(RUN_COLUMNS)}, {DEGRADED_SQL} FROM runs {where} ORDER BY id DESC LIMIT ?",
                        [*params, limit])
    return [dict(zip((*RUN_COLUMNS, "degraded"), row)) for row in cursor.fetchall()]


def site_totals(db: sqlite_utils.Database, sites: Sequence[str]) -> dict[str, object]:
    """Articles stored from the crawls of ``sites`` (a profile's ``state_keys``), URLs still
    pending or failed, and their last run."""
    marks = ", ".join("?" for _ in sites)
    articles = db.execute(
        f"SELECT count(*) FROM articles WHERE url IN (SELECT url FROM crawl_state WHERE site IN ({marks}))", [*sites]
    ).fetchone()[0]
    states = dict(db.execute(f"SELECT state, count(*) FROM crawl_state WHERE site IN ({marks}) GROUP BY state",
                             [*sites]).fetchall())  # fmt: skip
    last = recent_runs(db, limit=1, sites=sites)
    return {"articles": articles, "pending": states.get("pending", 0) + states.get("in_flight", 0),
            "failed": states.get("failed", 0), "last_run": last[0] if last else None}  # fmt: skip
