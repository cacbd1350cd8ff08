"""Speed: our full parse against trafilatura's bare_extraction with metadata.

Measured sequentially in this one process, page by page, the two systems interleaved (their
order alternating from page to page) so that machine noise hits both alike. Each page is read
and decoded before the clock starts; both systems get the same ``str``.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from bench.quality.datasets import Page
from bench.quality.systems import OURS, TRAFILATURA, run_safely

WARM_UP_PAGES = 3


@dataclass(frozen=True, slots=True)
class Timing:
    pages: int
    ours_ms: float  # median milliseconds per page
    trafilatura_ms: float

    @property
    def ratio(self) -> float:
        return self.ours_ms / self.trafilatura_ms


def _time_one(system: str, html: str, url: str) -> float:
    start = time.perf_counter()
    run_safely(system, html, url)
    return (time.perf_counter() - start) * 1000


def measure(pages: list[Page]) -> Timing:
    """Median ms/page of each system over ``pages`` (after untimed warm-up on the first few)."""
    documents = [(page.html(), page.url) for page in pages]
    for html, url in documents[:WARM_UP_PAGES]:
        run_safely(OURS, html, url)
        run_safely(TRAFILATURA, html, url)
    ours: list[float] = []
    theirs: list[float] = []
    for index, (html, url) in enumerate(documents):
        if index % 2:
            theirs.append(_time_one(TRAFILATURA, html, url))
            ours.append(_time_one(OURS, html, url))
        else:
            ours.append(_time_one(OURS, html, url))
            theirs.append(_time_one(TRAFILATURA, html, url))
    return Timing(len(documents), statistics.median(ours), statistics.median(theirs))
