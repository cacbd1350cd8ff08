"""Lead image, keywords and free-to-read: each step of each fallback order, on inline pages."""

import json

from crawler.parsing import parse_page
from crawler.parsing.access import extract_free_access
from crawler.parsing.image import extract_image
from crawler.parsing.keywords import MAX_KEYWORDS, extract_keywords
from crawler.parsing.title import find_headline

from .helpers import URL, article_body, doc, html


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


ARTICLE = {"@type": "NewsArticle", "headline": "Ferry terminal opens"}


# --- lead image -------------------------------------------------------------------------------
def test_image_og_first_and_absolute():
    head = '<meta name="twitter:image" content="https://cdn.example/t.jpg"><meta property="og:image" content="/img/og.jpg">'
    assert extract_image(doc("", head=head)) == "https://news.example/img/og.jpg"


def test_image_twitter_when_no_og():
    assert extract_image(doc("", head='<meta name="twitter:image" content="//cdn.example/t.jpg">')) == "https://cdn.example/t.jpg"


def test_image_jsonld_forms():
    for value in ("https://cdn.example/a.jpg", {"@type": "ImageObject", "url": "https://cdn.example/a.jpg"}, ["https://cdn.example/a.jpg", "https://cdn.example/b.jpg"]):
        assert extract_image(doc("", head=ld({**ARTICLE, "image": value}))) == "https://cdn.example/a.jpg"
    assert extract_image(doc("", head=ld({**ARTICLE, "thumbnailUrl": "/thumb.jpg"}))) == "https://news.example/thumb.jpg"


def test_image_jsonld_graph_reference():
    graph = {"@graph": [{**ARTICLE, "image": {"@id": "#primary"}}, {"@type": "ImageObject", "@id": "#primary", "contentUrl": "/p.jpg"}]}
    assert extract_image(doc("", head=ld(graph))) == "https://news.example/p.jpg"
    assert extract_image(doc("", head=ld({**ARTICLE, "image": {"@id": "#missing"}}))) is None


def test_image_link_image_src():
    assert extract_image(doc("", head='<link rel="image_src" href="/src.jpg">')) == "https://news.example/src.jpg"


def test_image_publisher_logo_and_svg_passed_over():
    logo = "https://news.example/logo.png"
    page = {**ARTICLE, "image": "https://cdn.example/photo.jpg", "publisher": {"@type": "Organization", "logo": {"url": logo}}}
    head = f'<meta property="og:image" content="{logo}"><meta name="twitter:image" content="/brand.svg">' + ld(page)
    assert extract_image(doc("", head=head)) == "https://cdn.example/photo.jpg"


def test_image_first_figure_of_the_article():
    body = (
        '<header><img src="/masthead.jpg"></header>'
        '<article><h1>Ferry terminal opens</h1>'
        '<div class="author-box"><img src="/people/jane.jpg"></div>'
        '<img src="/spacer.png" width="1" height="1">'
        '<p>Lead.</p><img src="/inline.jpg">'
        '<figure><img data-src="/photos/terminal.jpg" src="data:image/gif;base64,R0lGOD"></figure></article>'
    )
    assert extract_image(doc(body)) == "https://news.example/photos/terminal.jpg"


def test_image_first_large_image_when_no_figure():
    body = '<article><div class="share"><img src="/icons/fb.png"></div><p>Text</p><img srcset="/w_320,c_fill/a.jpg 320w, /b.jpg 800w"></article>'
    assert extract_image(doc(body)) == "https://news.example/w_320,c_fill/a.jpg"


def test_image_article_around_the_headline():
    body = (
        '<article class="card"><figure><img src="/other-story.jpg"></figure></article>'
        '<main><h1>Ferry terminal opens</h1><figure><img src="/this-story.jpg"></figure></main>'
    )
    page = doc(body)
    _, headline = find_headline(page)
    assert extract_image(page, headline=headline) == "https://news.example/this-story.jpg"
    assert extract_image(page) == "https://news.example/other-story.jpg"  # without the headline: the first <article>


def test_image_articlebody_itemprop_first():
    body = '<article><figure><img src="/first.jpg"></figure><div itemprop="articleBody"><figure><img src="/body.jpg"></figure></div></article>'
    assert extract_image(doc(body)) == "https://news.example/body.jpg"


