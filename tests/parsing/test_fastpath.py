"""The verified template fast path: a page confirming its site's learned layout is read from the
layout's body region; anything else, and every verified page, gets the full parse."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import crawler.parsing
from crawler.article.sitevotes import SiteVotes
from crawler.article.template import TemplateBook
from crawler.parsing import SiteTemplate, parse_page
from crawler.parsing.detect import Verdict
from crawler.parsing.fastpath import differences
from crawler.parsing.template import Layout

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DEMO = Path(__file__).parents[2] / "data" / "demo_site" / "site"
STORY = " ".join(f"The harbour committee met on evening {n} and residents asked how the ferry timetable would change." for n in range(6))
LAYOUT = Layout(title="article.story header h1.hl", region="main article.story div.story-text",
                date="header div.meta span.dt", author="div.meta span.by")


def _article(*, story: str = f"<p>{STORY}</p><p>{STORY}</p><p>Last words of the story, said the ferry captain.</p>", after: str = "") -> str:
    return (
        '<html lang="en"><head><title>Ferry timetable changes for winter | Harbour Gazette</title></head><body>'
        '<header class="site"><a href="/">Harbour Gazette</a></header><main><article class="story"><header>'
        '<h1 class="hl">Ferry timetable changes for winter</h1><div class="meta"><span class="by">By Mira Vell</span> '
        f'<span class="dt">11 March 2025</span></div></header><div class="story-text">{story}</div></article>{after}'
        "</main><footer>© 2025</footer></body></html>"
    )


URL = "https://harbour.example/2025/03/11/ferry.html"


def _both(page: str, url: str = URL, **hints: object):
    full = parse_page(page, url, now=NOW, template=SiteTemplate())
    fast = parse_page(page, url, now=NOW, template=SiteTemplate(layouts=(LAYOUT,), **hints))  # type: ignore[arg-type]
    return full, fast


def test_a_page_confirming_the_layout_is_read_from_its_region_with_the_full_parse_s_result():
    full, fast = _both(_article())
    assert (full.parse_path, fast.parse_path) == ("full", "template")
    assert fast.is_article and differences(replace(fast, parse_path="full"), full) == ["field_paths"]
    assert full.field_paths["region"] == LAYOUT.region  # what the crawl learns the layout from
    assert fast.field_paths == {}  # read the fast way: no vote


def test_a_listing_page_of_the_same_site_is_still_told_apart():
    cards = "".join(f'<div class="card"><h2><a href="/2025/03/{n:02d}/story-{n}.html">Story number {n} of the week in the harbour</a></h2>'
                    f"<p>A short teaser of story {n}.</p></div>" for n in range(12))
    listing = ('<html lang="en"><head><title>News | Harbour Gazette</title></head><body><header class="site">'
               f'<a href="/">Harbour Gazette</a></header><main><h1>News</h1>{cards}</main></body></html>')
    full, fast = _both(listing, "https://harbour.example/news/")
    assert not full.is_article and not fast.is_article
    assert fast.parse_path == "full"  # its elements do not confirm the article layout
    assert differences(replace(fast, parse_path="full"), full) == []


def test_a_region_without_prose_falls_back_to_the_full_parse():
    full, fast = _both(_article(story="<p>Photo: the harbour.</p>"))
    assert fast.parse_path == "fallback"
    assert differences(replace(fast, parse_path="full"), full) == []


def test_an_article_by_a_small_margin_in_the_region_falls_back_to_the_whole_page_s_verdict(monkeypatch):
    # The margin weighs the whole page (card lists outside the region): the region's reading
    # alone does not decide whether the stored article is flagged uncertain.
    monkeypatch.setattr(crawler.parsing, "detect_article", lambda doc, evidence: Verdict(None, uncertain=True))
    full, fast = _both(_article())
    assert fast.parse_path == "fallback" and fast.article_uncertain
    assert differences(replace(fast, parse_path="full"), full) == []


def test_a_verified_page_is_parsed_both_ways_and_a_disagreement_keeps_the_full_parse():
    agreed = parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,), verify=True))
    assert agreed.parse_path == "verified"
    # The region holds a short note; the story itself is in another container of the page.
    letters = f'<section class="letters"><p>{STORY}</p><p>{STORY}</p><p>{STORY}</p><p>{STORY}</p></section>'
    page = _article(story=f"<p>{STORY}</p>", after=letters)
    full, fast = _both(page, verify=True)
    assert fast.parse_path == "disagreed"
    assert differences(replace(fast, parse_path="full"), full) == []  # the full parse is what is kept
    assert parse_page(page, URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,))).body != full.body


def test_a_verified_page_reads_what_does_not_depend_on_the_layout_once(monkeypatch):
    # The full reading of a verified (or refused) page takes the language, the declared site name
    # and, when its headline is the layout's element, the dates from the layout's reading.
    calls: list[object] = []
    extract_dates = crawler.parsing.extract_dates

    def counted(doc, **kwargs):
        calls.append(kwargs["headline"])
        return extract_dates(doc, **kwargs)

    monkeypatch.setattr(crawler.parsing, "extract_dates", counted)
    verified = parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,), verify=True))
    assert verified.parse_path == "verified" and verified.published_at == "2025-03-11"
    assert len(calls) == 1
    calls.clear()
    fallback = parse_page(_article(story="<p>Photo: the harbour.</p>"), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,)))
    assert fallback.parse_path == "fallback" and len(calls) == 1
    calls.clear()
    # The layout's reading took another element for the headline: the full reading reads its own dates.
    monkeypatch.setattr(crawler.parsing, "layout_headline", lambda doc, confirmed, site_name: ("Harbour", confirmed.region))
    parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,), verify=True))
    assert len(calls) == 2 and calls[0] is not calls[1]


def test_a_path_is_selected_once_a_page_by_the_layout_and_the_site_template_s_hints(monkeypatch):
    # The fast path confirms the layout by its paths; the site template's hints are the same paths
    # on such a site, and read the elements already selected.
    import crawler.parsing.document as document

    selected: list[str] = []
    select = document.select

    def counted(tree, path):
        selected.append(path)
        return select(tree, path)

    monkeypatch.setattr(document, "select", counted)
    hints = {"title": LAYOUT.title, "date": LAYOUT.date, "author": LAYOUT.author, "body": LAYOUT.region}
    fast = parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,), **hints))  # type: ignore[arg-type]
    assert fast.parse_path == "template" and fast.title == "Ferry timetable changes for winter"
    assert sorted(selected) == sorted(LAYOUT.paths())
    assert differences(fast, parse_page(_article(), URL, now=NOW, template=SiteTemplate(layouts=(LAYOUT,)))) == []

def _paths(title: str = LAYOUT.title, region: str = LAYOUT.region) -> dict[str, str]:
    return {"title": title, "region": region, "date": "header div.meta span.dt"}


def test_a_layout_is_confident_on_enough_pages_and_a_clear_majority_of_its_headline_s():
    votes = SiteVotes()
    for _ in range(9):
        votes.observe(_paths())
    assert votes.confident_layouts(min_pages=10, min_share=0.9) == ()
    votes.observe(_paths())
    [layout] = votes.confident_layouts(min_pages=10, min_share=0.9)
    assert layout.region == LAYOUT.region
    votes.observe(_paths(region="main div.other"))
    votes.observe(_paths(region="main div.other"))  # 10 of 12 pages with that headline: not a clear majority
    assert votes.confident_layouts(min_pages=10, min_share=0.9) == ()
    votes.observe({"title": LAYOUT.title})  # no region (a page read from metadata): no layout counted
    assert sum(votes.layouts.values()) == 12


def test_a_distrusted_site_earns_its_layouts_again_and_every_nth_page_is_verified():
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=3, fast_min_share=0.9, verify_every=4)
    assert book.for_page("s").layouts == ()
    for _ in range(3):
        book.votes("s").observe(_paths())
    handed = [book.for_page("s") for _ in range(8)]
    assert all(template.layouts for template in handed)
    assert [template.verify for template in handed] == [False, False, False, True] * 2
    book.distrust("s")
    assert book.for_page("s").layouts == ()
    for _ in range(3):
        book.votes("s").observe(_paths())
    assert book.for_page("s").layouts


def test_the_demo_sites_read_the_same_with_the_fast_path_on_and_off():
    """Every demo page (articles, sections, feeds' neighbours) in a fixed order, each site learning
    its layouts from its own pages as a crawl does: the same result either way."""
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=3, fast_min_share=0.9, verify_every=10**6)
    taken = 0
    for path in sorted(DEMO.rglob("*.html")):
        site = path.relative_to(DEMO).parts[0]
        url = f"http://127.0.0.1:8000/{path.relative_to(DEMO)}"
        html = path.read_bytes()
        full = parse_page(html, url, now=NOW, template=book.for_site(site))
        fast = parse_page(html, url, now=NOW, template=book.for_page(site))
        taken += fast.parse_path == "template"
        assert differences(replace(fast, parse_path="full", field_paths=full.field_paths), full) == [], url
        if fast.parse_path == "template":
            assert fast.field_paths == {}  # a page read the fast way casts no vote
        else:
            assert fast.field_paths == full.field_paths, url
        if full.is_article:
            book.votes(site).observe(full.field_paths)
    assert taken >= 15  # article pages after each site's first three of a layout (17 of the 81 pages)


def test_a_template_with_layouts_crosses_to_the_pool_whole():
    import pickle

    template = SiteTemplate(title="h1.hl", layouts=(LAYOUT, Layout(title="h1.other", region="div.text")), verify=True)
    assert pickle.loads(pickle.dumps(template)) == template
