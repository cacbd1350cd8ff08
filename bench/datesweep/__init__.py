"""Publication dates in every locale CLDR knows, written the way Babel renders them, in generated
article pages: does the parser read the day and the instant a page shows?

No dataset here has pages in Greek, Thai, Persian, Amharic or Lithuanian with a known truth; CLDR
(through Babel) knows how each of about 300 languages writes a date. Each case is one article page
(``bench.pagegen``'s site furniture: header, menus, sidebar, footer) whose byline under the headline
shows one publication moment in one of the locale's patterns:

- ``date-full`` / ``date-long`` / ``date-medium`` / ``date-short``: ``babel.dates.format_date``;
- ``time-long`` / ``time-medium`` / ``time-short``: ``format_datetime`` (the long width shows
  the offset, "+0100"; the others a wall-clock time without zone);
- ``*-native``: ``date-long`` and ``time-medium`` with the digits of the locale's native numbering
  system (Arabic-Indic, Persian, Bengali, Devanagari, Thai, Burmese...), for locales that have one.

and one of four markups: ``text`` (the visible date only: the parser has nothing else),
``nolang`` (the same without ``<html lang>``: the page does not say its language), ``time``
(the visible date inside ``<time datetime>`` with the full instant) and ``meta`` (meta tag and
JSON-LD ``datePublished`` with the full instant, the visible date plain). ``text`` measures reading;
the last two measure that a misread visible date never spoils a right machine value.

The page's ``<html lang>`` is the locale's language with its most likely region (CLDR's likely
subtags: ``el-GR``, ``ar-EG``, ``en-US``), as sites write it. Locales are split into two halves by
a hash of their identifier (``half``): rules are written looking at the ``fit`` half only and
reported on ``held``, which nobody looks at case by case.
"""

from __future__ import annotations

import hashlib
import pkgutil
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, localedata
from babel.core import get_global
from babel.dates import format_date, format_datetime

from bench.pagegen.site import esc, head, new_site

DATE_WIDTHS = ("full", "long", "medium", "short")
TIME_WIDTHS = ("long", "medium", "short")
PATTERNS = (*(f"date-{w}" for w in DATE_WIDTHS), *(f"time-{w}" for w in TIME_WIDTHS), "date-long-native", "time-medium-native")
MARKUPS = ("text", "nolang", "time", "meta")
ZONES = ("Europe/Paris", "Asia/Tokyo", "America/New_York", "Asia/Kolkata", "UTC", "Europe/Athens", "Asia/Tehran", "America/Sao_Paulo", "Australia/Sydney")
FIRST_MOMENT = datetime(2023, 1, 1)
SPAN_MINUTES = 3 * 365 * 24 * 60
# Zero of each decimal numbering system CLDR names as a locale's native one (Unicode's digit runs).
NATIVE_ZEROS = {
    "arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "mymr": 0x1040, "thai": 0xE50, "laoo": 0xED0,
    "khmr": 0x17E0, "tibt": 0xF20, "guru": 0xA66, "gujr": 0xAE6, "orya": 0xB66, "taml": 0xBE6, "telu": 0xC66,
    "knda": 0xCE6, "mlym": 0xD66, "olck": 0x1C50, "mtei": 0xABF0, "nkoo": 0x7C0, "adlm": 0x1E950, "fullwide": 0xFF10,
    "vaii": 0xA620, "java": 0xA9D0, "cakm": 0x11136, "limb": 0x1946, "sund": 0x1BB0, "bali": 0x1B50,
}


@dataclass(frozen=True, slots=True)
class Case:
    locale: str  # Babel's identifier ("el", "sr_Latn")
    pattern: str  # one of PATTERNS
    markup: str  # one of MARKUPS
    shown: str  # the date as the page shows it
    day: str  # the truth's local day, YYYY-MM-DD
    instant: str | None  # the truth the page gives with a time: aware ISO, or naive when it shows no zone
    url: str
    html: str
    now: datetime  # the fetch time


@lru_cache(maxsize=1)
def _dateparser_languages() -> frozenset[str]:
    import dateparser.data.date_translation_data as data

    return frozenset(module.name.split("-")[0] for module in pkgutil.iter_modules(data.__path__))


def has_names(locale: str) -> bool:
    """Whether dateparser's data (what the parser reads month names with) has the locale's language."""
    return locale.split("_")[0] in _dateparser_languages()


def half(locale: str) -> str:
    """``fit`` or ``held``: a fixed split of the locales by a hash of their identifier."""
    return "fit" if hashlib.sha256(locale.encode()).digest()[0] % 2 == 0 else "held"


