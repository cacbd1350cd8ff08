"""A site's template: where each field sits on its pages, found on one page and used as a hint on the next.

Single-page rules go wrong on some pages of a site (a teaser headline in a second ``<h1>``, a
caption's date before the date line, a byline written another way); the site's other pages,
read the same way, show where each field really is. This module is the parser's side of it:

- ``locate``: on a parsed article, the generalised element path (``crawler.parsing.paths``)
  each field was read from: ``title`` (the headline element), ``date`` (the element showing the
  publication day), ``author`` (the element showing the first author), ``body`` (the container
  of the body's paragraphs), ``navigation`` (the prev/next block's signature). A field read
  from metadata only (JSON-LD, meta tags) has no path.
- ``apply_template``: with the site's ``SiteTemplate`` (learned across its pages by
  ``crawler.article.template``, or pinned in a site profile), the hinted element is preferred
  when it exists on the page and yields a valid value: a heading of sensible length, a date the
  ``DateCheck`` accepts, names that read as names, a body of at least ``MIN_BODY_CHARS`` and a
  fair share of the parser's own. A value the page confirms in its structured data (JSON-LD,
  meta tags) is kept against a hint that does not match it. A hint never empties a field and
  never raises: a hint that is absent, bad CSS or invalid on the page leaves the parse as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.body import read_body
from crawler.parsing.datecheck import DateCheck
from crawler.parsing.datelocale import date_locale
from crawler.parsing.datetext import find_date, parse_date
from crawler.parsing.document import Document
from crawler.parsing.jsonld import main_objects
from crawler.parsing.names import dedupe, looks_like_name, name_key, split_authors
from crawler.parsing.paths import common_ancestor, element_path
from crawler.parsing.result import ParseResult
from crawler.parsing.text import element_text, texts_after
from crawler.parsing.heading import heading_text
from crawler.parsing.titleparts import strip_site_name, title_key

TEMPLATE_FIELDS = ("title", "date", "author", "body", "navigation")
MAX_TITLE_LENGTH = 400
MAX_DATE_LINE = 150  # longer text is a paragraph, not a date line
MAX_LINES = 40  # text nodes after the headline searched for the date and the author
MIN_BODY_CHARS = 250  # a hinted body shorter than this is not taken
MIN_BODY_SHARE = 0.1  # ... nor one shorter than this share of the parser's own (a caption box, not the story)
BODY_HEAD = 24  # characters of a paragraph's start used to find it in the page
BODY_TAIL_WORDS = 8  # words of the parse's last paragraph's end that must be in the hinted container (a common
# three-word ending, "the next 21 months.", also ends a story sentence inside it)
_WORDS = re.compile(r"[^\W\d_]{2,}\W+[^\W\d_]{2,}")  # a title has two words of letters at least
_AUTHOR_MARKS = ("author", "byline", "writer", "credit")
# Raw text, no normalising: one pass in C over the page's text nodes.
_TEXT_WITH = etree.XPath("//body//text()[contains(., $first) or contains(., $last)]")


LAYOUT_FIELDS = ("title", "date", "author", "navigation", "region")


@dataclass(frozen=True, slots=True)
class Layout:
    """One article layout of a site, as the fast path (``crawler.parsing.fastpath``) checks it:
    the paths of the headline, the date and author elements and the navigation block (None:
    the layout shows none), and ``region``, the container the body reader picked
    (``Body.region``). Learned per site from pages whose every located path was the same."""

    title: str
    region: str
    date: str | None = None
    author: str | None = None
    navigation: str | None = None

    @classmethod
    def from_paths(cls, paths: dict[str, str]) -> Layout | None:
        """The layout a page's ``field_paths`` describe; None without a headline or a body region."""
        if not paths.get("title") or not paths.get("region"):
            return None
        return cls(**{name: paths[name] for name in LAYOUT_FIELDS if paths.get(name)})

    def paths(self) -> list[str]:
        return [value for name in LAYOUT_FIELDS if (value := getattr(self, name))]

    def as_paths(self) -> dict[str, str]:
        """The layout by field name, what ``from_paths`` reads back: its one serialized form
        (kept in the database by ``crawler.storage.templates``, published to Redis workers)."""
        return {name: value for name in LAYOUT_FIELDS if (value := getattr(self, name))}

    def dumps(self) -> str:
        """``as_paths`` as compact JSON with sorted keys (the same layout, the same text)."""
        return json.dumps(self.as_paths(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | bytes) -> Layout:
        """The layout ``dumps`` wrote; ValueError (saying what is wrong) for anything else."""
        raw = json.loads(text)
        if not isinstance(raw, dict) or not all(
            name in LAYOUT_FIELDS and isinstance(path, str) and path for name, path in raw.items()
        ):
            raise ValueError(f"not a layout (a table of {', '.join(LAYOUT_FIELDS)} paths): {text!r:.200}")
        layout = cls.from_paths(raw)
        if layout is None:
            raise ValueError(f"a layout without a title or a region path: {text!r:.200}")
        return layout

    def __reduce__(self) -> tuple[type[Layout], tuple[str | None, ...]]:
        # A layout crosses to the parse pool with every page of its site: the fields as arguments
        # pickle in a third of the time of a frozen dataclass's default state.
        return Layout, (self.title, self.region, self.date, self.author, self.navigation)


@dataclass(frozen=True, slots=True)
class SiteTemplate:
    """One CSS path per field (None: no hint). Small and picklable: it travels with each page
    to the parse pool. ``layouts``: the site's article layouts confident enough for the fast
    path (none: every page gets the full parse); ``verify``: parse this page both ways and
    compare (``crawler.parsing.fastpath``)."""

    title: str | None = None
    date: str | None = None
    author: str | None = None
    body: str | None = None
    navigation: str | None = None
    layouts: tuple[Layout, ...] = ()
    verify: bool = False

    @classmethod
    def from_paths(cls, paths: dict[str, str]) -> SiteTemplate:
        return cls(**{name: paths[name] for name in TEMPLATE_FIELDS if paths.get(name)})

    def paths(self) -> dict[str, str]:
        return {name: value for name in TEMPLATE_FIELDS if (value := getattr(self, name))}

    def __bool__(self) -> bool:
        return bool(self.paths())

    def __reduce__(self) -> tuple[type[SiteTemplate], tuple[Any, ...]]:
        # With every page to the parse pool: see ``Layout.__reduce__``.
        return SiteTemplate, (self.title, self.date, self.author, self.body, self.navigation, self.layouts, self.verify)

    def pinned_by(self, pinned: SiteTemplate | None) -> SiteTemplate:
        """This (learned) template under a site profile's pin: the pin's fields win, ours fill the rest."""
        return SiteTemplate.from_paths({**self.paths(), **pinned.paths()}) if pinned else self


# --- where each field was read -----------------------------------------------------------------
def _date_element(doc: Document, published: str, headline: HtmlElement | None, locale: Any) -> HtmlElement | None:
    """The first short line after the headline, else the first ``<time datetime>``, that shows the published day."""
    day = published[:10]
    if headline is not None:
        for text, owner in islice(texts_after(headline), MAX_LINES):
            if len(text) <= MAX_DATE_LINE and any(c.isdigit() for c in text):
                found = find_date(text, month_first=locale.month_first, country=locale.country, language=locale.language)
                if found is not None and day in (found.value[:10], (found.alternative or "")[:10]):
                    return owner
    for element in doc.index().times:
        value = parse_date(element.get("datetime"), words=False)
        if value and value[:10] == day:
            return element
    return None


def _author_element(doc: Document, author: str, headline: HtmlElement | None) -> HtmlElement | None:
    """The element whose own text shows the first author: after the headline, else in an author-marked element."""
    key = author.casefold()
    if headline is not None:
        for text, owner in islice(texts_after(headline), MAX_LINES):
            if key in text.casefold():
                return owner
    for element, label in doc.index().marked:
        if any(mark in label for mark in _AUTHOR_MARKS):
            for node in element.iter():
                if isinstance(node.tag, str) and node.text and key in node.text.casefold():
                    return node
    return None


def _head(paragraph: str) -> str:
    """A paragraph's first three words: raw page text rarely breaks a line inside them."""
    head = " ".join(paragraph[:BODY_HEAD].split()[:3])
    return head if len(head) >= 8 else ""


def _owner(text: Any) -> HtmlElement | None:
    owner = text.getparent()
    if owner is None or owner.tag in ("script", "style", "template", "title"):
        return None
    return owner.getparent() if text.is_tail and owner.getparent() is not None else owner


def _paragraph_owners(tree: HtmlElement, first: str, last: str) -> tuple[HtmlElement | None, HtmlElement | None]:
    """The elements holding the start of ``first`` and of ``last`` (one pass over the text)."""
    head_first, head_last = _head(first) or _head(last), _head(last) or _head(first)
    if not head_first:
        return None, None
    found_first = found_last = None
    for text in _TEXT_WITH(tree, first=head_first, last=head_last):
        owner = _owner(text)
        if owner is None:
            continue
        if found_first is None and head_first in text:
            found_first = owner
        if head_last in text:
            found_last = owner
    return found_first, found_last


def _body_element(doc: Document, body: str) -> HtmlElement | None:
    """The container of the body's first and last paragraphs (their nearest common ancestor)."""
    paragraphs = [part.strip() for part in body.split("\n\n") if part.strip()]
    if not paragraphs:
        return None
    first, last = _paragraph_owners(doc.tree, paragraphs[0], paragraphs[-1])
    if first is None or last is None:
        if len(paragraphs) < 3:
            return None
        first, last = _paragraph_owners(doc.tree, paragraphs[1], paragraphs[-2])  # one more try, inwards
        if first is None or last is None:
            return None
    container = common_ancestor(first, last)
    if container is first and first is last and len(paragraphs) > 1:
        return container  # one element holds every paragraph as loose text
    if container is not None and (container is first or container is last):
        container = container.getparent()
    return container


def _title_path(doc: Document, result: ParseResult, headline: HtmlElement | None) -> str | None:
    return element_path(headline) if headline is not None and result.title else None


def _date_path(doc: Document, result: ParseResult, headline: HtmlElement | None) -> str | None:
    if not result.published_at:
        return None
    element = _date_element(doc, result.published_at, headline, date_locale(doc, result.language))
    return element_path(element) if element is not None else None


def _author_path(doc: Document, result: ParseResult, headline: HtmlElement | None) -> str | None:
    element = _author_element(doc, result.authors[0], headline) if result.authors else None
    return element_path(element) if element is not None else None


def _body_path(doc: Document, result: ParseResult, headline: HtmlElement | None) -> str | None:
    element = _body_element(doc, result.body) if result.body else None
    return element_path(element) if element is not None and element.tag not in ("body", "html") else None


def _navigation_path(doc: Document, result: ParseResult, headline: HtmlElement | None) -> str | None:
    return result.nav_block


_LOCATORS: dict[str, Callable[[Document, ParseResult, HtmlElement | None], str | None]] = {
    "title": _title_path,
    "date": _date_path,
    "author": _author_path,
    "body": _body_path,
    "navigation": _navigation_path,
}


def locate(doc: Document, result: ParseResult, headline: HtmlElement | None, names: tuple[str, ...] = TEMPLATE_FIELDS) -> dict[str, str]:
    """The element path each field of an article was read from (see the module docstring)."""
    return {name: path for name in names if (path := _LOCATORS[name](doc, result, headline))}


# --- the hint: each reader gives SAME (the parse already reads the hinted element), a value
# to take instead, or None (no valid value there: the hint does not apply to this page) -------
SAME = object()


def _structured_titles(doc: Document, site_name: str | None) -> set[str]:
    values = [value for name in sel.META_TITLE for value in doc.meta.get(name, ())]
    values += [obj["headline"] for obj in main_objects(doc) if isinstance(obj.get("headline"), str)]
    return {title_key(v) for value in values for v in (value, strip_site_name(value, site_name)) if v.strip()}


def _hinted_title(doc: Document, result: ParseResult, path: str, headline: HtmlElement | None) -> object:
    parsed = title_key(result.title or "")
    for element in doc.select(path):
        if element is headline:
            return SAME
        text = strip_site_name(heading_text(element), result.site_name)
        if len(text) > MAX_TITLE_LENGTH or not _WORDS.search(text):
            continue
        if title_key(text) == parsed:
            return SAME
        declared = _structured_titles(doc, result.site_name)
        if parsed in declared and title_key(text) not in declared:
            return None  # the page's metadata confirms the parser's title
        return text
    return None


def _structured_days(doc: Document) -> set[str]:
    values = [obj.get("datePublished") for obj in main_objects(doc)]
    values += [value for name in sel.META_PUBLISHED for value in doc.meta.get(name, ())]
    return {parsed[:10] for value in values if isinstance(value, str) and (parsed := parse_date(value, words=False))}


def _element_date(element: HtmlElement, locale: Any) -> str | None:
    value = parse_date(element.get("datetime") or element.get("content"), words=False)
    if value is None:
        text = element_text(element)
        found = find_date(text, month_first=locale.month_first, country=locale.country, language=locale.language) if len(text) <= MAX_DATE_LINE else None
        value = found.value if found else None
    return value


def _hinted_date(doc: Document, result: ParseResult, path: str, now: datetime) -> object:
    check = DateCheck(now)
    locale = date_locale(doc, result.language)
    parsed_day = (result.published_at or "")[:10]
    for element in doc.select(path):
        value = _element_date(element, locale)
        if value is None or not check(value, "template"):
            continue
        if value[:10] == parsed_day:
            return SAME
        declared = _structured_days(doc)
        if parsed_day in declared and value[:10] not in declared:
            return None  # the page's metadata confirms the parser's day
        return value
    return None


def _structured_authors(doc: Document) -> set[str]:
    names: set[str] = set()
    for obj in main_objects(doc):
        author = obj.get("author")
        for entry in author if isinstance(author, list) else [author]:
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str):
                names.add(name_key(name))
    names.update(name_key(value) for value in doc.meta.get("author", ()))
    return names


