"""One line on the WARC archive for ``newscrawl stats``: records, files, size on disk, against the bytes fetched."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from crawler import settings as defaults
from crawler.analysis.terminal import counted
from crawler.archive import archive_folder
from crawler.storage.archive import ArchiveIndex


def describe_archive(db: sqlite_utils.Database, db_path: str | Path) -> str:
    if "archive_records" not in db.table_names():
        return "\nArchive: none (this database predates the WARC archive)"
    folder = archive_folder(db_path, defaults.NEWSCRAWL_ARCHIVE_DIR)
    index = ArchiveIndex(db)
    totals = index.totals()
    if not totals.records:
        return f"\nArchive: empty ({folder})"
    on_disk = sum((folder / name).stat().st_size for name in index.files() if (folder / name).is_file())
    ratio = f", {on_disk / totals.payload_bytes:.2f}x" if totals.payload_bytes else ""
    return (f"\nArchive: {counted(totals.records, 'response')} in {counted(totals.files, 'WARC file')},"
            f" {on_disk / 1e6:,.1f} MB on disk"
            f" ({totals.payload_bytes / 1e6:,.1f} MB fetched{ratio}) in {folder}")
