"""What ``newscrawl reparse`` reads and writes: the stored articles to re-extract, their rows
replaced in place with the old version kept in ``article_history``, and its progress
(``reparse_progress``, schema migration 16) so a killed reparse resumes where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crawler.storage.archive import PAGE_STATUS
from crawler.storage.db import transaction
from crawler.storage.store import ARTICLE_COLUMNS, ArticleRow


@dataclass(frozen=True, slots=True)
class Selection:
    site: str | None = None
    since: str | None = None  # fetched at or after (ISO 8601 in UTC, as articles.fetched_at)
    run_id: int | None = None  # archived by this run


def _where(selection: Selection, after_id: int) -> tuple[str, list[Any]]:
    where, params = ["a.id > ?"], [after_id]
    if selection.site:
        where.append("a.site = ?")
        params.append(selection.site)
    if selection.since:
        where.append("a.fetched_at >= ?")
        params.append(selection.since)
    if selection.run_id is not None:
        where.append("EXISTS (SELECT 1 FROM archive_records r WHERE r.run_id = ? AND r.request_url IN (a.url, a.fetched_url)"
                     f" AND r.{PAGE_STATUS})")
        params.append(selection.run_id)
    return " AND ".join(where), params


def stored_rows(db: sqlite_utils.Database, selection: Selection, *, after_id: int, limit: int) -> list[dict[str, Any]]:
    """The next stored articles (id order, after ``after_id``) the selection asks for, as column dicts with ``id``."""
    where, params = _where(selection, after_id)
    columns = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
    cursor = db.execute(f"SELECT a.id, {columns} FROM articles a WHERE {where} ORDER BY a.id LIMIT ?", [*params, limit])
    names = ["id", *ARTICLE_COLUMNS]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def rows_by_url(db: sqlite_utils.Database, urls: list[str]) -> dict[str, dict[str, Any]]:
    """The stored articles of these storage keys, as column dicts with ``id``, by URL."""
    columns = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS)
    names = ["id", *ARTICLE_COLUMNS]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(urls), 500):  # SQLite's bound-parameter limit
        batch = urls[start:start + 500]
        cursor = db.execute(f"SELECT a.id, {columns} FROM articles a WHERE a.url IN ({', '.join('?' for _ in batch)})",
                            batch)
        found.update((row["url"], row) for row in (dict(zip(names, values)) for values in cursor.fetchall()))
    return found


def as_article_row(row: dict[str, Any]) -> ArticleRow:
    """A stored row (``stored_rows``, ``rows_by_url``) back as the ``ArticleRow`` it was written from."""
    values = {name: row[name] for name in ARTICLE_COLUMNS}
    values["authors"] = tuple(json.loads(row["authors"] or "[]"))
    values["keywords"] = tuple(json.loads(row["keywords"] or "[]"))
    values["published_relative"] = bool(row["published_relative"])
    values["free_to_read"] = None if row["free_to_read"] is None else bool(row["free_to_read"])
    values["article_uncertain"] = bool(row["article_uncertain"])
    return ArticleRow(**values)


def count_selected(db: sqlite_utils.Database, selection: Selection, *, after_id: int = 0) -> int:
    where, params = _where(selection, after_id)
    return int(db.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0])


def replace_rows(db: sqlite_utils.Database, changes: Iterable[tuple[dict[str, Any], ArticleRow]], *, now: str) -> int:
    """Write each new row over its stored one (keyed by the stored id), the stored version kept in
    article_history when only fields outside title and body changed (the trigger keeps it otherwise).
    A prev or next link that changes loses its check (``prev_check`` / ``next_check`` said what the
    old link's neighbour answered); ``crawler.archive.links`` settles the new one where it can."""
    count = 0
    with transaction(db):
        for old, new in changes:
            values = new.values()
            if old["content_hash"] == new.content_hash:
                db.execute(
                    "INSERT INTO article_history (article_id, url, content_hash, title, body, published_at,"
                    " modified_at, fetched_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [old["id"], old["url"], old["content_hash"], old["title"], old["body"], old["published_at"],
                     old["modified_at"], old["fetched_at"], now],
                )
            names = [name for name in ARTICLE_COLUMNS if name not in ("url", "fetched_at", "fetched_url")]
            checks = "prev_check = CASE WHEN prev_url IS ? THEN prev_check END, " \
                     "next_check = CASE WHEN next_url IS ? THEN next_check END"  # the old row's links, as SET reads them
            db.execute(f"UPDATE articles SET {', '.join(f'{n} = ?' for n in names)}, {checks} WHERE id = ?",
                       [*(values[name] for name in names), values["prev_url"], values["next_url"], old["id"]])
            count += 1
    return count


def progress(db: sqlite_utils.Database, arguments: dict[str, Any]) -> tuple[int | None, int]:
    """(run id, last article id done) of the latest unfinished reparse with these arguments, or (None, 0)."""
    forms = [json.dumps(form, sort_keys=True, default=str) for form in _argument_forms(arguments)]
    row = db.execute(
        "SELECT r.id, p.last_article_id FROM runs r JOIN reparse_progress p ON p.run_id = r.id"
        f" WHERE r.spider = 'reparse' AND r.arguments IN ({', '.join('?' * len(forms))})"
        " AND r.outcome IN ('running', 'interrupted') ORDER BY r.id DESC LIMIT 1",
        forms,
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (None, 0)


def _argument_forms(arguments: dict[str, Any]) -> list[dict[str, Any]]:
    """The arguments as this version records them, and as a reparse before --since took instants did
    (a bare day, "2025-09-01", where this version records "2025-09-01T00:00:00+00:00": the same selection)."""
    since = arguments.get("since")
    if isinstance(since, str) and since.endswith("T00:00:00+00:00"):
        return [arguments, {**arguments, "since": since[:10]}]
    return [arguments]


def save_progress(db: sqlite_utils.Database, run_id: int, last_article_id: int) -> None:
    with transaction(db):
        db.execute("INSERT INTO reparse_progress (run_id, last_article_id) VALUES (?, ?) ON CONFLICT(run_id)"
                   " DO UPDATE SET last_article_id = excluded.last_article_id", [run_id, last_article_id])


def run_exists(db: sqlite_utils.Database, run_id: int) -> bool:
    """Whether the runs table has run ``run_id`` (``reparse --run N`` names one)."""
    return db.execute("SELECT 1 FROM runs WHERE id = ?", [run_id]).fetchone() is not None
