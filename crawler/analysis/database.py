"""Opening a database for reading, with a message for the user when it is not one of ours."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click
import sqlite_utils

from crawler.storage import SCHEMA_VERSION, NotANewscrawlDatabase, migrate, open_database

def open_for_reading(path: str | Path) -> sqlite_utils.Database:
    """Open an existing newscrawl database; raise ``click.ClickException`` when it is not one.

    A database written by an older newscrawl is brought up to the current schema first
    (the migrations only add columns, indexes and views).
    """
    try:
        db = open_database(path, create=False)
    except NotANewscrawlDatabase as exc:
        hint = " (crawl something first, e.g. `make demo`)" if not Path(path).exists() else ""
        raise click.ClickException(f"{exc}{hint}") from exc
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            migrate(db)
    except sqlite3.Error as exc:
        db.conn.close()
        raise click.ClickException(f"{path}: cannot bring the schema up to date: {exc}") from exc
    return db


def decode_list(value: str | None) -> list[str]:
    """A JSON-array column (``authors``, ``keywords``) as a list; a value that is not JSON stays one item."""
    try:
        authors = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value] if value else []
    return [str(a) for a in authors] if isinstance(authors, list) else [str(authors)]
