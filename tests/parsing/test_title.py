import json

import pytest

from crawler.parsing.title import extract_title, site_name_from_title
from crawler.parsing.heading import ends_trail

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


def test_site_name_from_title():
    page = doc("", head="<title>High school builds a weather station - The Northfield Ledger</title>")
    assert site_name_from_title(page, "High school builds a weather station") == "The Northfield Ledger"
    assert site_name_from_title(page, "Something else") is None


def test_drop_cap_and_line_break_in_a_heading():
    page = doc("<h1><span class='dropcap'>C</span>ycle of the seasons<br>in the valley</h1>" + article_body())
    assert extract_title(page) == "Cycle of the seasons in the valley"


def test_a_heading_s_own_separated_part_stays_when_the_title_adds_only_the_site():
    page = doc("<h1>Best Bread Machines – My Favorites!</h1>" + article_body(),
               head='<meta property="og:title" content="Best Bread Machines - My Favorites! - Bread Dad">')
    assert extract_title(page, site_name="Bread Dad") == "Best Bread Machines – My Favorites!"


def test_mojibake_in_the_heading_is_repaired():
    page = doc("<h1>A DIY Investorâ\x80\x99s Guide to Calculators</h1>" + article_body())
    assert extract_title(page) == "A DIY Investor’s Guide to Calculators"


def test_a_block_span_after_a_word_starts_a_new_line():
    page = doc("<h1>The Best Notion Alternatives<span class='block'>Top Note-taking Tools</span></h1>" + article_body())
    assert extract_title(page) == "The Best Notion Alternatives Top Note-taking Tools"


@pytest.mark.parametrize("label", ["Our Blog", "M&A Updates", "Web Designs"])
def test_a_short_h1_sharing_nothing_with_the_title_is_a_section_label(label):
    head = '<meta property="og:title" content="Harbour bridge to reopen in May after repairs">'
    page = doc(f"<h1>{label}</h1>" + article_body(), head=head)
    assert extract_title(page) == "Harbour bridge to reopen in May after repairs"


def test_a_short_h1_is_kept_when_the_page_has_no_structured_title():
    assert extract_title(doc("<h1>Our Blog</h1>" + article_body())) == "Our Blog"


def test_a_long_unconfirmed_h1_is_still_the_headline():
    head = '<meta property="og:title" content="Hybrid and EV buying guide">'
    page = doc("<h1>Find an efficient vehicle that is right for you</h1>" + article_body(), head=head)
    assert extract_title(page) == "Find an efficient vehicle that is right for you"


def test_a_subheading_equal_to_the_title_beats_an_h1_that_only_resembles_it():
    head = '<meta property="og:title" content="Best travel insurance for seniors in 2025">'
    page = doc("<h1>Best travel insurance for seniors</h1><h2>Best travel insurance for seniors in 2025</h2>" + article_body(), head=head)
    assert extract_title(page) == "Best travel insurance for seniors in 2025"


def test_a_subheading_equal_to_the_title_once_the_host_named_site_is_cut():
    head = "<title>What do people love about Rust? | Rust Blog</title>"
    body = "<h1>But what they love is the sense of empowerment</h1><h2>What do people love about Rust?</h2>"
    page = doc(body + article_body(), head=head, url="https://blog.rust-lang.org/2025/12/19/love.html")
    assert extract_title(page) == "What do people love about Rust?"


def test_a_heading_only_screen_readers_get_is_not_the_headline():
    head = "<title>Sleep through the night | Patient Education | Children's Hospital</title>"
    body = "<h1 class='sr-only'>Sleep through the night | Patient Education | Children's Hospital</h1><h2 class='section-title'>Sleep through the night</h2>"
    assert extract_title(doc(body + article_body(), head=head)) == "Sleep through the night"


def test_the_site_name_after_a_separator_in_the_heading_is_cut():
    head = '<meta property="og:site_name" content="Artlyst"><meta property="og:title" content="Critics choice 2025 – Artlyst - Artlyst">'
    page = doc("<h1>Critics choice 2025 – Artlyst</h1>" + article_body(), head=head)
    assert extract_title(page, site_name="Artlyst") == "Critics choice 2025"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Best movers in the city 2025 | Top 19 companies", "Best movers in the city 2025"),
        ("How meditation rewires brains | Opinion", "How meditation rewires brains"),
        ("Opinion | Why bridges matter", "Opinion | Why bridges matter"),
    ],
)
def test_a_heading_is_cut_at_a_pipe(heading, expected):
    assert extract_title(doc(f"<h1>{heading}</h1>" + article_body())) == expected


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Dec 18 2025 Preparing a transition in Debusine", "Preparing a transition in Debusine"),
        ("Blog: Preparing a transition in Debusine", "Preparing a transition in Debusine"),
        ("Now Preparing a transition in Debusine", "Now Preparing a transition in Debusine"),
    ],
)
def test_a_date_or_section_before_the_structured_title_is_cut(heading, expected):
    head = '<meta property="og:title" content="Preparing a transition in Debusine">'
    assert extract_title(doc(f"<h1>{heading}</h1>" + article_body(), head=head)) == expected


