"""The article's keywords or topics, as the publisher tags it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.jsonld import as_list, main_objects
from crawler.parsing.text import clean

MAX_KEYWORDS = 30  # a page listing more is dumping a taxonomy; the first ones are kept
MAX_KEYWORD_LENGTH = 80  # characters; longer is a sentence, not a tag
_SPLIT = re.compile(r"\s*[,;]\s*")
_LETTER = re.compile(r"[^\W\d_]")
_IDENTIFIER = re.compile(r"^\S*_\S*$")  # "ctp_video", "_syndication_noshow": template flags, not words


def extract_keywords(doc: Document) -> list[str]:
    """Keywords from the first source that has any, each once, in the page's order.

    Order: ``news_keywords``, ``article:tag`` (one meta tag per keyword); the JSON-LD
    ``keywords`` of the article object (a list, or one comma-separated string); ``keywords``
    (often an SEO list, so last among the meta tags); the page's ``<a rel=tag>`` links (the
    microformat for "this page's tag", which blog software writes under a post). Comma- and
    semicolon-separated strings are split; a piece without a letter (an id), with an
    underscore and no space (a template flag) or longer than ``MAX_KEYWORD_LENGTH`` is not a
    keyword; at most ``MAX_KEYWORDS`` are kept.
    """
    sources = (_meta(doc, sel.META_KEYWORDS), _jsonld(doc), _meta(doc, sel.META_KEYWORDS_LAST), _rel_tags(doc))
    for values in sources:
        if keywords := _cleaned(values):
            return keywords
    return []


def _meta(doc: Document, names: tuple[str, ...]) -> list[str]:
    for name in names:
        if values := [value for value in doc.meta.get(name, ()) if value.strip()]:
            return values
    return []


def _jsonld(doc: Document) -> list[str]:
    for obj in main_objects(doc):
        if values := [text for value in as_list(obj.get("keywords")) if (text := _term(value))]:
            return values
    return []


def _term(value: Any) -> str | None:
    """A JSON-LD keyword: a string, or a ``DefinedTerm``'s name."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return None


def _rel_tags(doc: Document) -> list[str]:
    return [
        element.text_content()
        for element in doc.index().rel_links
        if element.tag == "a" and "tag" in (element.get("rel") or "").lower().split()
    ]


def _cleaned(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    keywords: list[str] = []
    for value in values:
        for piece in _SPLIT.split(clean(value)):
            if not _LETTER.search(piece) or _IDENTIFIER.match(piece) or len(piece) > MAX_KEYWORD_LENGTH:
                continue
            if piece.casefold() not in seen:
                seen.add(piece.casefold())
                keywords.append(piece)
                if len(keywords) == MAX_KEYWORDS:
                    return keywords
    return keywords
