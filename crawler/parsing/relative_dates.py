"""Relative dates ("3 hours ago", "vor 2 Tagen", "il y a 3 jours", "hace 2 días", "yesterday")
resolved against the moment the page was fetched.

The phrases come from dateparser's own language data (its ``relative-type-regex`` and
``relative-type`` tables and its number words), compiled once into a few regular expressions;
dateparser's parser itself is never called (it costs milliseconds per string, MEASURED.md).
Only the past is read: "in 3 days" is never a publication date.

The languages read: RELATIVE_LANGUAGES on every page, and the page's own language when
dateparser has data for it ("3 часа назад", "2 godziny temu", "3時間前").

A phrase with hours, minutes or seconds resolves to a time in UTC (``2025-09-11T06:30:00+00:00``);
one with days, weeks, months or years to a day (``2025-09-09``), since the page gave no time.
"Today"/"yesterday" count only when they are the whole line apart from a label and a clock
time ("Published: yesterday, 14:30", "Вчера в 14:30"), and only in the page's language when it
is known ("hier" is "yesterday" in French but "here" in Dutch); the clock time, when the line
shows one, is kept as the page wrote it (``2025-09-10T14:30:00``, with the offset when a zone is
written beside it).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import regex

from crawler.parsing.clock import clock_after

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
_ANY_LABEL = re.compile(r"^[^\d:]{1,30}:\s*")  # a label of any language before a colon ("Опубликовано: ")
# A clock time ending the line, with at most one short word before it and three after ("at",
# "в", "um"; "Uhr", "น.", "p.m. EDT"): what is left of the line must then be a day word alone.
_CLOCK = r"\d{1,2}[:h.]\d\d(?:[:.]\d\d)?(?:\s*[^\W\d_][^\W\d_.]{0,4}\.?){0,3}\W*$"
_CLOCK_TAIL = re.compile(rf"[\s,|·•-]*(?:[^\W\d_]{{1,5}}\.?\s*)?{_CLOCK}")
_BARE_CLOCK_TAIL = re.compile(rf"[\s,|·•-]*{_CLOCK}")  # when the short word before the clock was the day word ("昨天 14:30")
_LETTERS = regex.compile(r"[\p{L}\p{M}]+")  # a run of letters: a word of a phrase (``_gate``)
# Scripts written without spaces between words: a phrase there needs no word boundary ("発表3時間前").
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")


@dataclass(slots=True)
class Relative:
    value: str  # ISO 8601: a UTC time for hours/minutes/seconds; a day, or a day at the clock time the line shows
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


@lru_cache(maxsize=64)
def _has_data(language: str) -> bool:
    return bool(_info(language))


def _languages(language: str | None) -> tuple[str, ...]:
    """RELATIVE_LANGUAGES, and the page's language when dateparser has data for it."""
    if language is None or language in RELATIVE_LANGUAGES or not _has_data(language):
        return RELATIVE_LANGUAGES
    return (*RELATIVE_LANGUAGES, language)


def _bounded(phrase: str, edge: str) -> str:
    """``phrase`` with a word boundary on each side, except on a side written in a script without
    spaces between words, or, beside a count, one that must only not be a digit."""
    before = "(?<!\\d)" if edge.startswith("(") else "" if _UNSPACED.match(edge[:1]) else "(?<!\\w)"
    after = "" if _UNSPACED.match(phrase[-1:]) else "(?!\\w)"
    return f"{before}(?:{phrase}){after}"


@lru_cache(maxsize=16)
def _gate(languages: tuple[str, ...]) -> regex.Pattern[str]:
    """Words one of which every phrase of the languages holds: their "ago" words ("ago", "vor",
    "il y a", "hace", "назад", "前") where the patterns use them, and for a pattern holding none of
    them (Korean "시간 전", Romanian "acum", Arabic "قبل", whose data lists other words or none)
    its longest run of letters. A line without one is not searched further (the full patterns are
    slow). Letters only bound a word here: "3시간" holds "시간" right after its count."""
    words = set()
    for language in languages:
        info = _info(language)
        ago = [word for word in info.get("ago") or () if word]
        for key, variants in info.get("relative-type-regex", {}).items():
            if not _AGO_KEY.match(key):
                continue
            for variant in variants:
                held = [word for word in ago if word in variant]
                if held:
                    words.update(held)
                elif runs := _LETTERS.findall(variant):
                    words.add(max(runs, key=len))
    ordered = sorted(words, key=len, reverse=True)
    return regex.compile("|".join(_letter_bounded(word) for word in ordered), regex.I)


def _letter_bounded(word: str) -> str:
    """``word`` not inside a longer word: no letter beside it, except on a side written in a script
    without spaces between words ("3時間前")."""
    before = "" if _UNSPACED.match(word[:1]) else r"(?<![\p{L}\p{M}])"
    after = "" if _UNSPACED.match(word[-1:]) else r"(?![\p{L}\p{M}])"
    return f"{before}(?:{re.escape(word)}){after}"


@lru_cache(maxsize=16)
def _tables(languages: tuple[str, ...]) -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, int]]:
    """One regex per unit over ``languages`` (each alternative captures the count), and the
    number words ("a", "einem", "une", "dos"...) of those languages."""
    patterns: dict[str, list[str]] = {unit: [] for unit in _UNITS}
    numbers: dict[str, int] = {}
    for language in languages:
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
            (_bounded(variant.replace(_NUMBER, rf"(\d+|{counts})").replace(" ", r"\s*"), variant) for variant in variants),
            key=len,
            reverse=True,
        )
        compiled.append((unit, re.compile("|".join(alternatives), re.I)))
    return compiled, numbers


@lru_cache(maxsize=16)
def _day_words(language: str | None) -> dict[str, int]:
    """"today" -> 0, "yesterday" -> 1, "day before yesterday" -> 2, in the language (in every
    one of RELATIVE_LANGUAGES when it is unknown or dateparser has no data for it)."""
    words: dict[str, int] = {}
    known = language is not None and (language in RELATIVE_LANGUAGES or _has_data(language))
    for code in (language,) if known else RELATIVE_LANGUAGES:
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


def _day_word(text: str, now: datetime, language: str | None) -> Relative | None:
    """"Yesterday", "Вчера в 14:30": a day word that is the whole line apart from a label and a
    clock time; the day it names, at that clock time when one is written."""
    lowered = text.lower()
    bare = _LABEL.sub("", lowered)
    bare = _ANY_LABEL.sub("", bare, count=1) if bare == lowered else bare
    word = _CLOCK_TAIL.sub("", bare).strip(" .,;:|·•-–—") or _BARE_CLOCK_TAIL.sub("", bare).strip(" .,;:|·•-–—")
    days = _day_words(language).get(word)
    if days is None:
        return None
    start = lowered.find(word)
    day = (now - timedelta(days=days)).date()
    clock = clock_after(text, start + len(word), day)
    return Relative(clock.stamp(day) if clock else day.isoformat(), start)


def find_relative(text: str, now: datetime, *, language: str | None = None) -> Relative | None:
    """The first past relative date in a short line, resolved against ``now`` (an aware time)."""
    if len(text) <= MAX_DAY_WORD_LINE and (found := _day_word(text, now, language)):
        return found
    languages = _languages(language)
    if not _gate(languages).search(text):
        return None
    patterns, numbers = _tables(languages)
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
