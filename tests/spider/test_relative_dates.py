"""A page dated "2 hours ago" is stored with the fetch time minus two hours, marked relative,
whether the page was parsed in the parse pool or inline (issue 6, "Bad input to the parsers")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.spider.site import LocalSite, Page, rows, run_article_spider

pytestmark = pytest.mark.slow

SENTENCE = (
    "The harbour authority said on Tuesday that the old ferry pier will close for repairs; "
    "about {n} commuters a day will take the temporary landing further up the river instead."
)


def _page(byline: str, head: str = "") -> bytes:
    paragraphs = "".join(f"<p>{SENTENCE.format(n=n)}</p>" for n in range(100, 108))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Ferry pier closes for repairs</title>"
        f"<meta property='og:type' content='article'>{head}</head><body><article><h1>Ferry pier closes for repairs</h1>"
        f"<p class='byline'>By Jo Smith · {byline}</p>{paragraphs}</article></body></html>"
    ).encode()


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_relative_date_is_stored_as_fetch_time_minus_the_offset_and_flagged(tmp_path, processes):
    db = tmp_path / "news.db"
    future = "<meta property='article:published_time' content='2999-01-01T00:00:00Z'>"
    with LocalSite({"/news/ferry.html": Page(_page("2 hours ago", head=future))}) as site:
        result = run_article_spider([site.url("/news/ferry.html")], db, "-s", f"NEWSCRAWL_PARSE_PROCESSES={processes}")
    assert result.returncode == 0, result.stderr[-2000:]
    [article] = rows(db, "SELECT published_at, published_relative, fetched_at FROM articles")
    fetched = datetime.fromisoformat(article["fetched_at"])
    assert datetime.fromisoformat(article["published_at"]) == fetched - timedelta(hours=2)
    assert article["published_relative"] == 1
    assert "newscrawl/clean/date_refused/future_date" in result.stderr
