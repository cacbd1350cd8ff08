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
    files = index.files()
    present = [folder / name for name in files if (folder / name).is_file()]
    on_disk = sum(path.stat().st_size for path in present)
    ratio = f", {on_disk / totals.payload_bytes:.2f}x" if totals.payload_bytes and present else ""
    return (f"\nArchive: {counted(totals.records, 'response')} in {counted(totals.files, 'WARC file')},"
            f" {on_disk / 1e6:,.1f} MB on disk"
            f" ({totals.payload_bytes / 1e6:,.1f} MB fetched{ratio}) in {folder}{_missing(folder, len(files) - len(present))}")


def _missing(folder: Path, missing: int) -> str:
    """What reparse will not find (a database copied or moved without its archive said "0.0 MB on disk, 0.00x")."""
    if not folder.is_dir():
        return ("; the folder does not exist (moved or deleted?): reparse cannot read these pages "
                "(if it moved: reparse --set NEWSCRAWL_ARCHIVE_DIR=ITS_NEW_PLACE)")
    if missing:
        return f"; {counted(missing, 'indexed file')} not there (moved or deleted?): reparse cannot read their pages"
    return ""
