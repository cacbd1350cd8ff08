"""Turn a date string from a page into ISO 8601, cheaply.

Order of attempts (cheapest first, MEASURED.md): ``datetime.fromisoformat`` (0.1 us), an
ISO-looking substring, ``email.utils.parsedate_to_datetime`` (RFC 2822), and only then
dateparser on a short string with its prefix ("Published on", "Publié le", "Updated") removed,
through one reused ``DateDataParser`` per language set, relative dates ("3 hours ago") refused
because they would be read against the crawl clock (``crawler.parsing.relative_dates`` resolves
them against the fetch time, explicitly).

Machine formats (ISO 8601, RFC 2822) are read whatever their year ("0001-01-01", "2099-01-01"):
whether such a date can be the page's is decided by ``crawler.parsing.dates`` against the fetch
time, which reports what it rejects. Dates written in text must fall in MIN_YEAR..next year to
count as dates at all: older ones are historical mentions, not the page's date.

``find_date`` finds a date written in words inside a longer line ("By Jane Roe | 12 juin
2025, 14:30") with a month-name table taken from dateparser's own language data, no dateparser
call at all.

Result: ``YYYY-MM-DD`` when the string holds only a day, ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``
when it holds a time (the offset only when the string gives one).
"""

from __future__ import annotations

import email.utils
import importlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

logger = logging.getLogger(__name__)

MIN_YEAR = 1990  # older dates written in text are almost always historical mentions, not the page date
MAX_CANDIDATE_LENGTH = 80  # dateparser is only asked about short strings (long ones are sentences)

_ISO_SEARCH = re.compile(
    r"(?<![\d.])((?:19|20)\d\d)([-/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])"
    r"(?:[T ](\d\d):?(\d\d)(?::?(\d\d)(?:[.,]\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d)?)?)?(?!\d)"
)
# Year first, month and day unpadded ("2019/1/22", Highwire's citation_publication_date): never ambiguous.
_YEAR_FIRST_UNPADDED = re.compile(r"(?<![\d.])((?:19|20)\d\d)([-/.])(1[0-2]|0?[1-9])\2(3[01]|[12]\d|0?[1-9])(?![\d.])")
_SLASHED_MONTH_FIRST = re.compile(r"(?<![\d/])(0?[1-9]|1[0-2])/(1[3-9]|2\d|3[01])/((?:19|20)\d\d)(?!\d)")
_DOTTED_NUMERIC = re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./]((?:19|20)\d\d)(?!\d)")
_PREFIX = re.compile(
    r"^\s*(?:(?:originally\s+)?(?:published|posted|updated|last\s+updated|modified|created|date|on|am|"
    r"publié|publiée|mis\s+à\s+jour|le|veröffentlicht|aktualisiert|stand|publicado|actualizado|"
    r"el|pubblicato|aggiornato|il|publicado\s+em|atualizado|em|gepubliceerd|bijgewerkt|op|"
    r"opublikowano|zaktualizowano|опубликовано|обновлено|дата|от)\b\s*(?:[:,|-]\s*)?)+",
    re.I,
)
_DAYS_AGO = re.compile(r"\b(ago|hours?|minutes?|yesterday|today|vor\s+\d|il y a|hace|fa\b|назад)\b", re.I)
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

DATEPARSER_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru")
# Languages whose month names find_date knows (dateparser's data modules).
MONTH_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "sv", "da", "nb", "fi", "cs", "sk",
    "tr", "ro", "hu", "ca", "hr", "sl", "id",
)
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)


def _iso(value: datetime | date, *, has_time: bool) -> str:
    if not has_time or not isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if isinstance(value, datetime) else value.isoformat()
    return value.replace(microsecond=0).isoformat()


def _plausible(year: int) -> bool:
    """A year a date written in text may have."""
    return MIN_YEAR <= year <= datetime.now().year + 1


def _from_iso(text: str) -> str | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    has_time = len(text) > 10
    return _iso(value, has_time=has_time)


def _search_iso(text: str) -> str | None:
    match = _ISO_SEARCH.search(text)
    if not match:
        return None
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
        return _iso(datetime.fromisoformat(stamp), has_time=True)
    except ValueError:
        return None


def _from_email(text: str) -> str | None:
    if "," not in text and ":" not in text:
        return None
    try:
        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if value is None:
        return None
    return _iso(value, has_time=True)


@lru_cache(maxsize=16)
def _date_parser(languages: tuple[str, ...]):  # -> dateparser.date.DateDataParser
    from dateparser.date import DateDataParser  # imported lazily: 40 ms, and most pages never need it

    return DateDataParser(
        languages=list(languages),
        try_previous_locales=False,
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )


def _from_words(text: str, language: str | None) -> str | None:
    stripped = _PREFIX.sub("", text).strip(" \t|,;:-–—·•")
    if not stripped or len(stripped) > MAX_CANDIDATE_LENGTH or not _DIGIT.search(stripped):
        return None
    if _DAYS_AGO.search(stripped):
        return None
    languages = DATEPARSER_LANGUAGES
    if language and language not in languages:
        languages = (language, *languages[:3])
    elif language:
        languages = (language, *(code for code in languages if code != language))
    try:
        data = _date_parser(languages).get_date_data(stripped)
    except Exception:  # dateparser raises assorted errors on odd input; a date is optional
        logger.debug("dateparser failed on %r", stripped)
        return None
    value = data.date_obj
    if value is None or not _plausible(value.year):
        return None
    return _iso(value, has_time=data.period == "time")


