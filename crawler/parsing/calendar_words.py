"""Month and weekday names and the words for the two halves of the day, by language, from
dateparser's language data (CLDR's, about 200 languages); dateparser itself is never called here.

Names in many languages collide ("mar" is March in English and Tuesday in Spanish; "listopad" is
November in Polish and October in Croatian), which is why the table shared by pages of unknown
language holds only SHARED_LANGUAGES. A page that says its language (``<html lang>``, og:locale)
is read with that language's own words first (every script variant dateparser has: ``sr`` is
``sr-Cyrl`` and ``sr-Latn``), then the shared table.

Besides the plain names: a month written as a word and its number ("tháng 3", "thg 3") is kept
as its word (``numbered``), and "π.μ."/"μ.μ.", "ص"/"م", "পূৰ্বাহ্ন"/"অপৰাহ্ন" are the language's
12-hour markers (``periods``), compared without dots or spaces, as dateparser writes them.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache

import regex

# Languages whose names make up the shared table, read on pages of any or no language.
SHARED_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "sv", "da", "nb", "fi", "cs", "sk",
    "tr", "ro", "hu", "ca", "hr", "sl", "id",
)
MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIN_SHARED_WORD = 3  # shorter abbreviations of the shared table collide across languages ("ma", "mi")
MIN_OWN_WORD = 2  # in the page's own language
_DATA = "dateparser.data.date_translation_data"
_WORD = regex.compile(r"[\p{L}\p{M}]+")
_NUMBERED = regex.compile(r"^([\p{L}\p{M}]+)\s+(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class CalendarWords:
    months: dict[str, int]  # lower-case name or abbreviation, without its dot -> 1..12
    numbered: frozenset[str]  # words written before a month's number ("tháng" 3)
    weekdays: frozenset[str]
    periods: dict[str, bool]  # 12-hour markers without dots or spaces -> True for the afternoon
    skip: frozenset[str]  # the language's words a date may hold between its parts ("de", "m", "г")
    own: bool = False  # the page's language has names of its own, beyond the shared table


def key(word: str) -> str:
    """How a word is looked up: lower case, without dots."""
    return word.lower().replace(".", "")


@lru_cache(maxsize=1)
def _modules() -> frozenset[str]:
    data = importlib.import_module(_DATA)
    return frozenset(module.name for module in pkgutil.iter_modules(data.__path__))


def _infos(language: str, *, variants: bool = True) -> list[dict]:
    """dateparser's data for a language, and each of its script and regional variants."""
    names = sorted(name for name in _modules() if name == language or (variants and name.startswith(f"{language}-")))
    return [importlib.import_module(f"{_DATA}.{name}").info for name in names]


def _months(info: dict, months: dict[str, int], numbered: set[str], *, min_length: int) -> None:
    for number, month in enumerate(MONTH_KEYS, start=1):
        for word in info.get(month, ()):
            word = word.strip()
            if (written := _NUMBERED.match(word)) and int(written.group(2)) == number:
                numbered.add(key(written.group(1)))
            elif len(word.rstrip(".")) >= min_length and _WORD.fullmatch(word.rstrip(".")):
                months.setdefault(key(word), number)


def _weekdays(info: dict) -> set[str]:
    return {key(word) for weekday in WEEKDAY_KEYS for word in info.get(weekday, ()) if _WORD.fullmatch(word.rstrip("."))}


@lru_cache(maxsize=64)
def calendar_words(language: str | None = None) -> CalendarWords:
    """The words to read a page in ``language`` (a primary subtag, "el"; None: unknown): its own
    first, then the shared table's. The 12-hour markers and the words a date may hold between
    its parts are the page's language's only."""
    months: dict[str, int] = {}
    numbered: set[str] = set()
    weekdays: set[str] = set()
    periods: dict[str, bool] = {}
    skip: set[str] = set()
    own = _infos(language) if language else []
    if language not in SHARED_LANGUAGES:
        for info in own:
            _months(info, months, numbered, min_length=MIN_OWN_WORD)
            weekdays |= _weekdays(info)
    for shared in SHARED_LANGUAGES:
        for info in _infos(shared, variants=False):
            _months(info, months, numbered, min_length=MIN_SHARED_WORD)
            weekdays |= _weekdays(info)
    for info in own:
        for half, afternoon in (("am", False), ("pm", True)):
            for word in info.get(half, ()):
                periods.setdefault(key(word).replace(" ", ""), afternoon)
        skip |= {key(word) for word in info.get("skip", ()) if _WORD.fullmatch(word.strip())}
    own_names = bool(own) and language not in SHARED_LANGUAGES
    return CalendarWords(months, frozenset(numbered), frozenset(weekdays), periods, frozenset(skip), own_names)
