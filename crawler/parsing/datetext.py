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
"8:30 AM EDT, Thu September 11, 2025", "05/04/2025 14h30", "7 Μαρτίου 2025 - 3:04 μ.μ.") with
month names taken from dateparser's own language data (the page's language first, then a table
shared by all pages: ``crawler.parsing.calendar_words``), no dateparser call at all, digits of
any script, and the clock time and zone written before or after it (``crawler.parsing.clock``).
Day-month order in digits follows the page's locale (``month_first``); the other reading of an
ambiguous date is kept for cross-checking.

Result: ``YYYY-MM-DD`` when the string holds only a day, ``YYYY-MM-DDTHH:MM:SS[+HH:MM]``
when it holds a time (the offset only when the string gives one).
"""

from __future__ import annotations

import email.utils
import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from crawler.parsing.calendar_words import MIN_STEM, TOKEN, CalendarWords, Phrases, calendar_words, key
from crawler.parsing.calendars import gregorian_line, locale_calendar
from crawler.parsing.clock import ambiguous_zones, clock_after, clock_before, zone_after
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


_OTHER_DIGITS = re.compile(r"(?:(?![0-9])\d)+")
MAX_LABEL_WORDS = 3  # words before a date with a two-digit year ("Updated on 09/11/25"); more is a sentence
_LABEL_WORD = re.compile(r"[^\W\d_]+")  # a word of a label; a clock or a separator before the date is none ("Jo Roe · 18:00 5/3/25")
MAX_GAP_WORD = 3  # letters of a word a date may hold between its parts that is no known filler ("di", "dal", "ta")
_FILLERS = frozenset(("de", "del", "of", "st", "nd", "rd", "th", "er", "e", "º", "the", "le", "el"))

Token = tuple[str, int, int, int | None]  # text, start, end, month number when it names a month


def ascii_digits(text: str) -> str:
    """The text with every decimal digit of another script (Arabic-Indic, Persian, Devanagari,
    Bengali, Thai...) written as its ASCII digit; the same length, so positions hold."""
    if text.isascii():
        return text
    return _OTHER_DIGITS.sub(lambda match: "".join(str(unicodedata.decimal(digit)) for digit in match.group()), text)


def _tokens(text: str, words: CalendarWords) -> list[Token]:
    """Numbers and words, each word with the month it names; a month named in several words
    ("tháng 3", "арван хоёрдугаар сарын") is one token."""
    tokens: list[Token] = []
    for match in TOKEN.finditer(text):
        token = match.group()
        month = None if token.isdigit() else words.months.get(key(token)) or words.agreed.get(key(token))
        tokens.append((token, match.start(), match.end(), month))
    return _phrases(tokens, words.phrases) if words.phrases else tokens


def _phrases(tokens: list[Token], phrases: Phrases) -> list[Token]:
    longest = max(map(len, phrases)) + 1
    joined: list[Token] = []
    position = 0
    while position < len(tokens):
        for length in range(min(longest, len(tokens) - position), 1, -1):
            span = tokens[position : position + length]
            last = key(span[-1][0])
            ends = phrases.get(tuple(key(token[0]) for token in span[:-1]), ())
            month = next((number for end, number in ends if last == end or (len(end) >= MIN_STEM and not end.isdigit() and last.startswith(end))), None)
            if month is not None:
                joined.append((" ".join(token[0] for token in span), span[0][1], span[-1][2], month))
                position += length
                break
        else:
            joined.append(tokens[position])
            position += 1
    return joined


def _filler(token: Token, words: CalendarWords) -> bool:
    """A word a date holds between its parts: "de", "of", "the", an ordinal's ending, a
    one-letter abbreviation ("2025 m. kovo 7 d.", "7 март 2025 г."), the language's own."""
    text = token[0]
    if token[3] is not None or text.isdigit():
        return False
    lowered = text.lower()
    return lowered in _FILLERS or len(text) == 1 or lowered in words.skip


