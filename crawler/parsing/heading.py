"""A heading element: the text it shows (``heading_text``), whether readers see it
(``is_hidden_heading``), whether it ends a breadcrumb trail (``ends_trail``).

Many newsroom templates put an ``<h1>`` at the end of the breadcrumb trail ("Home > Politics >
<h1>Headline</h1>", for search engines) and show the headline readers see in the article
header, often as an ``<h2>`` with a kicker. The trail's ``<h1>`` then holds the page's search
title, which can differ from the visible headline. A trail is recognised without words: the
heading's preceding siblings (or the siblings of the list item holding it) each hold one link,
and each link goes up the page's own path (the home page, its section, its subsection).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.parsing.text import clean, inside

MIN_CRUMBS = 2  # links up the page's path before a heading that make it a trail's last crumb
MAX_CRUMBS = 12  # siblings looked at before the heading
TRAIL_DEPTH = 4  # the heading and its ancestors looked at for a breadcrumb class or id
BREADCRUMB_WORDS = ("breadcrumb", "breadcrumbs")

_WORDS = re.compile(r"\w")
_HIDDEN_CLASS = re.compile(r"(?<![\w-])(?:sr-only|screen-reader-text|visually-hidden|visuallyhidden|element-invisible)(?![\w-])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SKIPPED = frozenset(("script", "style", "noscript", "template", "svg"))  # never part of a heading's text
_SPACED = frozenset(("br", "div", "p", "li"))


def ends_trail(element: HtmlElement, url: str) -> bool:
    """True when the element is the last item of a breadcrumb trail: at least ``MIN_CRUMBS``
    siblings before it (or before the list item / wrapper holding only it), every one holding a
    single link to the site's root or a section path above this page's path; or the element
    sits in a container whose class or id names a breadcrumb (``BREADCRUMB_WORDS``)."""
    return _after_crumbs(element, url) or inside(element, BREADCRUMB_WORDS, depth=TRAIL_DEPTH)


def _after_crumbs(element: HtmlElement, url: str) -> bool:
    """The element follows ``MIN_CRUMBS`` or more one-link siblings, each link going up the path."""
    item = element
    parent = item.getparent()
    if parent is not None and (parent.tag == "li" or len(parent) == 1):
        item = parent
    page = urlsplit(url)
    crumbs = 0
    for sibling in item.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style", "svg"):
            continue
        if crumbs >= MAX_CRUMBS:
            return False
        links = [sibling] if sibling.tag == "a" else list(sibling.iter("a"))
        if not links and not _WORDS.search(sibling.text_content()):
            continue  # a separator: "›", "/", an icon
        if len(links) != 1:
            return False
        if not _goes_up(links[0].get("href"), page):
            return False
        crumbs += 1
    return crumbs >= MIN_CRUMBS


def _goes_up(href: str | None, page: SplitResult) -> bool:
    """A link to the page's own host whose path is a proper ancestor of the page's path."""
    if not href or href.startswith("#"):
        return False
    target = urlsplit(urljoin(page.geturl(), href))
    if _site(target.hostname) != _site(page.hostname):
        return False
    path = target.path.rstrip("/") + "/"
    return path != page.path.rstrip("/") + "/" and page.path.startswith(path)


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host


def is_hidden_heading(element: HtmlElement) -> bool:
    """A heading only screen readers get: a hiding class (``sr-only``), ``hidden``, ``display:none``."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(_HIDDEN_CLASS.search(element.get("class") or "") or (style and _HIDDEN_STYLE.search(style)))


def heading_text(element: HtmlElement) -> str:
    """A heading's text as shown: inline pieces joined as they are (a drop cap "C" + "ycle" is
    one word), a space for ``<br>`` and block children, and where a child element starts a
    capitalised line right after a word ("Alternatives" + <span>"Top tools"</span>)."""
    parts: list[str] = []

    def add(text: str | None, boundary: bool) -> None:
        if not text:
            return
        if boundary and parts and _glued_line(parts[-1], text):
            parts.append(" ")
        parts.append(text)

    def walk(node: HtmlElement) -> None:
        if node.tag in SKIPPED:
            return
        if node.tag in _SPACED:
            parts.append(" ")
        add(node.text, boundary=True)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            add(child.tail, boundary=True)
        if node.tag in _SPACED:
            parts.append(" ")

    walk(element)
    return clean("".join(parts))


def _glued_line(before: str, after: str) -> bool:
    """Two pieces of a heading that read as two lines: a word of 2+ letters, then a capital."""
    tail = before.rstrip()
    return bool(tail) and tail == before and len(tail.split()[-1]) > 1 and tail[-1].isalnum() and after[:1].isupper()
