"""The archive index (``archive_records``, schema migration 15): each fetched response's WARC file,
offset and length, so one page can be read back without scanning a file.

``ArchiveIndex`` is its one reader and writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

import sqlite_utils

from crawler.storage.db import transaction


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    run_id: int | None
    url: str
    request_url: str
    status: int
    content_type: str | None
    fetched_at: str  # ISO 8601 UTC
    file: str
    offset: int
    length: int
    payload_bytes: int
    payload_digest: str


PAGE_STATUS = "status BETWEEN 200 AND 299"  # an archived response with a page to parse again

_COLUMNS = ("run_id", "url", "request_url", "status", "content_type", "fetched_at", "file", "offset", "length",
            "payload_bytes", "payload_digest")

_row = attrgetter(*_COLUMNS)  # a record's values in column order (``astuple`` copies each value deeply, 10x slower)


@dataclass(frozen=True, slots=True)
class ArchiveTotals:
    records: int
    files: int
    payload_bytes: int  # bytes fetched, as parsed


class ArchiveIndex:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, records: Iterable[ArchivedResponse]) -> int:
        """Index written records (one transaction)."""
        rows = [_row(record) for record in records]
        if rows:
            with transaction(self.db):
                self.db.conn.executemany(
                    f"INSERT INTO archive_records ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})",
                    rows,
                )
        return len(rows)

    def add_new(self, records: Iterable[ArchivedResponse]) -> int:
        """Index written records not indexed yet (the same file and offset for the same URL), in one
        transaction: what a distributed crawl's single writer does, since a batch it was killed
        while writing is written again. Returns the rows added."""
        added = 0
        with transaction(self.db):
            for record in records:
                row = _row(record)
                cursor = self.db.conn.execute(
                    f"INSERT INTO archive_records ({', '.join(_COLUMNS)}) SELECT {', '.join('?' for _ in _COLUMNS)}"
                    " WHERE NOT EXISTS (SELECT 1 FROM archive_records WHERE request_url = ? AND file = ? AND offset = ?)",
                    [*row, record.request_url, record.file, record.offset],
                )
                added += cursor.rowcount
        return added

    def latest(self, request_urls: Iterable[str | None], *, run_id: int | None = None) -> ArchivedResponse | None:
        """The newest page archived for any of these requested URLs (of run ``run_id`` when given): a
        2xx response, never a later 304 (a revalidation has no body: it was re-parsed as a page that
        is no longer an article) nor an error page."""
        urls = [url for url in request_urls if url]
        if not urls:
            return None
        run = " AND run_id = ?" if run_id is not None else ""
        row = self.db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM archive_records WHERE request_url IN ({', '.join('?' for _ in urls)})"
            f" AND {PAGE_STATUS}{run} ORDER BY fetched_at DESC, id DESC LIMIT 1",
            [*urls, *([run_id] if run_id is not None else [])],
        ).fetchone()
        return ArchivedResponse(*row) if row else None

    def totals(self) -> ArchiveTotals:
        records, files, payload = self.db.execute(
            "SELECT count(*), count(DISTINCT file), coalesce(sum(payload_bytes), 0) FROM archive_records"
        ).fetchone()
        return ArchiveTotals(int(records), int(files), int(payload))

    def files(self) -> list[str]:
        return [name for (name,) in self.db.execute("SELECT DISTINCT file FROM archive_records ORDER BY file")]
