"""The template fast path's field readers: headline, authors and prev/next block read from a
confirmed layout's elements, each falling back to its generic reader when its element does not
yield the value the generic reader would take there (crawler.parsing.fastpath)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crawler.parsing import SiteTemplate, load_document, parse_page
from crawler.parsing.authors import authors_at
from crawler.parsing.fastpath import confirmed_layout, differences, layout_block
from crawler.parsing.navigation import LAYOUT, navigation_at
from crawler.parsing.paths import select
from crawler.parsing.result import ParseResult
from crawler.parsing.template import Layout
from crawler.parsing.title import find_headline, headline_at
from tests.golden.regenerate import expected_path, load_cases, page_bytes

NOW = datetime(2026, 1, 1, tzinfo=UTC)
URL = "https://harbour.example/2025/03/11/ferry.html"
STORY = " ".join(f"The harbour committee met on evening {n} and residents asked how the ferry timetable would change." for n in range(6))
LAYOUT_PATHS = Layout(title="article.story header h1.hl", region="main article.story div.story-text",
                      date="header div.meta span.dt", author="div.meta span.by", navigation="article.story>nav.pn")
PREV = '<a class="pn-a" href="/2025/03/10/tides.html"><span>Previous</span> <span>Spring tides reach the old quay wall</span></a>'
NEXT = '<a class="pn-b" href="/2025/03/12/bridge.html"><span>Next</span> <span>Bridge repairs start on the north bank</span></a>'
GOLDEN_ARTICLES = [case for case in load_cases() if json.loads(expected_path(case["name"]).read_text(encoding="utf-8"))["is_article"]]


def _article(*, head: str = "", h1: str = "Ferry timetable changes for winter", by: str = "By Mira Vell",
             nav: str = PREV + NEXT, before: str = "") -> str:
    return (
        '<html lang="en"><head><title>Ferry timetable changes for winter | Harbour Gazette</title>'
        f'<meta name="author" content="Mira Vell">{head}</head><body><header class="site"><a href="/">Harbour Gazette</a></header>'
        f'<main>{before}<article class="story"><header><h1 class="hl">{h1}</h1><div class="meta"><span class="by">{by}</span> '
        f'<span class="dt">11 March 2025</span></div></header><div class="story-text"><p>{STORY}</p><p>{STORY}</p>'
        f'<p>Last words of the story, said the ferry captain.</p></div><nav class="pn">{nav}</nav></article>'
        "</main><footer>© 2025</footer></body></html>"
    )


def _both(page: str, layout: Layout = LAYOUT_PATHS, **hints: object) -> tuple[ParseResult, ParseResult]:
    full = parse_page(page, URL, now=NOW, template=SiteTemplate())
    fast = parse_page(page, URL, now=NOW, template=SiteTemplate(layouts=(layout,), **hints))  # type: ignore[arg-type]
    return full, fast


def _same(fast: ParseResult, full: ParseResult) -> list[str]:
    return differences(fast, full, ignore=("parse_path", "field_paths"))


@pytest.mark.parametrize("case", GOLDEN_ARTICLES, ids=[case["name"] for case in GOLDEN_ARTICLES])
def test_each_golden_article_read_from_its_own_layout_gives_its_stored_parse(case):
    """The layout each stored article's full parse locates, handed back as a learned layout: the
    page is read the fast way, each new field path yields, and the result is the stored one."""
    html, expected = page_bytes(case["name"]), json.loads(expected_path(case["name"]).read_text(encoding="utf-8"))
    located = parse_page(html, case["url"], template=SiteTemplate())
    layout = Layout.from_paths(located.field_paths)
    assert layout is not None
    fast = parse_page(html, case["url"], template=SiteTemplate(layouts=(layout,)))
    assert fast.parse_path == "template"
    assert _same(fast, ParseResult(**expected)) == []
    doc = load_document(html, case["url"])
    title, headline = headline_at(doc, select(doc.tree, layout.title)[0], site_name=fast.site_name) or (None, None)
    assert title == expected["title"] and headline is not None
    if layout.navigation:
        navigation = navigation_at(doc, layout_block(confirmed_layout(doc, (layout,))))
        assert navigation is not None and navigation.evidence[-1] == LAYOUT
        assert (navigation.prev.url, navigation.next.url) == (expected["prev_url"], expected["next_url"])
        assert fast.nav_evidence == [*expected["nav_evidence"], LAYOUT]
    if layout.author:
        authors = authors_at(doc, select(doc.tree, layout.author)[0], headline=headline, site_name=fast.site_name)
        assert authors in (None, expected["authors"])  # None: nothing declared, the page's shown sources decide


def test_a_page_read_by_its_layout_gives_the_full_parse_s_fields_with_the_block_marked():
    full, fast = _both(_article())
    assert fast.parse_path == "template"
    assert (fast.title, fast.authors, fast.prev_url, fast.next_url) == (
        "Ferry timetable changes for winter", ["Mira Vell"], "https://harbour.example/2025/03/10/tides.html",
        "https://harbour.example/2025/03/12/bridge.html")
    assert _same(fast, full) == []
    assert fast.nav_evidence == [*full.nav_evidence, LAYOUT] and fast.nav_confidence == full.nav_confidence
    assert LAYOUT not in full.nav_evidence


def test_an_empty_headline_element_falls_back_to_the_page_s_headings_and_titles():
    doc = load_document(_article(h1=""), URL)
    assert headline_at(doc, select(doc.tree, LAYOUT_PATHS.title)[0]) is None
    full, fast = _both(_article(h1=""))
    assert fast.parse_path == "template" and fast.title == full.title == "Ferry timetable changes for winter"  # the <title>'s
    assert _same(fast, full) == []


def test_a_structured_title_the_layout_s_heading_does_not_show_is_taken_as_the_full_parse_takes_it():
    """JSON-LD names the article; the layout's heading is a short section label: the full parse
    takes the JSON-LD headline, and so must the fast path."""
    jsonld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Winter ferries leave '
              'an hour earlier from Monday"}</script>')
    full, fast = _both(_article(head=jsonld, h1="Harbour"))
    assert full.title == "Winter ferries leave an hour earlier from Monday"
    assert fast.parse_path == "template" and fast.title == full.title
    assert _same(fast, full) == []


def test_an_author_element_naming_no_declared_author_falls_back_to_the_page_s_sources():
    for by in ("", "Photos: Archive"):
        doc = load_document(_article(by=by), URL)
        assert authors_at(doc, select(doc.tree, LAYOUT_PATHS.author)[0]) is None
        full, fast = _both(_article(by=by))
        assert fast.parse_path == "template" and fast.authors == full.authors == ["Mira Vell"]
        assert _same(fast, full) == []


def test_a_block_with_one_link_or_a_block_path_matching_twice_falls_back_to_the_whole_page_s_links():
    full, fast = _both(_article(nav=PREV))  # a chain's end: a single, weighed against the page's other links
    assert fast.parse_path == "template" and fast.prev_url == full.prev_url and full.prev_url
    assert LAYOUT not in fast.nav_evidence and _same(fast, full) == []
    twice = _article(before='<article class="story"><nav class="pn"></nav></article>')
    assert layout_block(confirmed_layout(load_document(twice, URL), (LAYOUT_PATHS,))) is None
    full, fast = _both(twice)
    assert fast.parse_path == "template" and LAYOUT not in fast.nav_evidence and _same(fast, full) == []


def test_a_verified_page_compares_every_field_the_layout_reads(caplog):
    """An earlier <h1> shows the og:title exactly: the full parse takes it, the layout's heading
    only resembles it. A verified page reads both ways, keeps the full parse and names the field."""
    head = '<meta property="og:title" content="Ferry timetable changes for winter">'
    page = _article(head=head, h1="Ferry timetable changes for the winter season",
                    before='<h1 class="top">Ferry timetable changes for winter</h1>')
    full, fast = _both(page)
    assert fast.parse_path == "template" and fast.title != full.title
    with caplog.at_level(logging.WARNING, logger="crawler.parsing"):
        kept = parse_page(page, URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT_PATHS,), verify=True))
    assert kept.parse_path == "disagreed" and _same(kept, full) == []
    assert "title" in caplog.text
    agreed = parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT_PATHS,), verify=True))
    assert agreed.parse_path == "verified" and LAYOUT not in agreed.nav_evidence  # the full parse's reading is kept


def test_differences_compare_the_prev_next_evidence_without_the_layout_mark():
    plain = ParseResult(url=URL, nav_evidence=["pair", "label"])
    assert differences(replace(plain, nav_evidence=["pair", "label", LAYOUT]), plain) == []
    assert differences(replace(plain, nav_evidence=["pair", LAYOUT]), plain) == ["nav_evidence"]
    assert differences(replace(plain, title="Other"), plain) == ["title"]
    assert find_headline(load_document(_article(), URL))[0] == "Ferry timetable changes for winter"


def test_a_verified_page_without_a_fetch_time_reads_both_ways_at_one_instant():
    """A refused date's warning names the time it was checked against: the two readings of a
    verified page parsed without ``now`` must check against the same one, or every such page
    would disagree and drop its site's layouts."""
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}</script>'
    kept = parse_page(_article(head=head), URL, template=SiteTemplate(layouts=(LAYOUT_PATHS,), verify=True))
    assert kept.date_warnings and kept.parse_path == "verified"
