"""Incremental re-runs: a second run fetches only new URLs; an article its feed dates newer is
re-fetched with a conditional request (304: no parse; 200: updated, history kept)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.incremental.helpers import crawl, last_run, paths, rows, stored_urls
from tests.incremental.newssite import Entry, NewsSite
from tests.spider.site import article_path

pytestmark = pytest.mark.slow


def chained(count: int) -> list[Entry]:
    """Articles 0..count-1 in one prev/next chain; the newest three on the home page, all in the feed."""
    entries = []
    for index in range(count):
        route = "home" if index >= count - 3 else "feed"
        entries.append(Entry(index, route, f"2025-03-{index % 28 + 1:02d}T08:00:00+00:00",
                             prev=index - 1 if index else None, next=index + 1 if index < count - 1 else None))  # fmt: skip
    return entries


def test_second_run_fetches_only_new_urls_and_updates_keep_history(tmp_path):
    db = tmp_path / "news.db"
    with NewsSite(chained(8), broken_sitemaps=False) as site:
        first = crawl(db, site.base_url + "/")
        assert first.returncode == 0, first.stderr[-2000:]
        assert len(stored_urls(db)) == 8

        site.hits.clear()
        second = crawl(db, site.base_url + "/")
        assert second.returncode == 0, second.stderr[-2000:]
        assert site.article_hits() == []  # nothing new: no article page requested
        run = last_run(db)
        assert (run["articles_new"], run["articles_updated"], run["urls_discovered"]) == (0, 0, 1)

        # The site gains article 8 (newest, on the home page, linked from article 7).
        site.entries[-1].next = 8
        site.entries.append(Entry(8, "home", "2025-03-09T08:00:00+00:00", prev=7))
        site.hits.clear()
        third = crawl(db, site.base_url + "/")
        assert third.returncode == 0, third.stderr[-2000:]
        assert [hit.path for hit in site.article_hits()] == [article_path(8)]
        assert last_run(db)["articles_new"] == 1

        # Article 2 is edited and its feed entry dated later; article 3 only re-dated.
        edited, redated = site.entry(2), site.entry(3)
        edited.extra_body = "<p>Correction: the meeting moves to the town hall annex, the organisers said on Friday.</p>"
        # later than the stored copies were fetched (what a feed date is compared with when no earlier one is known)
        edited.date = redated.date = (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")
        before = rows(db, "SELECT content_hash, fetched_at FROM articles WHERE url = ?", [site.url(2)])[0]
        site.hits.clear()
        fourth = crawl(db, site.base_url + "/")
        assert fourth.returncode == 0, fourth.stderr[-2000:]
        hits = {hit.path: hit.conditional for hit in site.article_hits()}
        assert hits == {article_path(2): True, article_path(3): True}  # conditional, and nothing else
    run = last_run(db)
    assert (run["articles_updated"], run["not_modified"], run["articles_new"]) == (1, 1, 0)
    [history] = rows(db, "SELECT * FROM article_history")
    assert history["url"] == site.url(2) and history["content_hash"] == before["content_hash"]
    assert history["fetched_at"] == before["fetched_at"]
    assert "Correction" in rows(db, "SELECT body FROM articles WHERE url = ?", [site.url(2)])[0]["body"]
    assert paths(stored_urls(db), site.base_url) == sorted(article_path(index) for index in range(9))


def test_refresh_refetches_stored_articles_conditionally(tmp_path):
    db = tmp_path / "news.db"
    with NewsSite(chained(4), broken_sitemaps=False) as site:
        crawl(db, site.base_url + "/")
        site.hits.clear()
        result = crawl(db, site.base_url + "/", "--refresh")
        hits = site.article_hits()
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(hit.path for hit in hits) == sorted(article_path(index) for index in range(4))
    assert all(hit.conditional for hit in hits)
    assert last_run(db)["not_modified"] == 4
