"""Distributed discovery through a real Redis: workers find articles as a local crawl of a home page does.

The local news site of the discovery tests (tests/incremental/newssite.py) announces each
article by one route only: the home page, the feed, a sitemap named in robots.txt, a news
sitemap, or a prev/next chain from another article. Every article also carries the same
call-out paragraph, which only the ingester, seeing the pages of both workers, can learn
is site furniture.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.distributed.conftest import archive_args, assert_every_article_archived
from tests.incremental.newssite import Entry, NewsSite
from tests.spider.site import article_path

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CALLOUT = "Coffee break? The short version of this report, in three sentences, is waiting for you here."
WORKER = ["--allow-network", "127.0.0.0/8", "--idle-close", "2", "--json-logs",
          "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0",
          "-s", "CONCURRENT_REQUESTS=1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]  # fmt: skip (2: over both workers)


def newscrawl(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def enqueue(redis_url: str, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url, *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]


def crawl_with(redis_url: str, db: Path, workers: int) -> list[dict]:
    """``workers`` workers and one ingester until the frontier stays empty; each worker's stats."""
    ingest = newscrawl("ingest", "--redis", redis_url, "--db", str(db), "--idle-close", "3", "--json")
    running = [newscrawl("worker", "--redis", redis_url, *WORKER, *archive_args(db)) for _ in range(workers)]
    stats = []
    for worker in running:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-3000:]
        stats.append(json.loads(out.strip().splitlines()[-1])["stats"])
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, err[-3000:]
    return stats


def query(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_home_page_and_feed_two_workers_every_article_once_and_furniture_learned(redis_url, redis_client, tmp_path):
    routes = {0: "home", 1: "home", 2: "home", 3: "feed", 4: "feed", 5: "sitemap", 6: "news", 7: "none", 8: "none"}
    entries = [Entry(index, route, f"2025-03-{index + 1:02d}T08:00:00+00:00", extra_body=f"<p>{CALLOUT}</p>")
               for index, route in routes.items()]  # fmt: skip
    entries[2].next, entries[7].prev, entries[7].next, entries[8].prev = 7, 2, 8, 7  # 7 and 8: only by the chain
    db = tmp_path / "news.db"
    with NewsSite(entries, latency=0.05, broken_sitemaps=False) as site:
        enqueue(redis_url, site.base_url + "/", "--feed", site.base_url + "/feed.xml")
        stats = crawl_with(redis_url, db, workers=2)
        hits = Counter(hit.path for hit in site.hits)

        expected = {site.url(index) for index in routes}
        urls = [row[0] for row in query(db, "SELECT url FROM articles")]
        assert len(urls) == len(expected) and set(urls) == expected
        assert all(hits[article_path(index)] == 1 for index in routes), hits  # the shared filter: fetched once
        assert hits["/feed.xml"] == 1  # enqueued and linked from the home page: read once
        assert hits["/"] == 1 and hits["/sitemap-1.xml.gz"] == 1 and hits["/news-sitemap.xml"] == 1
        assert all(worker.get("newscrawl/pages_fetched", 0) > 0 for worker in stats)  # both workers crawled
        assert query(db, "SELECT count(*) FROM failures WHERE url = ?", site.base_url + "/") == [(0,)]  # a listing
        assert_every_article_archived(db)  # each worker's pages, in its own files
        assert len({name.split("-00001")[0] for (name,) in query(db, "SELECT DISTINCT file FROM archive_records")}) == 2
        archived = {url for (url,) in query(db, "SELECT request_url FROM archive_records")}
        assert {site.base_url + "/", site.base_url + "/feed.xml", site.base_url + "/robots.txt"} <= archived

        # Furniture: learned by the ingester from both workers' pages, gone from every stored body.
        learned = dict(query(db, "SELECT sample_text, pages_seen FROM site_furniture"))
        assert learned[CALLOUT] == len(expected)  # every page, whichever worker fetched it
        assert query(db, "SELECT count(*) FROM articles WHERE instr(body, ?) > 0", CALLOUT) == [(0,)]
        assert query(db, "SELECT count(*) FROM articles WHERE instr(summary, 'Coffee break') > 0") == [(0,)]
        assert query(db, "SELECT count(*) FROM articles WHERE body LIKE '%announced on Tuesday%'") == [(len(expected),)]
        assert int(redis_client.get("newscrawl:requests:count") or 0) == 0
        assert redis_client.zcard("newscrawl:requests:leases") == redis_client.zcard("newscrawl:requests:sites") == 0
        assert redis_client.llen("newscrawl:items") == 0

        # Later: a new article on the home page. Enqueuing the home page again reads the
        # listing and its sources again, and fetches only the new article.
        site.entries.append(Entry(9, "home", "2025-03-10T08:00:00+00:00", extra_body=f"<p>{CALLOUT}</p>"))
        enqueue(redis_url, site.base_url + "/")
        crawl_with(redis_url, db, workers=1)
        again = Counter(hit.path for hit in site.hits)

    assert again["/"] == 2 and again["/feed.xml"] == 2  # a new round of discovery
    assert all(again[article_path(index)] == 1 for index in routes)  # nothing fetched twice
    assert again[article_path(9)] == 1
    assert query(db, "SELECT count(*) FROM articles") == [(len(expected) + 1,)]
    assert query(db, "SELECT count(*) FROM articles WHERE instr(body, ?) > 0", CALLOUT) == [(0,)]


def test_site_profile_selectors_and_window_reach_the_worker(redis_url, redis_client, tmp_path):
    entries = [Entry(index, "home", f"2025-03-{index + 1:02d}T08:00:00+00:00") for index in range(4)]
    sites = tmp_path / "sites.toml"
    db = tmp_path / "news.db"
    with NewsSite(entries, broken_sitemaps=False) as site:
        sites.write_text(
            '[sites.herald]\nstart_urls = ["${base}/"]\nlimits = { since = "2025-03-03" }\n'
            '[sites.herald.selectors]\ntitle = "p.byline"\n',
            encoding="utf-8",
        )
        enqueue(redis_url, "--site", "herald", "--sites", str(sites), "--var", f"base={site.base_url}")
        crawl_with(redis_url, db, workers=1)

    stored = dict(query(db, "SELECT url, title FROM articles"))
    assert set(stored) == {site.url(2), site.url(3)}  # published 2025-03-03 and 03-04
    assert all(title.startswith("By ") for title in stored.values())  # the profile's selector won
    skipped = {row[0] for row in query(db, "SELECT url FROM failures WHERE reason = 'outside_window'")}
    assert skipped == {site.url(0), site.url(1)}
    config = json.loads(redis_client.hget("newscrawl:site-configs", site.base_url.removeprefix("http://")))
    assert config["profile"] == "herald" and config["selectors"] == {"title": "p.byline"}


def test_enqueue_refuses_urls_with_a_site_and_a_bad_profiles_file(redis_url, redis_client, tmp_path):
    both = subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url,
                           "http://127.0.0.1:9/", "--site", "herald"], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert both.returncode == 2 and "not both" in both.stderr
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.herald]\nstart_urls = ["http://127.0.0.1:9/"]\nfeed = []\n', encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url, "--site", "herald",
                          "--sites", str(sites)], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 4 and f"{sites}:3: unknown key 'feed'" in bad.stderr
    assert redis_client.zcard("newscrawl:requests") == 0  # nothing half-enqueued