def _hinted_authors(doc: Document, result: ParseResult, path: str) -> object:
    names = dedupe([name for element in doc.select(path) for name in split_authors(element_text(element))])
    keys = {name_key(name) for name in names if looks_like_name(name)}
    if not keys:
        return None
    parsed = {name_key(name) for name in result.authors}
    if keys == parsed:
        return SAME
    declared = _structured_authors(doc)
    if parsed and parsed <= declared and not keys <= declared:
        return None  # the page's metadata confirms the parser's authors
    return [name for name in names if looks_like_name(name)]


def _hinted_body(doc: Document, result: ParseResult, path: str) -> object:
    paragraphs = [part for part in (result.body or "").split("\n\n") if part.strip()]
    for element in doc.select(path)[:1]:
        if paragraphs:
            text = " ".join(element.text_content().split())
            last = paragraphs[-1].split()
            if _head(paragraphs[0]) in text and " ".join(last[-BODY_TAIL_WORDS:]) in text:
                return SAME  # the parse's first and last paragraphs are inside the hinted container
        body = read_body(doc, root=element).text
        if body and body != result.body and len(body) >= max(MIN_BODY_CHARS, MIN_BODY_SHARE * len(result.body or "")):
            return body
    return None


# a hinted field -> the ParseResult field it corrects (as ``template_changed`` names it)
RESULT_FIELDS = {"title": "title", "date": "published_at", "author": "authors", "body": "body"}