def test_a_question_mark_that_belongs_to_the_heading_stays():
    head = '<meta property="og:title" content="Need a change? Seven tips for renting a car">'
    page = doc("<h1>Need a change? Seven ways to rent a car</h1>" + article_body(), head=head)
    assert extract_title(page) == "Need a change? Seven ways to rent a car"


def test_a_heading_naming_the_host_is_the_site_not_the_headline():
    page = doc("<h1>davidbau.com</h1><h2 class='date'>December 16, 2025</h2>" + article_body(), head="<title>davidbau.com Vibe Coding</title>", url="https://davidbau.com/archives/2025/vibe.html")
    assert extract_title(page) == "davidbau.com Vibe Coding"  # the <title> as it stands, not the logo <h1>


def test_a_short_first_title_part_shown_as_the_h1_is_the_headline_not_the_site():
    page = doc("<h1>Climate Change</h1>" + article_body(), head="<title>Climate Change | Economic Research Service</title>")
    assert extract_title(page) == "Climate Change"


def test_a_one_word_subheading_equal_to_a_section_title_does_not_outrank_the_h1():
    head = '<meta property="og:title" content="News">'
    page = doc("<h1>Harbour bridge reopens after a year of repairs</h1><h2>News</h2>" + article_body(), head=head)
    assert extract_title(page) == "Harbour bridge reopens after a year of repairs"


def test_a_heading_that_is_a_link_to_another_page_is_a_teaser():
    body = "<h1><a href='/2025/09/10/other-story.html'>Other story entirely</a></h1><h1>Budget talks stall</h1>"
    assert extract_title(doc(body + article_body())) == "Budget talks stall"


@pytest.mark.parametrize("href", ["/2025/09/11/some-article.html", "https://news.example/budget-talks/"])
def test_a_heading_linked_to_the_page_itself_or_its_canonical_stays(href):
    head = '<link rel="canonical" href="https://news.example/budget-talks/">'
    page = doc(f"<h1><a href='{href}'>Budget talks stall</a></h1>" + article_body(), head=head)
    assert extract_title(page) == "Budget talks stall"


def _ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_an_h2_showing_the_alternative_headline_does_not_outrank_the_h1():
    """schema.org's alternativeHeadline is a subtitle: an <h2> showing it is not the headline."""
    ld = {"@type": "NewsArticle", "headline": "Kenia: Nairobi von unten", "alternativeHeadline": "Aktivisten riefen zum Panafrikagipfel in Nairobi auf"}
    body = "<h1>Nairobi von unten</h1><h2>Aktivisten riefen zum Panafrikagipfel in Nairobi auf</h2>"
    assert extract_title(doc(body + article_body(), head=_ld(ld))) == "Nairobi von unten"


def _trail(crumb: str) -> str:
    """A breadcrumb trail in invented words, its last item an <h1>: no class names it."""
    return (
        '<ul class="zq-row"><li><a href="/">Zorp</a></li><li><a href="/velk/">Velk</a></li>'
        f"<li><h1>{crumb}</h1></li></ul>"
    )


def test_trail_h1_gives_way_to_the_header_heading_a_structured_title_confirms():
    ld = {"@type": "NewsArticle", "headline": "Quorl vents brisk over the harbour"}
    head = f'<meta property="og:title" content="Harbour news: quorl vents"><script type="application/ld+json">{json.dumps(ld)}</script>'
    body = _trail("Harbour news: quorl vents") + "<article><header><h2>Quorl vents brisk over the harbour</h2></header>" + article_body() + "</article>"
    page = doc(body, head=head, url="https://news.example/velk/quorl-vents.html")
    assert extract_title(page) == "Quorl vents brisk over the harbour"


def test_trail_h1_stays_when_no_other_heading_is_confirmed():
    head = '<meta property="og:title" content="Harbour news: quorl vents">'
    body = _trail("Harbour news: quorl vents") + "<article><h2>Something else entirely here</h2>" + article_body() + "</article>"
    page = doc(body, head=head, url="https://news.example/velk/quorl-vents.html")
    assert extract_title(page) == "Harbour news: quorl vents"


def test_ends_trail_by_structure_and_by_a_breadcrumb_class():
    url = "https://news.example/velk/quorl-vents.html"
    links = '<ul><li><a href="/">Zorp</a></li><li><a href="/velk/">Velk</a></li></ul>'
    after_list = doc(f"<header>{links}<h1>Quorl vents</h1></header>", url=url)
    away = doc('<div><a href="/">Zorp</a> <a href="/other/">Other</a> <h1>Quorl vents</h1></div>', url=url)
    bare = doc('<nav><a href="/">Zorp</a> / <a href="/velk/">Velk</a> / <h1>Quorl vents</h1></nav>', url=url)
    classed = doc('<div class="site-breadcrumbs"><h1>Quorl vents</h1></div>', url=url)
    assert not ends_trail(after_list.tree.find(".//h1"), url)
    assert not ends_trail(away.tree.find(".//h1"), url)  # /other/ is not above the page's path
    assert ends_trail(bare.tree.find(".//h1"), url)
    assert ends_trail(classed.tree.find(".//h1"), url)
    assert ends_trail(doc(_trail("Quorl vents"), url=url).tree.find(".//h1"), url)


