"""The WARC archive: every fetched response kept as it came, to re-parse later or to import from.

``warc`` writes WARC files (FastWARC) and reads them (warcio); ``crawler.storage.archive`` is the index
that maps each fetch to its file, offset and length; ``crawler.middlewares.archive`` is the
crawl's writer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


def archive_folder(db_path: str | Path, setting: str = "") -> Path:
    """The archive's folder: NEWSCRAWL_ARCHIVE_DIR, or ``warc/`` beside the database when it is ""."""
    return Path(setting) if setting else Path(db_path).parent / "warc"


def ensure_writable(folder: Path) -> None:
    """Create ``folder`` if needed and check that a file can be written in it; OSError if not
    (a crawl checks before it starts, so that it never runs without the archive it was asked for)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".newscrawl-check-"):
        pass


def warc_files(paths: Iterable[str]) -> Iterator[str]:
    """The WARC files named, folders searched (sorted), ``-`` kept for standard input."""
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            yield from sorted(str(p) for p in path.rglob("*") if p.is_file() and p.name.endswith(WARC_SUFFIXES))
        else:
            yield name