def _parts(tokens: list[Token], words: CalendarWords) -> list[Token]:
    """The day and month among ``tokens`` (nearest the year first), read through fillers; in a
    language with names of its own (whose fillers no list here knows), also through one short
    word of another kind in each gap ("14 di Avost dal 2024", "16 ta' Jannar 2025"). Two words
    in a gap are a sentence ("5 people in June 2025"), not a date; in the shared table's
    languages one is too ("killed 5 in June 2025")."""
    kept: list[Token] = []
    gap = 0 if words.own else 1
    for token in tokens:
        if _filler(token, words):
            continue
        if token[3] is None and not token[0].isdigit():
            gap += 1
            if gap > 1 or len(token[0]) > MAX_GAP_WORD:
                break
            continue
        kept.append(token)
        gap = 0 if words.own else 1
        if len(kept) == 2:
            break
    return kept


def _words_date(text: str, words: CalendarWords) -> tuple[date, int, int] | None:
    """(day, start, end) for the first "12 June 2025" / "June 12th, 2025" / "2025 m. kovo 7 d." in the text."""
    if not _YEAR.search(text):
        return None
    tokens = _tokens(text, words)
    for position, (token, _start, end, _month) in enumerate(tokens):
        if len(token) != 4 or not token.isdigit() or not plausible(int(token)):
            continue
        before = _parts(tokens[max(0, position - 6) : position][::-1], words)[::-1]
        following = tokens[position + 1 : position + 6]
        if following and following[0][3] is None and not following[0][0].isdigit() and not _filler(following[0], words):
            following = following[1:]  # "2024. gada 8. oktobris", "2023 оны ...": the year's own word
        after = _parts(following, words)
        found = _day_month(before) if len(before) == 2 else None
        if found is not None:
            start, end_of_date = before[0][1], end
        elif len(after) == 2 and (found := _day_month(after)) is not None:
            start, end_of_date = tokens[position][1], after[1][2]  # "2023 Jan 7" (citations, East and South Asian locales)
        else:
            continue
        day, month = found
        try:
            return date(int(token), month, day), start, end_of_date
        except (ValueError, OverflowError):  # "99999999999999999999 June 2025"
            continue
    return None


def month_number(word: str, language: str | None = None) -> int | None:
    """1..12 for a month name or abbreviation ("sep", "octubre"; see ``calendar_words``)."""
    return calendar_words(language).months.get(key(word))


def _day_month(pair: list[Token]) -> tuple[int, int] | None:
    """(day, month) from two tokens in either order: "12 June" or "June 12"."""
    first, second = pair
    if first[0].isdigit() and len(first[0]) <= 2 and second[3]:
        return int(first[0]), second[3]
    if second[0].isdigit() and len(second[0]) <= 2 and first[3]:
        return int(second[0]), first[3]
    return None


@dataclass(slots=True)
class FoundDate:
    value: str  # ISO 8601
    start: int  # where the date (or the clock written before it) starts in the searched text: labels come before it
    alternative: str | None = None  # the other reading of a day-month order the locale decided ("05/04/2025")
    short_year: bool = False  # the year was written in two digits: yy/MM/dd and dd/MM/yy look alike


def _dated(text: str, day: date, start: int, end: int, zones: Mapping[str, timedelta], words: CalendarWords) -> FoundDate:
    """The day with the clock time (and zone) written right after or right before it."""
    clock = clock_after(text, end, day, zones=zones, periods=words.periods) or clock_before(
        text, start, day, zones=zones, weekday=lambda word: _calendar_word(word, words), periods=words.periods
    )
    if clock is None:
        return FoundDate(day.isoformat(), start)
    return FoundDate(clock.stamp(day), min(start, clock.start))


def _iso_in_text(text: str, match: re.Match[str], zones: Mapping[str, timedelta], words: CalendarWords) -> FoundDate | None:
    value = iso_value(match)
    if value is None or not plausible(int(match.group(1))):
        return None
    day = date.fromisoformat(value[:10])
    if len(value) == 10:
        return _dated(text, day, match.start(), match.end(), zones, words)
    if len(value) == 19:  # a time without an offset: a zone may follow ("2025-06-05 14:46 CEST")
        _written, offset, _end = zone_after(text, match.end(), day, zones=zones)
        if offset is not None:
            value = datetime.fromisoformat(value).replace(tzinfo=timezone(offset)).isoformat()
    return FoundDate(value, match.start())


