"""How a page writes dates: its country, and whether its digit dates put the month first.

``05/04/2025`` is 5 April in most of the world and May 4 in the United States. The page says
which in three places, read in this order:
1. its own unambiguous digit dates: a ``13/05/2025`` elsewhere on the page settles day-first,
   a ``05/13/2025`` month-first (``page_order``, read only when an ambiguous date was met);
2. its locale: the region of its language tag (``<html lang="en-US">``, ``og:locale`` en_GB),
   else the URL's country-code domain (``.co.uk``, ``.in``);
3. its language: every language but English writes the day first; English without a country
   is read month-first (most English pages on generic domains are American), and the
   cross-check against the page's other dates (``dates.py``) corrects it.

The country also decides zone abbreviations that name several offsets (IST, CST, BST, AST).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from crawler.parsing.document import Document
from crawler.parsing.numeric_dates import day_month

# Countries whose digit dates put the month first (the US and its territories, the Philippines,
# the Pacific states in free association with the US).
MONTH_FIRST_COUNTRIES = frozenset(("us", "ph", "pr", "gu", "vi", "as", "mp", "um", "fm", "mh", "pw"))
# Countries where both orders are common: neither is assumed.
MIXED_ORDER_COUNTRIES = frozenset(("ca",))
# Country-code domains sold worldwide as generic names (".io", ".ai", ".co"): they say nothing of the country.
VANITY_DOMAINS = frozenset(("ai", "io", "co", "me", "tv", "fm", "ly", "gg", "to", "so", "sh", "ws", "cc", "la", "ms", "nu", "tk", "vc", "ac", "sx", "im"))
_LANGUAGE_META = ("og:locale", "content-language", "language", "dc.language")
_TAG = re.compile(r"^\s*([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}))?\b", re.I)
_COUNTRY_ALIASES = {"uk": "gb"}
_SLASHED_TEXTS = etree.XPath("//body//text()[contains(., '/') or contains(., '-')]")
_DAY_MONTH_TEXT = re.compile(r"(?<![\d./-])(\d{1,2})([/-])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class DateLocale:
    language: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, lower case ("gb", "in")
    month_first: bool | None = None  # digit dates: True 05/13/2025, False 13/05/2025, None unknown


def _region(doc: Document) -> str | None:
    root = doc.tree
    values = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    values += [value for name in _LANGUAGE_META for value in doc.meta.get(name, ())]
    for value in values:
        if value and (match := _TAG.match(value)) and match.group(3):
            return match.group(3).lower()
    return None


def _domain_country(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").rstrip(".")
    suffix = host.rsplit(".", 1)[-1].lower()
    return suffix if len(suffix) == 2 and suffix.isalpha() and suffix not in VANITY_DOMAINS else None


def _order(language: str | None, country: str | None) -> bool | None:
    if country in MONTH_FIRST_COUNTRIES:
        return True
    if country in MIXED_ORDER_COUNTRIES:
        return None
    if country is not None or (language is not None and language != "en"):
        return False
    return True if language == "en" else None


def date_locale(doc: Document, language: str | None) -> DateLocale:
    """The page's language, country and digit-date order (see the module docstring, steps 2-3)."""
    country = _region(doc) or _domain_country(doc.url)
    country = _COUNTRY_ALIASES.get(country, country) if country else None
    return DateLocale(language, country, _order(language, country))


def page_order(doc: Document) -> bool | None:
    """The digit-date order the page's own unambiguous dates show (step 1): True when one puts a
    number above 12 second (month first), False when one puts it first, None when none does or
    both do."""
    orders = set()
    for match in _DAY_MONTH_TEXT.finditer(" ".join(_SLASHED_TEXTS(doc.tree))):
        found = day_month(match.group(0))
        if found is not None and found.alternative is None:
            first, second = int(match.group(1)), int(match.group(3))
            if first != second:
                orders.add(second > 12)
    return orders.pop() if len(orders) == 1 else None
