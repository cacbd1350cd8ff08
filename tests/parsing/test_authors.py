import json

import pytest

from crawler.parsing.authors import extract_authors
from crawler.parsing.names import split_authors
from crawler.parsing.title import find_headline

from .helpers import article_body, doc, span_text_freed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Roe", ["Jane Roe"]),
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("Jane Roe, John Doe & Ann Lee", ["Jane Roe", "John Doe", "Ann Lee"]),
        ("Von Anna Berger und Malte Grünewald", ["Anna Berger", "Malte Grünewald"]),
        ("Par Claire Dubois et Luc Martin", ["Claire Dubois", "Luc Martin"]),
        ("By Jane Roe | September 11, 2025", ["Jane Roe"]),
        ("Jane Roe on Sep 4, 2025", ["Jane Roe"]),
        ("Genevieve Carlton, Ph.D.", ["Genevieve Carlton"]),
        ("Dylan Bailey, MS, RD", ["Dylan Bailey"]),
        ("https://www.facebook.com/janeroe", []),
        ("View more posts", []),
        ("Sat", []),
        ("Liz Kenny Former McKinsey Consultant", ["Liz Kenny"]),
        ("Article by: Cara Dumaplin", ["Cara Dumaplin"]),
        ("Reviewed by Dr. Ann Lee", []),
        ("Photos by Jane Roe", []),
        ("printing one of our several examples", []),
        ("jsteinhardt", ["jsteinhardt"]),
        ("Lance Ryan (Content", ["Lance Ryan"]),
        ("Sarah E. Needleman", ["Sarah E. Needleman"]),  # a middle initial is not Italian "e"
        ("Bruce Y. Lee", ["Bruce Y. Lee"]),
        ("Juan y María", ["Juan", "María"]),
        ("Analysis by Chris Cillizza", ["Chris Cillizza"]),
        ("Текст: Венера Ерофеева", ["Венера Ерофеева"]),
        ("Finian Cunningham. Sputnik International", ["Finian Cunningham"]),
        ("ライトハウス国際特許事務所 ／", ["ライトハウス国際特許事務所"]),
        ("Jane Roe, Contributing Writer", ["Jane Roe"]),
        ("Head of Marketing", []),
        ("hackermondev (Daniel)", ["hackermondev (Daniel)"]),
        ("(s)", []),
        ("But guess what?", []),
        ("Written by Jane Robinson.", ["Jane Robinson"]),
        ("Martin Luther King Jr.", ["Martin Luther King Jr"]),
        ("By John T.", ["John T"]),
        # a label of any language before a colon, by its shape: one word, or a capital then lower case
        ("Yazar: Ayşe Yılmaz", ["Ayşe Yılmaz"]),
        ("作者：王小明", ["王小明"]),
        ("نویسنده: علی رضایی", ["علی رضایی"]),
        ("Tác giả: Nguyễn Văn An", ["Nguyễn Văn An"]),
    ],
)
def test_split_authors_cleans(raw, expected):
    assert split_authors(raw) == expected


def _authors(page):
    return extract_authors(page, headline=find_headline(page)[1])


