"""Does a page look like a script shell: markup that a browser's scripts turn into the page?

A shell shows (almost) no text of its own, loads script bundles, and has a place the scripts
fill: an empty application root (``<div id="root">``, ``#app``, ``#__next``, ``#__nuxt``,
``[data-reactroot]``, ``[ng-version]``...) or a ``<noscript>`` asking for JavaScript. The
crawl's ``auto`` render mode (``crawler/render``) renders a page only when its ordinary parse
found no article and this says it is a shell, so an ordinary site never reaches a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from crawler.parsing.document import Document

SHELL_MAX_TEXT = 400  # characters of visible text (outside scripts) a shell shows at most, in runs of RUN_MIN_CHARS
RUN_MIN_CHARS = 40  # a shorter text run is a menu entry or a label, not the page's own text
ROOT_MAX_TEXT = 200  # characters an application root holds before the scripts fill it
BUNDLE_MIN_CHARS = 1000  # an inline script this long counts as a bundle, like any <script src>
_ROOT_NAME = re.compile(r"^(?:root|app|main-app|application|__next|__nuxt|___gatsby|svelte|q-app|ember-app|app-root)$", re.I)
_ROOT_ATTRIBUTES = ("data-reactroot", "ng-version", "ng-app", "data-server-rendered", "data-v-app", "data-turbo-root")
_NOSCRIPT_ASKS = re.compile(r"javascript|\bJS\b", re.I)
_TEXTS = etree.XPath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]")


@dataclass(slots=True)
class ShellSigns:
    """What made a page look like a script shell."""

    text_chars: int  # visible text, in runs of at least RUN_MIN_CHARS
    bundles: int  # <script src> and long inline scripts
    root: str | None  # the empty application root or the <noscript> that asks for JavaScript


def _visible_text(doc: Document) -> int:
    runs = (text.strip() for text in _TEXTS(doc.tree))
    return sum(len(run) for run in runs if len(run) >= RUN_MIN_CHARS)


def _bundles(doc: Document) -> int:
    return sum(1 for script in doc.tree.iter("script") if script.get("src") or len(script.text or "") >= BUNDLE_MIN_CHARS)


def _root(doc: Document) -> str | None:
    for element in doc.tree.iter("div", "main", "section", "body", "app-root"):
        names = [element.get("id") or "", *(element.get("class") or "").split()]
        marked = any(_ROOT_NAME.match(name) for name in names if name) or any(element.get(a) is not None for a in _ROOT_ATTRIBUTES)
        if marked and len(element.text_content().strip()) <= ROOT_MAX_TEXT:
            return f"{element.tag}#{element.get('id')}" if element.get("id") else element.tag
    for noscript in doc.tree.iter("noscript"):
        if _NOSCRIPT_ASKS.search(noscript.text_content() or ""):
            return "noscript"
    return None


def script_shell(doc: Document) -> ShellSigns | None:
    """The signs when the page is a script shell (little text, a bundle, a root to fill), else None."""
    text = _visible_text(doc)
    if text > SHELL_MAX_TEXT:
        return None
    bundles = _bundles(doc)
    if not bundles:
        return None
    root = _root(doc)
    return ShellSigns(text, bundles, root) if root else None
