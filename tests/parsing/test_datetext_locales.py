"""Dates as pages in any locale write them: month names keyed by the page's language, digits of
any script, 12-hour markers in the language's own words, two-digit years in a date line."""

from datetime import UTC, datetime

import pytest

from crawler.parsing import parse_page
from crawler.parsing.calendar_words import calendar_words
from crawler.parsing.datetext import ascii_digits, find_date


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("7 Μαρτίου 2025 - 3:04:00 μ.μ. CET", "el", "2025-03-07T15:04:00+01:00"),
        ("петък, 7 март 2025 г.", "bg", "2025-03-07"),
        ("2025 m. kovo 7 d.", "lt", "2025-03-07"),
        ("pirmdiena, 2024. gada 25. marts", "lv", "2024-03-25"),  # the year's own word between year and day
        ("Thứ Sáu, 7 tháng 3, 2025", "vi", "2025-03-07"),  # a month written as a word and its number
        ("2023 оны арван хоёрдугаар сарын 19", "mn", "2023-12-19"),  # a phrase, its last word with a case ending
        ("22 Mwedi wa Nnyano na Nchechi 2023", "kde", "2023-09-22"),
        ("6 نوامبر 2024، ساعت 11:47:00 (-0300)", "fa", "2024-11-06T11:47:00-03:00"),
        ("۲۹ اوت ۲۰۲۳،\u200f ۹:۰۳:۰۰", "fa", "2023-08-29T09:03:00"),  # Persian digits
        ("7\u200f/3\u200f/2025، 3:04 م", "ar", "2025-03-07T15:04:00"),  # right-to-left marks, م: afternoon
        ("24 ডিচেম্বৰ, 2024 পূৰ্বাহ্ন 10.23.00 +1100", "as", "2024-12-24T10:23:00+11:00"),  # marks in words, dotted seconds
        ("7 มี.ค. 2025 15:04:00", "th", "2025-03-07T15:04:00"),
        ("2023年2月15日 晚上9:09:00", "zh", "2023-02-15T21:09:00"),  # CLDR's Chinese day periods (zh-Hant's "Bh:mm")
        ("2023年2月28日 +0100 01:44:00", "zh", "2023-02-28T01:44:00+01:00"),  # the zone before the clock
        ("2025年6月22日 下午2:57:00 [+0200]", "zh", "2025-06-22T14:57:00+02:00"),  # the zone in brackets
        ("10 ʻAok 2025, 12:02:00\u202fEA", "to", "2025-08-10T12:02:00"),  # an okina where dateparser writes an apostrophe
    ],
)
def test_month_names_and_clocks_in_the_pages_language(text, language, expected):
    assert find_date(text, language=language, month_first=False).value == expected


def test_a_name_languages_dispute_is_read_in_the_pages_language():
    assert find_date("5. listopada 2025", language="hr").value == "2025-10-05"  # October in Croatian
    assert find_date("5 listopada 2025", language="pl").value == "2025-11-05"  # November in Polish
    assert find_date("7 Μαρτίου 2025", language="el").value == "2025-03-07"


def test_the_shared_table_is_unchanged_for_pages_of_unknown_language():
    shared = calendar_words(None).months
    assert shared["june"] == 6 and shared["juin"] == 6 and "μαρτίου" not in shared
    assert calendar_words("el").months["μαρτίου"] == 3 and calendar_words("el").months["june"] == 6


def test_other_digits_become_ascii_in_place():
    text = "۲۹ اوت ۲۰۲۳ ৭ ০১"
    assert ascii_digits(text) == "29 اوت 2023 7 01"
    assert len(ascii_digits(text)) == len(text)


def test_two_digit_years_only_in_a_date_line():
    assert find_date("11.07.23") is None
    assert find_date("11.07.23", short_years=True).value == "2023-07-11"
    assert find_date("3/7/25, 3:04 PM", month_first=True, short_years=True).value == "2025-03-07T15:04:00"
    assert find_date("v1.2.25", short_years=True) is None


