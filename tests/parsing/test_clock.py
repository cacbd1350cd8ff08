"""Times of day beside a date, zones, digit dates and the page's date locale (issue 12)."""

from datetime import date

import pytest

from crawler.parsing.calendar_words import calendar_words
from crawler.parsing.clock import AMBIGUOUS_ZONES, OFFICIAL_LANGUAGES, clock_after, clock_before
from crawler.parsing.datelocale import date_locale, page_order
from crawler.parsing.datetext import find_date, is_calendar_word
from crawler.parsing.numeric_dates import day_month, year_first

from .helpers import doc

DAY = date(2025, 6, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 June 2025, 14:30", "14:30:00"),
        ("5 June 2025 um 14.30 Uhr", "14:30:00"),
        ("5 June 2025 à 14h30", "14:30:00"),
        ("5 June 2025 à 18 h 20", "18:20:00"),
        ("5 June 2025 14 Uhr", "14:00:00"),
        ("5 June 2025 at 2:30 p.m.", "14:30:00"),
        ("5 June 2025 2pm", "14:00:00"),
        ("5 June 2025 12:30 AM", "00:30:00"),
        ("5 June 2025 14時30分", "14:30:00"),
        ("5 June 2025 09:15:42", "09:15:42"),
    ],
)
def test_clock_after_a_date_in_the_separators_newsrooms_use(text, expected):
    clock = clock_after(text, text.index("2025") + 4, DAY)
    assert clock is not None and clock.value.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("5 June 2025 오후 8:05", "ko", "20:05:00"),
        ("5 June 2025 午前9時", "ja", "09:00:00"),
        ("2025年6月5日午後3時", "ja", "15:00:00"),  # no space: the marker ends a run of letters
        ("2025年6月5日 晚上9:09", "zh", "21:09:00"),  # a day period dateparser keeps in its simplifications
        ("2025年6月5日 凌晨1:30", "zh", "01:30:00"),
        ("5 June 2025 오후 8:05", None, "20:05:00"),  # unknown language: the syllabic markers all languages agree on
        ("2025年6月5日 下午3:04", None, "15:04:00"),
    ],
)
def test_day_periods_come_from_the_locale_data(text, language, expected):
    clock = clock_after(text, text.index("日") + 1 if "日" in text else text.index("2025") + 4, DAY, periods=calendar_words(language).periods)
    assert clock is not None and clock.value.isoformat() == expected


def test_markers_of_alphabets_need_the_pages_language():
    assert calendar_words("el").periods["μμ"] is True
    assert "μμ" not in calendar_words(None).periods and "م" not in calendar_words(None).periods
    assert "am" not in calendar_words(None).periods  # "am" and "pm" are read by the clock pattern itself
    text = "5 June 2025 3:04 μ.μ."
    assert clock_after(text, 11, DAY, periods=calendar_words("el").periods).value.isoformat() == "15:04:00"
    assert clock_after(text, 11, DAY, periods=calendar_words(None).periods).value.isoformat() == "03:04:00"
    clock = clock_after("5 June 2025 xpm 3:04", 11, DAY, periods=calendar_words("en").periods)
    assert clock.value.isoformat() == "03:04:00" and clock.start == 16  # only a script without spaces ends a word with its marker


@pytest.mark.parametrize("text", ["5 June 2025 · 18 comments", "5 June 2025 | 12.5 million", "5 June 2025 3 min read", "5 June 2025 25:10"])
def test_numbers_that_are_not_clocks(text):
    assert clock_after(text, text.index("2025") + 4, DAY) is None


def test_clock_before_a_date_with_only_a_weekday_between():
    text = "8:30 AM EDT, Thu June 5, 2025"
    clock = clock_before(text, text.index("June"), DAY, weekday=is_calendar_word)
    assert clock is not None and clock.stamp(DAY) == "2025-06-05T08:30:00-04:00"
    assert clock_before(text, text.index("June"), DAY) is None  # "Thu" is not known as a weekday here
    assert clock_before("8:30 by Jane Roe, June 5, 2025", 19, DAY) is None
    assert find_date("Updated 9:10 AM EDT Published June 5, 2025").value == "2025-06-05"


@pytest.mark.parametrize(
    ("zone", "offset"),
    [("CEST", "+02:00"), ("MEZ", "+01:00"), ("GMT", "+00:00"), ("JST", "+09:00"), ("GMT+2", "+02:00"), ("UTC+05:30", "+05:30"), ("+0200", "+02:00"), ("(EDT)", "-04:00")],
)
def test_zones_with_one_offset(zone, offset):
    assert find_date(f"June 5, 2025 10:00 {zone}").value == f"2025-06-05T10:00:00{offset}"


def test_us_generic_zones_follow_daylight_saving_time():
    assert find_date("March 8, 2025 at 2:30 p.m. ET").value == "2025-03-08T14:30:00-05:00"
    assert find_date("March 10, 2025 at 2:30 p.m. ET").value == "2025-03-10T14:30:00-04:00"