def apply_template(
    doc: Document, result: ParseResult, template: SiteTemplate, headline: HtmlElement | None, *, now: datetime,
    located: bool = True,
) -> ParseResult:
    """The result with each hinted field the page confirms; ``field_paths`` the template's path
    where the hint held (or corrected the field), the located path elsewhere (``located`` False:
    none at all, the page casts no vote: what a page read by the template fast path reports);
    ``template_changed`` the fields corrected."""
    readers: dict[str, Callable[[str], object]] = {
        "title": lambda path: _hinted_title(doc, result, path, headline),
        "date": lambda path: _hinted_date(doc, result, path, now),
        "author": lambda path: _hinted_authors(doc, result, path),
        "body": lambda path: _hinted_body(doc, result, path),
    }
    paths: dict[str, str] = {}
    changes: dict[str, Any] = {}
    for name, reader in readers.items():
        path = getattr(template, name)
        outcome = reader(path) if path else None
        if outcome is None:
            continue
        paths[name] = path
        if outcome is not SAME:
            changes[RESULT_FIELDS[name]] = outcome
    corrected = replace(result, **changes) if changes else result
    if "published_at" in changes:
        corrected.published_relative = False
    unsettled = tuple(name for name in TEMPLATE_FIELDS if name not in paths)
    corrected.field_paths = {**locate(doc, corrected, headline, unsettled), **paths} if located else {}
    corrected.template_changed = sorted(changes)
    return corrected
