"""The page's publication and modification dates.

Only the page's own dates: a date inside a related-article teaser, a comment, a sidebar
or a footer (copyright year) is never taken; the crawl time is never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.datetext import find_date, parse_date
from crawler.parsing.document import Document
from crawler.parsing.jsonld import main_objects
from crawler.parsing.text import element_text, inside, texts_after, texts_before, with_words

MAX_CLASSED_ELEMENTS = 80  # date/byline-classed elements read, in document order
MAX_VISIBLE_TEXT = 150  # longer text is a paragraph, not a date line
MAX_TEXTS_AFTER = 40  # text nodes read after the headline for a byline date
MAX_TEXTS_BEFORE = 8  # and before it
MAX_CHILDREN = 12  # an element with more children is a container, not a date line

_NOT_TEXT = frozenset(("script", "style", "img", "svg", "input", "select", "textarea", "iframe"))
_PUBLISHED_WORDS = re.compile(r"publi|posted|veröff|опублик", re.I)

_META_PUBLISHED_NAME = re.compile(r"publish|pub_?date|release|issued")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
_YEAR_TEXTS = etree.XPath(f'//body//text()[string-length(.) < {MAX_VISIBLE_TEXT}][contains(., "19") or contains(., "20")]')
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_UPDATED_WORDS = re.compile(
    r"updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|bijgewerkt|"
    r"zaktualizowano|обновлено|edited",
    re.I,
)


def _jsonld_date(doc: Document, keys: tuple[str, ...]) -> str | None:
    for obj in main_objects(doc):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and (parsed := parse_date(value, words=False)):
                return parsed
    return None


def _meta_value_date(value: str) -> str | None:
    """A meta value: machine formats, else a date in words ("July 17, 2025", "2023 Jan 7")."""
    if parsed := parse_date(value, words=False):
        return parsed
    found = find_date(value)
    return found.value if found else None


def _meta_date(doc: Document, names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in doc.meta.get(name, ()):
            if parsed := _meta_value_date(value):
                return parsed
    return None


def _meta_date_any(doc: Document) -> str | None:
    """Any other meta tag whose name says publication (``w-published-date``, ``release_date``)."""
    for name, values in doc.meta.items():
        if _META_PUBLISHED_NAME.search(name) and not _UPDATED_WORDS.search(name):
            for value in values:
                if parsed := _meta_value_date(value):
                    return parsed
    return None


def _itemprop_date(doc: Document, names: tuple[str, ...], language: str | None) -> str | None:
    itemprops = doc.index().itemprops
    for element in (element for name in names for element in itemprops.get(name, ())):
        value = element.get("datetime") or element.get("content")
        parsed = parse_date(value, words=False) if value else None
        if not parsed:
            text = element_text(element)
            parsed = parse_date(text, language=language) if len(text) <= MAX_VISIBLE_TEXT else None
        if parsed:
            return parsed
    return None


def _time_element_date(doc: Document, *, modified: bool, headline: HtmlElement | None = None) -> str | None:
    """``<time datetime>``: the first outside foreign containers whose label fits the field."""
    for element in doc.index().times:
        if inside(element, sel.FOREIGN_CONTAINER_WORDS, keep=headline):
            continue
        context = f"{element.get('class') or ''} {element.get('itemprop') or ''} {element_text(element)}"
        parent = element.getparent()
        if parent is not None:
            context += f" {parent.get('class') or ''} {(parent.text or '')[:40]}"
        if bool(_UPDATED_WORDS.search(context)) != modified:
            continue
        if parsed := parse_date(element.get("datetime"), words=False):
            return parsed
    return None


def _visible_date(doc: Document, headline: HtmlElement | None = None) -> str | None:
    """A date written in the text of elements whose class/id says date/published/byline
    (outside foreign containers, not labelled as an update)."""
    for element in with_words(doc.index().marked, sel.DATE_CLASS_WORDS)[:MAX_CLASSED_ELEMENTS]:
        if element.tag in _NOT_TEXT or len(element) > MAX_CHILDREN:
            continue
        text = element_text(element)
        if not text or len(text) > MAX_VISIBLE_TEXT:
            continue
        found = find_date(text)
        if found is None or _UPDATED_WORDS.search(text[: found.start]):
            continue
        if not inside(element, sel.FOREIGN_CONTAINER_WORDS, keep=headline):
            return found.value
    return None


@dataclass(slots=True)
class _Seen:
    """Dates read in the text around the headline."""

    published: str | None = None
    updated: str | None = None


def _near_headline(headline: HtmlElement | None) -> _Seen:
    """Dates in the short text nodes just after (then just before) the headline, where bylines
    sit. ``<time datetime>`` gives its machine-readable value; a date whose line (or the line
    before it) says "Updated"/"Mis à jour"/... is an update, not the publication."""
    seen = _Seen()
    if headline is None:
        return seen
    for texts, limit in ((texts_after(headline), MAX_TEXTS_AFTER), (texts_before(headline), MAX_TEXTS_BEFORE)):
        previous = ""
        for text, owner in islice(texts, limit):
            if len(text) <= MAX_VISIBLE_TEXT and (found := find_date(text)):
                label = previous + " " + text[: found.start]
                value = found.value
                if owner.tag == "time" and (machine := parse_date(owner.get("datetime"), words=False)):
                    value = machine if machine[:10] == value[:10] else value
                if not inside(owner, sel.FOREIGN_CONTAINER_WORDS, keep=headline):
                    if _UPDATED_WORDS.search(label) and not _PUBLISHED_WORDS.search(label):
                        seen.updated = seen.updated or value
                    else:
                        seen.published = value
                        return seen
            previous = text[-40:]
    return seen


def _page_date(doc: Document, headline: HtmlElement | None = None) -> str | None:
    """The first date written in a short text anywhere in the page body, outside foreign
    containers, copyright lines and "Updated" labels: the last resort before the URL."""
    for text in _YEAR_TEXTS(doc.tree):
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        if owner is None or owner.tag in ("script", "style", "noscript", "template") or _COPYRIGHT.search(text):
            continue
        found = find_date(text)
        if found is None or _UPDATED_WORDS.search(text[: found.start]):
            continue
        if not inside(owner, sel.FOREIGN_CONTAINER_WORDS, keep=headline):
            return found.value
    return None


def _url_date(url: str) -> str | None:
    match = _URL_DATE.search(url)
    return "-".join(match.groups()) if match else None


@dataclass(slots=True)
class Dates:
    published: str | None
    modified: str | None
    shown: bool = False  # a date was shown in the byline lines around the headline


def _structured_published(doc: Document, language: str | None) -> str | None:
    return (
        _jsonld_date(doc, ("datePublished", "dateCreated", "uploadDate"))
        or _meta_date(doc, sel.META_PUBLISHED)
        or _meta_date_any(doc)
        or _itemprop_date(doc, ("datePublished", "dateCreated"), language)
    )


def _structured_modified(doc: Document, language: str | None) -> str | None:
    return (
        _jsonld_date(doc, ("dateModified",))
        or _meta_date(doc, sel.META_MODIFIED)
        or _itemprop_date(doc, ("dateModified",), language)
    )


def _prefer_precise(visible: str, structured: str | None) -> str:
    """The structured value when it names the same day (it carries the time and offset)."""
    return structured if structured and structured[:10] == visible[:10] else visible


def extract_dates(doc: Document, *, language: str | None = None, headline: HtmlElement | None = None) -> Dates:
    """Publication and modification dates, ISO 8601.

    Published, in order: JSON-LD ``datePublished``/``dateCreated`` of the article (then web-page)
    object; meta tags (``article:published_time``, ``datePublished``, Dublin Core, Parse.ly, ...);
    ``itemprop="datePublished"`` elements; the date shown in the byline lines around the headline
    (not one labelled as an update); the first ``<time datetime>`` outside related lists,
    comments and footers not labelled as an update; a date written in date/byline-classed
    elements; the first date written anywhere in the body outside related lists, comments,
    footers and copyright lines; a ``/YYYY/MM/DD/`` date in the URL; last, the modification date when it is the only
    date the page gives.

    Modified, in order: JSON-LD ``dateModified``; meta tags (``article:modified_time``,
    ``og:updated_time``, ...); ``itemprop="dateModified"`` elements; a ``<time datetime>``
    labelled as an update; an "Updated ..." line around the headline.
    """
    seen = _near_headline(headline)
    structured = _structured_published(doc, language)
    modified = _structured_modified(doc, language) or _time_element_date(doc, modified=True, headline=headline)
    if seen.updated:
        modified = _prefer_precise(seen.updated, modified) if modified else seen.updated
    published = (
        structured
        or seen.published
        or _time_element_date(doc, modified=False, headline=headline)
        or _visible_date(doc, headline)
        or _page_date(doc, headline)
        or _url_date(doc.url)
        or modified
    )
    return Dates(published, modified, shown=bool(seen.published or seen.updated))
