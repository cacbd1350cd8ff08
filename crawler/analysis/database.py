"""Opening a database for reading, with a message for the user when it is not one of ours."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

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
        if unwritable_folder(path) is not None and isinstance(exc.__cause__, sqlite3.OperationalError):
            return _open_snapshot(Path(path))
        hint = " (crawl something first, e.g. `make demo`)" if not Path(path).exists() else ""
        raise click.ClickException(f"{exc}{hint}") from exc
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            migrate(db)
    except sqlite3.Error as exc:
        db.conn.close()
        raise click.ClickException(f"{path}: cannot bring the schema up to date: {exc}") from exc
    return db


def unwritable_folder(path: str | Path) -> str | None:
    """Why no file can be created beside the database file at ``path`` (a read-only disk or
    snapshot, a folder the user may not write to), or None when one can (or there is no file)."""
    from crawler.archive import ensure_writable

    path = Path(path)
    if not path.is_file():
        return None
    try:
        ensure_writable(path.parent)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _open_snapshot(path: Path) -> sqlite_utils.Database:
    """The database in a folder no file can be created in, opened immutable: SQLite opens a WAL
    database read-only only by creating its -shm file beside it, and nothing can write the file
    there. Refused when its -wal file holds writes (only a writable copy can read them) or its
    schema is older than this newscrawl's (the migrations must write)."""
    folder = f"its folder {path.parent} cannot be written ({unwritable_folder(path)})"
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size:
        raise click.ClickException(f"{path}: {folder} and {wal.name} holds writes only a writable copy can read: "
                                   "copy both files to a writable folder")
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        known = "articles" in db.table_names()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise click.ClickException(f"{path}: {exc}") from exc
    if not known or version < SCHEMA_VERSION:
        conn.close()
        why = "is not a newscrawl database" if not known else "was written by an older newscrawl and " + folder
        raise click.ClickException(f"{path} {why}" + ("" if not known else ": copy it to a writable folder to bring it up to date"))
    return db


def decode_list(value: str | None) -> list[str]:
    """A JSON-array column (``authors``, ``keywords``) as a list; a value that is not JSON stays one item."""
    try:
        authors = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value] if value else []
    return [str(a) for a in authors] if isinstance(authors, list) else [str(authors)]


SITES_LISTED = 12  # known sites named in a message before "and N more"


def unknown_site_message(db: sqlite_utils.Database, sites: tuple[str, ...]) -> str | None:
    """A message for ``--site`` values no stored article has (None when all are known).

    Names the close matches (the same host with a port, a www. prefix dropped) and the
    known sites, so a filter that matches nothing says why.
    """
    if not sites:
        return None
    known = [row[0] for row in db.execute("SELECT DISTINCT site FROM article_counts ORDER BY site")]
    lines = []
    for site in sites:
        key = site.lower().removeprefix("www.")
        if key in known:
            continue
        close = [name for name in known if name.split(":")[0] == key.split(":")[0] or key in name]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
        lines.append(f"No stored article is from the site {site!r}{hint}.")
    if not lines:
        return None
    listed = ", ".join(known[:SITES_LISTED]) + (f" and {len(known) - SITES_LISTED} more" if len(known) > SITES_LISTED else "")
    lines.append(f"Known sites: {listed or '(none: the database holds no article)'}.")
    return " ".join(lines)
