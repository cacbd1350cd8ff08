"""Month and weekday names and the words for the two halves of the day, by language, from
dateparser's language data (CLDR's, about 200 languages); dateparser itself is never called here.

Names in many languages collide ("mar" is March in English and Tuesday in Spanish; "listopad" is
November in Polish and October in Croatian), which is why the table shared by pages of unknown
language holds only SHARED_LANGUAGES. A page that says its language (``<html lang>``, og:locale)
is read with that language's own words first (every script variant dateparser has: ``sr`` is
``sr-Cyrl`` and ``sr-Latn``), then the shared table. A page that does not say its language (or
says one dateparser has no data for) also reads the names every language agrees on: a word
that names the same month in all 200 ("μαρτίου", "มีนาคม"), never one they dispute.

Besides the plain names: a month named in several words ("tháng 3", "арван хоёрдугаар сар",
"Mwedi wa Nnyano na Nchechi") is a phrase, its last word also matching a longer word it begins
(a case ending: "сарын"); and "π.μ."/"μ.μ.", "ص"/"م", "পূৰ্বাহ্ন"/"অপৰাহ্ন", "午後", "오후" are the
language's 12-hour markers (``periods``), compared without dots or spaces, as dateparser writes them:
its ``am``/``pm`` lists, and the day periods its simplifications rewrite to "am"/"pm" (Chinese
"晚上9:09" -> "9:09 pm": 凌晨, 早上, 中午, 晚上 are CLDR's Chinese day periods, which dateparser
keeps only there), read from those patterns with the standard library's own regex parser. A page
of unknown language reads the markers every language agrees on that are written in a script of
syllable blocks or morphemes (Han, kana, Hangul, Yi: "午後", "오후", "下午"), where two characters make
a word; an alphabet's markers are short abbreviations that are ordinary words elsewhere ("to",
"in", "م"), read only on a page that says its language.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import re._constants as sre
import re._parser as sre_parse
from dataclasses import dataclass, field
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
TOKEN = regex.compile(r"\d+|[\p{L}\p{M}]+(?:\.[\p{L}\p{M}]+)*")  # words with their marks (Bengali, Thai) and inner dots ("มี.ค.")
MIN_STEM = 3  # a phrase's last word matches a longer word it begins ("сар" in "сарын", a case ending)
MAX_SPELLINGS = 64  # spellings read from one of dateparser's simplification patterns
_SIMPLIFIED_HALF = re.compile(r"^(?:(?P<alone>[ap]m)|\\1:\\2 (?P<clock>[ap]m))$")  # "pm"; "\1:\2 pm" after the period's group
_SYLLABIC = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Yi}]+")

Phrases = dict[tuple[str, ...], tuple[tuple[str, int], ...]]  # the words before a phrase's last -> (its last word, month)


@dataclass(frozen=True, slots=True)
class CalendarWords:
    months: dict[str, int]  # lower-case name or abbreviation, without its dot -> 1..12
    phrases: Phrases  # names of several words ("tháng 3", "арван хоёрдугаар сар", "mwedi wa nnyano")
    weekdays: frozenset[str]
    periods: dict[str, bool]  # 12-hour markers without dots or spaces -> True for the afternoon
    skip: frozenset[str]  # the language's words a date may hold between its parts ("de", "m", "г")
    own: bool = False  # the page's language has names of its own, beyond the shared table
    agreed: dict[str, int] = field(default_factory=dict)  # on a page of unknown language: other languages' names they agree on


_NOT_IN_KEY = str.maketrans("", "", ".'’ʻʼ")  # dots, and the apostrophes a name is written with in several ways ("ʻAok", "'aok")


def key(word: str) -> str:
    """How a word is looked up: lower case, without dots or apostrophes."""
    return word.lower().translate(_NOT_IN_KEY)


@lru_cache(maxsize=1)
def _modules() -> frozenset[str]:
    data = importlib.import_module(_DATA)
    return frozenset(module.name for module in pkgutil.iter_modules(data.__path__))


def _infos(language: str, *, variants: bool = True) -> list[dict]:
    """dateparser's data for a language, and each of its script and regional variants."""
    names = sorted(name for name in _modules() if name == language or (variants and name.startswith(f"{language}-")))
    return [importlib.import_module(f"{_DATA}.{name}").info for name in names]


def _months(info: dict, months: dict[str, int], phrases: dict[tuple[str, ...], list[tuple[str, int]]] | None, *, min_length: int) -> None:
    """Add a language's month names; its phrases too when ``phrases`` is given (the shared table
    keeps single words)."""
    for number, month in enumerate(MONTH_KEYS, start=1):
        for word in info.get(month, ()):
            word = word.strip().rstrip(".")
            if " " in word:
                if phrases is None:
                    continue
                parts = tuple(key(part) for part in TOKEN.findall(word))
                if len(parts) > 1 and (parts[-1], number) not in phrases.setdefault(parts[:-1], []):
                    phrases[parts[:-1]].append((parts[-1], number))
            elif len(word) >= min_length and _WORD.fullmatch(key(word)):
                months.setdefault(key(word), number)


