"""How titles, dates and authors are compared; the same rules for every system.

See bench/quality/README.md ("Comparison rules") for the prose version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

_WHITESPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a\u2032\u2033]")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# One author string naming several people: "A, B and C", "A & B", "A; B", "A | B".
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;|/&]|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
_BYLINE_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|av)\s+", re.I)
_NOT_NAME = re.compile(r"[^\w\s]")
_HONORIFICS = frozenset(
    "dr prof professor mr mrs ms miss mx sir dame rev phd md rn mba jr sr esq".split()
)


def normalise_text(text: str | None) -> str:
    """NFKC, quotes removed, whitespace collapsed, case folded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _QUOTES.sub("", text)
    return _WHITESPACE.sub(" ", text).strip().casefold()


def same_title(truth: str | None, predicted: str | None) -> bool:
    return bool(truth) and normalise_text(truth) == normalise_text(predicted)


def as_day(value: str | date | datetime | None) -> str | None:
    """The calendar day (YYYY-MM-DD) a system's date names, as the page wrote it (no time-zone shift)."""
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    match = _DAY.search(str(value))
    return "-".join(match.groups()) if match else None


def same_day(truth: str | None, predicted: str | date | datetime | None) -> bool:
    return truth is not None and as_day(truth) == as_day(predicted)


# Offsets in use anywhere on Earth: the calendar day an instant falls on somewhere.
_EARLIEST_OFFSET, _LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
INSTANT_TOLERANCE = timedelta(minutes=1)


def as_datetime(value: str | date | datetime | None) -> datetime | None:
    """A system's or a truth's date as a ``datetime`` (a bare day becomes its midnight, naive);
    None when it is not ISO 8601."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        day = as_day(text)
        return datetime.fromisoformat(day) if day else None


def has_time(value: str | date | datetime | None) -> bool:
    """True when a truth names a time of day: Fundus stores a date-only value as midnight."""
    moment = as_datetime(value)
    return moment is not None and moment.time() != time()


def _shows_time(value: str | date | datetime | None) -> bool:
    """True when a system's value carries a time of day (a bare "YYYY-MM-DD" does not)."""
    if isinstance(value, datetime):
        return True
    return isinstance(value, str) and "T" in value.strip()[10:11]


def same_day_near_midnight(truth: str | None, predicted: str | date | datetime | None) -> bool:
    """Calendar days, allowing for a truth written in UTC while the page shows local time.

    A match when the days agree as written; or, both sides being instants with offsets, when
    the prediction's instant falls on the truth's day in the truth's offset (or the truth's on
    the prediction's day in its offset); or, the prediction having no offset and the truth being
    in UTC, when its day is the day the truth's instant falls on somewhere on Earth (offsets
    -12:00 to +14:00).
    """
    if truth is None or as_day(predicted) is None:
        return False
    if as_day(truth) == as_day(predicted):
        return True
    expected, got = as_datetime(truth), as_datetime(predicted)
    if expected is None or got is None or not has_time(truth):
        return False
    if expected.tzinfo is not None and got.tzinfo is not None and _shows_time(predicted):
        return got.astimezone(expected.tzinfo).date() == expected.date() or expected.astimezone(got.tzinfo).date() == got.date()
    if expected.tzinfo is None or expected.utcoffset():
        return False  # a truth in local time (or without an offset) is compared as written
    utc = expected.replace(tzinfo=None) - expected.utcoffset()
    return (utc + _EARLIEST_OFFSET).date() <= got.date() <= (utc + _LATEST_OFFSET).date()


def same_instant(truth: str | None, predicted: str | date | datetime | None) -> bool:
    """The published instant within a minute (only meaningful where ``has_time(truth)``).

    A truth with an offset needs a prediction with a time and an offset; a truth without one
    (the page gave none) is compared with the prediction's clock time as the page wrote it.
    """
    expected, got = as_datetime(truth), as_datetime(predicted)
    if expected is None or got is None or not _shows_time(predicted):
        return False
    if expected.tzinfo is None:
        got = got.replace(tzinfo=None)
    elif got.tzinfo is None:
        return False
    return abs(got - expected) <= INSTANT_TOLERANCE


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name: str) -> str:
    """Accents, punctuation, a leading "By", honorifics and credentials ("Dr", "PhD") and case
    removed; whitespace collapsed."""
    name = _BYLINE_PREFIX.sub("", _WHITESPACE.sub(" ", name).strip())
    words = _NOT_NAME.sub(" ", _strip_accents(name)).casefold().split()
    return " ".join(word for word in words if word not in _HONORIFICS)


def split_names(value: str | Iterable[str] | None) -> list[str]:
    """Normalised person names from one author string or a list of them."""
    if not value:
        return []
    strings = [value] if isinstance(value, str) else list(value)
    names: list[str] = []
    for string in strings:
        for piece in _AUTHOR_SEPARATORS.split(string):
            name = normalise_name(piece)
            if len(name) >= 2:
                names.append(name)
    return names


def any_author_found(truth: str | Iterable[str] | None, predicted: str | Iterable[str] | None) -> bool:
    """True when one predicted name equals one true name after normalisation."""
    return bool(set(split_names(truth)) & set(split_names(predicted)))
