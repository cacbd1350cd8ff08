"""The page's publication and modification dates.

Only the page's own dates: a date inside a related-article teaser, a comment, a sidebar
or a footer (copyright year) is never taken; the crawl time is never used.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.parsing import selectors as sel
from crawler.parsing.datetext import parse_date
from crawler.parsing.document import Document
from crawler.parsing.text import element_text, inside, jsonld_types, with_words

MAX_VISIBLE_CANDIDATES = 4  # date-classed elements tried with dateparser, in document order
MAX_VISIBLE_TEXT = 80  # longer element text is a paragraph, not a date line
MAX_CHILDREN = 12  # an element with more children is a container, not a date line

_NOT_TEXT = frozenset(("script", "style", "img", "svg", "input", "select", "textarea", "iframe"))
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_PUBLISHED_WORDS = re.compile(r"publi|posted|veröff|опублик", re.I)

_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|$)")
_UPDATED_WORDS = re.compile(
    r"updated|modified|aktualisiert|mis à jour|actualizado|aggiornato|atualizado|bijgewerkt|"
    r"zaktualizowano|обновлено|edited",
    re.I,
)


def main_objects(doc: Document) -> list[dict[str, Any]]:
    """JSON-LD objects describing this page: article types first, then web-page types."""
    articles = [obj for obj in doc.json_ld if jsonld_types(obj) & sel.ARTICLE_TYPES]
    pages = [obj for obj in doc.json_ld if jsonld_types(obj) & sel.PAGE_TYPES]
    return articles + pages


def _jsonld_date(doc: Document, keys: tuple[str, ...]) -> str | None:
    for obj in main_objects(doc):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            if isinstance(value, str) and (parsed := parse_date(value, words=False)):
                return parsed
    return None


def _meta_date(doc: Document, names: tuple[str, ...]) -> str | None:
    for name in names:
        for value in doc.meta.get(name, ()):
            if parsed := parse_date(value, words=False):
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


def _time_element_date(doc: Document, *, modified: bool) -> str | None:
    """``<time datetime>``: the first outside foreign containers whose label fits the field."""
    for element in doc.index().times:
        if inside(element, sel.FOREIGN_CONTAINER_WORDS):
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


def _visible_date(doc: Document, language: str | None) -> str | None:
    """Short text holding a year in elements whose class/id says date/published/byline, read
    with dateparser (at most ``MAX_VISIBLE_CANDIDATES`` tries: failures cost tens of ms)."""
    tried = 0
    for element in with_words(doc.index().marked, sel.DATE_CLASS_WORDS):
        if tried >= MAX_VISIBLE_CANDIDATES:
            break
        if element.tag in _NOT_TEXT or len(element) > MAX_CHILDREN:
            continue
        text = element_text(element)
        if not text or len(text) > MAX_VISIBLE_TEXT or not _YEAR.search(text):
            continue
        if _UPDATED_WORDS.search(text) and not _PUBLISHED_WORDS.search(text):
            continue
        if inside(element, sel.FOREIGN_CONTAINER_WORDS):
            continue
        tried += 1
        if parsed := parse_date(text, language=language):
            return parsed
    return None


def _url_date(url: str) -> str | None:
    match = _URL_DATE.search(url)
    return "-".join(match.groups()) if match else None


def extract_published(doc: Document, *, language: str | None = None) -> str | None:
    """Publication date, ISO 8601.

    Order: JSON-LD ``datePublished``/``dateCreated`` of the article (then web-page) object;
    meta tags (``article:published_time``, ``datePublished``, Dublin Core, Parse.ly, ...);
    ``itemprop="datePublished"`` elements; the first ``<time datetime>`` outside related lists,
    comments and footers that is not labelled as an update; short visible text in date/byline
    elements (dateparser); a ``/YYYY/MM/DD/`` date in the URL.
    """
    return (
        _jsonld_date(doc, ("datePublished", "dateCreated", "uploadDate"))
        or _meta_date(doc, sel.META_PUBLISHED)
        or _itemprop_date(doc, ("datePublished", "dateCreated"), language)
        or _time_element_date(doc, modified=False)
        or _visible_date(doc, language)
        or _url_date(doc.url)
    )


def extract_modified(doc: Document, *, language: str | None = None) -> str | None:
    """Last modification date, ISO 8601.

    Order: JSON-LD ``dateModified``; meta tags (``article:modified_time``, ``og:updated_time``, ...);
    ``itemprop="dateModified"`` elements; a ``<time datetime>`` labelled as an update.
    """
    return (
        _jsonld_date(doc, ("dateModified",))
        or _meta_date(doc, sel.META_MODIFIED)
        or _itemprop_date(doc, ("dateModified",), language)
        or _time_element_date(doc, modified=True)
    )
