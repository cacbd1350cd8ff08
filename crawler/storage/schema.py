"""The database schema, as a list of idempotent migrations.

``PRAGMA user_version`` holds the number of migrations applied. Each migration runs
in one transaction; a new column or table is a new migration appended at the end,
never an edit to an old one. docs/schema.md documents the result for analysts.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def _m001_core(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,       -- canonical URL, tracking parameters stripped
            site TEXT NOT NULL,             -- host name without www.
            title TEXT NOT NULL,
            body TEXT NOT NULL,             -- plain text, paragraphs split by a blank line
            published_at TEXT,              -- ISO 8601; date only when the page shows no time
            modified_at TEXT,
            authors TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
            language TEXT,
            description TEXT,
            site_name TEXT,
            prev_url TEXT,
            prev_title TEXT,
            next_url TEXT,
            next_title TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT NOT NULL,     -- sha256 of the normalised title and body
            fetched_url TEXT,               -- the URL that was fetched, if not the canonical one
            fetched_at TEXT NOT NULL,       -- last fetch, ISO 8601 UTC
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS articles_site_published ON articles(site, published_at)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at)")
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            spider TEXT NOT NULL,
            site TEXT,
            arguments TEXT NOT NULL DEFAULT '{}',  -- JSON object of the run's options
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            articles_new INTEGER NOT NULL DEFAULT 0,
            articles_updated INTEGER NOT NULL DEFAULT 0,
            articles_unchanged INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL DEFAULT 'running',  -- running | success | partial | failed | interrupted
            finish_reason TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS failures (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            site TEXT,
            reason TEXT NOT NULL,            -- stable code: http_404, timeout, not_article, ...
            detail TEXT NOT NULL DEFAULT '',
            http_status INTEGER,
            run_id INTEGER REFERENCES runs(id),
            failed_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS failures_url ON failures(url)")
    db.execute("CREATE INDEX IF NOT EXISTS failures_run ON failures(run_id)")
    # Full-text index over title and body, an external-content FTS5 table kept in step
    # by triggers (the layout sqlite-utils and Datasette recognise).
    db.execute(
        """
        CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
            title, body, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END
        """
    )


MIGRATIONS: list[Migration] = [_m001_core]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the database lacks; return the schema version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        db.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {int(number)}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return max(version, SCHEMA_VERSION)
