"""The date a page shows in the byline lines around its headline, with its time and zone.

Bylines sit in the short text nodes just after (then just before) the headline. A date there
is read with ``find_date`` in the page's date locale and language (a two-digit year too:
"11.07.23", "3/7/25", in the first lines under the headline, a line of a few words at most); a clock time in the next text node
("<span>5 June 2025</span> <span>14:30 CET</span>") is joined to it; a ``<time datetime>``
gives its machine value when it names the same day; a digit date whose locale's day-month
reading lies after the fetch is read the other way. A date whose line (or the line before it)
says "Updated"/"Mis à jour"/... is an update, not the publication. A short line that looks like
a date but that no pattern reads (a month name in a language the month table lacks) goes to
dateparser in the page's language, at most MAX_DATEPARSER_CALLS times a page (MEASURED.md: a
call costs about 0.5 ms, one it cannot parse up to 30 ms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice, pairwise

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.calendar_words import calendar_words
from crawler.parsing.clock import ambiguous_zones, clock_after, clock_before
from crawler.parsing.datecheck import Accept
from crawler.parsing.datelocale import DateLocale
from crawler.parsing.datetext import FoundDate, find_date, is_calendar_word, parse_date
from crawler.parsing.text import inside, texts_after, texts_before, within

MAX_VISIBLE_TEXT = 150  # longer text is a paragraph, not a date line
MAX_TEXTS_AFTER = 40  # text nodes read after the headline for a byline date
MAX_TEXTS_BEFORE = 8  # and before it
BYLINE_LINES = 3  # the first text lines under the headline are its byline, whatever their container's class says
MAX_PROSE_BEFORE_BYLINE = 2  # after this many paragraphs under the headline the story has begun: its dates are not the byline's
MAX_BYLINE_WORDS = 14  # a longer line holding a date is a sentence of the story ("...is April 15, 2025. If you...")
MAX_CLOCK_LINE = 30  # a text node this short after a date line may hold its clock time
MAX_DATEPARSER_LINE = 40  # only lines this short go to dateparser
MAX_DATEPARSER_WORDS = 4  # "8 كانون الثاني 2026", "15 Μαΐου 2025"; "34 Top Photography Trends in 2025" is a title
MAX_DATEPARSER_CALLS = 2  # per page

_PUBLISHED_WORDS = re.compile(r"publi|posted|veröff|опублик", re.I)
_UPDATED_WORDS = re.compile(
    r"updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|bijgewerkt|"
    r"zaktualizowano|обновлено|edited",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_WORD = re.compile(r"[^\W\d_]{3,}")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_NOT_FOOTER_WORDS = tuple(word for word in sel.FOREIGN_CONTAINER_WORDS if word != "footer")


def foreign(element: HtmlElement, headline: HtmlElement | None) -> bool:
    """Inside a related list, comments, a sidebar, a footer... A footer of the ``<article>`` that
    holds the headline is the article's own (HTML's meaning of ``<footer>`` in ``<article>``:
    its author and date), not the page's."""
    if not inside(element, sel.FOREIGN_CONTAINER_WORDS, keep=headline):
        return False
    return inside(element, _NOT_FOOTER_WORDS, keep=headline) or not _in_headline_article(element, headline)


def _in_headline_article(element: HtmlElement, headline: HtmlElement | None) -> bool:
    if headline is None:
        return False
    article = next(element.iterancestors("article"), None)
    return article is not None and any(ancestor is article for ancestor in headline.iterancestors("article"))


def updated_label(text: str) -> bool:
    """The label before a date says it is an update."""
    return bool(_UPDATED_WORDS.search(text))


def _in_heading(element: HtmlElement) -> bool:
    return element.tag in _HEADINGS or any(ancestor.tag in _HEADINGS for ancestor in islice(element.iterancestors(), 3))


@dataclass(slots=True)
class Seen:
    """Dates read in the text around the headline."""

    published: str | None = None
    alternative: str | None = None  # the other reading of published's day-month order (datelocale)
    updated: str | None = None
    lines: list[tuple[str, HtmlElement]] = field(default_factory=list)  # short lines read, for a relative date


def _looks_like_date(text: str, language: str | None) -> bool:
    """A short line with a year, a day number and a word that is not a known calendar word
    (a month name in a language the month table lacks): worth a dateparser call."""
    if len(text) > MAX_DATEPARSER_LINE or len(text.split()) > MAX_DATEPARSER_WORDS or not _YEAR.search(text):
        return False
    if not _DAY_NUMBER.search(_YEAR.sub(" ", text)):
        return False
    return any(not is_calendar_word(word, language) for word in _WORD.findall(text))


