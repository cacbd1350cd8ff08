"""A database file as an older version wrote it: the migrations before one, and one stored article."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from crawler.storage.schema import MIGRATIONS, Migration


def database_before(path: Path, migration: Migration) -> Path:
    """``path`` holding every migration before ``migration`` and the article
    ``http://news.test/old.html``."""
    conn = sqlite3.connect(path)
    for number, step in enumerate(MIGRATIONS[: MIGRATIONS.index(migration)], start=1):
        step(sqlite_utils.Database(conn))
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute(
        "INSERT INTO articles (url, site, title, body, content_hash, fetched_at, first_seen_at, last_seen_at)"
        " VALUES ('http://news.test/old.html', 'news.test', 't', 'b', 'h', 'x', 'x', 'x')"
    )
    conn.commit()
    conn.close()
    return path
