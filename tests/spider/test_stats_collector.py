from __future__ import annotations

from scrapy.utils.test import get_crawler

from crawler.runner import build_settings
from crawler.stats import CrawlStatsCollector


def test_the_crawl_counts_with_the_plain_stats_collector() -> None:
    crawler = get_crawler(settings_dict={"STATS_CLASS": build_settings().get("STATS_CLASS")})
    stats = crawler.stats
    assert type(stats) is CrawlStatsCollector
    stats.inc_value("newscrawl/pages_fetched")
    stats.inc_value("newscrawl/pages_fetched", 2)
    stats.inc_value("newscrawl/archive/bytes", 10, start=5)
    stats.max_value("newscrawl/largest", 3)
    stats.max_value("newscrawl/largest", 1)
    stats.set_value("newscrawl/run_id", 7)
    assert stats.get_value("newscrawl/pages_fetched") == 3
    assert stats.get_value("newscrawl/archive/bytes") == 15
    assert stats.get_value("newscrawl/largest") == 3
    assert stats.get_value("missing", "default") == "default"
    assert stats.get_stats()["newscrawl/run_id"] == 7
