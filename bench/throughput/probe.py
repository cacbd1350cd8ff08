"""BenchProbe: a Scrapy extension that measures a crawl from the inside.

Records the time from the first request to the close, the pages received, and the
resident memory of the crawl process and its children (a parse pool) when the page
count reaches each mark and at the end, and the CPU time of that process tree. Writes one JSON file when the spider closes.
Only the benchmark enables it (``-s EXTENSIONS=...`` with ``BENCH_PROBE_PATH``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found += [int(child) for child in fh.read().split()]
        except OSError:
            continue
    return found


def _cpu(pid: int) -> float:
    """utime + stime + cutime + cstime of a process, in seconds (children it reaped included)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15]) / _TICK
    except (OSError, ValueError, IndexError):
        return 0.0


def _descendants(pid: int) -> int:
    """Working processes below ``pid``; multiprocessing's fork server only forks, so it is not counted."""
    count = 0
    for child in _children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as fh:
                server = b"forkserver" in fh.read()
        except OSError:
            continue
        count += (0 if server else 1) + _descendants(child)
    return count


def tree_cpu(pid: int | None = None) -> float:
    """CPU seconds of a process and all its live descendants (a parse pool's workers are
    children of multiprocessing's fork server, which the crawl process never reaps)."""
    pid = pid or os.getpid()
    return _cpu(pid) + sum(tree_cpu(child) for child in _children(pid))


def tree_rss(pid: int | None = None) -> int:
    """Resident bytes of a process and all its descendants."""
    pid = pid or os.getpid()
    return _rss(pid) + sum(tree_rss(child) for child in _children(pid))


class BenchProbe:
    def __init__(self, path: str, marks: list[int]) -> None:
        self.path = Path(path)
        self.marks = set(marks)
        self.pages = 0
        self.started: float | None = None
        self.rss_at: dict[int, int] = {}
        self.peak_tree_rss = 0
        self.peak_descendants = 0  # most processes below the crawl seen at once (a parse pool)

    @classmethod
    def from_crawler(cls, crawler: Any) -> BenchProbe:
        path = crawler.settings.get("BENCH_PROBE_PATH")
        if not path:
            raise NotConfigured("BENCH_PROBE_PATH is not set")
        marks = [int(mark) for mark in crawler.settings.getlist("BENCH_PROBE_MARKS")]
        probe = cls(path, marks)
        crawler.signals.connect(probe.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(probe.response_received, signal=signals.response_received)
        crawler.signals.connect(probe.spider_closed, signal=signals.spider_closed)
        return probe

    def request_scheduled(self, request: Any, spider: Any) -> None:
        if self.started is None:
            self.started = time.monotonic()

    def response_received(self, response: Any, request: Any, spider: Any) -> None:
        if response.url.endswith("/robots.txt"):
            return
        self.pages += 1
        if self.pages in self.marks or self.pages % 1000 == 0:
            rss = tree_rss()
            self.peak_tree_rss = max(self.peak_tree_rss, rss)
            self.peak_descendants = max(self.peak_descendants, _descendants(os.getpid()))
            if self.pages in self.marks:
                self.rss_at[self.pages] = rss

    def spider_closed(self, spider: Any, reason: str) -> None:
        finished = time.monotonic()
        rss = tree_rss()
        result = {
            "pages": self.pages,
            "seconds": finished - (self.started or finished),
            "rss_at": {str(mark): value for mark, value in sorted(self.rss_at.items())},
            "rss_end": rss,
            "peak_tree_rss": max(self.peak_tree_rss, rss),
            "descendants_cpu": tree_cpu() - _cpu(os.getpid()),
            "descendants": self.peak_descendants,
            "finish_reason": reason,
        }
        self.path.write_text(json.dumps(result, indent=1), encoding="utf-8")
