"""Feeds: RSS 2.0, Atom, RDF entries with dates, broken feeds, autodiscovery."""

from datetime import UTC, datetime

from crawler.discovery.feeds import find_feed_links, looks_like_feed, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Times</title><link>https://news.example/</link>
<lastBuildDate>Fri, 12 Sep 2025 10:00:00 +0000</lastBuildDate>
<item><title>Ferry timetable changes</title><link>https://news.example/2025/09/11/ferry.html</link>
  <pubDate>Thu, 11 Sep 2025 08:30:00 +0200</pubDate></item>
<item><title>Relative link</title><link>/2025/09/10/relative.html</link>
  <dc:date>2025-09-10T07:00:00Z</dc:date></item>
<item><title>Guid only</title><guid isPermaLink="true">https://news.example/guid-only</guid></item>
<item><title>Guid not a permalink</title><guid isPermaLink="false">tag:news.example,2025:1</guid></item>
<item><title>Duplicate</title><link>https://news.example/2025/09/11/ferry.html</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
<entry><title>Atom story</title>
  <link rel="edit" href="https://news.example/edit/1"/>
  <link rel="alternate" type="text/html" href="https://news.example/atom-story"/>
  <published>2025-09-01T12:00:00+02:00</published><updated>2025-09-03T09:00:00Z</updated></entry>
<entry><title>No rel</title><link href="no-rel-story"/><updated>2025-09-02</updated></entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>RDF news</title>
 <items><rdf:Seq><rdf:li rdf:resource="https://news.example/rdf-1"/></rdf:Seq></items></channel>
<item rdf:about="https://news.example/rdf-1"><title>RDF one</title><dc:date>2025-08-30</dc:date></item>
<item rdf:about="https://news.example/rdf-2"><title>RDF two</title><link>https://news.example/rdf-2-link</link></item>
</rdf:RDF>"""


def test_rss_entries_links_titles_and_dates():
    feed = parse_feed(RSS, "https://news.example/feed.xml")
    assert feed.kind == "rss" and feed.error is None and feed.title == "Harbour Times"
    assert [entry.url for entry in feed.entries] == [
        "https://news.example/2025/09/11/ferry.html",
        "https://news.example/2025/09/10/relative.html",
        "https://news.example/guid-only",
    ]
    first = feed.entries[0]
    assert first.title == "Ferry timetable changes"
    assert first.published == datetime(2025, 9, 11, 6, 30, tzinfo=UTC)
    assert feed.entries[1].published == datetime(2025, 9, 10, 7, 0, tzinfo=UTC)
    assert feed.entries[2].source_date is None


def test_atom_prefers_alternate_link_and_newest_date():
    feed = parse_feed(ATOM, "https://news.example/atom.xml")
    assert feed.kind == "atom"
    assert [entry.url for entry in feed.entries] == [
        "https://news.example/atom-story",
        "https://news.example/no-rel-story",
    ]
    story = feed.entries[0]
    assert story.published == datetime(2025, 9, 1, 10, 0, tzinfo=UTC)
    assert story.source_date == datetime(2025, 9, 3, 9, 0, tzinfo=UTC)


def test_rdf_items_use_link_then_about():
    feed = parse_feed(RDF, "https://news.example/index.rdf")
    assert feed.kind == "rdf"
    assert [entry.url for entry in feed.entries] == ["https://news.example/rdf-1", "https://news.example/rdf-2-link"]
    assert feed.entries[0].published == datetime(2025, 8, 30, tzinfo=UTC)


def test_truncated_feed_keeps_complete_entries_and_says_why():
    feed = parse_feed(RSS[: RSS.index(b"<item><title>Guid only")] + b"<item><title>Cut", "https://news.example/f")
    assert feed.error and feed.error.startswith("malformed")
    assert len(feed.entries) == 2


def test_not_a_feed_and_empty_and_html():
    assert parse_feed(b"", "https://x.example/").error == "empty"
    html = parse_feed(b"<html><body><p>hi</p></body></html>", "https://x.example/")
    assert html.entries == [] and html.error.startswith("not_a_feed")
    assert parse_feed(b"\x00\x01\x02garbage", "https://x.example/").entries == []


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>
<rss><channel><item><title>&x;</title><link>https://news.example/a-b-c</link></item></channel></rss>""".encode()
    feed = parse_feed(xxe, "https://news.example/")
    assert all("TOP-SECRET" not in (entry.title or "") for entry in feed.entries)


def test_looks_like_feed():
    assert looks_like_feed(RSS) and looks_like_feed(ATOM) and looks_like_feed(RDF)
    assert not looks_like_feed(b"<!doctype html><html></html>")


def test_find_feed_links_reads_alternate_links_in_order():
    page = """<html><head><base href="https://news.example/en/">
    <link rel="alternate" type="application/rss+xml" href="feed.rss">
    <link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
    <link rel="alternate" hreflang="de" href="https://news.example/de/">
    <link rel="stylesheet" type="text/css" href="a.css">
    <link rel="alternate" type="application/rss+xml" href="feed.rss">
    </head><body></body></html>"""
    assert find_feed_links(page, "https://news.example/en/index.html") == [
        "https://news.example/en/feed.rss",
        "https://news.example/atom.xml",
    ]
    assert find_feed_links("", "https://news.example/") == []
