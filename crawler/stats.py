"""The crawl's stats collector: Scrapy's in-memory one, without its per-call deprecation check.

Scrapy 2.19's ``StatsCollector`` sends every attribute look-up through a ``__getattribute__``
that wraps ``get_value``, ``inc_value`` and the other methods in a check that warns when a
caller still passes the deprecated ``spider`` argument, and that raises and catches an
``AttributeError`` for each other attribute it is asked for (``_stats`` inside every call).
A crawl calls its stats some thirty times a page (Scrapy's downloader, scheduler and
engine counts, and ours), so the check is a measurable share of the reactor's process
(docs/benchmarks.md, "Cost per article"). No code of this project passes ``spider``; this
collector keeps the plain attribute look-up and counts exactly as Scrapy's does.

Settings: STATS_CLASS (crawler/settings.py) names it.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class CrawlStatsCollector(MemoryStatsCollector):
    """``MemoryStatsCollector`` with Python's own attribute look-up (see the module docstring)."""

    __getattribute__ = object.__getattribute__
