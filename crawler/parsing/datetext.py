"""Turn a date string from a page into ISO 8601, cheaply.

Order of attempts (cheapest first, MEASURED.md): ``datetime.fromisoformat`` (0.1 us), an
ISO-looking substring, ``email.utils.parsedate_to_datetime`` (RFC 2822), the other digit
formats (``crawler.parsing.numeric_dates``), a date in words found by ``find_date``, and only
then dateparser on a short string with its prefix ("Published on", "Publié le", "Updated") removed,
through one reused ``DateDataParser`` per language set, relative dates ("3 hours ago") refused
because they would be read against the crawl clock (``crawler.parsing.relative_dates`` resolves
them against the fetch time, explicitly).

Machine formats (ISO 8601, RFC 2822) are read whatever their year ("0001-01-01", "2099-01-01"):
whether such a date can be the page's is decided by ``crawler.parsing.dates`` against the fetch
time, which reports what it rejects. Dates written in text must fall in MIN_YEAR..next year to
count as dates at all: older ones are historical mentions, not the page's date.

``find_date`` finds a date inside a longer line ("By Jane Roe | 12 juin 2025, 14:30",
"8:30 AM EDT, Thu September 11, 2025", "05/04/2025 14h30") with a month-name table taken from
dateparser's own language data, no dateparser call at all, and the clock time and zone written
before or after it (``crawler.parsing.clock``). Day-month order in digits follows the page's
locale (``month_first``); the other reading of an ambiguous date is kept for cross-checking.

Result: ``YYYY-MM-DD`` when the string holds only a day, ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``
when it holds a time (the offset only when the string gives one).
"""

from __future__ import annotations

import email.utils
import importlib
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache

from crawler.parsing.clock import clock_after, clock_before, zone_after
from crawler.parsing.numeric_dates import ISO_SEARCH, NumericDate, day_month, iso_value, plausible, search_iso, year_first

logger = logging.getLogger(__name__)

MAX_CANDIDATE_LENGTH = 80  # dateparser is only asked about short strings (long ones are sentences)

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


def _from_iso(text: str) -> str | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return None
    has_time = len(text) > 10
    return _iso(value, has_time=has_time)


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


def _from_words(text: str, language: str | None, *, only_language: bool = False) -> str | None:
    stripped = _PREFIX.sub("", text).strip(" \t|,;:-–—·•")
    if not stripped or len(stripped) > MAX_CANDIDATE_LENGTH or not _DIGIT.search(stripped):
        return None
    if _DAYS_AGO.search(stripped):
        return None
    languages = DATEPARSER_LANGUAGES
    if language and only_language:
        languages = (language,)
    elif language and language not in languages:
        languages = (language, *languages[:3])
    elif language:
        languages = (language, *(code for code in languages if code != language))
    try:
        data = _date_parser(languages).get_date_data(stripped)
    except Exception:  # dateparser raises assorted errors on odd input; a date is optional
        logger.debug("dateparser failed on %r", stripped)
        return None
    value = data.date_obj
    if value is None or not plausible(value.year):
        return None
    return _iso(value, has_time=data.period == "time")


def parse_date(text: str | None, *, language: str | None = None, words: bool = True, only_language: bool = False) -> str | None:
    """ISO 8601 for a date string, or None. ``words=False`` reads machine formats only;
    ``only_language`` asks dateparser about ``language`` alone (cheaper, and no other
    language's month names misread)."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 300:
        return None
    machine = _from_iso(text) or search_iso(text) or _from_email(text) or _digits(text)
    if machine or not words:
        return machine
    found = find_date(text)
    return found.value if found else _from_words(text, language, only_language=only_language)


def _digits(text: str) -> str | None:
    """Year-first or unambiguous day-month dates in digits; any year (the date check judges it)."""
    found = year_first(text) or day_month(text, require_plausible=False)
    return found.value.isoformat() if found else None


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


def _words_date(text: str) -> tuple[date, int, int] | None:
    """(day, start, end) for the first "12 June 2025" / "June 12th, 2025" in the text."""
    if not _YEAR.search(text):
        return None
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    for position, (token, _start, end) in enumerate(tokens):
        if len(token) != 4 or not token.isdigit() or not plausible(int(token)):
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
    start: int  # where the date (or the clock written before it) starts in the searched text: labels come before it
    alternative: str | None = None  # the other reading of a day-month order the locale decided ("05/04/2025")


def _dated(text: str, day: date, start: int, end: int, country: str | None) -> FoundDate:
    """The day with the clock time (and zone) written right after or right before it."""
    clock = clock_after(text, end, day, country=country) or clock_before(text, start, day, country=country, weekday=is_calendar_word)
    if clock is None:
        return FoundDate(day.isoformat(), start)
    return FoundDate(clock.stamp(day), min(start, clock.start))


def _iso_in_text(text: str, match: re.Match[str], country: str | None) -> FoundDate | None:
    value = iso_value(match)
    if value is None or not plausible(int(match.group(1))):
        return None
    day = date.fromisoformat(value[:10])
    if len(value) == 10:
        return _dated(text, day, match.start(), match.end(), country)
    if len(value) == 19:  # a time without an offset: a zone may follow ("2025-06-05 14:46 CEST")
        _written, offset, _end = zone_after(text, match.end(), day, country=country)
        if offset is not None:
            value = datetime.fromisoformat(value).replace(tzinfo=timezone(offset)).isoformat()
    return FoundDate(value, match.start())


def _numeric(text: str, found: NumericDate, country: str | None) -> FoundDate:
    dated = _dated(text, found.value, found.start, found.end, country)
    if found.alternative is not None:
        dated.alternative = found.alternative.isoformat() + dated.value[10:]
    return dated


def find_date(text: str, *, month_first: bool | None = None, country: str | None = None) -> FoundDate | None:
    """A date inside a short line of text, with the clock time and zone written beside it:
    a day, month name and year in one of MONTH_LANGUAGES, else an ISO date, a year-first date
    (``2019/1/22``, ``2024年4月24日``), a day-month date in digits (order: ``month_first``, see
    ``numeric_dates.day_month``). ``country`` (an ISO 3166 code, lower case) decides zone
    abbreviations that name several offsets (IST)."""
    found = _words_date(text)
    if found is not None:
        return _dated(text, *found, country)
    iso = ISO_SEARCH.search(text)
    if iso and (dated := _iso_in_text(text, iso, country)):
        return dated
    if not _YEAR.search(text):
        return None
    numeric = year_first(text)
    if numeric is None or not plausible(numeric.value.year):
        numeric = day_month(text, month_first=month_first)
    return _numeric(text, numeric, country) if numeric else None


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
