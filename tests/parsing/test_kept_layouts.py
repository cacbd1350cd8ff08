"""Layouts kept between runs: one serialized form (``Layout.dumps`` / ``loads``), a kept layout
that cannot be read back is left out, the first page a run hands a kept layout to is verified,
and a kept region that is one paragraph (hand-edited, or a site that changed) never breaks a parse."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from crawler.article.sitevotes import SiteVotes
from crawler.article.template import TemplateBook
from crawler.parsing import SiteTemplate, parse_page
from crawler.parsing.template import Layout
from crawler.storage import open_database
from crawler.storage.templates import SitePaths, TemplateStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LAYOUT = Layout(title="article h1.hl", region="article div.text", date="article span.dt", navigation="nav.pager")
STORY = " ".join(f"The harbour committee met on evening {n} and residents asked how the ferry timetable would change." for n in range(6))
PAGE = ('<html lang="en"><head><title>Ferry timetable</title></head><body><main><article><h1 class="hl">Ferry timetable '
        f'changes for winter</h1><span class="dt">11 March 2025</span><div class="text"><p>{STORY}</p><p>{STORY}</p>'
        '<p>Short last words.</p></div></article></main></body></html>')


def test_a_layout_reads_back_as_it_was_written() -> None:
    assert Layout.loads(LAYOUT.dumps()) == LAYOUT
    assert Layout.loads(LAYOUT.dumps().encode()) == LAYOUT
    assert LAYOUT.dumps() == Layout(**LAYOUT.as_paths()).dumps()  # the same layout, the same text


@pytest.mark.parametrize("text", ["", "[]", "{}", '{"title": "h1"}', '{"title": "h1", "region": ""}',
                                  '{"title": "h1", "region": "div", "colour": "red"}', '{"title": 1, "region": "div"}'])
def test_what_is_not_a_layout_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError):
        Layout.loads(text)


def test_a_kept_layout_that_cannot_be_read_back_is_left_out_and_dropped_at_the_next_save(tmp_path, caplog) -> None:
    db = open_database(tmp_path / "news.db")
    store = TemplateStore(db)
    store.save([SitePaths("s", 12, {}, layouts=Counter({LAYOUT.dumps(): 12, '{"title": "h1"}': 40}))], now="t")
    kept = store.load("s")
    votes = SiteVotes.stored("s", kept.pages, kept.votes, kept.layouts)
    assert dict(votes.layouts) == {LAYOUT: 12} and votes.headlines == Counter({LAYOUT.title: 12})
    assert "a stored article layout is left out" in caplog.text
    store.save([SitePaths("s", 12, {}, layouts=votes.layout_texts())], now="t")
    assert dict(store.load("s").layouts) == {LAYOUT.dumps(): 12}


def test_the_first_page_handed_a_kept_layout_is_verified_then_every_nth(tmp_path) -> None:
    db = open_database(tmp_path / "news.db")
    TemplateStore(db).save([SitePaths("s", 12, {}, layouts=Counter({LAYOUT.dumps(): 12}))], now="t")
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=10, fast_min_share=0.9, verify_every=10,
                        store=TemplateStore(db))
    handed = [book.for_page("s") for _ in range(21)]
    assert all(template.layouts == (LAYOUT,) for template in handed)
    assert [index for index, template in enumerate(handed) if template.verify] == [0, 10, 20]


def test_a_layout_earned_in_the_run_is_verified_every_nth_from_its_nth_page() -> None:
    book = TemplateBook(min_pages=5, min_share=0.6, fast_min_pages=3, fast_min_share=0.9, verify_every=10)
    for _ in range(3):
        book.votes("s").observe(LAYOUT.as_paths())
    assert [index for index in range(20) if book.for_page("s").verify] == [9, 19]


def test_a_kept_region_that_is_one_paragraph_is_read_without_breaking_the_parse() -> None:
    """The body reader found no container inside one ``<p>`` and raised (max() of nothing): every
    page of the site became a parse_error."""
    narrow = Layout(**{**LAYOUT.as_paths(), "region": "article div.text > p:nth-of-type(1)", "navigation": None})
    for verify in (False, True):
        result = parse_page(PAGE, "https://news.example/a.html", now=NOW,
                            template=SiteTemplate(layouts=(narrow,), verify=verify))
        assert result.is_article and result.body
    full = parse_page(PAGE, "https://news.example/a.html", now=NOW, template=SiteTemplate())
    checked = parse_page(PAGE, "https://news.example/a.html", now=NOW, template=SiteTemplate(layouts=(narrow,), verify=True))
    assert checked.parse_path == "disagreed" and checked.body == full.body  # the whole page's reading is kept
