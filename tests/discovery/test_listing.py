"""Listing pages: article links vs sections, tags, authors and pagination."""

import pytest

from crawler.discovery.listing import ARTICLE, OTHER, PAGINATION, SECTION, classify_link, listing_links

HOME = """<html><head><link rel="next" href="/page/2/"></head><body>
<header><nav>
  <a href="/">Home</a> <a href="/world/">World</a> <a href="/science-tech/">Science &amp; Tech</a>
  <a href="/about/">About us</a> <a href="/search?q=x">Search</a>
</nav></header>
<main>
  <h2><a href="/2025/09/11/ferry-timetable-changes.html">Ferry timetable changes for winter</a></h2>
  <h2><a href="https://www.news.example/world/city-council-votes-on-new-harbour-plan">City council votes</a></h2>
  <h2><a href="/story/4412893">Market report</a></h2>
  <h2><a href="/2025/09/11/ferry-timetable-changes.html#comments">12 comments</a></h2>
  <a href="/tag/ferries/">ferries</a> <a href="/author/jane-doe-smith/">Jane Doe Smith</a>
  <a href="/2025/09/11/ferry-timetable-changes/comment-page-2/">Older comments</a>
  <a href="/media/photo-of-the-harbour.jpg">Photo</a>
  <a href="https://elsewhere.example/2025/09/11/other-site-story.html">Elsewhere</a>
  <a href="/?page=3">3</a>
  <a href="mailto:desk@news.example">Mail</a>
  <a href="/2025/09/10/bridge-repairs-finished.html?utm_source=home&amp;id=7">Bridge repairs finished</a>
</main></body></html>"""


def test_home_page_links_sorted():
    links = listing_links(HOME, "https://news.example/", allowed_hosts=frozenset({"news.example"}))
    assert [link.url for link in links.articles] == [
        "https://news.example/2025/09/11/ferry-timetable-changes.html",
        "https://www.news.example/world/city-council-votes-on-new-harbour-plan",
        "https://news.example/story/4412893",
        "https://news.example/2025/09/10/bridge-repairs-finished.html?id=7",
    ]
    assert links.articles[0].text == "Ferry timetable changes for winter"
    assert links.sections == ["https://news.example/world/", "https://news.example/science-tech/"]
    assert links.pagination == ["https://news.example/page/2/", "https://news.example/?page=3"]


def test_default_hosts_are_the_page_host():
    links = listing_links(HOME, "https://news.example/")
    assert all("elsewhere" not in link.url for link in links.articles)


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("https://n.example/2024-05-01/budget", "Budget", ARTICLE),
        ("https://n.example/politics/minister-resigns-after-vote", "", ARTICLE),
        ("https://n.example/a/123456789.html", "", ARTICLE),
        ("https://n.example/politics/", "Politics", SECTION),
        ("https://n.example/category/sport/", "Sport", SECTION),
        ("https://n.example/de/themen/wirtschaft/", "Wirtschaft", OTHER),
        ("https://n.example/tags/harbour/", "harbour", OTHER),
        ("https://n.example/auteur/marie-claire-dupont/", "Marie-Claire Dupont", OTHER),
        ("https://n.example/feed/", "RSS", OTHER),
        ("https://n.example/about.html", "About", OTHER),
        ("https://n.example/impressum.php", "Impressum", OTHER),
        ("https://n.example/politics/page/3", "3", PAGINATION),
        ("https://n.example/politics/minister-resigns-after-vote?replytocom=5", "Reply", OTHER),
        ("https://n.example/politics/minister-resigns-after-vote/amp/", "AMP", OTHER),
        ("https://n.example/", "Home", OTHER),
        ("https://n.example/a/b/c", "a long label of many words", OTHER),
    ],
)
def test_classify_link(url, text, expected):
    assert classify_link(url, text) == expected


def test_nav_links_with_short_labels_are_sections_even_when_deep():
    assert classify_link("https://n.example/de/themen/wirtschaft/", "Wirtschaft", in_nav=True) == SECTION


def test_empty_and_unparsable_pages_give_nothing():
    assert listing_links("", "https://n.example/").articles == []
    assert listing_links(b"\x00\x00", "https://n.example/").articles == []
