"""Times of day as pages write them beside a date, and the zone written with them.

Clocks: 24-hour and 12-hour, with the separators newsrooms use: "14:30", "14.30 Uhr", "14h30",
"14h", "14 Uhr", "2:30 pm", "2.30 p.m.", "2 PM", "14時30分", "14시 30분", "오후 8:00", "午後3時", "晚上9:09",
seconds optional ("15:04:00", "10.23.00"). The 12-hour markers of the page's language, written
after or before the clock ("3:04 μ.μ.", "3:04 م", "অপৰাহ্ন 10.58", "오후 8:00"; in a script written
without spaces, at the end of a longer run of letters: "5日午後3時"), come from
``crawler.parsing.calendar_words`` (``periods``; a page of unknown language: the markers every
language agrees on).
A clock is only read right before or right after a date (``clock_after``, ``clock_before``):
standing alone, "14.30" could be a price or a score.

Zones: a numeric offset ("+02:00", "GMT+2", "UTC+05:30"), or an abbreviation. An abbreviation
that names one offset (EDT, CEST, MEZ, JST...) is mapped to it; a US generic zone (ET, PT, CT,
MT) to the offset in force at that date; one that names several (IST: India, Israel or Ireland;
CST; BST; AST) by the page's country, else by its language when every country the abbreviation
names that has the language as an official one gives it the same offset ("10:00 IST" on a Hindi
page: India's; on an English one: India's or Ireland's, unknown); else the time stays without an
offset rather than a guessed one (``ambiguous_zones``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import regex

MAX_GAP = 16  # characters between a date and its clock ("12 June 2025, at 14:30", "8:30 AM EDT, Thu Sep 11")


def _hours(value: float) -> timedelta:
    return timedelta(minutes=round(value * 60))


# Abbreviations that name one UTC offset wherever they are used.
FIXED_ZONES: dict[str, timedelta] = {
    name: _hours(hours)
    for names, hours in (
        (("UTC", "GMT", "UT", "Z", "WET", "WEZ"), 0),
        (("WEST", "WESZ", "CET", "MEZ", "WAT"), 1),
        (("CEST", "MESZ", "EET", "OEZ", "SAST", "CAT"), 2),
        (("EEST", "OESZ", "MSK", "EAT", "TRT"), 3),
        (("IRST",), 3.5),
        (("GST",), 4),
        (("PKT",), 5),
        (("NPT",), 5.75),
        (("WIB", "ICT"), 7),
        (("HKT", "SGT", "MYT", "PHT", "AWST", "WITA"), 8),
        (("JST", "KST", "WIT"), 9),
        (("ACST",), 9.5),
        (("AEST",), 10),
        (("ACDT",), 10.5),
        (("AEDT",), 11),
        (("NZST",), 12),
        (("NZDT",), 13),
        (("NDT",), -2.5),
        (("BRT", "ART", "ADT"), -3),
        (("NST",), -3.5),
        (("EDT", "CLT", "VET"), -4),
        (("EST", "CDT", "COT", "PET"), -5),
        (("MDT",), -6),
        (("MST", "PDT"), -7),
        (("PST", "AKDT"), -8),
        (("AKST",), -9),
        (("HST",), -10),
    )
    for name in names
}
# US generic zones: the offset depends on the date (daylight saving time).
GENERIC_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
# Abbreviations that name different offsets in different countries: country code -> offset.
AMBIGUOUS_ZONES: dict[str, dict[str, timedelta]] = {
    "IST": {"in": _hours(5.5), "il": _hours(2), "ie": _hours(1)},
    "CST": {"us": _hours(-6), "ca": _hours(-6), "mx": _hours(-6), "cn": _hours(8), "tw": _hours(8), "cu": _hours(-5)},
    "BST": {"gb": _hours(1), "bd": _hours(6)},
    "AST": {"ca": _hours(-4), "pr": _hours(-4), "sa": _hours(3), "iq": _hours(3), "kw": _hours(3), "qa": _hours(3)},
}
# The official languages (official, de facto official or official regional status) of each country
# AMBIGUOUS_ZONES names, from CLDR's territory data: tests/parsing/test_clock.py checks the table
# against Babel's copy of CLDR.
OFFICIAL_LANGUAGES: dict[str, frozenset[str]] = {
    "bd": frozenset(("bn",)),
    "ca": frozenset(("chp", "crk", "den", "dgr", "en", "fr", "gwi", "iu")),
    "cn": frozenset(("bo", "ko", "mn", "ug", "za", "zh")),
    "cu": frozenset(("es",)),
    "gb": frozenset(("cy", "en", "ga", "gd")),
    "ie": frozenset(("en", "ga")),
    "il": frozenset(("ar", "he")),
    "in": frozenset(("as", "bn", "en", "gu", "hi", "kha", "kn", "kok", "ks", "mai", "ml", "mr", "ne", "or", "pa", "sa", "sat", "sd", "ta", "te", "ur")),
    "iq": frozenset(("ar", "az", "ckb")),
    "kw": frozenset(("ar",)),
    "mx": frozenset(("es",)),
    "pr": frozenset(("en", "es")),
    "qa": frozenset(("ar",)),
    "sa": frozenset(("ar",)),
    "tw": frozenset(("hak", "nan", "zh")),
    "us": frozenset(("en", "es", "haw")),
}
NO_ZONES: Mapping[str, timedelta] = MappingProxyType({})


@lru_cache(maxsize=64)
def ambiguous_zones(country: str | None, language: str | None) -> Mapping[str, timedelta]:
    """The offset each abbreviation of AMBIGUOUS_ZONES names on a page of ``country`` (ISO 3166,
    lower case) and ``language`` (a primary subtag). In order: the country's own offset when the
    page names a country; else the one offset of every country having ``language`` as an
    official language, when they agree; else none (the abbreviation is not read as an offset)."""
    zones: dict[str, timedelta] = {}
    for name, offsets in AMBIGUOUS_ZONES.items():
        if country:
            found = {offsets[country]} if country in offsets else set()
        elif language:
            found = {offset for place, offset in offsets.items() if language in OFFICIAL_LANGUAGES[place]}
        else:
            found = set()
        if len(found) == 1:
            zones[name] = found.pop()
    return MappingProxyType(zones)


_ZONE = re.compile(r"\s*[(\[]?\s*([A-Z]{1,5})?\s*(?:([+\-−])(\d{1,2})(?::?(\d\d))?)?\s*[)\]]?(?![\w])")
_CLOCK = re.compile(
    r"(?<![\d.:,/])(?P<hour>2[0-4]|[01]?\d)(?!\d)"
    r"(?:\s*(?P<sep>[:.hH時시])\s*(?P<minute>[0-5]\d)(?:\s*[分분])?(?:[:.](?P<second>[0-5]\d))?(?![\d.,]\d))?"
    r"(?:\s*(?:(?P<suffix>[aApP]\.?\s?[mM]\.?(?![^\W\d_])|Uhr(?!\w)|h(?![^\W\d_]))|(?P<unit>時|시)))?"
)
_PERIOD_AFTER = regex.compile(r"[^\S\n]*([\p{L}\p{M}][\p{L}\p{M}.]*)")
_PERIOD_BEFORE = regex.compile(r"([\p{L}\p{M}][\p{L}\p{M}.]*)[^\S\n]*$")
MAX_PERIOD_WORD = 12  # "π.μ.", "ص", "অপৰাহ্ন", "priekšpusdienā"
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")  # scripts written without spaces between words
_GAP_AFTER = re.compile(r"^[\s,،.|·•\-–—/(\u200e\u200f]*(?:[^\W\d_]{1,5}\.?(?:[\s,،:\u200e\u200f]+|$)){0,2}$")  # "،": the Arabic comma
_RANGE = re.compile(r"[-–—]")
_LEAD_ZONE = re.compile(r"[^\S\n]*[(\[]?(?:[A-Z]{2,5}|[+−]\d\d:?\d\d)[)\]]?(?=\s)")  # "+0100", "CET" between a date and its clock; never "- 14:30"
_GAP_BEFORE = re.compile(r"^[\s,،|·•\-–—/)\u200e\u200f]*(?:([^\W\d_]{1,12})\.?[\s,،\u200e\u200f]*)?$")


@dataclass(frozen=True, slots=True)
class Clock:
    value: time  # the time of day as the page wrote it
    offset: timedelta | None  # its UTC offset, when the page names a zone that fixes one
    start: int
    end: int

    def stamp(self, day: date) -> str:
        """ISO 8601 for ``day`` at this clock time (with the offset when known)."""
        moment = datetime.combine(day, self.value)
        if self.offset is not None:
            moment = moment.replace(tzinfo=timezone(self.offset))
        return moment.isoformat()


def _time_of(match: re.Match[str], afternoon: bool | None = None) -> time | None:
    """The time a clock match names, or None when it is not a clock (a bare number, 25:00);
    ``afternoon``: the half of the day a word of the page's language beside it names."""
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    suffix = (match["suffix"] or "").lower()
    if not suffix and afternoon is not None:
        suffix = "pm" if afternoon else "am"
    if match["minute"] is None and not suffix and not match["unit"]:
        return None  # "14" alone is a number
    if suffix[:1] in ("a", "p"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix[0] == "p" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if hour > 23:
        return None
    return time(hour, minute, second)


def _zone_offset(
    name: str | None, sign: str | None, hours: str | None, minutes: str | None, day: date, zones: Mapping[str, timedelta]
) -> tuple[bool, timedelta | None]:
    """(a zone was written, its offset or None)."""
    offset = None
    if sign is not None:
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0)) * (-1 if sign in "-−" else 1)
        if name not in (None, "GMT", "UTC", "UT"):
            return False, None  # "ABC+3" is not a zone
        return True, offset
    if name is None:
        return False, None
    if name in FIXED_ZONES:
        return True, FIXED_ZONES[name]
    if name in GENERIC_ZONES:
        return True, _generic_offset(GENERIC_ZONES[name], day)
    if name in AMBIGUOUS_ZONES:
        return True, zones.get(name)
    return False, None


