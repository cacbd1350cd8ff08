"""The page's publication and modification dates.

Only the page's own dates: a date inside a related-article teaser, a comment, a sidebar
or a footer (copyright year) is never taken; the crawl time is never used.

Every candidate is checked against ``now``, the time the page was fetched: a date more
than FUTURE_TOLERANCE after it, or before OLDEST, is refused with a warning (the next
candidate is tried; ``crawler.parsing.datecheck``), so a page cannot slip a placeholder ("0001-01-01", "1970-01-01") or a
future date in silently. A relative date ("3 hours ago", "vor 2 Tagen") is resolved against
``now`` and marked as such, and only used when the page writes no absolute date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.byline_dates import MAX_VISIBLE_TEXT, Seen, foreign, near_headline, precision
from crawler.parsing.datecheck import Accept, DateCheck, as_moment
from crawler.parsing.datelocale import DateLocale, date_locale, page_order
from crawler.parsing.datetext import find_date, month_number, parse_date
from crawler.parsing.document import Document
from crawler.parsing.jsonld import main_objects
from crawler.parsing.relative_dates import find_relative
from crawler.parsing.text import element_text, inside, with_words

MAX_CLASSED_ELEMENTS = 80  # date/byline-classed elements read, in document order
MAX_CHILDREN = 12  # an element with more children is a container, not a date line
TIME_ZONE_SLACK = timedelta(days=1)  # two days this close may name one moment in two time zones
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)  # the UTC offsets in use on Earth

_NOT_TEXT = frozenset(("script", "style", "img", "svg", "input", "select", "textarea", "iframe"))

_META_PUBLISHED_NAME = re.compile(r"publish|pub_?date|release|issued")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
_YEAR_TEXTS = etree.XPath(f'//body//text()[string-length(.) < {MAX_VISIBLE_TEXT}][contains(., "19") or contains(., "20")]')
_ORIGINALLY_TEXTS = etree.XPath(
    f'//body//text()[string-length(.) < {MAX_VISIBLE_TEXT * 2}][contains(., "riginally published") or contains(., "riginally posted")]'
)
_ORIGINALLY = re.compile(r"originally (?:published|posted)(?: on| in)?\s*", re.I)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_URL_DATE_WORDS = re.compile(r"/((?:19|20)\d\d)/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)", re.I)
_UPDATED_WORDS = re.compile(
    r"updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|bijgewerkt|"
    r"zaktualizowano|обновлено|edited",
    re.I,
)  # in meta names and element context; byline_dates.updated_label reads the text labels


_NOT_SIDEBAR_WORDS = tuple(word for word in sel.FOREIGN_CONTAINER_WORDS if word != "sidebar")


def _jsonld_date(doc: Document, keys: tuple[str, ...], accept: Accept) -> str | None:
    for obj in main_objects(doc):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and (parsed := parse_date(value, words=False)) and accept(parsed, f"JSON-LD {key}"):
                return parsed
    return None


def _meta_value_date(value: str) -> str | None:
    """A meta value: machine formats, else a date in words ("July 17, 2025", "2023 Jan 7")."""
    if parsed := parse_date(value, words=False):
        return parsed
    found = find_date(value)
    return found.value if found else None


def _meta_date(doc: Document, names: tuple[str, ...], accept: Accept) -> str | None:
    for name in names:
        for value in doc.meta.get(name, ()):
            if (parsed := _meta_value_date(value)) and accept(parsed, f"meta {name}"):
                return parsed
    return None


def _meta_date_any(doc: Document, accept: Accept) -> str | None:
    """Any other meta tag whose name says publication (``w-published-date``, ``release_date``)."""
    for name, values in doc.meta.items():
        if _META_PUBLISHED_NAME.search(name) and not _UPDATED_WORDS.search(name):
            for value in values:
                if (parsed := _meta_value_date(value)) and accept(parsed, f"meta {name}"):
                    return parsed
    return None


def _itemprop_date(doc: Document, names: tuple[str, ...], language: str | None, accept: Accept) -> str | None:
    itemprops = doc.index().itemprops
    for name in names:
        for element in itemprops.get(name, ()):
            value = element.get("datetime") or element.get("content")
            parsed = parse_date(value, words=False) if value else None
            if not parsed:
                text = element_text(element)
                parsed = parse_date(text, language=language) if len(text) <= MAX_VISIBLE_TEXT else None
            if parsed and accept(parsed, f"itemprop {name}"):
                return parsed
    return None


def _time_element_date(doc: Document, accept: Accept, *, modified: bool, headline: HtmlElement | None = None) -> str | None:
    """``<time datetime>``: the first outside foreign containers whose label fits the field."""
    for element in doc.index().times:
        if foreign(element, headline):
            continue
        context = f"{element.get('class') or ''} {element.get('itemprop') or ''} {element_text(element)}"
        parent = element.getparent()
        if parent is not None:
            context += f" {parent.get('class') or ''} {(parent.text or '')[:40]}"
        if bool(_UPDATED_WORDS.search(context)) != modified:
            continue
        if (parsed := parse_date(element.get("datetime"), words=False)) and accept(parsed, "<time datetime>"):
            return parsed
    return None


def _originally_published(doc: Document, accept: Accept, headline: HtmlElement | None) -> str | None:
    """"This article was originally published on 26 Sep 2019 (and has been updated since)": the
    page naming its own first publication, outside foreign containers. The page's whole text is
    checked for the phrase first (0.5 ms): searching its text nodes costs 2 ms a page, and few
    pages say it."""
    if "riginally p" not in etree.tostring(doc.tree, method="text", encoding="unicode"):
        return None
    for text in _ORIGINALLY_TEXTS(doc.tree):
        match = _ORIGINALLY.search(text)
        owner = text.getparent()
        if match is None or owner is None or owner.tag in ("script", "style", "template") or foreign(owner, headline):
            continue
        found = find_date(text[match.end() : match.end() + 60])
        if found is not None and found.start <= 3 and accept(found.value, "originally published"):
            return found.value
    return None


def _pubdate_time(doc: Document, accept: Accept, headline: HtmlElement | None) -> str | None:
    """``<time pubdate datetime>``: HTML5's mark for the article's publication date, shown on
    the page (wherever the theme puts it), outside foreign containers."""
    for element in doc.index().times:
        if element.get("pubdate") is not None and not foreign(element, headline):
            if (parsed := parse_date(element.get("datetime"), words=False)) and accept(parsed, "<time pubdate>"):
                return parsed
    return None


def _visible_date(doc: Document, accept: Accept, locale: DateLocale, headline: HtmlElement | None = None) -> str | None:
    """A date written in the text of elements whose class/id says date/published/byline
    (outside foreign containers, not labelled as an update). Else the one such date in a side
    column, when the side columns hold no other: the article's facts set beside it ("Published
    July 8, 2025" in a post sidebar), where a list of other stories would date each entry."""
    beside: list[str] = []
    for element in with_words(doc.index().marked, sel.DATE_CLASS_WORDS)[:MAX_CLASSED_ELEMENTS]:
        if element.tag in _NOT_TEXT or len(element) > MAX_CHILDREN:
            continue
        text = element_text(element)
        if not text or len(text) > MAX_VISIBLE_TEXT:
            continue
        found = find_date(text, month_first=locale.month_first, country=locale.country, language=locale.language)
        if found is None or _UPDATED_WORDS.search(text[: found.start]):
            continue
        if not foreign(element, headline):
            if accept(found.value, "date-classed element"):
                return found.value
        elif not inside(element, _NOT_SIDEBAR_WORDS, keep=headline) and found.value not in beside:
            beside.append(found.value)
    if len(beside) == 1 and accept(beside[0], "date-classed element beside the article"):
        return beside[0]
    return None


