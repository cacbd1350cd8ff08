"""Dates in the calendars newsrooms write beside the Gregorian one, rewritten as Gregorian dates
before a line is read (``gregorian_line``), so every reader of ``datetext`` and the clock beside
the date work on them unchanged:

- the Solar Hijri calendar of Iran and Afghanistan ("۱۴ اسفند ۱۴۰۲", "Esfand 14, 1402",
  "۱۴۰۲/۱۲/۱۴", Afghanistan's "۱۴ حوت ۱۴۰۲"), on pages whose locale uses it (``locale_calendar``);
  the day arithmetic by convertdate (the library dateparser's own calendars use);
- the Thai Buddhist era, 543 years ahead ("5 มีนาคม 2567"), on pages whose locale uses it;
- an era written out, on any page, since its name says which calendar it is: the Japanese
  eras ("令和6年", "平成元年") and the Republic of China's ("民國113年").

Which calendar a locale uses is CLDR's calendar preference (``calendarPreferenceData``): a
country whose first calendar is not the Gregorian one (Iran and Afghanistan: Solar Hijri;
Thailand: Buddhist), else a language official only in those countries (Persian, Pashto, Thai).
A year is rewritten only where the Gregorian reading is no plausible news date (1402, 2567), so a
Thai or Persian page writing Gregorian dates keeps them.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from convertdate import persian

SOLAR_HIJRI = "persian"
BUDDHIST = "buddhist"
# CLDR calendarPreferenceData: countries whose first calendar is not the Gregorian one.
COUNTRY_CALENDARS = {"ir": SOLAR_HIJRI, "af": SOLAR_HIJRI, "th": BUDDHIST}
# Languages official only in those countries (CLDR territory data), for a page naming no country.
LANGUAGE_CALENDARS = {"fa": SOLAR_HIJRI, "ps": SOLAR_HIJRI, "th": BUDDHIST}
BUDDHIST_OFFSET = 543
SOLAR_HIJRI_YEARS = range(1300, 1500)  # 1921-2121
BUDDHIST_YEARS = range(2450, 2700)  # 1907-2157
# The Solar Hijri months, in order: the Iranian names (Persian script and Latin, with their other
# spellings), then Afghanistan's zodiac names.
SOLAR_HIJRI_MONTHS = (
    ("فروردین", "farvardin"), ("اردیبهشت", "ordibehesht"), ("خرداد", "khordad"), ("تیر", "tir"),
    ("مرداد", "امرداد", "mordad", "amordad"), ("شهریور", "شهريور", "shahrivar"), ("مهر", "mehr"), ("آبان", "aban"),
    ("آذر", "azar"), ("دی", "dey", "dei"), ("بهمن", "bahman"), ("اسفند", "esfand"),
)
AFGHAN_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
# Eras by their written name: the Gregorian year before the era's first.
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "民國": 1911, "民国": 1911}
_ERA = re.compile(r"(令和|平成|昭和|民國|民国)\s*(\d{1,3}|元)(?=\s*年)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DIGIT_DATE = re.compile(r"(?<![\d/.-])(1[34]\d\d)([/.-])(\d{1,2})\2(\d{1,2})(?![\d/.-])")


def locale_calendar(country: str | None, language: str | None) -> str | None:
    """The calendar other than the Gregorian one a page of ``country`` (ISO 3166, lower case)
    and ``language`` (a primary subtag) writes its dates in, or None. The country decides when
    the page names one."""
    if country:
        return COUNTRY_CALENDARS.get(country)
    return LANGUAGE_CALENDARS.get(language or "")


@lru_cache(maxsize=1)
def _solar_hijri_months() -> tuple[re.Pattern[str], dict[str, int]]:
    """A pattern of day, month name and year in either order, and each month name's number."""
    months = {name: number for number, names in enumerate(SOLAR_HIJRI_MONTHS, 1) for name in names}
    months.update((name, number) for number, name in enumerate(AFGHAN_MONTHS, 1))
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    day = r"(?<!\d)(\d{1,2})(?!\d)"
    year = r"(?<!\d)(1[34]\d\d)(?!\d)"
    pattern = re.compile(
        rf"{day}\s*(?P<a>{names})(?![^\W\d_])[\s,]*{year}|(?<![^\W\d_])(?P<b>{names})\s+{day}[\s,]+{year}", re.I
    )
    return pattern, months


def _solar_hijri_day(year: int, month: int, day: int) -> date | None:
    if year not in SOLAR_HIJRI_YEARS or not 1 <= month <= 12 or not 1 <= day <= persian.month_length(year, month):
        return None
    return date(*persian.to_gregorian(year, month, day))


def _solar_hijri(text: str) -> str:
    pattern, months = _solar_hijri_months()

    def named(match: re.Match[str]) -> str:
        if match["a"]:
            day, month, year = match[1], match["a"], match[3]
        else:
            month, day, year = match["b"], match[5], match[6]
        found = _solar_hijri_day(int(year), months[month.lower()], int(day))
        return found.isoformat() if found else match.group()

    def digits(match: re.Match[str]) -> str:
        found = _solar_hijri_day(int(match[1]), int(match[3]), int(match[4]))
        return found.isoformat() if found else match.group()

    return _DIGIT_DATE.sub(digits, pattern.sub(named, text))


def _buddhist(text: str) -> str:
    return _YEAR.sub(lambda m: str(int(m[1]) - BUDDHIST_OFFSET) if int(m[1]) in BUDDHIST_YEARS else m.group(), text)


def _eras(text: str) -> str:
    return _ERA.sub(lambda m: str(ERAS[m[1]] + (1 if m[2] == "元" else int(m[2]))), text)


def gregorian_line(text: str, calendar: str | None) -> str:
    """``text`` (ASCII digits) with its dates in ``calendar`` and its written-out eras as Gregorian
    dates: a Solar Hijri date becomes ISO ("2024-03-04"), a Buddhist or era year its Gregorian
    year. Text with neither is returned as it is."""
    if not text.isascii() and any(era in text for era in ERAS):
        text = _eras(text)
    if calendar == SOLAR_HIJRI:
        return _solar_hijri(text)
    if calendar == BUDDHIST:
        return _buddhist(text)
    return text