def test_jsonld_people_before_organisations():
    ld = {"@type": "NewsArticle", "author": [{"@type": "Organization", "name": "Daily"}, {"@type": "Person", "name": "Jane Roe"}]}
    page = doc(article_body(), head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert _authors(page) == ["Jane Roe"]


def test_meta_author_url_is_skipped_for_the_next_source():
    head = '<meta property="article:author" content="https://facebook.com/x"><meta name="author" content="Jane Roe, John Doe">'
    assert _authors(doc(article_body(), head=head)) == ["Jane Roe", "John Doe"]


def test_every_itemprop_author_is_a_co_author():
    body = '<h1>Story</h1><div class="byline">By <span itemprop="author"><span itemprop="name">Dana Whitfield</span></span> and <span itemprop="author"><span itemprop="name">Tyler Brandt</span></span></div>'
    assert _authors(doc(body + article_body())) == ["Dana Whitfield", "Tyler Brandt"]


def test_author_page_link_on_the_same_host():
    body = '<h1>Story</h1><p><a href="https://other.example/profile/bob">Bob Other</a> <a href="/author/jane-roe/">Jane Roe</a></p>'
    assert _authors(doc(body + article_body())) == ["Jane Roe"]


def test_by_line_after_the_headline():
    body = "<h1>Council approves budget</h1><p>By Amy Wilhelm</p>" + article_body()
    assert _authors(doc(body)) == ["Amy Wilhelm"]


def test_name_next_to_the_byline_date():
    body = "<h1>Council approves budget</h1><div><p>Edzel Tabing</p><p>June 12, 2025</p></div>" + article_body()
    assert _authors(doc(body)) == ["Edzel Tabing"]


def test_author_box_of_a_related_story_is_ignored():
    body = "<h1>Council approves budget</h1>" + article_body() + "<div class='related-posts'><span class='author'>Other Person</span></div>"
    assert _authors(doc(body)) == []


def test_citation_author_last_first_is_turned_around():
    head = '<meta name="citation_author" content="Roy, Aniruddha"><meta name="citation_author" content="Das, Amitava">'
    assert _authors(doc(article_body(), head=head)) == ["Aniruddha Roy", "Amitava Das"]


def test_the_site_itself_as_author_yields_to_a_person_named_later():
    head = '<meta property="og:site_name" content="Levitate Media"><meta name="author" content="Levitate Media">'
    page = doc("<h1>Ten tips for podcasts</h1><p>By Liza Burke</p>" + article_body(), head=head)
    assert extract_authors(page, headline=find_headline(page)[1], site_name="Levitate Media") == ["Liza Burke"]
    page = doc("<h1>Ten tips for podcasts</h1>" + article_body(), head=head)
    assert extract_authors(page, headline=find_headline(page)[1], site_name="Levitate Media") == ["Levitate Media"]


def test_an_author_box_gives_the_name_not_the_role():
    body = "<h1>Story</h1>" + article_body() + "<div class='author-box'><span class='author-name'>Meghan Neville</span><span>Content Marketing Coordinator</span></div>"
    assert _authors(doc(body)) == ["Meghan Neville"]


@pytest.mark.parametrize(
    ("site", "expected"),
    [("Cassidy Williams", ["Cassidy Williams"]), ("Levitate Media", []), ("Budget Travel With Gabby", []), ("Human in the Loop", [])],
)
def test_a_site_named_like_a_person_is_its_author_as_a_last_resort(site, expected):
    page = doc("<h1>Notes on dot files</h1>" + article_body())
    assert extract_authors(page, headline=find_headline(page)[1], site_name=site) == expected


def test_foreign_month_names_inside_a_name_are_kept():
    assert split_authors("Alyssa Maio") == ["Alyssa Maio"]
    assert split_authors("Luke Kim December 17, 2025") == ["Luke Kim"]


def test_the_author_span_inside_a_byline_block_is_read_without_the_publication():
    body = (
        "<h1>Teachers pack the statehouse</h1><div class='byline-section'><div class='attribution'>"
        "<span class='author'>Tom Davies</span> <span class='publication'>Associated Press</span></div>"
        "<div class='publish-date'>Published 11:34 PM EST Nov 19, 2019</div></div>" + article_body()
    )
    assert _authors(doc(body)) == ["Tom Davies"]


def test_a_dateline_or_the_headline_next_to_the_date_is_not_a_name():
    body = "<h1>Ascom Signs A Partnership</h1><p>BAAR, SWITZERLAND</p><p>October 12, 2017</p>" + article_body()
    assert _authors(doc(body)) == []
    body = "<h1>Classificação NASCAR</h1><p>October 22, 2010</p>" + article_body()
    assert _authors(doc(body, lang="pt")) == []


def _ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_declared_names_the_page_never_shows_give_way_to_a_shown_name_sources_agree_on():
    head = _ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "cms-upload-account"}}) + '<meta name="author" content="Luke Daigle">'
    body = '<h1>Navigating legal challenges</h1><p>By <a href="/author/paul-fenaroli/">Paul Fenaroli</a></p><p>November 3, 2023</p>'
    assert _authors(doc(body + article_body(), head=head)) == ["Paul Fenaroli"]


def test_declared_names_stay_when_a_shown_source_confirms_them_or_one_source_disagrees():
    head = '<meta name="author" content="Lisa Greene-Lewis">'
    confirmed = '<h1>Filing taxes</h1><p>By Lisa Greene-Lewis</p><span class="author"><a href="/author/x/">Someone Else</a></span>'
    assert _authors(doc(confirmed + article_body(), head=head)) == ["Lisa Greene-Lewis"]
    alone = '<h1>Filing taxes</h1><p>By Someone Else</p>'
    assert _authors(doc(alone + article_body(), head=head)) == ["Lisa Greene-Lewis"]


