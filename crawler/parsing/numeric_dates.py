"""Dates written in digits: ISO 8601 and its relatives, year-first, East Asian, and day-month or
month-day with the order decided by the page's locale. Right-to-left marks around the
separators ("7\u200f/3\u200f/2025", as Arabic locales write them) are read through.

- ``search_iso``: ``2025-09-11``, ``2025/09/11``, ``2025.09.11``, ``20250911T083000Z``, with the
  time and offset when given.
- ``year_first``: ``2019/1/22`` (unpadded), ``2025. 5. 15.`` (Korean spacing), ``2024年4月24日``,
  ``2025년 5월 15일``: never ambiguous.
- ``day_month``: ``11.09.2025``, ``05/04/2025``, ``10/31/2024``, ``05-04-2025``. A first number
  above 12 is a day, a second above 12 makes it month-first; when both could be months, dots
  mean day-first (no locale writes month.day.year) and slashes or dashes follow ``month_first``,
  the page's locale (None: unknown, and the date is not read); two-digit years only on request
  (``short_years``). The other reading of a slashed
  or dashed date is kept as ``alternative`` so the caller can cross-check it against the
  page's other dates.

Years must fall in MIN_YEAR..next year for dates found inside text (older ones are historical
mentions); ``search_iso`` reads any year, for machine values the date check judges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MIN_YEAR = 1990  # older dates written in text are almost always historical mentions, not the page date

ISO_SEARCH = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)([-/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])"
    r"(?:[T ](\d\d):?(\d\d)(?::?(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?)?(?!\d)"
)
_YEAR_FIRST = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)(?:([-/.])\s?(1[0-2]|0?[1-9])\2\s?(3[01]|[12]\d|0?[1-9])(?![\d/-]|\.\d)\.?"
    r"|\s*[年년]\s*(1[0-2]|0?[1-9])\s*[月월]\s*(3[01]|[12]\d|0?[1-9])\s*[日일])"
)
_DAY_MONTH = re.compile(r"(?<![\d./-])(\d{1,2})[\u200e\u200f]?([./-])\s?(\d{1,2})[\u200e\u200f]?\2\s?((?:19|20)\d\d)(?!\d)")  # "06. 01. 2026" too
_SHORT_DAY_MONTH = re.compile(r"(?<![\w./-])(\d{1,2})[\u200e\u200f]?([./-])(\d{1,2})[\u200e\u200f]?\2(\d\d)(?![\d/-]|\.\d)")  # "11.07.23", "3/7/25"


@dataclass(frozen=True, slots=True)
class NumericDate:
    value: date
    start: int
    end: int
    alternative: date | None = None  # the other reading of an ambiguous day-month order
    short_year: bool = False  # the year was written in two digits ("11.07.23")


def plausible(year: int) -> bool:
    """A year a date written in text may have."""
    return MIN_YEAR <= year <= datetime.now().year + 1


def search_iso(text: str) -> str | None:
    """The first ISO-like date in ``text`` as ISO 8601 (with its time and offset when given)."""
    match = ISO_SEARCH.search(text)
    return iso_value(match) if match else None


def iso_value(match: re.Match[str]) -> str | None:
    year, _separator, month, day, hour, minute, second, zone = match.groups()
    if hour is None:
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:  # 2025-02-30
            return None
    stamp = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if zone:
        zone = "+00:00" if zone == "Z" else zone if ":" in zone or len(zone) == 3 else f"{zone[:3]}:{zone[3:]}"
        stamp += zone if len(zone) > 3 else f"{zone}:00"
    try:
        return datetime.fromisoformat(stamp).replace(microsecond=0).isoformat()
    except ValueError:
        return None


def year_first(text: str) -> NumericDate | None:
    """``2019/1/22``, ``2025. 5. 15.``, ``2024年4月24日``, ``2025년 5월 15일``."""
    for match in _YEAR_FIRST.finditer(text):
        year, _sep, month, day, cjk_month, cjk_day = match.groups()
        try:
            value = date(int(year), int(month or cjk_month), int(day or cjk_day))
        except ValueError:
            continue
        return NumericDate(value, match.start(), match.end())
    return None


def _reading(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_month(
    text: str, *, month_first: bool | None = None, require_plausible: bool = True, short_years: bool = False
) -> NumericDate | None:
    """The first day-month-year (or month-day-year) date in ``text``; see the module docstring.
    ``short_years``: when there is none with a four-digit year, one with two ("11.07.23",
    "3/7/25", this century's), which only a line known to be a date line may be read for."""
    found = _day_month(_DAY_MONTH, text, month_first, require_plausible)
    if found is None and short_years:
        found = _day_month(_SHORT_DAY_MONTH, text, month_first, True)
    return found


def _day_month(pattern: re.Pattern[str], text: str, month_first: bool | None, require_plausible: bool) -> NumericDate | None:
    for match in pattern.finditer(text):
        first, separator, second, year = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
        year += 2000 if len(match.group(4)) == 2 else 0
        if require_plausible and not plausible(year):
            continue
        day_first, other = _reading(year, second, first), _reading(year, first, second)
        if first > 12 or second > 12 or first == second:
            value, alternative = day_first or other, None
        elif separator == ".":
            value, alternative = day_first, None
        elif month_first is None:
            continue  # 05/04/2025 with no locale to decide
        else:
            value, alternative = (other, day_first) if month_first else (day_first, other)
        if value is not None:
            return NumericDate(value, match.start(), match.end(), alternative, len(match.group(4)) == 2)
    return None
