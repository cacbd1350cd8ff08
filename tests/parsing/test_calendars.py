"""Dates in the calendars newsrooms write beside the Gregorian one (issue 12 item 3: dates as the
page shows them, in any locale)."""

import pytest

from crawler.parsing import parse_page
from crawler.parsing.calendars import gregorian_line, locale_calendar
from crawler.parsing.datetext import find_date


@pytest.mark.parametrize(
    ("text", "language", "country", "expected"),
    [
        ("۱۴ اسفند ۱۴۰۲ - ۱۰:۴۲", "fa", None, "2024-03-04T10:42:00"),  # the day before Nowruz 1403 is 19 March
        ("سه‌شنبه ۱۴ اسفند ۱۴۰۲ ساعت ۱۰:۴۲", "fa", None, "2024-03-04T10:42:00"),  # weekday, "hour"
        ("تاریخ انتشار: ۱ فروردین ۱۴۰۳", "fa", None, "2024-03-20"),  # a label before; Nowruz
        ("۱۴۰۲/۱۲/۱۴ - ۱۰:۴۲", "fa", None, "2024-03-04T10:42:00"),  # digits, year first
        ("۲۵ امرداد ۱۴۰۲", "ps", None, "2023-08-16"),  # a month's other spelling; Pashto: Afghanistan
        ("Esfand 14, 1402 - 10:42", "en", "ir", "2024-03-04T10:42:00"),  # an English page of Iran
        ("۱۴ حوت ۱۴۰۲", "fa", "af", "2024-03-04"),  # Afghanistan's month names
        ("5 มีนาคม 2567 10:42 น.", "th", None, "2024-03-05T10:42:00"),  # the Buddhist era
        ("5 มีนาคม พ.ศ. 2567", "th", None, "2024-03-05"),
        ("25/03/2567 10:42", None, "th", "2024-03-25T10:42:00"),  # a page of Thailand, digits
        ("令和6年3月5日 10時42分", "ja", None, "2024-03-05T10:42:00"),  # an era by its name, any locale
        ("令和元年5月1日", None, None, "2019-05-01"),  # 元: the era's first year
        ("民國113年3月5日", "zh", None, "2024-03-05"),  # the Republic of China's era
    ],
)
def test_a_date_in_the_locales_calendar_is_read_as_its_gregorian_day(text, language, country, expected):
    assert find_date(text, language=language, country=country).value == expected


@pytest.mark.parametrize(
    ("text", "language", "country", "expected"),
    [
        ("5 มีนาคม 2024", "th", None, "2024-03-05"),  # a Thai page writing Gregorian years keeps them
        ("4 March 2024", "fa", None, "2024-03-04"),
        ("2024/03/04", "fa", None, "2024-03-04"),
    ],
)
def test_gregorian_dates_on_those_pages_stay(text, language, country, expected):
    assert find_date(text, language=language, country=country).value == expected


def test_a_calendar_is_read_only_where_the_locale_uses_it():
    assert find_date("14 اسفند 1402", language="fa", country="de") is None  # a German page
    assert find_date("5 มีนาคม 2567", language="en") is None
    assert locale_calendar("ir", "en") == locale_calendar(None, "fa") == "persian"
    assert locale_calendar("us", "fa") is None  # the country decides
    assert gregorian_line("30 اسفند 1402", "persian") == "30 اسفند 1402"  # 1402 is no leap year: no such day


def test_a_persian_page_stores_its_shown_date_and_time():
    body = "<p>این متن اصلی خبر است و چند جمله درباره رویداد دارد.</p>" * 20
    html = f'<html lang="fa" dir="rtl"><body><article><h1>خبر</h1><p class="date">۱۴ اسفند ۱۴۰۲ - ۱۰:۴۲</p>{body}</article></body></html>'
    assert parse_page(html, "https://news.example.com/fa/story/1").published_at == "2024-03-04T10:42:00"
