"""The article's visible headline (not the ``<title>`` with the site name appended)."""

from __future__ import annotations

import re

from crawler.parsing import selectors as sel
from crawler.parsing.dates import main_objects
from crawler.parsing.document import Document
from crawler.parsing.text import clean, comparable, element_text, inside

MAX_HEADINGS = 8  # headings compared against the structured titles
MAX_TITLE_LENGTH = 400

_SEPARATORS = re.compile(r"\s+[|–—·•»:/-]\s+|\s+::\s+|\s*\|\s*")


def strip_site_name(title: str, site_name: str | None = None) -> str:
    """``"Headline | Site"`` -> ``"Headline"``: the longest part when the title has separators."""
    parts = [part.strip() for part in _SEPARATORS.split(title) if part.strip()]
    if len(parts) <= 1:
        return title
    if site_name:
        key = comparable(site_name)
        kept = [part for part in parts if comparable(part) != key]
        if kept and len(kept) < len(parts):
            return _rejoin(title, kept)
    first, longest = parts[0], max(parts, key=len)
    return first if len(first) >= len(longest) * 0.6 else longest


def _rejoin(title: str, kept: list[str]) -> str:
    """The part of the title that holds every kept part, separators included."""
    start = title.find(kept[0])
    end = title.find(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else kept[0]


def _structured_titles(doc: Document) -> list[str]:
    titles: list[str] = []
    for obj in main_objects(doc):
        for key in ("headline", "name", "alternativeHeadline"):
            value = obj.get(key)
            if isinstance(value, str) and clean(value):
                titles.append(clean(value))
    for name in sel.META_TITLE:
        for value in doc.meta.get(name, ()):
            if clean(value):
                titles.append(clean(value))
    return titles


def _page_title(doc: Document) -> str | None:
    element = doc.tree.find(".//title")
    if element is None:
        return None
    return element_text(element, sep="") or None


def _headings(doc: Document) -> list[str]:
    out = []
    for element in doc.tree.xpath(sel.TITLE_H1_XPATH)[:MAX_HEADINGS]:
        if inside(element, sel.FOREIGN_CONTAINER_WORDS):
            continue
        text = element_text(element, sep=" ")
        if text and len(text) <= MAX_TITLE_LENGTH:
            out.append(text)
    return out


def _matches(heading: str, candidate: str) -> bool:
    a, b = comparable(heading), comparable(candidate)
    return a == b or (len(a) >= 10 and a in b)


def extract_title(doc: Document, *, site_name: str | None = None) -> str | None:
    """The headline.

    Order: an ``<h1>`` confirmed by a structured title (JSON-LD ``headline``/``name``,
    ``og:title``, ``twitter:title``, or ``<title>``: equal or contained); a title-classed element
    (``entry-title``, ``itemprop=headline``, ...) confirmed the same way; the JSON-LD headline;
    ``og:title``-family meta with the site name stripped; the page's only ``<h1>``; the
    ``<title>`` with the site name stripped.
    """
    structured = _structured_titles(doc)
    page_title = _page_title(doc)
    confirmers = structured + ([page_title] if page_title else [])
    headings = _headings(doc)
    for heading in headings:
        if any(_matches(heading, candidate) for candidate in confirmers):
            return heading
    for element in doc.tree.xpath(sel.TITLE_CLASS_XPATH)[:MAX_HEADINGS]:
        text = element_text(element, sep=" ")
        if text and len(text) <= MAX_TITLE_LENGTH and any(_matches(text, c) for c in confirmers):
            return text
    if structured:
        return strip_site_name(structured[0], site_name)
    if len(headings) == 1:
        return headings[0]
    if page_title:
        return strip_site_name(page_title, site_name)
    return headings[0] if headings else None
