"""The WARC archive: every fetched response kept as it came, to re-parse later or to import from.

``warc`` writes WARC files (FastWARC) and reads them (warcio); ``crawler.storage.archive`` is the index
that maps each fetch to its file, offset and length; ``crawler.middlewares.archive`` is the
crawl's writer.
"""

from __future__ import annotations

from pathlib import Path


def archive_folder(db_path: str | Path, setting: str = "") -> Path:
    """The archive's folder: NEWSCRAWL_ARCHIVE_DIR, or ``warc/`` beside the database when it is ""."""
    return Path(setting) if setting else Path(db_path).parent / "warc"