@lru_cache(maxsize=1)
def all_locales() -> tuple[str, ...]:
    """Every Babel locale with no region (one per language or language-script) whose month names
    are its own (CLDR's root gives "M01" to languages it knows little of)."""
    found = []
    for identifier in localedata.locale_identifiers():
        parts = identifier.split("_")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) != 4):
            continue
        if Locale.parse(identifier).months["format"]["wide"][1] != "M01":
            found.append(identifier)
    return tuple(sorted(found))


def language_tag(locale: str) -> str:
    """The ``<html lang>`` a site in this locale writes: language (and script) with the most likely
    region ("el" -> "el-GR", "sr_Latn" -> "sr-Latn-RS")."""
    likely = get_global("likely_subtags").get(locale) or get_global("likely_subtags").get(locale.split("_")[0])
    region = next((part for part in (likely or "").split("_")[1:] if len(part) == 2 or part.isdigit()), None)
    return "-".join([*locale.split("_"), *([region] if region else [])])


def native_zero(locale: str) -> int | None:
    """The code point of zero in the locale's native digits, when they are not ASCII."""
    system = Locale.parse(locale).other_numbering_systems.get("native")
    zero = NATIVE_ZEROS.get(system or "")
    if zero is None or unicodedata.digit(chr(zero + 7), None) != 7:
        return None
    return zero


def _native(text: str, zero: int) -> str:
    return "".join(chr(zero + int(c)) if "0" <= c <= "9" else c for c in text)


def render(moment: datetime, pattern: str, locale: str) -> tuple[str, str | None]:
    """(the shown text, the truth's instant as the text gives it: aware ISO when it shows the
    offset, naive when it shows a wall-clock time only, None for a date alone)."""
    kind, width, *native = pattern.split("-")
    if kind == "date":
        shown, instant = format_date(moment, width, locale=locale), None
    else:
        shown = format_datetime(moment, width, tzinfo=moment.tzinfo, locale=locale)
        instant = moment.isoformat() if width == "long" else moment.replace(tzinfo=None).isoformat()
    if native:
        shown = _native(shown, native_zero(locale) or ord("0"))
    return shown, instant


def _byline(site, shown: str, iso: str, markup: str, rng: random.Random) -> str:
    date_html = f'<time datetime="{iso}">{esc(shown)}</time>' if markup == "time" else esc(shown)
    author = site.text.name()
    form = rng.randrange(4)
    if form == 0:
        return f"<div{site.cls('byline')}>{esc(author)} · {date_html}</div>"
    if form == 1:
        return f"<div{site.cls('meta')}><span{site.cls('author')}>{esc(author)}</span><span{site.cls('date')}>{date_html}</span></div>"
    if form == 2:
        return f"<p>{date_html}</p><p{site.cls('author')}>{esc(author)}</p>"
    return f"<div{site.cls('article-date')}>{date_html}</div>"


def case(locale: str, pattern: str, markup: str, seed: int) -> Case | None:
    """One page; None when the pattern does not apply (native digits in a locale without them)."""
    if pattern.endswith("native") and native_zero(locale) is None:
        return None
    rng = random.Random(f"{locale}|{pattern}|{markup}|{seed}")
    zone = ZoneInfo(rng.choice(ZONES))
    moment = (FIRST_MOMENT + timedelta(minutes=rng.randint(0, SPAN_MINUTES))).replace(tzinfo=zone)
    moment = moment.replace(second=0)
    shown, instant = render(moment, pattern, locale)
    iso = moment.isoformat()
    if markup in ("time", "meta"):
        instant = iso
    site = new_site(rng, rng.randint(0, 10_000))
    site.lang, site.markup = language_tag(locale), "mixed"
    title = site.text.headline((5, 12))
    published = iso if markup == "meta" else None
    page_head = head(site, title=title, og_type="article", ld_type="NewsArticle" if published else None, published=published, author=None)
    paragraphs = "".join(f"<p>{esc(site.text.paragraph((2, 5)))}</p>" for _ in range(rng.randint(4, 10)))
    main = f"<article{site.cls('post')}>{site.breadcrumb(title)}<h1>{esc(title)}</h1>{_byline(site, shown, iso, markup, rng)}{paragraphs}</article>"
    path = f"/{site.text.slug()}/{site.text.slug((2, 5))}"
    html = site.page(title=title, head=page_head, main=main, path=path)
    if markup == "nolang":
        html = html.replace(f' lang="{site.lang}"', "", 1)
    return Case(locale, pattern, markup, shown, moment.date().isoformat(), instant, f"https://{site.host}{path}", html, moment + timedelta(days=30))


def cases(locales: list[str], *, patterns: tuple[str, ...] = PATTERNS, markups: tuple[str, ...] = MARKUPS, samples: int = 2):
    """Every (locale, pattern, markup) page, ``samples`` moments each."""
    for locale in locales:
        for pattern in patterns:
            for markup in markups:
                for seed in range(samples):
                    if (made := case(locale, pattern, markup, seed)) is not None:
                        yield made
