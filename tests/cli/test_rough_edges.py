"""The rough edges a new user hit in the trial of issue 14, one test each (the rest sit beside their area's tests)."""

from __future__ import annotations

from crawler.commands.crawl import format_summary
from crawler.runner import CrawlSummary, _counts_from_stats


def test_the_crawl_summary_counts_304_answers() -> None:
    stats = {"newscrawl/pages_fetched": 10, "newscrawl/articles_unchanged": 2, "newscrawl/not_modified": 7}
    counts, _, _ = _counts_from_stats(stats)
    assert counts["not_modified"] == 7
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=3, finish_reason="finished",
                           elapsed_seconds=1.5, counts=counts)
    assert "7 not modified since the last fetch (HTTP 304)" in format_summary(summary)
