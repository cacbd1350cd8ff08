"""Small text and tree helpers every field extractor uses."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from lxml.html import HtmlElement

_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_WHITESPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


def clean(text: str | None) -> str:
    """Collapse whitespace, unescape stray HTML entities, strip."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    return _WHITESPACE.sub(" ", text).strip()


def comparable(text: str) -> str:
    """A key for comparing two renderings of one string: case, quotes and whitespace ignored."""
    return clean(text).translate(_QUOTES).casefold()


def element_text(element: HtmlElement, sep: str = " ") -> str:
    """Visible text of an element, whitespace collapsed (scripts and styles left out)."""
    return clean(sep.join(element.xpath(_VISIBLE_TEXT)))


def marker(element: HtmlElement) -> str:
    """The element's class and id, lower case, for word tests."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


def inside(element: HtmlElement, words: Iterable[str], *, depth: int = 12, stop: HtmlElement | None = None) -> bool:
    """True when the element or one of its nearest ancestors has a class/id containing a word."""
    words = tuple(words)
    node: HtmlElement | None = element
    while node is not None and depth > 0:
        if node is stop:
            return False
        if node.tag in ("body", "html"):
            return False
        if node.tag in ("footer", "aside") and "footer" in words:
            return True
        label = marker(node)
        if label.strip() and any(word in label for word in words):
            return True
        node = node.getparent()
        depth -= 1
    return False


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def jsonld_types(obj: dict[str, Any]) -> set[str]:
    """The object's @type values, lower case, without a schema.org prefix."""
    types = set()
    for entry in as_list(obj.get("@type")):
        if isinstance(entry, str):
            types.add(entry.rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().lower())
    return types