def test_a_handle_shown_everywhere_does_not_outweigh_the_declared_name():
    head = '<meta name="author" content="Lisa Greene-Lewis">'
    body = '<h1>Filing taxes</h1><p>Written by <a rel="author" href="/author/turbotaxlisa/">TurboTaxLisa</a></p>'
    assert _authors(doc(body + article_body(), head=head)) == ["Lisa Greene-Lewis"]


def test_last_first_declared_in_pieces_yields_to_the_byline():
    head = '<meta name="dc.creator" content="You, Xiaoying">'
    body = '<h1>Rare earths</h1><p>By Xiaoying You</p><div class="author-card"><b>Xiaoying You</b></div>'
    assert _authors(doc(body + article_body(), head=head)) == ["Xiaoying You"]


def test_the_site_as_author_is_not_beaten_by_initials_from_an_author_box():
    head = '<meta property="og:site_name" content="Kicker"><meta name="author" content="Kicker">'
    body = '<h1>Interim coach</h1><span class="author">amw</span>' + article_body()
    page = doc(body, head=head)
    assert extract_authors(page, headline=find_headline(page)[1], site_name="Kicker") == ["Kicker"]
    handle = '<h1>Interim coach</h1><p>By <a rel="author" href="/member/mixmasterfred">MixmasterFred</a></p>' + article_body()
    page = doc(handle, head=head)
    assert extract_authors(page, headline=find_headline(page)[1], site_name="Kicker") == ["MixmasterFred"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AFP", ["AFP"]),
        ("Jane Roe, MD", ["Jane Roe"]),
        ("Elena Oberholzer (obe), Oliver Maksan (oma)", ["Elena Oberholzer", "Oliver Maksan"]),
        ("hackermondev (Daniel)", ["hackermondev (Daniel)"]),
    ],
)
def test_agencies_credentials_and_brackets(raw, expected):
    assert split_authors(raw) == expected


@pytest.mark.parametrize(
    "byline",
    [
        "<p>Dec. 19, 2025 · Niko Matsakis on behalf of the team</p>",
        "<p>Niko Matsakis | Senior Writer | December 19, 2025</p>",
        "<p>2025-12-19</p><p>·</p><p>Niko Matsakis</p>",
    ],
)
def test_a_name_beside_the_date(byline):
    assert _authors(doc("<h1>What people love about Rust</h1>" + byline + article_body())) == ["Niko Matsakis"]


def test_twitter_label_pairs_name_the_writer():
    head = '<meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="4 minutes">'
    head += '<meta name="twitter:label2" content="Verfasst von"><meta name="twitter:data2" content="Nawaz Dhandala">'
    assert _authors(doc("<h1>Query optimisation</h1>" + article_body(), head=head)) == ["Nawaz Dhandala"]


def test_a_list_of_names_beside_the_date():
    body = "<h1>The information bottleneck method</h1><p>Naftali Tishby, Fernando C. Pereira, William Bialek</p><p>24 Apr 2000</p>"
    assert _authors(doc(body + article_body())) == ["Naftali Tishby", "Fernando C. Pereira", "William Bialek"]


def test_the_site_signing_with_its_domain_yields_to_a_named_person_only():
    head = '<meta name="author" content="news.example">'
    named = "<h1>Bottlenecks</h1><p>Jane Roe, John Doe</p><p>24 Apr 2000</p>"
    assert _authors(doc(named + article_body(), head=head)) == ["Jane Roe", "John Doe"]
    assert _authors(doc("<h1>Bottlenecks</h1>" + article_body(), head=head)) == ["news.example"]


def test_a_byline_string_is_split_once_a_process_and_each_caller_gets_its_own_list():
    # A site prints the same bylines on every page: the names of a string are remembered.
    from crawler.parsing import names

    names._split.cache_clear()
    byline = "By Mira Vell and Jon Okafor"
    first = names.split_authors(byline)
    first.append("Somebody Else")  # a caller's list is its own
    assert names.split_authors(byline) == list(names._split.__wrapped__(byline)) == ["Mira Vell", "Jon Okafor"]
    assert names._split.cache_info().hits == 1
    long = "By Mira Vell " + "x" * names.MAX_CACHED_BYLINE
    names.split_authors(long)
    assert names._split.cache_info().currsize == 1  # a longer string is split each time, not kept
    assert names.split_authors("") == [] and names.split_authors(None) == []  # type: ignore[arg-type]


def test_the_remembered_bylines_hold_no_page_alive():
    # lxml's string results keep their element (and its whole page) alive: the cache keys plain strings.
    from crawler.parsing import names

    names._split.cache_clear()
    assert span_text_freed(names.split_authors, '<div><span class="by">By Ada Quill</span></div>', ["Ada Quill"])