def _numeric(text: str, found: NumericDate, zones: Mapping[str, timedelta], words: CalendarWords) -> FoundDate:
    dated = _dated(text, found.value, found.start, found.end, zones, words)
    dated.short_year = found.short_year
    if found.alternative is not None:
        dated.alternative = found.alternative.isoformat() + dated.value[10:]
    return dated


def find_date(
    text: str,
    *,
    month_first: bool | None = None,
    country: str | None = None,
    language: str | None = None,
    short_years: bool = False,
) -> FoundDate | None:
    """A date inside a short line of text, with the clock time and zone written beside it:
    a day, month name and year (the names of ``language`` first, then the shared table's:
    ``calendar_words``), else an ISO date, a year-first date (``2019/1/22``, ``2024年4月24日``),
    a day-month date in digits (order: ``month_first``, see ``numeric_dates.day_month``). Digits
    of any script count (``ascii_digits``). ``country`` (an ISO 3166 code, lower case), else
    ``language``, decides zone abbreviations that name several offsets (IST: ``ambiguous_zones``)
    and the calendar a date may be written in (a Solar Hijri or Buddhist year: ``calendars``).
    ``short_years``: a line known to be a date line may write the year in two digits ("11.07.23",
    "3/7/25").

    A short line's answer is remembered per process (a site repeats its date and byline lines,
    and one page's readers ask for the same lines): each caller gets its own copy, and the
    current year is part of the key (``plausible`` reads the clock)."""
    if len(text) > MAX_REMEMBERED_LINE:
        return _find_date(text, month_first, country, language, short_years)
    # str(): a plain string as the key, never lxml's string result that holds its element (and its page) alive
    found = _remembered(str(text), month_first, country, language, short_years, datetime.now().year)
    return None if found is None else replace(found)


FIND_CACHE_SIZE = 8192  # lines whose date is remembered (least recently used dropped)
MAX_REMEMBERED_LINE = 200  # characters: a longer text is read each time


def _find_date(text: str, month_first: bool | None, country: str | None, language: str | None, short_years: bool) -> FoundDate | None:
    """``find_date`` itself."""
    text = gregorian_line(ascii_digits(text), locale_calendar(country, language))
    words = calendar_words(language)
    zones = ambiguous_zones(country, language)
    found = _words_date(text, words)
    if found is not None:
        return _dated(text, *found, zones, words)
    iso = ISO_SEARCH.search(text)
    if iso and (dated := _iso_in_text(text, iso, zones, words)):
        return dated
    if not short_years and not _YEAR.search(text):
        return None
    numeric = year_first(text)
    if numeric is None or not plausible(numeric.value.year):
        numeric = day_month(text, month_first=month_first, short_years=short_years)
    if numeric is not None and short_years and len(_LABEL_WORD.findall(text, 0, numeric.start)) > MAX_LABEL_WORDS and not _YEAR.search(text):
        return None  # "Examples: Monday, today, last week, 3/26/04": two-digit years only in a date line
    return _numeric(text, numeric, zones, words) if numeric else None


@lru_cache(maxsize=FIND_CACHE_SIZE)
def _remembered(text: str, month_first: bool | None, country: str | None, language: str | None, short_years: bool, year: int
                ) -> FoundDate | None:
    """``_find_date`` in ``year`` (the key's part the answer depends on beside the arguments; never changed by a caller)."""
    return _find_date(text, month_first, country, language, short_years)


def _calendar_word(word: str, words: CalendarWords) -> bool:
    word = key(word.strip(" ,"))
    return word in words.months or word in words.weekdays


def is_calendar_word(word: str, language: str | None = None) -> bool:
    """A month or weekday name or abbreviation (see ``calendar_words``)."""
    return _calendar_word(word, calendar_words(language))
