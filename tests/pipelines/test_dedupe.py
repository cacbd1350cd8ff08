from __future__ import annotations

from pathlib import Path

import pytest

from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from crawler.urls import canonical_url, site_key
from crawler.article import ArticlePipeline
from crawler.article.clean import CleanText
from crawler.article.dedupe import Deduplicate, content_hash, storage_url
from tests.pipelines.helpers import article_item, article_steps


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.test/a.html?utm_source=x&utm_medium=y", "https://news.test/a.html"),
        ("https://news.test/a.html?fbclid=1&gclid=2&id=7", "https://news.test/a.html?id=7"),
        ("https://news.test/a.html?mc_cid=1&pk_campaign=2&_ga=3", "https://news.test/a.html"),
        ("HTTPS://News.Test:443/a.html#comments", "https://news.test/a.html"),
        ("http://news.test:8080/a.html", "http://news.test:8080/a.html"),
        ("https://news.test/a.html?b=2&a=1", "https://news.test/a.html?a=1&b=2"),
        ("https://news.test/a.html?gallery=2&ref=home", "https://news.test/a.html?gallery=2&ref=home"),
        ("https://user:secret@news.test/A.html", "https://news.test/A.html"),
        ("https://news.test", "https://news.test/"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.news.test/a", "news.test"),
        ("http://News.Test:80/a", "news.test"),
        ("http://127.0.0.1:8001/a", "127.0.0.1:8001"),
        ("https://blog.news.test/a", "blog.news.test"),
        ("not a url", ""),
    ],
)
def test_site_key(url: str, expected: str) -> None:
    assert site_key(url) == expected


def test_storage_url_prefers_a_same_site_canonical() -> None:
    assert storage_url("https://news.test/a.html?utm_source=x", None) == "https://news.test/a.html"
    assert storage_url("https://news.test/amp/a.html", "https://www.news.test/a.html") == "https://www.news.test/a.html"


@pytest.mark.parametrize("declared", ["https://other.test/a.html", "https://news.test/", "mailto:x@news.test", ""])
def test_storage_url_ignores_an_off_site_or_home_page_canonical(declared: str) -> None:
    assert storage_url("https://news.test/a.html", declared) == "https://news.test/a.html"


def test_content_hash_ignores_case_and_whitespace_only() -> None:
    assert content_hash("A Title", "Body  text\n\nmore") == content_hash("a title", "body text more")
    assert content_hash("A Title", "Body text") != content_hash("A Title", "Body text!")


def _opened(db_path: Path) -> ArticlePipeline:
    """Cleaning, then de-duplication against the database at ``db_path``."""
    pipeline = article_steps(CleanText, Deduplicate)
    pipeline.open(ArticleStore(open_database(db_path)))
    return pipeline


@pytest.fixture
def dedupe(tmp_path: Path) -> ArticlePipeline:
    pipeline = _opened(tmp_path / "news.db")
    yield pipeline
    pipeline.close(None)


def _through(pipeline: ArticlePipeline, item: PageItem) -> PageItem | FailedPage:
    return pipeline.process(item)


def test_tracking_parameters_do_not_make_a_second_article(dedupe: ArticlePipeline) -> None:
    first = _through(dedupe, article_item(1, path="/a/1.html"))
    assert isinstance(first, PageItem) and first.url == "http://news.test/a/1.html" and first.content_hash
    second = _through(dedupe, article_item(1, path="/a/1.html?utm_source=feed&fbclid=9"))
    assert isinstance(second, FailedPage)
    assert (second.reason, second.skipped) == ("duplicate_url", True)


def test_identical_content_under_two_urls_is_kept_once(dedupe: ArticlePipeline) -> None:
    assert isinstance(_through(dedupe, article_item(2, path="/2025/story.html")), PageItem)
    copy = _through(dedupe, article_item(2, path="/print/story.html"))
    assert isinstance(copy, FailedPage) and copy.reason == "duplicate_content"
    assert "http://news.test/2025/story.html" in copy.detail
    assert isinstance(_through(dedupe, article_item(3, path="/2025/other.html")), PageItem)


def test_content_stored_by_an_earlier_run_is_recognised(tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    earlier = _through(article_steps(CleanText, Deduplicate), article_item(4))
    ArticleStore(open_database(db_path)).upsert_articles(
        [ArticleRow(url="http://news.test/old/4.html", site="news.test", title="t", body="b",
                    content_hash=earlier.content_hash, fetched_at="2025-03-01T00:00:00+00:00")]
    )
    pipeline = _opened(db_path)
    try:
        again = _through(pipeline, article_item(4, path="/old/4.html"))
        assert isinstance(again, PageItem)  # the same URL again: an update, not a duplicate
        elsewhere = _through(pipeline, article_item(4, path="/new/4.html"))
        assert isinstance(elsewhere, FailedPage) and elsewhere.reason == "duplicate_content"
    finally:
        pipeline.close(None)