def _relative_date(lines: list[tuple[str, HtmlElement]], now: datetime, language: str | None, headline: HtmlElement | None) -> str | None:
    """A relative date ("2 hours ago") in the byline lines around the headline, not labelled as
    an update; resolved against ``now``. Not elsewhere: lists of comments and other articles
    date their entries that way too."""
    for text, owner in lines:
        found = find_relative(text, now, language=language)
        if found and not _UPDATED_WORDS.search(text[: found.start]) and not foreign(owner, headline):
            return found.value
    return None


@dataclass(slots=True)
class _PageDates:
    published: str | None = None
    updated: str | None = None


def _page_date(doc: Document, accept: Accept, locale: DateLocale, headline: HtmlElement | None = None) -> _PageDates:
    """The first date written in a short text anywhere in the page body, outside foreign
    containers and copyright lines: the last resort before the URL. A date labelled "Updated"
    is not the publication; the first one is kept as the update."""
    dates = _PageDates()
    for text in _YEAR_TEXTS(doc.tree):
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        if owner is None or owner.tag in ("script", "style", "noscript", "template") or _COPYRIGHT.search(text):
            continue
        found = find_date(text, month_first=locale.month_first, country=locale.country, language=locale.language)
        if found is None or foreign(owner, headline) or not accept(found.value, "page text"):
            continue
        if not _UPDATED_WORDS.search(text[: found.start]):
            dates.published = found.value
            return dates
        dates.updated = dates.updated or found.value
    return dates


