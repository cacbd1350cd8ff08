"""Relative dates ("3 hours ago", "vor 2 Tagen", "il y a 3 jours", "hace 2 días", "yesterday")
resolved against the moment the page was fetched.

The phrases come from dateparser's own language data (its ``relative-type-regex`` and
``relative-type`` tables and its number words), compiled once into a few regular expressions;
dateparser's parser itself is never called (it costs milliseconds per string, MEASURED.md).
Only the past is read: "in 3 days" is never a publication date.

A phrase with hours, minutes or seconds resolves to a time in UTC (``2025-09-11T06:30:00+00:00``);
one with days, weeks, months or years to a day (``2025-09-09``), since the page gave no time.
"Today"/"yesterday" count only when they are the whole line apart from a label and a clock
time ("Published: yesterday, 14:30"), and only in the page's language when it is known ("hier"
is "yesterday" in French but "here" in Dutch).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

MAX_COUNT = 10_000  # "20000 days ago" is not a date line
MAX_DAY_WORD_LINE = 40  # "Published: yesterday at 14:30" fits; a longer line is a sentence
RELATIVE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
_TIME_UNITS = frozenset(("second", "minute", "hour"))
_NUMBER = r"(\d++[.,]?\d*+)"  # how dateparser's patterns write the count
_AGO_KEY = re.compile(r"^\\1 (\w+) ago$")
_DAYS_KEY = re.compile(r"^([012]) day ago$")
_NUMBER_WORD = re.compile(r"^[^\W\d_][\w']*$")
_LABEL = re.compile(
    r"^\W*(?:(?:originally\s+)?(?:published|posted|date|on|publié|publiée|le|veröffentlicht|am|publicado|el|"
    r"pubblicato|il|em|gepubliceerd|op)\b\W*)*",
    re.I,
)
_CLOCK_TAIL = re.compile(r"[\s,|·•-]*(?:at|à|um|a las|às|alle|om)?\s*\d{1,2}[:h.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*uhr)?\W*$", re.I)


@dataclass(slots=True)
class Relative:
    value: str  # ISO 8601: a UTC time for hours/minutes/seconds, else a day
    start: int  # where the phrase starts in the searched text (a label comes before it)


def _info(language: str) -> dict:
    try:
        return importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
    except ImportError:
        return {}


def _number_words(info: dict) -> dict[str, int]:
    words: dict[str, int] = {}
    for rule in info.get("simplifications", ()):
        for word, value in rule.items():
            if _NUMBER_WORD.match(word) and value.isdigit():
                words[word.lower()] = int(value)
    return words


@lru_cache(maxsize=1)
def _gate() -> re.Pattern[str]:
    """The languages' "ago" words ("ago", "vor", "il y a", "hace", "fa", "há", "geleden") that
    their patterns use: a line without one is not searched further (the full patterns are slow)."""
    words = set()
    for language in RELATIVE_LANGUAGES:
        info = _info(language)
        variants = " ".join(v for key, vs in info.get("relative-type-regex", {}).items() if _AGO_KEY.match(key) for v in vs)
        words.update(word for word in info.get("ago", ()) if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", variants))
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, sorted(words, key=len, reverse=True)))})(?!\w)", re.I)


@lru_cache(maxsize=1)
def _tables() -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, int]]:
    """One regex per unit over RELATIVE_LANGUAGES (each alternative captures the count), and
    the number words ("a", "einem", "une", "dos"...) of those languages."""
    patterns: dict[str, list[str]] = {unit: [] for unit in _UNITS}
    numbers: dict[str, int] = {}
    for language in RELATIVE_LANGUAGES:
        info = _info(language)
        numbers.update(_number_words(info))
        for key, variants in info.get("relative-type-regex", {}).items():
            match = _AGO_KEY.match(key)
            if match and match.group(1) in patterns:
                patterns[match.group(1)].extend(variants)
    counts = r"\d+|[^\W\d_][\w']*"  # a number or a word; the word must be one of the number words
    compiled = []
    for unit, variants in patterns.items():
        if not variants:
            continue
        alternatives = sorted(
            (variant.replace(_NUMBER, rf"(\d+|{counts})").replace(" ", r"\s*") for variant in variants),
            key=len,
            reverse=True,
        )
        compiled.append((unit, re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.I)))
    return compiled, numbers


@lru_cache(maxsize=16)
def _day_words(language: str | None) -> dict[str, int]:
    """"today" -> 0, "yesterday" -> 1, "day before yesterday" -> 2, in the language (all when unknown)."""
    words: dict[str, int] = {}
    for code in RELATIVE_LANGUAGES if language not in RELATIVE_LANGUAGES else (language,):
        for key, variants in _info(code).get("relative-type", {}).items():
            if match := _DAYS_KEY.match(key):
                words.update((variant.lower(), int(match.group(1))) for variant in variants)
    return words


def _months_back(moment: datetime, months: int) -> date:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(f"no day for {year}-{month}")


def _resolve(unit: str, count: int, now: datetime) -> str:
    if unit in _TIME_UNITS:
        moment = now - timedelta(**{f"{unit}s": count})
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    if unit in ("day", "week"):
        return (now - timedelta(days=count * (7 if unit == "week" else 1))).date().isoformat()
    return _months_back(now, count * (12 if unit == "year" else 1)).isoformat()


def find_relative(text: str, now: datetime, *, language: str | None = None) -> Relative | None:
    """The first past relative date in a short line, resolved against ``now`` (an aware time)."""
    if len(text) <= MAX_DAY_WORD_LINE:
        lowered = text.lower()
        whole = _CLOCK_TAIL.sub("", _LABEL.sub("", lowered)).strip(" .,;:|·•-–—")
        if (days := _day_words(language).get(whole)) is not None:
            return Relative((now - timedelta(days=days)).date().isoformat(), lowered.find(whole))
    if not _gate().search(text):
        return None
    patterns, numbers = _tables()
    found: Relative | None = None
    for unit, pattern in patterns:
        match = pattern.search(text)
        if match is None or (found is not None and match.start() >= found.start):
            continue
        raw = next(group for group in match.groups() if group is not None).lower()
        count = int(raw) if raw.isdigit() else numbers.get(raw)
        if count is None or count > MAX_COUNT:
            continue
        try:
            found = Relative(_resolve(unit, count, now), match.start())
        except (OverflowError, ValueError):  # "99999 years ago"
            continue
    return found