def test_an_ambiguous_zone_needs_the_country():
    assert find_date("June 5, 2025 10:00 IST").value == "2025-06-05T10:00:00"  # India, Israel or Ireland
    assert find_date("June 5, 2025 10:00 IST", country="in").value == "2025-06-05T10:00:00+05:30"
    assert find_date("June 5, 2025 10:00 IST", country="ie").value == "2025-06-05T10:00:00+01:00"
    assert find_date("June 5, 2025 10:00 CST", country="cn").value == "2025-06-05T10:00:00+08:00"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("hi", "June 5, 2025 10:00 IST", "+05:30"),  # Hindi: official in India only
        ("bn", "June 5, 2025 10:00 IST", "+05:30"),  # Bengali: India and Bangladesh, which has no IST
        ("bn", "June 5, 2025 10:00 BST", "+06:00"),  # Bangladesh Standard Time
        ("he", "June 5, 2025 10:00 IST", "+02:00"),
        ("zh", "June 5, 2025 10:00 CST", "+08:00"),  # China and Taiwan agree
        ("ar", "June 5, 2025 10:00 AST", "+03:00"),
        ("en", "June 5, 2025 10:00 IST", ""),  # India, Ireland: unknown
        ("es", "June 5, 2025 10:00 CST", ""),  # the US and Mexico against Cuba
        ("de", "June 5, 2025 10:00 IST", ""),  # no country with IST has German
    ],
)
def test_a_page_naming_no_country_reads_an_ambiguous_zone_by_its_language(language, text, expected):
    assert find_date(text, language=language).value == f"2025-06-05T10:00:00{expected}"


def test_the_page_country_outweighs_its_language():
    assert find_date("June 5, 2025 10:00 IST", country="ie", language="hi").value == "2025-06-05T10:00:00+01:00"
    assert find_date("June 5, 2025 10:00 IST", country="de", language="hi").value == "2025-06-05T10:00:00"


def test_the_official_languages_are_cldrs():
    babel = pytest.importorskip("babel")  # the test extra; the product does not need it
    territories = babel.core.get_global("territory_languages")
    official = ("official", "de_facto_official", "official_regional")
    expected = {
        country: frozenset(tag.split("_")[0] for tag, info in territories[country.upper()].items() if info.get("official_status") in official)
        for zones in AMBIGUOUS_ZONES.values()
        for country in zones
    }
    assert OFFICIAL_LANGUAGES == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "value", "alternative"),
    [
        ("05/04/2025 14h30", {"month_first": False}, "2025-04-05T14:30:00", "2025-05-04T14:30:00"),
        ("05/04/2025 2:30 PM", {"month_first": True}, "2025-05-04T14:30:00", "2025-04-05T14:30:00"),
        ("05/04/2025", {}, None, None),  # no locale: not guessed
        ("25/04/2025", {}, "2025-04-25", None),
        ("04/25/2025", {"month_first": False}, "2025-04-25", None),  # only one reading exists
        ("05.04.2025, 14.30 Uhr", {"month_first": True}, "2025-04-05T14:30:00", None),  # dots are day-first everywhere
        ("14:30 | 05-04-2025", {"month_first": False}, "2025-04-05T14:30:00", "2025-05-04T14:30:00"),
        ("06. 01. 2026,  14:59 Uhr", {"month_first": False}, "2026-01-06T14:59:00", None),  # spaced dots
    ],
)
def test_digit_dates_follow_the_locale_and_keep_the_other_reading(text, kwargs, value, alternative):
    found = find_date(text, **kwargs)
    assert (found.value, found.alternative) == (value, alternative) if value else found is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024年4月24日", date(2024, 4, 24)), ("2025년 5월 15일", date(2025, 5, 15)), ("2025. 5. 15.", date(2025, 5, 15)), ("2019/1/22", date(2019, 1, 22))],
)
def test_year_first_dates(text, expected):
    assert year_first(text).value == expected


def test_year_first_with_a_clock_and_zone():
    assert find_date("2025. 5. 15. 20:00 KST").value == "2025-05-15T20:00:00+09:00"
    assert find_date("2025-06-05 14:46 CEST").value == "2025-06-05T14:46:00+02:00"


def test_day_month_needs_a_plausible_year_in_text():
    assert day_month("01/02/2099", month_first=True) is None
    assert day_month("01/02/2099", month_first=True, require_plausible=False).value == date(2099, 1, 2)


@pytest.mark.parametrize(
    ("lang", "url", "country", "month_first"),
    [
        ("en-US", "https://news.example/a", "us", True),
        ("en-GB", "https://news.example/a", "gb", False),
        ("en", "https://news.example.co.uk/a", "gb", False),
        ("en", "https://news.example.in/a", "in", False),
        ("en", "https://news.example/a", None, True),
        ("en", "https://news.example.io/a", None, True),  # a country domain sold as a generic name
        ("de", "https://news.example/a", None, False),
        ("en-CA", "https://news.example/a", "ca", None),
        ("", "https://news.example/a", None, None),
    ],
)
def test_date_locale_from_language_region_and_domain(lang, url, country, month_first):
    page = doc("<p>x</p>", url=url, lang=lang)
    locale = date_locale(page, lang.split("-")[0] or None)
    assert (locale.country, locale.month_first) == (country, month_first)


def test_page_order_from_the_pages_own_unambiguous_dates():
    assert page_order(doc("<p>Comment of 13/05/2025</p><p>04/05/2025</p>")) is False
    assert page_order(doc("<p>Comment of 05/13/2025</p>")) is True
    assert page_order(doc("<p>13/05/2025 and 05/13/2025</p>")) is None
    assert page_order(doc("<p>04/05/2025</p>")) is None
