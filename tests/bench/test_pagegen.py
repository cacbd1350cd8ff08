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