def test_a_byline_in_greek_under_the_headline():
    html = """<html lang="el-GR"><body><article><h1>Ένας τίτλος για το άρθρο</h1>
    <div class="meta">Μαρία Παπαδοπούλου · 7 Μαρτίου 2025 - 3:04 μ.μ.</div>
    <p>Κείμενο του άρθρου που είναι αρκετά μεγάλο για να είναι άρθρο.</p></article></body></html>"""
    result = parse_page(html, "https://news.example/a/b", now=__import__("datetime").datetime(2025, 4, 1))
    assert result.published_at == "2025-03-07T15:04:00"


def test_a_number_after_a_clock_is_not_a_zone_offset():
    # "[+-−]" was a character range from "+" to "−" (U+2212): "14" after a clock read as "+4 hours"
    assert find_date("15:56:00 14 thg 4, 2024", language="vi").value == "2024-04-14T15:56:00"


def test_a_second_date_is_not_a_clock_with_seconds():
    assert find_date("12.01.26 — 10.04.26", month_first=True, short_years=True).value == "2026-01-12"
    assert find_date("05.04.2025 - Güncelleme : 05.04.2025", month_first=False, language="tr").value == "2025-04-05"


def test_a_two_digit_year_in_a_sentence_is_not_a_date_line():
    assert find_date("Examples: Monday, today, last week, Mar 26, 3/26/04", month_first=True, short_years=True) is None
    assert find_date("Updated on 09/11/25", month_first=True, short_years=True).value == "2025-09-11"


def test_one_unknown_short_word_between_parts_only_in_a_language_with_names_of_its_own():
    assert find_date("14 di Avost dal 2024", language="fur").value == "2024-08-14"
    assert find_date("16 ta\u2019 Jannar 2025", language="mt").value == "2025-01-16"
    assert find_date("killed 5 in June 2025", language="en") is None
    assert find_date("5 people in June 2025", language="fur") is None


def test_a_page_of_unknown_language_reads_the_names_every_language_agrees_on():
    assert find_date("7 Μαρτίου 2025").value == "2025-03-07"
    assert find_date("7 มีนาคม 2025").value == "2025-03-07"
    words = calendar_words(None)
    assert "listopad" in words.months and "listopad" not in words.agreed  # Polish November, Croatian October: the shared table decides
    assert "μαρτίου" not in words.months  # the shared table itself is unchanged: the agreed names are only read
    assert calendar_words("el").agreed == {}  # a page that says its language reads its own names


def test_a_two_digit_year_gives_way_to_its_time_elements_machine_value():
    # yy/MM/dd (some CLDR locales' short pattern) reads as dd/MM/yy: the element's own datetime decides
    html = """<html lang="kaj"><body><article><h1>A headline for the article here</h1>
    <div class="date"><time datetime="2025-01-01T10:00:00+01:00">25/01/01</time></div>
    <p>Body text of the article that is long enough to be an article body.</p></article></body></html>"""
    result = parse_page(html, "https://news.example/a/b", now=__import__("datetime").datetime(2025, 4, 1))
    assert result.published_at == "2025-01-01T10:00:00+01:00"


def test_a_clock_before_a_short_date_is_no_word_of_a_sentence():
    assert find_date("Jo Roe · 18:00 5/3/25", short_years=True, month_first=False).value == "2025-03-05T18:00:00"
    assert find_date("Examples: Monday, today, last week, 3/26/04", short_years=True, month_first=True) is None


def test_a_digit_date_read_in_the_future_is_read_the_other_way():
    html = """<html lang="en-GB"><body><article><h1>A headline for the article here</h1>
    <div class="meta">5/11/25, 9:06</div><p>Some text of the story.</p></article></body></html>"""
    fetched = datetime(2025, 6, 10, 12, tzinfo=UTC)
    assert parse_page(html, "https://example.org/a", now=fetched).published_at == "2025-05-11T09:06:00"
    assert parse_page(html, "https://example.org/a", now=datetime(2025, 12, 1, tzinfo=UTC)).published_at == "2025-11-05T09:06:00"
