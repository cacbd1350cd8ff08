"""Opening a database file with the connection settings every writer and reader needs."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

# sqlite-utils imports numpy and pandas, when installed, only to map their scalar types to column
# types; newscrawl stores no such values. Every process that stores (the crawl's, every command's)
# imports this module before any other that imports sqlite-utils (crawler.storage opens with it).
OPTIONAL_IMPORTS_SKIPPED = ("numpy", "pandas")


def _sqlite_utils_without_numpy() -> ModuleType:
    """sqlite-utils imported with numpy and pandas hidden from it, unless something imported them already
    (numpy's import costs a crawl process ~80 ms of CPU at start, for nothing). Hidden only during that
    import: a later ``import numpy`` (the summary's) imports it as usual."""
    hidden = [name for name in OPTIONAL_IMPORTS_SKIPPED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of a None entry raises ImportError
    try:
        return importlib.import_module("sqlite_utils")
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


if TYPE_CHECKING:
    import sqlite_utils
else:
    sqlite_utils = _sqlite_utils_without_numpy()

from crawler.storage.schema import SCHEMA_VERSION, migrate  # noqa: E402  (after the import above)

BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for a reader's lock before failing


class NotANewscrawlDatabase(Exception):
    """The file is missing, is not SQLite, or has no newscrawl schema."""


def open_database(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and with ``create``, create and migrate) a newscrawl database.

    With ``create=False`` the file must exist and hold a newscrawl schema;
    otherwise ``NotANewscrawlDatabase`` is raised with a message for the user.
    """
    path = Path(path)
    if not create:
        if not path.exists():
            raise NotANewscrawlDatabase(f"database file not found: {path}")
        try:
            with path.open("rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise NotANewscrawlDatabase(f"cannot read {path}: {exc.strerror}") from exc
        if header != b"SQLite format 3\x00":
            raise NotANewscrawlDatabase(f"{path} is not an SQLite database")
    else:
        _make_folder(path)
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )  # autocommit: every write path opens its own explicit transaction
    except sqlite3.Error as exc:  # a new file in a folder that takes none
        raise NotANewscrawlDatabase(f"{path}: {exc}{_unwritable_folder(path)}") from exc
    db = sqlite_utils.Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_newer_schema(db, path)
        if create:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
        elif "articles" not in db.table_names():
            raise NotANewscrawlDatabase(f"{path} is not a newscrawl database (no articles table)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NotANewscrawlDatabase(f"{path}: {exc}{_unwritable_folder(path)}") from exc
    except NotANewscrawlDatabase:
        conn.close()
        raise
    return db


def _refuse_newer_schema(db: sqlite_utils.Database, path: Path) -> None:
    """A database a newer newscrawl migrated has tables, columns and views this one does not know
    and may read wrongly or write without: refused with the versions, not a traceback on a missing table."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NotANewscrawlDatabase(f"{path} was written by a newer newscrawl (schema version {version}; this one knows "
                                    f"up to {SCHEMA_VERSION}): upgrade newscrawl to use it")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE: the write lock is taken at once), rolled back on any error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _unwritable_folder(path: Path) -> str:
    """Why SQLite could not open or create the file: its folder takes no new file (a read-only disk or
    snapshot, a folder the user may not write), where SQLite creates the database and its -wal and
    -shm files; else ""."""
    from crawler.archive import ensure_writable

    try:
        ensure_writable(path.parent)
    except OSError as exc:
        why = f": its folder {path.parent} cannot be written ({exc.strerror or exc})"
        if not path.is_file():  # SQLite said only "unable to open database file"
            return why
        return f"{why}, and SQLite creates its -wal and -shm files there (stats, search, show, export and serve still read it)"
    return ""


def _make_folder(path: Path) -> None:
    """The database's folder, created when missing; a file where a folder should be is named
    ("[Errno 17] File exists" said nothing of which)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        blocking = next((part for part in reversed(path.parents) if part.exists() and not part.is_dir()), path.parent)
        raise NotANewscrawlDatabase(f"cannot create {path}: {blocking} is a file, not a folder") from exc
