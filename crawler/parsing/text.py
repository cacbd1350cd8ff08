"""Small text and tree helpers every field extractor uses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, wraps
from itertools import islice
from typing import Any, TypeVar

from lxml import etree
from lxml.html import HtmlElement

_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")  # compiled once, not per call
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


F = TypeVar("F", bound=Callable[[str], Any])


def remembered_for_short_texts(maxsize: int, max_chars: int) -> Callable[[F], F]:
    """A pure function of one text, its answers for texts of at most ``max_chars`` characters
    remembered per process (the ``maxsize`` least recently used kept); a longer text is worked
    out each time. The readers of one page ask about the same labels, bylines and titles, and a
    site repeats them on every page. The text is keyed as a plain string: lxml's string results
    hold their element, and so their page, alive. The answers are shared: the function returns
    values its callers cannot change. The function itself is ``.__wrapped__``; ``.cache_info``
    and ``.cache_clear`` are its cache's."""

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)

        @wraps(function)
        def call(text: str) -> Any:
            return function(text) if len(text) > max_chars else cached(str(text))

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]

    return decorate


CLEAN_CACHE_SIZE = 8192  # short texts whose cleaned form is remembered (least recently used dropped)
MAX_REMEMBERED_TEXT = 200  # characters: longer texts (paragraphs) rarely repeat and are cleaned each time


def clean(text: str | None) -> str:
    """Collapse whitespace, unescape stray HTML entities, strip. A short text's cleaned form is
    remembered per process (``remembered_for_short_texts``)."""
    return _clean(text) if text else ""


@remembered_for_short_texts(CLEAN_CACHE_SIZE, MAX_REMEMBERED_TEXT)
def _clean(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())  # every run of whitespace (str.isspace(), as re's \s) one space, the ends stripped


def comparable(text: str) -> str:
    """A key for comparing two renderings of one string: case, quotes and whitespace ignored."""
    return clean(text).translate(_QUOTES).casefold()


def element_text(element: HtmlElement, sep: str = " ") -> str:
    """Visible text of an element, whitespace collapsed (scripts and styles left out)."""
    return clean(sep.join(_VISIBLE_TEXT(element)))


def marker(element: HtmlElement) -> str:
    """The element's class and id, lower case, for word tests."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".lower()


@lru_cache(maxsize=32)
def _token_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Class/id tokens that start or end with one of the words (``related-posts``,
    ``yarpp-related``), not tokens with the word in the middle (``content-sidebar-wrap``) nor
    layout flags (``has-sidebar``)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(
        rf"(?:^|\s)(?:(?:{alternatives})(?:[-_]\S*)?|(?!has[-_]|with[-_]|no[-_]|is[-_])\S*[-_](?:{alternatives}))(?=\s|$)"
    )


WRAPPER_PARAGRAPHS = 8  # a "sidebar"-named block holding this many paragraphs wraps the article


def _holds_prose(node: HtmlElement) -> bool:
    return sum(1 for _ in islice(node.iter("p"), WRAPPER_PARAGRAPHS)) >= WRAPPER_PARAGRAPHS


def inside(element: HtmlElement, words: tuple[str, ...], *, depth: int = 12, keep: HtmlElement | None = None) -> bool:
    """True when the element or one of its nearest ancestors has a class/id token starting or
    ending with one of the words. A page-level ``<footer>``/``<aside>`` (not inside an
    ``<article>``) counts as a "footer"/"sidebar" container. An ancestor that also holds
    ``keep`` (the headline) or ``WRAPPER_PARAGRAPHS`` paragraphs is a layout wrapper
    ("story-template-sidebar"), not a foreign block."""
    pattern = _token_pattern(words)
    kept = set(keep.iterancestors()) if keep is not None else set()
    node: HtmlElement | None = element
    in_article = False
    page_level: list[HtmlElement] = []
    while node is not None and depth > 0:
        tag = node.tag
        if tag in ("body", "html"):
            break
        if tag == "article":
            in_article = True
        elif tag in ("footer", "aside"):
            page_level.append(node)
        label = marker(node)
        if label.strip() and pattern.search(label) and node not in kept and not _holds_prose(node):
            return True
        node = node.getparent()
        depth -= 1
    return bool(page_level) and not in_article and ("footer" in words or "sidebar" in words)


def within(element: HtmlElement, container: HtmlElement) -> bool:
    """The element is the container or inside it."""
    return element is container or any(ancestor is container for ancestor in element.iterancestors())


@lru_cache(maxsize=32)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word in words))


def with_words(marked: list[tuple[HtmlElement, str]], words: Iterable[str]) -> list[HtmlElement]:
    """Elements from ``Document.marked()`` whose class/id contains one of the words (one regular
    expression per label: a third cheaper than testing each word)."""
    search = _any_word(tuple(words)).search
    return [element for element, label in marked if search(label)]


def with_tokens(marked: list[tuple[HtmlElement, str]], tokens: frozenset[str], gate: tuple[str, ...]) -> list[HtmlElement]:
    """Elements from ``Document.marked()`` having one of the class/id tokens exactly.

    ``gate``: substrings every token contains one of, tested first because it is cheaper.
    """
    return [
        element
        for element, label in marked
        if any(word in label for word in gate) and not tokens.isdisjoint(label.split())
    ]


_SKIP_TEXT = frozenset(("script", "style", "noscript", "template", "svg", "button", "select", "option"))


def _subtree_texts(root: HtmlElement, *, with_tail: bool) -> Iterator[tuple[str, HtmlElement]]:
    # Each .tag, .text and .tail read once: lxml builds a new object on every read.
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag not in _SKIP_TEXT and (text := element.text) and not text.isspace():
            yield text, element
        if element is not root and (tail := element.tail) and not tail.isspace():
            parent = element.getparent()
            if parent is not None:
                yield tail, parent
    if with_tail and (tail := root.tail) and not tail.isspace():
        parent = root.getparent()
        if parent is not None:
            yield tail, parent


def texts_after(element: HtmlElement) -> Iterator[tuple[str, HtmlElement]]:
    """Non-blank text nodes from the element on, in (roughly) document order, with their element."""
    yield from _subtree_texts(element, with_tail=False)
    node: HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):
        parent = node.getparent()
        if (tail := node.tail) and not tail.isspace() and parent is not None:
            yield tail, parent
        for sibling in node.itersiblings():
            yield from _subtree_texts(sibling, with_tail=True)
        node = parent


def texts_before(element: HtmlElement) -> Iterator[tuple[str, HtmlElement]]:
    """Non-blank text nodes before the element, nearest first (by preceding sibling blocks)."""
    node: HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):
        for sibling in node.itersiblings(preceding=True):
            yield from reversed(list(_subtree_texts(sibling, with_tail=False)))
        node = node.getparent()
