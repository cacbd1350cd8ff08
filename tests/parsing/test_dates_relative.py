"""Relative dates resolved against the fetch time, and dates a page cannot carry refused
with a warning (issue 6, "Bad input to the parsers")."""

import json
from datetime import UTC, datetime

import pytest

from crawler.parsing import parse_page
from crawler.parsing.dates import extract_dates
from crawler.parsing.relative_dates import find_relative
from crawler.parsing.title import find_headline

from .helpers import article_body, doc, html

NOW = datetime(2025, 9, 11, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("3 hours ago", "en", "2025-09-11T09:00:00+00:00"),
        ("By Jane Roe · 2 hours ago", "en", "2025-09-11T10:00:00+00:00"),
        ("an hour ago", "en", "2025-09-11T11:00:00+00:00"),
        ("5 min ago", "en", "2025-09-11T11:55:00+00:00"),
        ("2 days ago", "en", "2025-09-09"),
        ("Published: yesterday, 14:30", "en", "2025-09-10T14:30:00"),  # the clock as the page wrote it
        ("Yesterday at 2:30 p.m. EDT", "en", "2025-09-10T14:30:00-04:00"),
        ("yesterday", "en", "2025-09-10"),
        ("vor 2 Tagen", "de", "2025-09-09"),
        ("vor einer Stunde", "de", "2025-09-11T11:00:00+00:00"),
        ("gestern, 10:15 Uhr", "de", "2025-09-10T10:15:00"),
        ("il y a 3 jours", "fr", "2025-09-08"),
        ("il y a une heure", "fr", "2025-09-11T11:00:00+00:00"),
        ("hier", "fr", "2025-09-10"),
        ("hace 2 días", "es", "2025-09-09"),
        ("hace una hora", "es", "2025-09-11T11:00:00+00:00"),
        ("ayer", "es", "2025-09-10"),
        ("3 ore fa", "it", "2025-09-11T09:00:00+00:00"),
        ("2 dagen geleden", "nl", "2025-09-09"),
        ("3 months ago", "en", "2025-06-11"),
        # the page's own language when dateparser has data for it, beyond RELATIVE_LANGUAGES
        ("3 часа назад", "ru", "2025-09-11T09:00:00+00:00"),
        ("Вчера в 14:30", "ru", "2025-09-10T14:30:00"),
        ("Опубликовано: вчера, 14:30", "ru", "2025-09-10T14:30:00"),  # a label of any language before a colon
        ("2 godziny temu", "pl", "2025-09-11T10:00:00+00:00"),
        ("3時間前", "ja", "2025-09-11T09:00:00+00:00"),  # no spaces: no word boundary
        ("発表 3時間前", "ja", "2025-09-11T09:00:00+00:00"),
        ("3小时前", "zh", "2025-09-11T09:00:00+00:00"),
        ("2 gün önce", "tr", "2025-09-09"),
        # phrases whose language data lists no "ago" word they use: the gate takes a word of the phrase
        ("3시간 전", "ko", "2025-09-11T09:00:00+00:00"),
        ("قبل 3 ساعات", "ar", "2025-09-11T09:00:00+00:00"),
        ("πριν από 3 ώρες", "el", "2025-09-11T09:00:00+00:00"),
        ("3 órája", "hu", "2025-09-11T09:00:00+00:00"),
        # a day word as short as the word a clock may have before it
        ("昨天 14:30", "zh", "2025-09-10T14:30:00"),
        ("Today 10:42", "en", "2025-09-11T10:42:00"),
    ],
)
def test_relative_phrases_in_each_language(text, language, expected):
    found = find_relative(text, NOW, language=language)
    assert found is not None and found.value == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("Klik hier", "nl"), ("hier", "nl"), ("in 3 days", "en"), ("12 June 2025", "en"), ("vor 1990", "de"), ("Today's top stories", "en")],
)
def test_not_relative_dates(text, language):
    assert find_relative(text, NOW, language=language) is None


def _dates(page, now=NOW):
    _title, headline = find_headline(page)
    return extract_dates(page, language="en", headline=headline, now=now)


