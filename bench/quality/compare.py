"""How titles, dates and authors are compared; the same rules for every system.

See bench/quality/README.md ("Comparison rules") for the prose version.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

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


def any_author_found(truth: str | None, predicted: str | Iterable[str] | None) -> bool:
    """True when one predicted name equals one true name after normalisation."""
    return bool(set(split_names(truth)) & set(split_names(predicted)))
