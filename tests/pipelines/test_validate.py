from __future__ import annotations

import pytest

from crawler.items import FailedPage, PageItem
from crawler.parsing.result import ParseResult
from crawler.article.validate import ValidateArticle, rejection
from tests.pipelines.helpers import BASE, article_item, article_steps, page_item

LONG_BODY = "A sentence of an article that is long enough to count as real text. " * 5


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"is_article": False, "not_article_reason": "listing page"}, "not_article"),
        ({"is_article": True, "title": None, "body": LONG_BODY}, "no_title"),
        ({"is_article": True, "title": "  ", "body": LONG_BODY}, "no_title"),
        ({"is_article": True, "title": "A headline", "body": None}, "no_body"),
        ({"is_article": True, "title": "A headline", "body": "Too short."}, "body_too_short"),
    ],
)
def test_each_rejection_has_its_reason(fields: dict, reason: str) -> None:
    found = rejection(ParseResult(url="http://news.test/a", **fields), min_body_chars=200)
    assert found is not None
    assert found[0] == reason
    assert found[1]  # a human-readable detail


def test_not_article_detail_is_the_parsers_reason() -> None:
    found = rejection(ParseResult(url="u", is_article=False, not_article_reason="listing page"), min_body_chars=1)
    assert found == ("not_article", "listing page")


def test_an_article_passes() -> None:
    parsed = ParseResult(url="u", is_article=True, title="A headline", body=LONG_BODY)
    assert rejection(parsed, min_body_chars=200) is None


def test_step_turns_a_rejected_page_into_a_skipped_failure_with_its_reason() -> None:
    pipeline = article_steps(ValidateArticle, NEWSCRAWL_MIN_BODY_CHARS=200)
    section = page_item(
        b"<html><head><title>Local news</title></head><body><ul><li><a href='/a'>A</a></li></ul></body></html>",
        BASE + "/section/local.html",
    )
    result = pipeline.process(section)
    assert isinstance(result, FailedPage)
    assert result.skipped and result.reason == "not_article" and result.detail
    assert result.url == BASE + "/section/local.html" and result.site == "news.test"


def test_step_reads_the_minimum_length_from_settings() -> None:
    item = article_item(1)
    body_length = len(item.parsed.body)
    strict = article_steps(ValidateArticle, NEWSCRAWL_MIN_BODY_CHARS=body_length + 1)
    result = strict.process(item)
    assert isinstance(result, FailedPage) and result.reason == "body_too_short"
    lenient = article_steps(ValidateArticle, NEWSCRAWL_MIN_BODY_CHARS=body_length)
    assert isinstance(lenient.process(article_item(1)), PageItem)


def test_japanese_body_is_measured_like_an_english_one() -> None:
    """96 kanji and kana hold about 48 words, more than 200 English characters do."""
    japanese = "図書館は閲覧室の開館時間を延長し平日は午後十時まで土曜日は午前九時から利用できるようになりました" * 2
    assert len(japanese) < 200
    parsed = ParseResult(url="u", is_article=True, title="図書館の開館時間を延長", body=japanese)
    assert rejection(parsed, min_body_chars=200) is None
    stub = ParseResult(url="u", is_article=True, title="図書館", body="開館時間を延長します。")
    assert rejection(stub, min_body_chars=200)[0] == "body_too_short"