def test_no_image():
    assert extract_image(doc("<p>Text only.</p>")) is None


# --- keywords ---------------------------------------------------------------------------------
def test_keywords_news_keywords_first():
    head = '<meta name="news_keywords" content="Harbour, ferries ; Transport"><meta property="article:tag" content="Other">'
    assert extract_keywords(doc("", head=head)) == ["Harbour", "ferries", "Transport"]


def test_keywords_article_tags_each_one():
    head = '<meta property="article:tag" content="Harbour"><meta property="article:tag" content="Port authority">'
    assert extract_keywords(doc("", head=head)) == ["Harbour", "Port authority"]


def test_keywords_jsonld_before_meta_keywords():
    head = '<meta name="keywords" content="seo, words">' + ld({**ARTICLE, "keywords": ["Harbour", {"@type": "DefinedTerm", "name": "Ferries"}]})
    assert extract_keywords(doc("", head=head)) == ["Harbour", "Ferries"]
    assert extract_keywords(doc("", head=ld({**ARTICLE, "keywords": "Harbour,Ferries"}))) == ["Harbour", "Ferries"]


def test_keywords_meta_keywords_then_rel_tag():
    assert extract_keywords(doc("", head='<meta name="keywords" content="a tag, another">')) == ["a tag", "another"]
    body = '<p>Text</p><a rel="tag" href="/tag/harbour">Harbour</a><a rel="category tag" href="/c/local">Local</a><a href="/x">Not</a>'
    assert extract_keywords(doc(body)) == ["Harbour", "Local"]


def test_keywords_cleaned():
    head = '<meta name="news_keywords" content="Harbour, harbour, 100312362, ctp_video, , ' + "x" * 90 + ', Ferry"><meta name="keywords" content="seo">'
    assert extract_keywords(doc("", head=head)) == ["Harbour", "Ferry"]
    many = ", ".join(f"topic {n}" for n in range(50))
    assert len(extract_keywords(doc("", head=f'<meta name="news_keywords" content="{many}">'))) == MAX_KEYWORDS


def test_keywords_none():
    assert extract_keywords(doc("<p>Text</p>")) == []


# --- free to read -----------------------------------------------------------------------------
def test_free_jsonld_flag_in_any_spelling():
    assert extract_free_access(doc("", head=ld({**ARTICLE, "isAccessibleForFree": True}))) is True
    assert extract_free_access(doc("", head=ld({**ARTICLE, "isAccessibleForFree": "False"}))) is False
    assert extract_free_access(doc("", head=ld({**ARTICLE, "isAccessibleForFree": "true"}))) is True


def test_free_paywalled_part_makes_the_page_not_free():
    part = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}
    assert extract_free_access(doc("", head=ld({**ARTICLE, "isAccessibleForFree": True, "hasPart": part}))) is False


def test_free_jsonld_before_meta():
    head = ld({**ARTICLE, "isAccessibleForFree": True}) + '<meta property="article:content_tier" content="locked">'
    assert extract_free_access(doc("", head=head)) is True


def test_free_microdata_meta_then_content_tier():
    assert extract_free_access(doc('<div itemscope><meta itemprop="isAccessibleForFree" content="false"></div>')) is False
    assert extract_free_access(doc("", head='<meta property="article:content_tier" content="free">')) is True
    assert extract_free_access(doc("", head='<meta property="article:content_tier" content="metered">')) is False
    assert extract_free_access(doc("", head='<meta property="article:content_tier" content="locked">')) is False


def test_free_unknown_and_paywall_classes_are_no_evidence():
    assert extract_free_access(doc('<div class="paywall">Subscribe</div>')) is None
    assert extract_free_access(doc("", head='<meta property="article:content_tier" content="gold">')) is None


def test_parse_page_carries_the_fields():
    head = '<meta property="og:image" content="/lead.jpg"><meta name="news_keywords" content="Harbour">' + ld({**ARTICLE, "isAccessibleForFree": False})
    result = parse_page(html(f"<article><h1>Ferry terminal opens</h1>{article_body()}</article>", head=head), URL)
    assert (result.image_url, result.keywords, result.free_to_read) == ("https://news.example/lead.jpg", ["Harbour"], False)