def test_a_byline_relative_date_is_resolved_against_the_fetch_time_and_marked():
    page = doc("<h1>Headline of the story</h1><p class='byline'>By Jane Roe · 3 hours ago</p>" + article_body(), url="https://news.example/story")
    dates = _dates(page)
    assert (dates.published, dates.relative, dates.warnings) == ("2025-09-11T09:00:00+00:00", True, [])


def test_an_absolute_date_wins_over_a_relative_one():
    head = '<meta property="article:published_time" content="2025-09-11T08:30:00+02:00">'
    page = doc("<h1>Headline of the story</h1><p class='byline'>3 hours ago</p>" + article_body(), head=head)
    dates = _dates(page)
    assert (dates.published, dates.relative) == ("2025-09-11T08:30:00+02:00", False)


def test_an_updated_relative_date_is_not_the_publication():
    page = doc("<h1>Headline of the story</h1><p class='byline'>Updated 3 hours ago</p>" + article_body(), url="https://news.example/story")
    assert _dates(page).published is None


def _ld(**fields):
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": "Headline of the story", **fields})}</script>'


def test_a_future_structured_date_is_refused_with_a_warning_and_the_next_candidate_used():
    head = _ld(datePublished="2031-05-01T10:00:00+00:00") + '<meta property="article:published_time" content="2025-09-10T07:00:00Z">'
    dates = _dates(doc("<h1>Headline of the story</h1>" + article_body(), head=head))
    assert dates.published == "2025-09-10T07:00:00+00:00"
    assert len(dates.warnings) == 1 and dates.warnings[0].startswith("future_date: published date 2031-05-01T10:00:00+00:00")


def test_a_date_before_1990_is_refused_with_a_warning_and_the_byline_used():
    head = _ld(datePublished="1989-12-31")
    page = doc("<h1>Headline of the story</h1><p class='byline'>September 1, 2025</p>" + article_body(), head=head)
    dates = _dates(page)
    assert dates.published == "2025-09-01"
    assert [warning.split(":")[0] for warning in dates.warnings] == ["date_before_1990"]


def test_placeholder_dates_are_refused_and_reported_even_without_any_other_date():
    head = _ld(datePublished="0001-01-01T00:00:00", dateModified="1970-01-01T00:00:00Z")
    dates = _dates(doc("<h1>Headline of the story</h1>" + article_body(), head=head, url="https://news.example/story"))
    assert (dates.published, dates.modified) == (None, None)
    assert [warning.split(":")[0] for warning in dates.warnings] == ["date_before_1990", "date_before_1990"]


def test_a_date_within_a_day_of_the_fetch_is_time_zone_slack_not_the_future():
    head = _ld(datePublished="2025-09-12T09:00:00+09:00")  # 00:00 UTC on the 12th, 12 hours ahead
    dates = _dates(doc("<h1>Headline of the story</h1>" + article_body(), head=head))
    assert (dates.published, dates.warnings) == ("2025-09-12T09:00:00+09:00", [])


def test_a_future_date_in_the_byline_text_is_refused_too():
    page = doc("<h1>Headline of the story</h1><p class='byline'>March 3, 2026</p>" + article_body(), url="https://news.example/2025/09/01/story")
    dates = _dates(page)
    assert dates.published == "2025-09-01"
    assert dates.warnings and dates.warnings[0].startswith("future_date: published date 2026-03-03 (byline)")


def test_parse_page_takes_the_fetch_time_and_reports_on_the_result():
    page = html("<article><h1>Headline of the story</h1><p class='byline'>vor 2 Stunden</p>" + article_body(8) + "</article>", lang="de")
    result = parse_page(page, "https://news.example/story", now=NOW)
    assert (result.published_at, result.published_relative, result.date_warnings) == ("2025-09-11T10:00:00+00:00", True, [])
    naive = parse_page(page, "https://news.example/story", now=NOW.replace(tzinfo=None))
    assert naive.published_at == "2025-09-11T10:00:00+00:00"