def _url_date(url: str) -> str | None:
    """``/2025/09/11/`` or ``/2025/sep/11/`` in the URL's path."""
    if match := _URL_DATE.search(url):
        return "-".join(match.groups())
    if (match := _URL_DATE_WORDS.search(url)) and (month := month_number(match.group(2))):
        try:
            return date(int(match.group(1)), month, int(match.group(3))).isoformat()
        except ValueError:
            return None
    return None


@dataclass(slots=True)
class Dates:
    published: str | None
    modified: str | None
    shown: bool = False  # a date was shown in the byline lines around the headline
    relative: bool = False  # published was written relative to the fetch time ("3 hours ago")
    warnings: list[str] = field(default_factory=list)  # candidates refused (see DateCheck)


def _structured_published(doc: Document, language: str | None, accept: Accept) -> list[str]:
    """Every structured publication date the page gives, most trusted first."""
    found = (
        _jsonld_date(doc, ("datePublished", "dateCreated", "uploadDate"), accept),
        _meta_date(doc, sel.META_PUBLISHED, accept),
        _meta_date_any(doc, accept),
        _itemprop_date(doc, ("datePublished", "dateCreated"), language, accept),
    )
    return [value for value in found if value]


def _structured_modified(doc: Document, language: str | None, accept: Accept) -> str | None:
    return (
        _jsonld_date(doc, ("dateModified",), accept)
        or _meta_date(doc, sel.META_MODIFIED, accept)
        or _itemprop_date(doc, ("dateModified",), language, accept)
    )


def _prefer_precise(visible: str, structured: str | None) -> str:
    """Of two values naming the same day, the one that says more (a time, then an offset); the
    structured one when they say as much."""
    if not structured or structured[:10] != visible[:10]:
        return visible
    return visible if precision(visible) > precision(structured) else structured


def _settled(seen: Seen, doc: Document, evidence: list[str], locale: DateLocale) -> str | None:
    """The shown date, its day-month order cross-checked when the locale decided it: the other
    reading wins when the page's other dates (structured values, the URL) name its day and not
    the locale's; with no such evidence, when a ``<time datetime>`` anywhere on the page (a list
    of recent posts holding this one) names its day and none names the locale's; else when the
    page's own unambiguous digit dates are written the other way."""
    shown, other = seen.published, seen.alternative
    if shown is None or other is None:
        return shown
    days = {value[:10] for value in evidence}
    if days:
        return other if other[:10] in days and shown[:10] not in days else shown
    marked = {value[:10] for element in doc.index().times if (value := parse_date(element.get("datetime"), words=False))}
    if (other[:10] in marked) != (shown[:10] in marked):
        return other if other[:10] in marked else shown
    order = page_order(doc)
    return other if order is not None and order != locale.month_first else shown


def _far_apart(first: str, second: str) -> bool:
    """More than a time-zone difference apart: when one value is an instant (a time with its
    offset), the other's day must be a day that instant falls on somewhere on Earth; else the
    two days may be TIME_ZONE_SLACK apart."""
    a, b = as_moment(first[:10]), as_moment(second[:10])
    if a is None or b is None:
        return False
    for instant, other in ((first, second), (second, first)):
        if precision(instant) == 2 and (moment := as_moment(instant)) is not None:
            utc = moment.astimezone(UTC)
            return not (utc + EARLIEST_OFFSET).date() <= date.fromisoformat(other[:10]) <= (utc + LATEST_OFFSET).date()
    return abs(a - b) > TIME_ZONE_SLACK


def _completed(first: str, structured: list[str]) -> str:
    """The first structured value, or another source's value for the same day and clock time
    that says more (``2025-04-28T18:11:01`` in JSON-LD, ``...+02:00`` in a meta tag)."""
    for value in structured[1:]:
        if precision(value) > precision(first) and value[:10] == first[:10] and (len(first) == 10 or value[:16] == first[:16]):
            return value
    return first


