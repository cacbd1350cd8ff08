"""Generalised element paths: where a field sits in a page's template, the same on every page of it.

A path is a short CSS selector: the element and up to ``MAX_ANCESTORS`` ancestors that carry
stable class or id words or are landmark tags, joined by descendant combinators
(``article.story header h1.story-title``). Stable means: no digits (``post-1234``, ``css-1x2y3``
change from page to page or from build to build), a plain CSS identifier, and not one of a
post's own descriptive classes (``category-politics``, ``tag-x``: they name the article, not
its place). No positional indexes, so an extra paragraph or a wrapper elsewhere changes nothing.

``select(tree, path)`` finds a path's elements again (compiled once per process and path).
"""

from __future__ import annotations

import re
from functools import lru_cache

from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

MAX_ANCESTORS = 2  # ancestors kept besides the element itself
MAX_TOKENS = 2  # class words kept per step
MAX_MATCHES = 8  # elements a hint reads at most
LANDMARKS = frozenset(("article", "main", "header", "footer", "aside", "nav", "figure"))

_IDENTIFIER = re.compile(r"^-?[A-Za-z_][A-Za-z_-]*$")  # no digits, no escapes needed
# A post's own classes (WordPress post_class and alike): they describe the article, not the template.
_DESCRIPTIVE = re.compile(
    r"^(?:category|tag|format|status|type|author|postid|post-format|has|is|lang|language|section|topic)-", re.I
)


# Generated class names change with each build: CSS-in-JS prefixes, and hash-like words with
# capitals scattered inside ("cBEgGa", "lorCQW"; camelCase words like "detailHeadline" stay).
_GENERATED_PREFIX = re.compile(r"^(?:css|sc|jsx|svelte|emotion|styled)-", re.I)
_SEGMENT = re.compile(r"[^-_]+")


def _hash_like(token: str) -> bool:
    for segment in _SEGMENT.findall(token):
        capitals = sum(1 for char in segment[1:] if char.isupper())
        if capitals >= 2 and capitals >= 0.3 * len(segment):
            return True
    return False


def _stable(token: str) -> bool:
    return (
        len(token) > 1
        and bool(_IDENTIFIER.match(token))
        and not _DESCRIPTIVE.match(token)
        and not _GENERATED_PREFIX.match(token)
        and not _hash_like(token)
    )


def step(element: HtmlElement) -> str:
    """One element as a selector step: tag, stable id, up to MAX_TOKENS stable classes."""
    return _step(element.tag if isinstance(element.tag, str) else "*", element.get("id"), element.get("class"))


@lru_cache(maxsize=4096)  # a site repeats its template: the same strings on every page
def _step(tag: str, ident: str | None, classes: str | None) -> str:
    out = tag
    ident = (ident or "").strip()
    if ident and _stable(ident):
        out += "#" + ident
    seen: list[str] = []
    for token in (classes or "").split():
        if _stable(token) and token not in seen:
            seen.append(token)
            if len(seen) == MAX_TOKENS:
                break
    return out + "".join("." + token for token in seen)


def element_path(element: HtmlElement) -> str:
    """The element's generalised path (see the module docstring)."""
    steps = [step(element)]
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html") or len(steps) > MAX_ANCESTORS:
            break
        marked = step(ancestor)
        if marked != ancestor.tag or ancestor.tag in LANDMARKS:
            steps.append(marked)
    return " ".join(reversed(steps))


@lru_cache(maxsize=512)
def _compiled(path: str) -> CSSSelector | None:
    try:
        return CSSSelector(path)
    except (SelectorError, ValueError, SyntaxError):  # a hand-written pin may be bad CSS
        return None


def valid_path(path: str) -> bool:
    """A selector lxml can use."""
    return _compiled(path) is not None


def select(tree: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements matching ``path``, in document order, at most MAX_MATCHES."""
    compiled = _compiled(path)
    if compiled is None:
        return []
    return compiled(tree)[:MAX_MATCHES]


def common_ancestor(first: HtmlElement, second: HtmlElement) -> HtmlElement | None:
    """The nearest element holding both (one of them when it holds the other)."""
    chain = {id(first): first}
    for ancestor in first.iterancestors():
        chain[id(ancestor)] = ancestor
    if id(second) in chain:
        return second
    for ancestor in second.iterancestors():
        if id(ancestor) in chain:
            return ancestor
    return None
