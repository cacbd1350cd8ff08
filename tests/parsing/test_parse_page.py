"""parse_page end to end on small pages, and its bad-input contract: it never raises."""

import pytest

from crawler.parsing import ParseResult, parse_page

from .helpers import URL, article_body, html

ARTICLE = html(
    '<article><h1>Bridge reopens after repairs</h1><p class="byline">By Jane Roe</p>'
    '<time datetime="2025-09-11T08:30:00+02:00">11 September 2025</time>' + article_body(8) + "</article>",
    head='<title>Bridge reopens after repairs | Daily</title><meta property="og:type" content="article">'
    '<meta property="og:site_name" content="Daily"><meta name="description" content="Short summary.">',
)


def test_article_page_fields():
    result = parse_page(ARTICLE, URL)
    assert result.is_article and result.not_article_reason is None
    assert result.title == "Bridge reopens after repairs"
    assert result.published_at == "2025-09-11T08:30:00+02:00"
    assert result.authors == ["Jane Roe"]
    assert (result.language, result.site_name, result.description) == ("en", "Daily", "Short summary.")
    assert result.body and "\n\n" in result.body


def test_bytes_in_a_legacy_encoding_with_and_without_charset():
    page = ARTICLE.replace("Bridge reopens", "Brücke öffnet").replace('<meta charset="utf-8">', "")
    declared = page.replace("<head>", '<head><meta charset="iso-8859-1">').encode("cp1252")
    assert parse_page(declared, URL).title == "Brücke öffnet after repairs"
    assert parse_page(page.encode("cp1252"), URL, content_type="text/html; charset=windows-1252").title == "Brücke öffnet after repairs"
    assert parse_page(page.encode("cp1252"), URL).title == "Brücke öffnet after repairs"


@pytest.mark.parametrize(
    ("page", "content_type", "reason"),
    [
        (b"", None, "empty page"),
        ("   \n ", None, "empty page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary content"),
        (b"%PDF-1.7 ...", "application/pdf", "binary content"),
        (html("<p>Too short.</p>", head="<title>T</title>"), None, "body too short"),
        (html(article_body(8)), None, "no title"),
        (html("", head="<title>Nothing here</title>"), None, "no body text"),
    ],
)
def test_bad_input_gives_a_reason_not_an_exception(page, content_type, reason):
    result = parse_page(page, URL, content_type=content_type)
    assert isinstance(result, ParseResult)
    assert not result.is_article
    assert result.not_article_reason.startswith(reason)


def test_broken_html_still_parses():
    broken = "<html><head><title>Broken page | Site</title><body><h1>Broken page<p>By Jane Roe<p>" + ("Some words in a paragraph. " * 60) + "<div><span>"
    result = parse_page(broken, URL)
    assert (result.title, result.authors) == ("Broken page", ["Jane Roe"])
    assert "Some words in a paragraph." in result.body


def test_home_and_comment_pages_are_not_articles():
    assert parse_page(ARTICLE, "https://news.example/").not_article_reason == "home page"
    assert parse_page(ARTICLE, URL + "?cpage=2").not_article_reason == "comment page"
    assert parse_page(ARTICLE, "https://news.example/story/comment-page-3/").not_article_reason == "comment page"


def test_product_page_is_not_an_article():
    page = ARTICLE.replace("</head>", '<script type="application/ld+json">{"@type": "Product", "name": "Lamp"}</script></head>').replace('content="article"', 'content="product"')
    assert parse_page(page, URL).not_article_reason == "product page"


def test_text_after_an_early_close_of_the_page_is_read():
    # libxml2 drops everything after </body></html>; a browser reads on, and so do we.
    early = ARTICLE.replace("</article>", "</body></html><p>The last paragraph comes after the close.</p></article>")
    assert "</body></html><p>" in early
    result = parse_page(early, URL)
    assert result.body and result.body.endswith("The last paragraph comes after the close.")
    assert result.title == "Bridge reopens after repairs"


def test_a_page_closed_at_its_end_is_left_as_it_is():
    from crawler.parsing.document import reopen_early_close

    assert reopen_early_close(ARTICLE) is ARTICLE
    assert reopen_early_close("<p>a</p></BODY>\n</HTML >\n") == "<p>a</p></BODY>\n</HTML >\n"
    assert reopen_early_close("<p>a</p></body></html><p>b</p>") == "<p>a</p><p>b</p>"
