"""Per-site CSS selector overrides (a site profile's ``selectors`` table) over a ParseResult.

For a site the generic extractors get wrong, a profile names a CSS selector per field;
what a selector finds replaces the parser's value, and a selector that finds nothing
leaves the parser's value in place. How each field reads its matches:
- title, description: text of the first match;
- body: text of every match, one paragraph each, separated by a blank line;
- published_at, modified_at: the first match's ``datetime`` or ``content`` attribute,
  else its text, read by ``crawler.parsing.datetext.parse_date``;
- authors: text of every match, in page order, without repeats;
- prev_url, next_url: the first match's ``href``, made absolute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from urllib.parse import urljoin

import lxml.html
from lxml.cssselect import CSSSelector

from crawler.parsing.datetext import parse_date
from crawler.parsing.document import Document
from crawler.parsing.result import ParseResult


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _first_text(matches: list[lxml.html.HtmlElement], doc: Document, language: str | None) -> str | None:
    return next((text for text in map(_text, matches) if text), None)


def _paragraphs(matches: list[lxml.html.HtmlElement], doc: Document, language: str | None) -> str | None:
    return "\n\n".join(text for text in map(_text, matches) if text) or None


def _date(matches: list[lxml.html.HtmlElement], doc: Document, language: str | None) -> str | None:
    for element in matches:
        raw = element.get("datetime") or element.get("content") or _text(element)
        if value := parse_date(raw, language=language):
            return value
    return None


def _names(matches: list[lxml.html.HtmlElement], doc: Document, language: str | None) -> list[str] | None:
    names = list(dict.fromkeys(text for text in map(_text, matches) if text))
    return names or None


def _href(matches: list[lxml.html.HtmlElement], doc: Document, language: str | None) -> str | None:
    for element in matches:
        if href := (element.get("href") or "").strip():
            try:
                return urljoin(doc.url, href)
            except ValueError:  # "http://[::1/x": not a URL
                continue
    return None


READERS: dict[str, Callable[[list[lxml.html.HtmlElement], Document, str | None], object]] = {
    "title": _first_text,
    "description": _first_text,
    "body": _paragraphs,
    "published_at": _date,
    "modified_at": _date,
    "authors": _names,
    "prev_url": _href,
    "next_url": _href,
}


def apply_selectors(result: ParseResult, doc: Document, selectors: Mapping[str, str]) -> ParseResult:
    """A copy of ``result`` with every field a selector finds replaced (see the module docstring)."""
    changes: dict[str, object] = {}
    for field_name, css in selectors.items():
        reader = READERS.get(field_name)
        if reader is None:
            raise ValueError(f"no selector override for field {field_name!r} (known: {', '.join(READERS)})")
        value = reader(CSSSelector(css)(doc.tree), doc, result.language)
        if value is not None:
            changes[field_name] = value
    if "published_at" in changes:
        changes["published_relative"] = False  # the selector's date is read as written, never relative
    return replace(result, **changes) if changes else result
