"""A crawl from a home page finds articles by every route: listing, feed, robots.txt sitemaps
(index, gzip, news, broken), and the date window is applied before fetching where a source dates a URL."""

from __future__ import annotations

import pytest

from tests.incremental.helpers import crawl, last_run, paths, rows, stored_urls
from tests.incremental.newssite import Entry, NewsSite
from tests.spider.site import article_path

pytestmark = pytest.mark.slow

# index -> (route, date the source gives); no article links to another, so each is found only by its route
ROUTES = {
    0: ("home", "2025-03-01T08:00:00+00:00"),
    1: ("home", "2025-03-02T08:00:00+00:00"),
    2: ("home", "2025-03-03T08:00:00+00:00"),
    3: ("feed", "2025-03-04T08:00:00+00:00"),
    4: ("feed", "2025-03-05T08:00:00+00:00"),
    5: ("sitemap", "2025-03-06T08:00:00+00:00"),
    6: ("sitemap", "2025-03-07T08:00:00+00:00"),
    7: ("news", "2025-03-08T08:00:00+00:00"),
    8: ("broken", "2025-03-09T08:00:00+00:00"),
    9: ("broken", "2025-03-10T08:00:00+00:00"),  # cut off in the broken sitemap: never seen
}


def make_site() -> NewsSite:
    return NewsSite([Entry(index, route, date) for index, (route, date) in ROUTES.items()])


def test_home_page_crawl_uses_every_route_and_records_the_broken_sitemap(tmp_path):
    db = tmp_path / "news.db"
    with make_site() as site:
        result = crawl(db, site.base_url + "/")
        hits = [hit.path for hit in site.hits]
    assert result.returncode == 3, result.stderr[-2000:]  # partial: the missing sitemap is a failure
    assert paths(stored_urls(db), site.base_url) == sorted(article_path(index) for index in range(9))
    for path in ("/robots.txt", "/feed.xml", "/sitemap_index.xml", "/sitemap-1.xml.gz", "/news-sitemap.xml"):
        assert path in hits
    assert article_path(9) not in hits
    failures = {row["url"].removeprefix(site.base_url): row for row in rows(db, "SELECT * FROM failures")}
    assert failures["/broken-sitemap.xml"]["reason"] == "sitemap_unreadable"
    assert "malformed" in failures["/broken-sitemap.xml"]["detail"]
    assert failures["/missing-sitemap.xml"]["reason"] == "http_404"
    assert "/" not in failures  # the home page is a listing, not a failed article
    states = rows(db, "SELECT state, count(*) AS n FROM crawl_state GROUP BY state")
    assert {row["state"]: row["n"] for row in states} == {"done": 10}  # 9 articles + the home page
    sources = {row["url"].removeprefix(site.base_url): row["discovered_from"] for row in rows(db, "SELECT * FROM crawl_state")}
    assert sources[article_path(3)].startswith("feed:") and sources[article_path(7)].startswith("sitemap:")
    assert sources[article_path(0)].startswith("listing:")
    run = last_run(db)
    assert (run["articles_new"], run["urls_discovered"]) == (9, 10)


def test_date_window_skips_dated_urls_before_fetching(tmp_path):
    db = tmp_path / "news.db"
    with make_site() as site:
        result = crawl(db, site.base_url + "/", "--since", "2025-03-04", "--until", "2025-03-07")
        hits = {hit.path for hit in site.article_hits()}
    assert result.returncode in (0, 3), result.stderr[-2000:]
    # the news sitemap gives the publication date: outside the window, never requested
    assert article_path(7) not in hits
    # a lastmod after --until says nothing of the publication date, and home-page links carry
    # no date: fetched, then kept only when published inside the window
    assert {article_path(0), article_path(1), article_path(2), article_path(8)} <= hits
    stored = paths(stored_urls(db), site.base_url)
    assert stored == sorted(article_path(index) for index in (3, 4, 5, 6))
    skipped = rows(db, "SELECT count(*) AS n FROM failures WHERE reason = 'outside_window'")[0]["n"]
    assert skipped == 4  # home-page articles of 2025-03-01..03 and the lastmod-dated one of 03-09


def test_a_non_article_found_by_discovery_is_recorded_not_taken_for_a_listing(tmp_path):
    """A page from a sitemap that is no article (an imprint with article links around it) is
    recorded as skipped once and not fetched again; only start pages can be listings."""
    db = tmp_path / "news.db"
    entries = [Entry(index, "home", f"2025-03-0{index + 1}T08:00:00+00:00") for index in range(3)]
    with NewsSite(entries, broken_sitemaps=False) as site:
        site.extra_pages = {"/imprint/": (
            b"<html><head><title>Imprint</title></head><body><p>Publisher: Test Gazette.</p><ul>"
            + b"".join(f'<li><a href="{article_path(index)}">Story {index}</a></li>'.encode() for index in range(3))
            + b"</ul></body></html>", "text/html; charset=utf-8")}  # fmt: skip
        crawl(db, site.base_url + "/")
        site.hits.clear()
        crawl(db, site.base_url + "/")
        second = [hit.path for hit in site.hits]
    [imprint] = rows(db, "SELECT state, reason FROM crawl_state WHERE url LIKE '%/imprint/'")
    assert imprint == {"state": "skipped", "reason": "not_article"}
    assert "/imprint/" not in second
