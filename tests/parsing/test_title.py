import json

import pytest

from crawler.parsing.title import extract_title, site_name_from_title, strip_site_name

from .helpers import article_body, doc


def test_h1_confirmed_by_og_title_with_site_name():
    head = '<title>Bridge to reopen in May | City Times</title><meta property="og:title" content="Bridge to reopen in May | City Times">'
    page = doc('<header><h1 class="site-title">City Times</h1></header><article><h1>Bridge to reopen in May</h1>' + article_body() + "</article>", head=head)
    assert extract_title(page, site_name="City Times") == "Bridge to reopen in May"


def test_site_name_h1_is_refused_even_without_og_site_name():
    head = "<title>A brief intro to git • Jane Roe</title>"
    page = doc("<h1>Jane Roe</h1><h2>A brief intro to git</h2>" + article_body(), head=head)
    assert extract_title(page) == "A brief intro to git"


def test_visible_headline_beats_a_different_seo_title():
    head = '<meta property="og:title" content="What is social commerce - a guide">'
    page = doc("<h1>An introduction to social commerce: what brands need to know</h1><h2>What is social commerce</h2>" + article_body(), head=head)
    assert extract_title(page) == "An introduction to social commerce: what brands need to know"


def test_truncated_structured_title_still_confirms_the_full_heading():
    full = "Fix It Friday: Struggling With How To Arrange Your Living Room? We Help Four Readers Find Solutions"
    ld = {"@type": "Article", "headline": full[:60] + "..."}
    page = doc(f"<h2>{full}</h2>" + article_body(), head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert extract_title(page) == full


def test_headline_in_a_related_list_is_not_the_title():
    head = "<title>Budget talks stall | Daily</title>"
    page = doc("<aside class='related-posts'><h1>Other story entirely</h1></aside><h1>Budget talks stall</h1>" + article_body(), head=head)
    assert extract_title(page) == "Budget talks stall"


def test_falls_back_to_title_without_site_name():
    page = doc(article_body(), head="<title>Harbour reopens after storm – Coast News</title>")
    assert extract_title(page, site_name="Coast News") == "Harbour reopens after storm"


def test_no_title_at_all():
    assert extract_title(doc(article_body())) is None


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Headline | Site", None, "Headline"),
        ("Site | A much longer headline about things", None, "A much longer headline about things"),
        ("Part one: the start - Site", "Site", "Part one: the start"),
        ("No separators here", None, "No separators here"),
    ],
)
def test_strip_site_name(title, site, expected):
    assert strip_site_name(title, site) == expected


def test_site_name_from_title():
    page = doc("", head="<title>High school builds a weather station - The Northfield Ledger</title>")
    assert site_name_from_title(page, "High school builds a weather station") == "The Northfield Ledger"
    assert site_name_from_title(page, "Something else") is None


def test_drop_cap_and_line_break_in_a_heading():
    page = doc("<h1><span class='dropcap'>C</span>ycle of the seasons<br>in the valley</h1>" + article_body())
    assert extract_title(page) == "Cycle of the seasons in the valley"


@pytest.mark.parametrize(
    ("heading", "structured", "expected"),
    [
        ("Digital Signal #18 – The World Without Work?", "Digital Signal #18", "Digital Signal #18"),
        ("Top Strategies for Safer Bridges Posted on July 1, 2024 by admin", "Top Strategies for Safer Bridges", "Top Strategies for Safer Bridges"),
        ("Best Bread Machines – My Favorites!", "Best Bread Machines - My Favorites! - Bread Dad", "Best Bread Machines – My Favorites!"),
    ],
)
def test_heading_furniture_after_the_structured_title_is_cut(heading, structured, expected):
    page = doc(f"<h1>{heading}</h1>" + article_body(), head=f'<meta property="og:title" content="{structured}">')
    assert extract_title(page, site_name="Bread Dad") == expected


def test_mojibake_in_the_heading_is_repaired():
    page = doc("<h1>A DIY Investorâ\x80\x99s Guide to Calculators</h1>" + article_body())
    assert extract_title(page) == "A DIY Investor’s Guide to Calculators"


def test_a_block_span_after_a_word_starts_a_new_line():
    page = doc("<h1>The Best Notion Alternatives<span class='block'>Top Note-taking Tools</span></h1>" + article_body())
    assert extract_title(page) == "The Best Notion Alternatives Top Note-taking Tools"
