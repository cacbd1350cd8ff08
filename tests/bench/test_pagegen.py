"""Generated pages (bench/pagegen): reproducible, of every type, and readable by the parser."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from bench.pagegen import PAGE_TYPES, generate
from crawler.parsing import parse_page


def test_the_same_seed_gives_the_same_pages_and_another_seed_others():
    first, again, other = generate(40, seed=5), generate(40, seed=5), generate(40, seed=6)
    assert [(p.url, p.html) for p in first] == [(p.url, p.html) for p in again]
    assert [p.html for p in first] != [p.html for p in other]


def test_every_type_is_drawn_on_sites_with_several_pages():
    pages = generate(300, seed=2)
    assert len(pages) == 300
    assert set(Counter(p.page_type for p in pages)) == set(PAGE_TYPES)
    assert len({p.site for p in pages}) < len(pages)
    assert all(urlsplit(p.url).hostname == p.site for p in pages)


def test_pages_written_as_prose_are_drawn_only_when_asked_for():
    plain, prose = generate(120, seed=8), generate(120, seed=8, prose_share=1.0)
    assert [p.html for p in plain] == [p.html for p in generate(120, seed=8, prose_share=0.0)]
    assert set(Counter(p.page_type for p in prose)) == set(PAGE_TYPES)
    assert [p.html for p in plain] != [p.html for p in prose]


def test_generated_articles_are_read_as_articles_with_their_text():
    articles = [p for p in generate(120, seed=4) if p.page_type == "article"]
    results = [parse_page(p.html, p.url) for p in articles]
    assert sum(r.is_article for r in results) >= 0.9 * len(results)
    assert all(r.title and r.body for r in results)


def test_the_header_menu_links_sections_and_services_more_often_than_stories():
    """With ``menu_links``: sections, services and shop categories are entries of their site's
    menu; stories, products, chapters and threads now and then (bench.pagegen.site.IN_MENU)."""
    def in_menu(page) -> bool:
        header = page.html.split("<header", 1)[1].split("</header>", 1)[0]
        return f'href="{urlsplit(page.url).path}"' in header

    pages = generate(600, seed=3, menu_links=True)
    assert [p.url for p in pages] == [p.url for p in generate(600, seed=3)]  # the same pages otherwise
    assert not any(map(in_menu, generate(200, seed=3)))  # off by default
    share = {kind: sum(map(in_menu, found)) / len(found) for kind in PAGE_TYPES if (found := [p for p in pages if p.page_type == kind])}
    assert all(0.3 <= share[kind] <= 0.7 for kind in ("listing", "collection", "service"))
    assert all(share[kind] <= 0.25 for kind in ("article", "forum", "documentation", "product"))
