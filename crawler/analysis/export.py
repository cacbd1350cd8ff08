"""Streaming exports of articles: CSV, JSON Lines and Parquet, in bounded memory.

Rows come from one SQLite cursor in ``id`` order and are written as they arrive
(Parquet: in row groups of ``PARQUET_BATCH_ROWS``), so memory does not grow with the
number of articles. Every column of ``articles`` is exported, ``authors`` and ``keywords``
as lists (a JSON array in CSV), ``free_to_read`` and ``article_uncertain`` as booleans (1 / 0 in CSV).

CSV cells a spreadsheet would read as a formula (text starting with ``= + - @``, a tab
or a carriage return) get a leading apostrophe, the OWASP advice against CSV injection.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import sqlite_utils

from crawler.analysis.database import decode_list
from crawler.analysis.query import Filters, QueryError, fts_expression

FORMATS = ("csv", "jsonl", "parquet")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PARQUET_BATCH_ROWS = 2_000  # rows per Parquet row group (about 11 MB of text at news length)
INTEGER_COLUMNS = frozenset({"id", "word_count"})
LIST_COLUMNS = frozenset({"authors", "keywords"})
BOOLEAN_COLUMNS = frozenset({"free_to_read", "article_uncertain"})  # 1 / 0 / NULL in SQLite: true / false / null


def safe_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def article_columns(db: sqlite_utils.Database) -> list[str]:
    return [row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()]


def iter_rows(
    db: sqlite_utils.Database, columns: list[str], filters: Filters, *, query: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``columns`` for the articles ``filters`` (and the search ``query``) keep, by id."""
    condition, params = filters.where("a")
    selected = ", ".join(f"a.[{name}]" for name in columns)
    if query:
        sql = (
            f"SELECT {selected} FROM articles AS a"
            f" WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) AND {condition}"
            " ORDER BY a.id"
        )
        params = [fts_expression(query), *params]
    else:
        sql = f"SELECT {selected} FROM articles AS a WHERE {condition} ORDER BY a.id"
    try:
        yield from db.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if query:
            raise QueryError(f"the search index cannot run {query!r}: {exc}") from exc
        raise


def write_csv(rows: Iterator[tuple[Any, ...]], columns: list[str], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count


def _json_value(name: str, value: Any) -> Any:
    if name in LIST_COLUMNS:
        return decode_list(value)
    if name in BOOLEAN_COLUMNS and value is not None:
        return bool(value)
    return value


def write_jsonl(rows: Iterator[tuple[Any, ...]], columns: list[str], out: IO[str]) -> int:
    count = 0
    for row in rows:
        record = {name: _json_value(name, value) for name, value in zip(columns, row)}
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_parquet(rows: Iterator[tuple[Any, ...]], columns: list[str], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError(
            "Parquet export needs pyarrow: pip install 'newscrawl[parquet]' (or pip install pyarrow)"
        ) from exc

    def arrow_type(name: str) -> Any:
        if name in INTEGER_COLUMNS:
            return pa.int64()
        if name in LIST_COLUMNS:
            return pa.list_(pa.string())
        if name in BOOLEAN_COLUMNS:
            return pa.bool_()
        return pa.string()

    schema = pa.schema([(name, arrow_type(name)) for name in columns])
    count = 0
    # Through a Python file object: pyarrow's own file handle seeks, which a FIFO refuses.
    with path.open("wb") as out, pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == PARQUET_BATCH_ROWS:
                count += _write_batch(writer, schema, columns, batch)
                batch = []
        if batch or count == 0:
            count += _write_batch(writer, schema, columns, batch)
    return count


def _write_batch(writer: Any, schema: Any, columns: list[str], batch: list[tuple[Any, ...]]) -> int:
    import pyarrow as pa

    data = {}
    for index, name in enumerate(columns):
        values = [row[index] for row in batch]
        if name in LIST_COLUMNS or name in BOOLEAN_COLUMNS:
            values = [_json_value(name, value) for value in values]
        elif name not in INTEGER_COLUMNS:
            values = [None if value is None else str(value) for value in values]
        data[name] = values
    writer.write_table(pa.Table.from_pydict(data, schema=schema))
    return len(batch)


class OutputError(ValueError):
    """The path given to write to cannot take an export (a dangling link, a directory)."""


@contextmanager
def output_target(path: Path) -> Iterator[Path]:
    """Where to write the export of ``path``, decided once, before anything is written.

    - a FIFO, a character or block device (``/dev/stdout`` too): written through, never replaced;
    - a regular file, or a symlink to one: a temporary file beside the real file replaces
      it only when the export finished (the link stays a link); it keeps the replaced
      file's permission bits;
    - nothing there: the same temporary file becomes it, with the umask's mode (0666 & ~umask);
    - a symlink to nothing or a directory: ``OutputError``.
    """
    try:
        found = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        if path.is_symlink():
            raise OutputError(f"{path} is a symbolic link to {os.readlink(path)}, which does not exist") from None
        found = None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputError(f"{path} is a directory")
    if found is not None and not stat.S_ISREG(found.st_mode):
        yield path
        return
    real = Path(os.path.realpath(path)) if found is not None else path
    real.parent.mkdir(parents=True, exist_ok=True)
    temporary = _new_file_beside(real)
    try:
        if found is not None:
            os.chmod(temporary, stat.S_IMODE(found.st_mode))
        yield temporary
        os.replace(temporary, real)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _new_file_beside(path: Path) -> Path:
    """An empty new file in ``path``'s directory, created with mode 0666 so that the umask decides."""
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return candidate


def export(
    db: sqlite_utils.Database,
    fmt: str,
    filters: Filters,
    *,
    query: str | None = None,
    output: Path | None = None,
    stdout: IO[str] | None = None,
) -> int:
    """Write the selected articles in ``fmt`` to ``output`` (or ``stdout``); return the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    columns = article_columns(db)
    if query:
        fts_expression(query)  # a malformed query fails before any file is created
    rows = iter_rows(db, columns, filters, query=query)
    if fmt == "parquet":
        if output is None:
            raise ValueError("Parquet is binary: give a file with -o FILE")
        with output_target(output) as target:
            return write_parquet(rows, columns, target)
    writer = write_csv if fmt == "csv" else write_jsonl
    if output is None:
        assert stdout is not None
        return writer(rows, columns, stdout)
    with output_target(output) as target:
        with target.open("w", encoding="utf-8", newline="") as out:
            return writer(rows, columns, out)