def test_headline_element_beside_a_kicker_is_taken_when_a_structured_title_is_it():
    head = '<meta property="og:title" content="Quorl vents brisk over the harbour">'
    body = "<h1><span>Velk weather</span> <span>Quorl vents brisk over the harbour</span></h1>" + article_body()
    assert extract_title(doc(body, head=head)) == "Quorl vents brisk over the harbour"


def test_kicker_and_headline_elements_take_the_structured_titles_punctuation():
    head = '<meta property="og:title" content="Velk weather: Quorl vents brisk over the harbour">'
    body = "<h1><span>Velk weather</span> <span>Quorl vents brisk over the harbour</span></h1>" + article_body()
    assert extract_title(doc(body, head=head)) == "Velk weather: Quorl vents brisk over the harbour"


def test_one_element_heading_keeps_its_own_punctuation():
    head = '<meta property="og:title" content="Velk weather: Quorl vents brisk over the harbour">'
    body = "<h1>Velk weather - Quorl vents brisk over the harbour</h1>" + article_body()
    assert extract_title(doc(body, head=head)) == "Velk weather - Quorl vents brisk over the harbour"


def test_kicker_confirmed_with_the_whole_heading_is_kept():
    head = (
        "<meta property=\"og:title\" content=\"'Velk at last': quorl vents brisk over the harbour\">"
        "<title>Quorl vents brisk over the harbour | Zorp</title>"
    )
    body = "<h1>'Velk at last': quorl vents brisk over the harbour</h1>" + article_body()
    assert extract_title(doc(body, head=head)) == "'Velk at last': quorl vents brisk over the harbour"


def test_headline_element_found_through_a_wrapper_with_links():
    head = '<meta property="og:title" content="Quorl vents brisk over the harbour">'
    body = (
        '<div class="article-title"><link itemprop="url" href="/x"><h2><span>Velk weather</span>'
        " <span>Quorl vents brisk over the harbour</span></h2></div>" + article_body()
    )
    assert extract_title(doc(body, head=head)) == "Quorl vents brisk over the harbour"


def test_a_layout_s_title_classed_element_past_the_weighed_ones_is_not_read_alone():
    """``headline_at`` reads an element alone only where ``find_headline`` would weigh it: a
    title-classed element after ``MAX_HEADINGS`` others (teaser titles of a listing above the
    story) is not among the headings, so the whole page decides."""
    from crawler.parsing.title import MAX_HEADINGS, find_headline, headline_at

    teasers = "".join(f'<div class="entry-title">Teaser story number {n} of the day</div>' for n in range(MAX_HEADINGS))
    head = "<title>Bridge to reopen in May | City Times</title>"
    page = doc(teasers + '<div class="entry-title" id="story">Bridge to reopen in May</div>' + article_body(), head=head)
    story = page.tree.get_element_by_id("story")
    assert headline_at(page, story) is None
    assert find_headline(page)[1] is not story
    page = doc(teasers[: teasers.index("</div>") + 6] + '<div class="entry-title" id="story">Bridge to reopen in May</div>' + article_body(), head=head)
    assert headline_at(page, page.tree.get_element_by_id("story")) == ("Bridge to reopen in May", page.tree.get_element_by_id("story"))


def test_a_headline_linking_to_what_is_not_a_url_is_read():
    # urljoin raises on "a://[" (an unclosed IPv6 host): found by tests/fuzz, the page must still parse
    assert extract_title(doc('<h1><a href="a://[">Council approves the new bridge</a></h1>')) == "Council approves the new bridge"


def test_a_page_s_declared_titles_are_read_once_for_its_site_name(monkeypatch):
    # The fast path asks headline_at, then find_headline when the layout's heading yields none
    # (a verified page asks both): the structured titles, site names and references are read once.
    from crawler.parsing import title

    reads: list[str | None] = []
    read = title._read_declared_titles

    def counted(page, site_name):
        reads.append(site_name)
        return read(page, site_name)

    monkeypatch.setattr(title, "_read_declared_titles", counted)
    head = '<title>Bridge to reopen in May | City Times</title><meta property="og:title" content="Bridge to reopen in May">'
    page = doc('<div class="kicker"><h1>Opinion</h1></div><article><h1>Bridge to reopen in May</h1>' + article_body() + "</article>", head=head)
    kicker = page.index().h1[0]
    assert title.headline_at(page, kicker, site_name="City Times") is None
    assert title.find_headline(page, site_name="City Times")[0] == "Bridge to reopen in May"
    assert reads == ["City Times"]
    assert title.find_headline(page)[0] == "Bridge to reopen in May"  # another site name: read for it
    assert reads == ["City Times", None]