def _cross_checked(structured: list[str], shown: str | None, modified: str | None, url_day: str | None) -> str | None:
    """The structured publication date, unless the byline shows another day and a second
    signal backs the byline: the URL's date; another structured source naming the shown day
    (a theme's ``itemprop`` or ``<time datetime>`` against a plugin's JSON-LD); or a structured "published" that is
    only the last save (the same day as the modification date) while the byline shows an
    earlier day. Two dates a day apart are one moment in two time zones unless the URL decides;
    a byline showing the structured modification day shows the last update, not the publication."""
    if not structured:
        return None
    first = _completed(structured[0], structured)
    if shown is None or shown[:10] == first[:10]:
        return _prefer_precise(shown, first) if shown else first
    if url_day is not None and shown[:10] == url_day != first[:10]:
        return _prefer_precise(shown, next((value for value in structured if value[:10] == url_day), None))
    if not _far_apart(first, shown) or (modified and modified[:10] == shown[:10]):
        return first  # one moment in two time zones; or the byline shows the last update, unlabelled
    if agreeing := next((value for value in structured[1:] if value[:10] == shown[:10]), None):
        return agreeing
    if modified and modified[:10] == first[:10] and shown[:10] < first[:10]:
        return shown
    return first


def extract_dates(
    doc: Document, *, language: str | None = None, headline: HtmlElement | None = None, now: datetime | None = None
) -> Dates:
    """Publication and modification dates, ISO 8601; ``now`` is the fetch time (default: the
    current UTC time), against which every candidate is checked (see DateCheck).

    Published, in order: the structured date, cross-checked against the date the page shows
    (see ``_cross_checked``; shown: an "originally published on ..." line, else the byline,
    with its day-month order cross-checked (``_settled``), else a ``<time pubdate>`` anywhere
    in the article), the shown value kept when it names the same day with more (its time, its
    offset: ``_prefer_precise``): JSON-LD ``datePublished``/``dateCreated`` of the article (then
    web-page) object, meta tags (``article:published_time``, ``datePublished``, Dublin Core,
    Parse.ly, ...), ``itemprop="datePublished"`` elements; the date shown in the byline lines
    around the headline (not one labelled as an update), or the "originally published" date; the first ``<time datetime>``
    outside related lists, comments and footers not labelled as an update; a date written in
    date/byline-classed elements; a relative date ("3 hours ago") in the byline lines,
    resolved against ``now`` (``Dates.relative``); the first date
    written anywhere in the body outside related lists, comments, footers and copyright
    lines; a ``/YYYY/MM/DD/`` date in the URL; last, the modification date when it is the
    only date the page gives.

    Modified, in order: JSON-LD ``dateModified``; meta tags (``article:modified_time``,
    ``og:updated_time``, ...); ``itemprop="dateModified"`` elements; a ``<time datetime>``
    labelled as an update; an "Updated ..." line around the headline; an "Updated ..." line
    anywhere in the body.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    check, check_modified = DateCheck(now), DateCheck(now, "modified")
    locale = date_locale(doc, language)
    seen = near_headline(headline, check, locale)
    structured_modified = _structured_modified(doc, language, check_modified)
    modified = structured_modified or _time_element_date(doc, check_modified, modified=True, headline=headline)
    if seen.updated:
        modified = _prefer_precise(seen.updated, modified) if modified else seen.updated
    url_day = _url_date(doc.url)
    candidates = _structured_published(doc, language, check)
    shown = (
        _originally_published(doc, check, headline)
        or _settled(seen, doc, candidates + ([url_day] if url_day else []), locale)
        or (_pubdate_time(doc, check, headline) if candidates else None)
    )
    if candidates and shown and shown[:10] != candidates[0][:10]:
        # The theme's own <time datetime> is one more structured source to cross-check with.
        marked_up = _time_element_date(doc, check, modified=False, headline=headline)
        candidates += [marked_up] if marked_up else []
    structured = _cross_checked(candidates, shown, structured_modified, url_day)
    published = (
        structured
        or shown
        or _time_element_date(doc, check, modified=False, headline=headline)
        or _visible_date(doc, check, locale, headline)
    )
    relative = None
    if not published and (relative := _relative_date(seen.lines, now, language, headline)):
        published = relative if check(relative, "relative date") else None
    if not published:
        page = _page_date(doc, check, locale, headline)
        modified = modified or page.updated
        published = page.published or (url_day if url_day and check(url_day, "URL") else None) or modified
    return Dates(
        published,
        modified,
        shown=bool(seen.published or seen.updated),
        relative=published is not None and published == relative,
        warnings=check.warnings + check_modified.warnings,
    )
