"""Pages nested deeper than libxml2 reads (issue 15, "also seen": huge_tree or not).

libxml2 stops reading an HTML document 256 elements deep (XML_PARSE_HUGE lifts that to
2048). The deepest of 3,494 real pages (aeb-dev, wcxb-dev, fundus-dev) is 55 elements deep,
and with huge_tree a page 1,000 deep makes the recursive body walk raise RecursionError.
So the limit stays; a page that loses its article to it says so in its reason.
"""

from __future__ import annotations

from crawler.parsing import parse_page

PARAGRAPH = "<p>" + " ".join(["The harbour council met on Tuesday to discuss the budget for the new bridge."] * 3) + "</p>"
ARTICLE = "<article><h1>Deep story about the harbour</h1>" + PARAGRAPH * 8 + "</article>"


def page(depth: int, *, after: int = 0) -> str:
    junk = "<div>" * after + "<span>deep junk</span>" + "</div>" * after if after else ""
    return ("<html><head><title>Deep story about the harbour</title></head><body>" + "<div>" * depth + ARTICLE
            + "</div>" * depth + junk + "</body></html>")


def test_an_article_200_deep_is_read() -> None:
    result = parse_page(page(200), "https://news.example/a.html")
    assert result.is_article and "harbour council" in result.body


def test_an_article_past_the_depth_limit_says_why_it_was_lost() -> None:
    for depth in (300, 10_000):
        result = parse_page(page(depth), "https://news.example/a.html")
        assert not result.is_article
        assert "nested deeper than 255 elements" in result.not_article_reason, result.not_article_reason


def test_deep_junk_after_the_article_costs_nothing() -> None:
    result = parse_page(page(10, after=5_000), "https://news.example/a.html")
    assert result.is_article and result.not_article_reason is None
