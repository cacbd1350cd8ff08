"""Run one comparison crawl in this process (the benchmark starts one process per crawl).

    python -m bench.throughput.crawl ceiling|baseline --manifest M --base-url U --probe P [--db D]

Plain Scrapy settings (not the project's): politeness lifted, the same concurrency and
reactor as the newscrawl crawl it is compared with.
"""

from __future__ import annotations

import argparse

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from bench.throughput.spiders import BaselineSpider, ChainSpider

PROBE = "bench.throughput.probe.BenchProbe"


def comparison_settings(*, concurrency: int, probe_path: str, marks: list[int], db_path: str | None) -> Settings:
    settings = Settings()
    settings.setdict({
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "COOKIES_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "INFO",
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        # newscrawl switches off this per-response lint (~5 ms CPU each, crawler/settings.py);
        # the comparison crawls get the same, so the ratios are not flattered by it
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "CONCURRENT_ITEMS": 4,  # the same for newscrawl's smaller per-response worker count (crawler/settings.py)
        "STATS_CLASS": "crawler.stats.CrawlStatsCollector",  # newscrawl's stats without Scrapy's per-call check, the same
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "EXTENSIONS": {PROBE: 0},
        "BENCH_PROBE_PATH": probe_path,
        "BENCH_PROBE_MARKS": marks,
    }, priority="cmdline")
    if db_path:
        settings.set("ITEM_PIPELINES", {"bench.throughput.spiders.SqliteUtilsPipeline": 100}, priority="cmdline")
        settings.set("BENCH_DB_PATH", db_path, priority="cmdline")
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["ceiling", "baseline"])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--probe", required=True)
    parser.add_argument("--marks", default="2000")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--db")
    args = parser.parse_args()
    spider = ChainSpider if args.kind == "ceiling" else BaselineSpider
    settings = comparison_settings(concurrency=args.concurrency, probe_path=args.probe,
                                   marks=[int(mark) for mark in args.marks.split(",")],
                                   db_path=args.db if args.kind == "baseline" else None)
    process = CrawlerProcess(settings)
    process.crawl(spider, manifest=args.manifest, base_url=args.base_url)
    process.start()


if __name__ == "__main__":
    main()
