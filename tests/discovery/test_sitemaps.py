"""Sitemaps: urlset, index, gzip, Google News, broken files, robots.txt lines."""

import gzip
from datetime import UTC, datetime

from crawler.discovery.sitemaps import parse_sitemap, sitemaps_from_robots

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/2025/09/11/a.html</loc><lastmod>2025-09-11T10:00:00+02:00</lastmod></url>
  <url><loc> https://news.example/2025/09/10/b.html </loc><lastmod>2025-09-10</lastmod></url>
  <url><loc>https://news.example/2025/09/10/b.html</loc></url>
  <url><lastmod>2025-09-10</lastmod></url>
  <url><loc>ftp://news.example/file</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-2025-09.xml.gz</loc><lastmod>2025-09-12</lastmod></sitemap>
  <sitemap><loc>/sitemap-news.xml</loc></sitemap>
</sitemapindex>"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example/fresh-story-about-tides</loc>
    <news:news><news:publication><news:name>Harbour Times</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-09-12T06:00:00Z</news:publication_date>
      <news:title>Fresh story about tides</news:title></news:news></url>
</urlset>"""


def test_urlset_entries_with_lastmod():
    sitemap = parse_sitemap(URLSET, "https://news.example/sitemap.xml")
    assert sitemap.kind == "urlset" and sitemap.error is None
    assert [entry.url for entry in sitemap.entries] == [
        "https://news.example/2025/09/11/a.html",
        "https://news.example/2025/09/10/b.html",
    ]
    assert sitemap.entries[0].lastmod == datetime(2025, 9, 11, 8, 0, tzinfo=UTC)
    assert sitemap.entries[1].source_date == datetime(2025, 9, 10, tzinfo=UTC)


def test_index_lists_child_sitemaps_absolute():
    sitemap = parse_sitemap(INDEX, "https://news.example/sitemap_index.xml")
    assert sitemap.kind == "sitemapindex" and sitemap.entries == []
    assert [child.url for child in sitemap.sitemaps] == [
        "https://news.example/sitemap-2025-09.xml.gz",
        "https://news.example/sitemap-news.xml",
    ]
    assert sitemap.sitemaps[0].lastmod == datetime(2025, 9, 12, tzinfo=UTC)


def test_gzip_sitemap_is_decompressed():
    sitemap = parse_sitemap(gzip.compress(URLSET), "https://news.example/sitemap.xml.gz")
    assert len(sitemap.entries) == 2 and sitemap.error is None


def test_corrupt_gzip_is_reported():
    sitemap = parse_sitemap(gzip.compress(URLSET)[:40], "https://news.example/sitemap.xml.gz")
    assert sitemap.entries == [] and sitemap.error.startswith("gzip")


def test_news_sitemap_dates_and_titles():
    (entry,) = parse_sitemap(NEWS, "https://news.example/news.xml").entries
    assert entry.news_title == "Fresh story about tides"
    assert entry.news_published == datetime(2025, 9, 12, 6, 0, tzinfo=UTC)
    assert entry.lastmod is None and entry.source_date == entry.news_published


def test_truncated_sitemap_keeps_entries_before_the_cut():
    cut = URLSET[: URLSET.index(b"<url><loc> https")] + b"<url><loc>https://news.exa"
    sitemap = parse_sitemap(cut, "https://news.example/sitemap.xml")
    assert sitemap.error and sitemap.error.startswith("malformed")
    assert [entry.url for entry in sitemap.entries] == ["https://news.example/2025/09/11/a.html"]


def test_not_a_sitemap():
    assert parse_sitemap(b"<html><body>404</body></html>", "https://x.example/s.xml").error.startswith("not_a_sitemap")
    assert parse_sitemap(b"   ", "https://x.example/s.xml").error == "empty"


def test_billion_laughs_is_not_expanded():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<urlset><url><loc>https://x.example/&lol3;</loc></url></urlset>"""
    sitemap = parse_sitemap(bomb, "https://x.example/")
    assert all(len(entry.url) < 100 for entry in sitemap.entries)


def test_robots_sitemap_lines():
    robots = """User-agent: *
Disallow: /search
sitemap: /sitemap_index.xml   # relative, lower case
Sitemap: https://news.example/news-sitemap.xml
Sitemap: https://news.example/news-sitemap.xml
Sitemaps-are-great: no
"""
    assert sitemaps_from_robots(robots, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml",
        "https://news.example/news-sitemap.xml",
    ]
    assert sitemaps_from_robots(b"User-agent: *\nDisallow:\n", "https://news.example/robots.txt") == []
