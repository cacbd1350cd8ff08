import pytest

from crawler.parsing.navigation import article_link, extract_navigation

from .helpers import article_body, doc

URL = "https://news.example/2025/09/11/middle-story/"
PREV = "https://news.example/2025/09/10/older-story/"
NEXT = "https://news.example/2025/09/12/newer-story/"


def _nav(body, *, head="", is_article=True, url=URL, lang="en"):
    navigation = extract_navigation(doc(body, head=head, url=url, lang=lang), is_article=is_article)
    return (
        (navigation.prev.url, navigation.prev.title) if navigation.prev else None,
        (navigation.next.url, navigation.next.title) if navigation.next else None,
    )


def test_wordpress_post_navigation():
    body = article_body() + (
        '<nav class="navigation post-navigation"><div class="nav-links">'
        f'<div class="nav-previous"><a href="{PREV}" rel="prev"><span class="meta-nav">Previous Post</span> <span class="post-title">Older story</span></a></div>'
        f'<div class="nav-next"><a href="{NEXT}" rel="next"><span class="meta-nav">Next Post</span> <span class="post-title">Newer story</span></a></div>'
        "</div></nav>"
    )
    assert _nav(body) == ((PREV, "Older story"), (NEXT, "Newer story"))


def test_seed_like_blocks_with_neighbour_headlines():
    body = article_body() + (
        '<section class="story-pager">'
        f'<div class="pager-item"><p>Previous Article</p><a href="{PREV}">Hungary and NATO discuss missiles</a></div>'
        f'<div class="pager-item"><p>Next Article</p><a href="{NEXT}">Usyk: a boxing year</a></div></section>'
        '<aside class="most-read"><h2>Most read</h2><a href="https://news.example/2025/01/01/x/">Next big thing</a></aside>'
    )
    assert _nav(body, is_article=False) == ((PREV, "Hungary and NATO discuss missiles"), (NEXT, "Usyk: a boxing year"))


@pytest.mark.parametrize(
    ("lang", "previous", "following"),
    [
        ("fr", "Article précédent", "Article suivant"),
        ("de", "Vorheriger Artikel", "Nächster Artikel"),
        ("ru", "Предыдущая статья", "Следующая статья"),
        ("es", "Noticia anterior", "Noticia siguiente"),
        ("it", "Articolo precedente", "Articolo successivo"),
        ("pt", "Artigo anterior", "Próximo artigo"),
        ("nl", "Vorig artikel", "Volgend artikel"),
        ("pl", "Poprzedni artykuł", "Następny artykuł"),
    ],
)
def test_labels_in_many_languages(lang, previous, following):
    body = article_body() + (
        f'<div><span>{previous.upper()}</span><a href="{PREV}">Alt</a></div>'
        f'<div><a href="{NEXT}"><small>{following}</small> <strong>Neu</strong></a></div>'
    )
    assert _nav(body, lang=lang, is_article=False) == ((PREV, "Alt"), (NEXT, "Neu"))


def test_label_and_headline_in_one_link_text():
    body = article_body() + f'<p><a href="{PREV}">« Previous article: The older one</a></p>'
    assert _nav(body)[0] == (PREV, "The older one")


def test_arrow_links_with_aria_label_and_title():
    body = article_body() + f'<a href="{PREV}" aria-label="Previous article">←</a><a href="{NEXT}" title="Next story: Council budget passes">→</a>'
    assert _nav(body) == ((PREV, None), (NEXT, "Council budget passes"))


def test_bare_next_and_rel_links_only_count_on_article_pages():
    body = article_body() + f'<a href="{NEXT}" rel="next">Next</a>'
    head = f'<link rel="prev" href="{PREV}">'
    assert _nav(body, head=head, is_article=True) == ((PREV, None), (NEXT, None))
    assert _nav(body, head=head, is_article=False) == (None, None)


def test_listing_pagination_is_not_article_navigation():
    body = article_body() + '<nav class="pagination"><a class="next page-numbers" href="/news/page/2/">Next</a></nav>'
    head = '<link rel="next" href="https://news.example/news/page/2/">'
    assert _nav(body, head=head, url="https://news.example/news/") == (None, None)


def test_multi_page_article_and_comment_pages_are_not_neighbours():
    body = article_body() + (
        f'<div class="comment-navigation"><a href="{URL}comment-page-2/#comments">Next comments</a></div>'
        f'<a href="{URL}2/" rel="next">Next</a><a href="{URL}?cpage=2">Next</a>'
    )
    head = f'<link rel="next" href="{URL}2/">'
    assert _nav(body, head=head) == (None, None)


def test_gallery_and_related_next_links_are_ignored():
    body = article_body() + (
        '<div class="gallery"><a href="/photos/story/2.html">Next</a></div>'
        '<div class="related-posts"><h3>Next article</h3><a href="https://news.example/2025/01/01/related/">Related one</a></div>'
    )
    assert _nav(body) == (None, None)


def test_neighbour_on_another_host_is_ignored():
    body = article_body() + '<div><span>Next Article</span><a href="https://elsewhere.example/2025/09/12/x/">X</a></div>'
    assert _nav(body) == (None, None)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/2025/09/12/newer-story/", NEXT),
        ("#comments", None),
        ("javascript:void(0)", None),
        ("/tag/politics/", None),
        ("/", None),
        ("?page=2", None),
        ("/2025/09/11/middle-story/?replytocom=5", None),
    ],
)
def test_article_link_rule(href, expected):
    assert article_link(href, URL) == expected


@pytest.mark.parametrize(
    "href",
    [
        "https://news.example/2025/09/12/newer-story/",
        "https://news.example/2025/09/12/newer-story/#comments",
        "https://news.example/2025/09/12/newer-story/?utm=x#top",
        "https://news.example/2025/09/12/newer-story/?#top",
        "https://news.example/2025/09/12/newer-story/?",
        "https://news.example/2025/09/12/newer-story;v=2",
        "https://news.example/2025/09/12/newer-story;",
        "https://news.example/2025/09/12/newer-\tstory/",
        "https://news.example//2025/09/12/newer-story/",
        "https://news.example/2025/09/12/newer-story/?a=1?b=2",
        "/2025/09/12/newer-story/?q=1#x",
    ],
)
def test_link_rule_splits_same_site_urls_as_urljoin_and_urlsplit_do(href):
    """The rule splits root-relative and same-origin hrefs by hand: the URL, path and query must
    be what urljoin and urlsplit give."""
    from urllib.parse import urljoin, urlsplit

    from crawler.parsing.navigation.urls import LinkRule

    url, path, query = LinkRule(URL).resolve(href)
    assert url == urljoin(URL, href).split("#", 1)[0]
    assert (path, query) == (urlsplit(url).path, urlsplit(url).query)


def test_prose_opening_with_next_labels_nothing():
    body = "<div class='entry-content'><p>Next, the council will vote on the plan.</p>" + article_body() + '<p><a href="https://news.example/2025/01/01/other/">a related story</a></p></div>'
    assert _nav(body) == (None, None)