def _spellings(items: list) -> list[str] | None:
    """Every string a parsed regex of literals, alternations and optional parts matches
    ("晚上?": "晚", "晚上"); None when it matches anything else (a class, a repeat)."""
    found = [""]
    for op, value in items:
        if op is sre.LITERAL:
            options = [chr(value)]
        elif op is sre.BRANCH:
            branches = [_spellings(list(branch)) for branch in value[1]]
            options = None if None in branches else [text for branch in branches for text in branch]
        elif op is sre.SUBPATTERN:
            options = _spellings(list(value[-1]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[:2] == (0, 1):
            inner = _spellings(list(value[2]))
            options = None if inner is None else ["", *inner]
        else:
            options = None
        if options is None:
            return None
        found = [head + tail for head, tail in itertools.product(found, options)]
        if len(found) > MAX_SPELLINGS:
            return None
    return found


def _periods(info: dict) -> dict[str, bool]:
    """A language's 12-hour markers -> True for the afternoon: its ``am``/``pm`` lists, then the
    day periods its simplifications rewrite to "am"/"pm" (a whole pattern, "בערב" -> "pm", or the
    group before a clock, "(?:中午|下午|晚上?)\\s*(\\d+):(\\d+)" -> "\\1:\\2 pm")."""
    periods: dict[str, bool] = {}
    for half, afternoon in (("am", False), ("pm", True)):
        for word in info.get(half, ()):
            periods.setdefault(key(word).replace(" ", ""), afternoon)
    for simplification in info.get("simplifications") or ():
        for pattern, replacement in simplification.items():
            if (half := _SIMPLIFIED_HALF.match(replacement)) is None:
                continue
            try:
                items = list(sre_parse.parse(pattern))
            except (re.error, TypeError):
                continue
            words = _spellings(items if half["alone"] else items[:1]) or ()
            for word in words:
                if word:
                    periods.setdefault(key(word).replace(" ", ""), (half["alone"] or half["clock"]) == "pm")
    return periods


def _weekdays(info: dict) -> set[str]:
    return {key(word) for weekday in WEEKDAY_KEYS for word in info.get(weekday, ()) if _WORD.fullmatch(word.rstrip("."))}


@lru_cache(maxsize=1)
def _unambiguous() -> dict[str, int]:
    """Month names of every language dateparser knows that name the same month in all of them
    ("μαρτίου", "มีนาคม", "ноември"; not "listopad", November in Polish and October in Croatian):
    safe to read on a page whose language is unknown."""
    seen: dict[str, set[int]] = {}
    for name in _modules():
        found: dict[str, int] = {}
        _months(importlib.import_module(f"{_DATA}.{name}").info, found, None, min_length=MIN_SHARED_WORD)
        for word, number in found.items():
            seen.setdefault(word, set()).add(number)
    return {word: numbers.pop() for word, numbers in seen.items() if len(numbers) == 1}


@lru_cache(maxsize=1)
def _agreed_periods() -> dict[str, bool]:
    """12-hour markers every language dateparser knows agrees on, written in a script of
    syllable blocks or morphemes ("午後", "오후", "下午"): safe to read on a page whose language
    is unknown (see the module docstring)."""
    seen: dict[str, set[bool]] = {}
    for name in _modules():
        for word, afternoon in _periods(importlib.import_module(f"{_DATA}.{name}").info).items():
            seen.setdefault(word, set()).add(afternoon)
    return {word: halves.pop() for word, halves in seen.items() if len(halves) == 1 and _SYLLABIC.fullmatch(word)}


@lru_cache(maxsize=64)
def calendar_words(language: str | None = None) -> CalendarWords:
    """The words to read a page in ``language`` (a primary subtag, "el"; None: unknown): its own
    first, then the shared table's; for a page of unknown language (or one dateparser has no
    data for), then the names every language agrees on (``_unambiguous``). The 12-hour markers
    and the words a date may hold between its parts are the page's language's only (on a page
    of unknown language, the markers of syllabic scripts every language agrees on)."""
    months: dict[str, int] = {}
    phrases: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    weekdays: set[str] = set()
    periods: dict[str, bool] = {}
    skip: set[str] = set()
    own = _infos(language) if language else []
    for info in own:  # the page's own names first: "listopad" is November in Polish, October in Croatian
        _months(info, months, phrases, min_length=MIN_SHARED_WORD if language in SHARED_LANGUAGES else MIN_OWN_WORD)
        weekdays |= _weekdays(info)
    for shared in SHARED_LANGUAGES:
        for info in _infos(shared, variants=False):
            _months(info, months, None, min_length=MIN_SHARED_WORD)
            weekdays |= _weekdays(info)
    for info in own:
        periods = _periods(info) | periods
        skip |= {key(word) for word in info.get("skip", ()) if _WORD.fullmatch(word.strip())}
    own_names = bool(own) and language not in SHARED_LANGUAGES
    joined = {head: tuple(ends) for head, ends in phrases.items()}
    agreed = {} if own else {word: number for word, number in _unambiguous().items() if word not in months}
    periods = periods if own else dict(_agreed_periods())
    return CalendarWords(months, joined, frozenset(weekdays), periods, frozenset(skip), own_names, agreed)
