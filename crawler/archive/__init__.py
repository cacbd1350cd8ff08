"""The WARC archive: every fetched response kept as it came, to re-parse later or to import from.

``warc`` writes WARC files (its own records, gzipped by libdeflate and ISA-L) and reads them
(warcio); ``crawler.storage.archive`` is the index that maps each fetch to its file, offset and
length; ``crawler.middlewares.archive`` is the crawl's writer.
"""

from __future__ import annotations

import os
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
    """The WARC files named, folders searched (sorted), ``-`` kept for standard input. A folder
    inside that cannot be listed is named among them, for the caller to refuse as unreadable: its
    files were passed over without a word (``Path.rglob`` skips what it may not list)."""
    for name in paths:
        if name != "-" and Path(name).is_dir():
            found: list[str] = []
            for folder, _, files in os.walk(name, onerror=lambda exc: found.append(exc.filename)):
                found += [os.path.join(folder, file) for file in files if file.endswith(WARC_SUFFIXES)
                          and os.path.isfile(os.path.join(folder, file))]
            yield from sorted(found)
        else:
            yield name