def parse_date(text: str | None, *, language: str | None = None, words: bool = True) -> str | None:
    """ISO 8601 for a date string, or None. ``words=False`` skips dateparser (machine formats only)."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 300:
        return None
    return (
        _from_iso(text)
        or _search_iso(text)
        or _from_email(text)
        or _year_first(text)
        or _dotted(text)
        or _month_first(text)
        or (_from_words(text, language) if words else None)
    )


def _year_first(text: str) -> str | None:
    """``2019/1/22``: year, month, day with the month or day unpadded."""
    match = _YEAR_FIRST_UNPADDED.search(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(3)), int(match.group(4))).isoformat()
    except ValueError:
        return None


def _month_first(text: str) -> str | None:
    """US order when it cannot be anything else: ``10/31/2024``."""
    match = _SLASHED_MONTH_FIRST.search(text)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    if not _plausible(year):
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _dotted(text: str) -> str | None:
    """Day-first numeric dates (``11.09.2025``, ``11/09/2025``) when the day cannot be a month."""
    match = _DOTTED_NUMERIC.search(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if "/" in match.group(0) and day <= 12:
        return None  # 09/11/2025 is ambiguous between US and European order
    if not _plausible(year):
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    """Lower-case month name or abbreviation -> month number, over MONTH_LANGUAGES."""
    table: dict[str, int] = {}
    for language in MONTH_LANGUAGES:
        try:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
        except ImportError:
            continue
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for word in info.get(key, ()):
                word = word.lower().rstrip(".")
                if len(word) >= 3 and word.isalpha():
                    table.setdefault(word, number)
    return table


_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_FILLERS = frozenset(("de", "del", "of", "st", "nd", "rd", "th", "er", "e", "º", "the", "le", "el"))
_CLOCK = re.compile(
    r"\s*(?:[^\W\d_]{1,4}\.?\s*)?(?:,|at|à|um|a las|às|alle|om|в|-|–|\|)?\s*(\d{1,2})[:h](\d\d)(?:\s*([ap])\.?m\.?)?", re.I
)


def _words_date(text: str) -> tuple[date, int, int] | None:
    """(day, start, end) for the first "12 June 2025" / "June 12th, 2025" in the text."""
    if not _YEAR.search(text):
        return None
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    for position, (token, _start, end) in enumerate(tokens):
        if len(token) != 4 or not token.isdigit() or not _plausible(int(token)):
            continue
        before = [t for t in tokens[max(0, position - 6) : position] if t[0].lower() not in _FILLERS][-2:]
        after = tokens[position + 1 : position + 3]
        found = _day_month(before) if len(before) == 2 else None
        if found is not None:
            start, end_of_date = before[0][1], end
        elif len(after) == 2 and (found := _day_month([after[1], after[0]])) is not None:
            start, end_of_date = tokens[position][1], after[1][2]  # "2023 Jan 7" (citations)
        else:
            continue
        day, month = found
        try:
            return date(int(token), month, day), start, end_of_date
        except (ValueError, OverflowError):  # "99999999999999999999 June 2025"
            continue
    return None


def month_number(word: str) -> int | None:
    """1..12 for a month name or abbreviation in one of MONTH_LANGUAGES ("sep", "octubre")."""
    return _month_table().get(word.lower().rstrip("."))


def _day_month(pair: list[tuple[str, int, int]]) -> tuple[int, int] | None:
    """(day, month) from two tokens in either order: "12 June" or "June 12"."""
    months = _month_table()
    (first, _, _), (second, _, _) = pair
    if first.isdigit() and len(first) <= 2 and (month := months.get(second.lower())):
        return int(first), month
    if second.isdigit() and len(second) <= 2 and (month := months.get(first.lower())):
        return int(second), month
    return None


@dataclass(slots=True)
class FoundDate:
    value: str  # ISO 8601
    start: int  # where the date starts in the searched text (labels come before it)


def find_date(text: str) -> FoundDate | None:
    """A date inside a short line of text: a day, month name and year in one of MONTH_LANGUAGES
    (with a clock time when one follows), else an ISO or day-first numeric date."""
    found = _words_date(text)
    if found is not None:
        value, start, end = found
        clock = _CLOCK.match(text, end)
        if clock:
            hour, minute, half = int(clock.group(1)), int(clock.group(2)), clock.group(3)
            if half:
                hour = hour % 12 + (12 if half.lower() == "p" else 0)
            if hour < 24 and minute < 60:
                return FoundDate(f"{value.isoformat()}T{hour:02d}:{minute:02d}:00", start)
        return FoundDate(value.isoformat(), start)
    iso = _ISO_SEARCH.search(text)
    if iso and _plausible(int(iso.group(1))) and (value := _search_iso(iso.group(0))):
        return FoundDate(value, iso.start())
    loose = _YEAR_FIRST_UNPADDED.search(text)
    if loose and _plausible(int(loose.group(1))) and (value := _year_first(loose.group(0))):
        return FoundDate(value, loose.start())
    dotted = _DOTTED_NUMERIC.search(text)
    if dotted and (value := _dotted(dotted.group(0))):
        return FoundDate(value, dotted.start())
    slashed = _SLASHED_MONTH_FIRST.search(text)
    if slashed and (value := _month_first(slashed.group(0))):
        return FoundDate(value, slashed.start())
    return None


_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    words = set(_month_table())
    for language in MONTH_LANGUAGES:
        try:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
        except ImportError:
            continue
        words.update(word.lower().rstrip(".") for key in _WEEKDAY_KEYS for word in info.get(key, ()))
    return frozenset(words)


def is_calendar_word(word: str) -> bool:
    """A month or weekday name or abbreviation in one of MONTH_LANGUAGES."""
    return word.lower().strip(" .,") in _calendar_words()
