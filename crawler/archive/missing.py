"""WARC files an archive folder lacks, said once each with the pages they held.

An index row names its file relative to the archive folder; on a distributed crawl with a folder
per machine (docs/scaling.md, "The archive across machines") the ingester's folder lacks every
worker's files until they are collected, and the end-of-run template re-check would say so once
per page. ``MissingFiles`` answers whether a file is there (looked up once) and counts the pages
asked of each missing file; ``lines`` makes one line per missing file, or one for the whole
folder when the folder itself is missing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from crawler.analysis.terminal import counted


@dataclass(slots=True)
class MissingFiles:
    folder: Path
    counts: Counter[str] = field(default_factory=Counter)  # missing file -> pages asked of it since the last lines()
    _present: set[str] = field(default_factory=set)
    _missing: set[str] = field(default_factory=set)

    def has(self, file: str) -> bool:
        """Whether ``file`` is in the folder; when it is not, one more page is counted against it."""
        if file in self._present:
            return True
        if file not in self._missing:
            if (self.folder / file).is_file():
                self._present.add(file)
                return True
            self._missing.add(file)
        self.counts[file] += 1
        return False

    def lines(self, what: str) -> list[str]:
        """One line per missing file (one for the folder when it is missing) with its pages, and
        ``what`` became of them; the counts start again."""
        counts, self.counts = self.counts, Counter()
        if not counts:
            return []
        if not self.folder.is_dir():
            return [f"the WARC archive folder {self.folder} does not exist: {counted(sum(counts.values()), 'page')} {what}"]
        return [f"{self.folder / file} is not in the archive folder: {counted(count, 'page')} {what}"
                for file, count in sorted(counts.items())]