@lru_cache(maxsize=8)
def _zone(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except ZoneInfoNotFoundError:
        return None


def _generic_offset(key: str, day: date) -> timedelta | None:
    zone = _zone(key)
    return None if zone is None else datetime.combine(day, time(12)).replace(tzinfo=zone).utcoffset()


def zone_after(text: str, position: int, day: date, *, zones: Mapping[str, timedelta] = NO_ZONES) -> tuple[bool, timedelta | None, int]:
    """(a zone is written at ``position``, the offset it names or None, where it ends); ``zones``:
    the offsets of the ambiguous abbreviations on this page (``ambiguous_zones``)."""
    zone = _ZONE.match(text, position)
    written, offset = (False, None) if zone is None else _zone_offset(*zone.groups(), day, zones)
    return written, offset, zone.end() if written else position


def _period(text: str, match: re.Match[str], periods: Mapping[str, bool]) -> tuple[bool | None, int, int]:
    """(afternoon or not, start, end) of the clock with the 12-hour marker of the page's language
    written right after it ("3:04 μ.μ.", "3:04 م") or right before it ("অপৰাহ্ন 10.58"); None
    when there is none."""
    start, end = match.start(), match.end()
    if not periods or match["suffix"]:
        return None, start, end
    after = _PERIOD_AFTER.match(text, end)
    if after and len(after.group(1)) <= MAX_PERIOD_WORD and (half := periods.get(after.group(1).lower().replace(".", ""))) is not None:
        return half, start, after.end()
    before = _PERIOD_BEFORE.search(text[max(0, start - MAX_PERIOD_WORD - 2) : start])
    if before is None:
        return None, start, end
    word = before.group(1)
    for length in range(len(word), 0, -1):  # the whole word; in a script without spaces, its end ("日午後")
        if length < len(word) and not _UNSPACED.match(word, len(word) - length - 1):
            break
        if (half := periods.get(word[-length:].lower().replace(".", ""))) is not None:
            return half, start - len(before.group(0)) + len(word) - length, end
    return None, start, end


def _with_zone(
    text: str, match: re.Match[str], day: date, zones: Mapping[str, timedelta], periods: Mapping[str, bool] | None = None
) -> Clock | None:
    afternoon, start, end = _period(text, match, periods or {})
    value = _time_of(match, afternoon)
    if value is None:
        return None
    _written, offset, end = zone_after(text, end, day, zones=zones)
    return Clock(value, offset, start, end)


def clock_after(
    text: str, position: int, day: date, *, zones: Mapping[str, timedelta] = NO_ZONES, periods: Mapping[str, bool] | None = None
) -> Clock | None:
    """The clock that follows a date ending at ``position`` ("12 June 2025, 14:30 CEST",
    "11.09.2025 um 8.30 Uhr"): at most MAX_GAP characters on, with only separators and up to
    two short words ("at", "um", "a las") between; or a zone written before it ("2023年2月28日
    +0100 01:44:00"), which it takes when it names none of its own."""
    lead = _LEAD_ZONE.match(text, position)
    written, lead_offset, end = (False, None, position) if lead is None else zone_after(text, position, day, zones=zones)
    if written and end == lead.end():
        position = end
    else:
        lead_offset = None
    for match in _CLOCK.finditer(text, position):
        if match.start() > position + MAX_GAP + 8:
            return None
        if match["second"] and match["sep"] == "." and _RANGE.search(text, position, match.start()):
            return None  # "12.01.26 – 10.04.26": a second date, not a clock with its seconds
        clock = _with_zone(text, match, day, zones, periods)
        start = clock.start if clock is not None and clock.start >= position else match.start()  # "অপৰাহ্ন 10.58"
        if not _GAP_AFTER.match(text[position:start]):
            return None
        if clock is not None:
            return clock if clock.offset is not None or lead_offset is None else replace(clock, offset=lead_offset)
    return None


def clock_before(
    text: str,
    position: int,
    day: date,
    *,
    zones: Mapping[str, timedelta] = NO_ZONES,
    weekday: Callable[[str], bool] = lambda word: False,
    periods: Mapping[str, bool] | None = None,
) -> Clock | None:
    """The clock that precedes a date starting at ``position`` ("8:30 AM EDT, Thu September 11,
    2025", "14h30 - 05/04/2025"): with only separators and at most one word between, a weekday
    name (``weekday`` says which words are). "Updated 9:10 AM EDT Published June 5" is not a
    clock of June 5."""
    window_start = max(0, position - MAX_GAP - 16)
    found = None
    for match in _CLOCK.finditer(text, window_start, position):
        clock = _with_zone(text, match, day, zones, periods)
        if clock is None or clock.end > position:
            continue
        gap = _GAP_BEFORE.match(text[clock.end : position])
        if gap and (gap.group(1) is None or weekday(gap.group(1))):
            found = clock
    return found