class _Reader:
    """Reads one byline line at a time with the page's locale and a bounded dateparser budget."""

    def __init__(self, locale: DateLocale) -> None:
        self.locale = locale
        self.words = calendar_words(locale.language)
        self.zones = ambiguous_zones(locale.country, locale.language)
        self.dateparser_calls = 0

    def read(self, text: str, preceding: str | None, following: str | None, *, byline: bool = False) -> FoundDate | None:
        """The date in one line, with a clock from the short text node before or after it; a
        two-digit year only in the ``byline`` lines right under the headline (elsewhere
        "14.11.13" is a section number, "12.01.26 – 10.04.26" a course's dates)."""
        locale = self.locale
        found = find_date(text, month_first=locale.month_first, country=locale.country, language=locale.language, short_years=byline)
        if found is None:
            return self._dateparser(text)
        if "T" not in found.value:
            day = date.fromisoformat(found.value[:10])
            clock = None
            if following and len(following) <= MAX_CLOCK_LINE:
                clock = clock_after(f"{text} {following}", len(text), day, zones=self.zones, periods=self.words.periods)
            if clock is None and preceding and len(preceding) <= MAX_CLOCK_LINE:
                joined = f"{preceding} {text}"
                clock = clock_before(
                    joined, len(preceding) + 1 + found.start, day, zones=self.zones,
                    weekday=lambda word: is_calendar_word(word, locale.language), periods=self.words.periods,
                )
            if clock is not None:
                found.value = clock.stamp(day)
                found.alternative = found.alternative and found.alternative[:10] + found.value[10:]
        return found

    def _dateparser(self, text: str) -> FoundDate | None:
        if self.locale.language is None or self.dateparser_calls >= MAX_DATEPARSER_CALLS or not _looks_like_date(text, self.locale.language):
            return None
        self.dateparser_calls += 1
        value = parse_date(text, language=self.locale.language, only_language=True)
        return FoundDate(value, 0) if value else None


def near_headline(headline: HtmlElement | None, accept: Accept, locale: DateLocale) -> Seen:
    """Dates in the short text nodes just after (then just before) the headline, where bylines
    sit; see the module docstring."""
    seen = Seen()
    if headline is None:
        return seen
    reader = _Reader(locale)
    for texts, limit, after in ((texts_after(headline), MAX_TEXTS_AFTER, True), (texts_before(headline), MAX_TEXTS_BEFORE, False)):
        previous = ""
        preceding = None  # the previous text node when it is short (a clock written before the date)
        lines = prose = 0  # lines read outside the headline; paragraphs of prose passed
        for (text, owner), upcoming in pairwise(chain(islice(texts, limit), [None])):
            if after and within(owner, headline):
                continue
            lines += 1
            if after and lines <= BYLINE_LINES and _in_heading(owner):
                lines = BYLINE_LINES + 1  # another heading: a list of teasers has begun, not the byline
            if len(text) > MAX_VISIBLE_TEXT:
                prose += after
                if prose > MAX_PROSE_BEFORE_BYLINE:
                    break
                previous, preceding = text[-40:], None
                continue
            seen.lines.append((f"{previous} {text}" if len(text) < 20 else text, owner))
            following = upcoming[0] if after and upcoming is not None else None
            byline = after and lines <= BYLINE_LINES  # right under the headline, whatever the container's class
            if len(text.split()) <= MAX_BYLINE_WORDS and (found := reader.read(text, preceding if after else None, following, byline=byline)):
                label = previous + " " + text[: found.start]
                value = _machine_value(owner, found)
                if (byline or not foreign(owner, headline)) and (value := _accepted(value, found, accept)):
                    if updated_label(label) and not _PUBLISHED_WORDS.search(label):
                        seen.updated = seen.updated or value
                    else:
                        seen.published, seen.alternative = value, found.alternative if value == found.value else None
                        return seen
            previous, preceding = text[-40:], text if len(text) <= MAX_CLOCK_LINE else None
    return seen


def _accepted(value: str, found: FoundDate, accept: Accept) -> str | None:
    """The value when it may be the page's date; else, when it is the reading of a digit date
    the locale chose ("5/11/25": 5 November), the other reading when that one may be: a page
    is not dated after it was fetched, so a reading in the future is the wrong order."""
    if accept(value, "byline"):
        return value
    if found.alternative and value == found.value and accept(found.alternative, "byline, the other day-month order"):
        return found.alternative
    return None


def _machine_value(owner: HtmlElement, found: FoundDate) -> str:
    """A ``<time datetime>``'s value when it names the shown day (in either day-month reading,
    which it settles) and says at least as much, or whatever day it names when the shown year
    has two digits (25/06/22 is 2025-06-22 in a yy/MM/dd locale); else the shown value in the
    order it settles."""
    shown = found.value
    machine = parse_date(owner.get("datetime"), words=False) if owner.tag == "time" else None
    if machine is None:
        return shown
    if found.short_year:
        return machine
    if found.alternative and machine[:10] == found.alternative[:10]:
        shown = found.alternative
    return machine if machine[:10] == shown[:10] and precision(machine) >= precision(shown) else shown


def precision(value: str) -> int:
    """0: a day (or its midnight, how many sites store a day); 1: a time without offset; 2: a
    time with its offset."""
    if len(value) <= 10 or value[10:19] == "T00:00:00":
        return 0
    return 2 if len(value) > 19 else 1
