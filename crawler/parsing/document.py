"""A page parsed once: the lxml tree, its meta tags and its JSON-LD objects.

Every field extractor reads from a ``Document``; nothing parses the HTML again. Before
lxml sees the text, NUL bytes and an XML declaration are dropped, no tag keeps more
than ``attributes.MAX_ATTRIBUTES`` attributes (libxml2 is quadratic in their number), and
an early ``</body></html>`` is dropped so the text after it is read as a browser reads it.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import lxml.etree
import lxml.html

from crawler.parsing.attributes import cap_attributes
from crawler.parsing.encoding import decode_html
from crawler.parsing.index import PageIndex, build_index
from crawler.parsing.paths import select

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses str input that declares an encoding
_CLOSE_PAGE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
# lxml.html's own parser asks a Python function which class each element gets (forms, inputs,
# labels have their own) every time an element is touched from Python; nothing here uses those
# classes, so every element is an HtmlElement and the choice stays in C. Shared as lxml.html
# shares its default parser (lxml keeps parser state per thread).
_PARSER = lxml.etree.HTMLParser()
_PARSER.set_element_class_lookup(
    lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# libxml2 stops reading a document this many elements deep (XML_PARSE_HUGE, lxml's huge_tree,
# lifts it to 2048). Kept: the deepest of 3,494 real pages is 55, and the body walk recurses.
MAX_DEPTH = 255
_T = TypeVar("_T")
_JSONLD_SCRIPTS = lxml.etree.XPath('//script[@type="application/ld+json" or @type="application/json+ld"]')


@dataclass(slots=True)
class Document:
    url: str
    tree: lxml.html.HtmlElement
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-case name/property/itemprop -> contents
    json_ld: list[dict[str, Any]] = field(default_factory=list)  # every object, @graph flattened
    cut_at_depth: bool = False  # libxml2 stopped reading at MAX_DEPTH: what lies deeper is missing
    _index: PageIndex | None = field(default=None, repr=False)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)
    _selected: dict[str, tuple[lxml.html.HtmlElement, ...]] = field(default_factory=dict, repr=False)

    def index(self) -> PageIndex:
        """Elements the extractors look up (classes, itemprops, rel links, ...), built on first use."""
        if self._index is None:
            self._index = build_index(self.tree)
        return self._index

    def derived(self, name: str, compute: Callable[[Document], _T]) -> _T:
        """A value read from the page alone (its main JSON-LD objects, its canonical URL), computed
        on first use and kept: several readers ask for it on one page. ``compute`` must depend on
        the document only, and its value must not be changed by the caller (a tuple, a string)."""
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    def select(self, path: str) -> tuple[lxml.html.HtmlElement, ...]:
        """The page's elements at a template path (``paths.select``), selected once a page: the
        fast path confirms a layout by its paths and the site template's hints then read the same
        paths (the tree is not changed after loading, so the elements are the same)."""
        found = self._selected.get(path)
        if found is None:
            found = self._selected[path] = tuple(select(self.tree, path))
        return found

    def meta_first(self, *names: str) -> str | None:
        """The first non-empty content among the meta names, in the order given."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return None


def _flatten_jsonld(value: Any, out: list[dict[str, Any]]) -> None:
    # A loop, not recursion: a hostile page nests lists and @graph deeper than Python's stack.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            out.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])


def _read_meta(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                meta.setdefault(key.strip().lower(), []).append(content)
    return meta


_JSONLD_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _read_jsonld(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in _JSONLD_SCRIPTS(tree):
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except RecursionError:  # nested deeper than the decoder's stack: no page means that
            logger.debug("JSON-LD block nested too deep, skipped")
            continue
        except ValueError:
            # Pages often put raw newlines into JSON-LD, or wrap it in the CDATA or comment markers
            # of XHTML-era templates ("//<![CDATA[ ... //]]>"); try once more leniently.
            text = _JSONLD_WRAPPER.sub("", text)
            try:
                data = json.loads(text.replace("\n", " ").replace("\r", " "), strict=False)
            except (ValueError, RecursionError):
                logger.debug("unreadable JSON-LD block skipped")
                continue
        _flatten_jsonld(data, objects)
    return objects


def reopen_early_close(html: str) -> str:
    """The page without ``</body>``/``</html>`` when content follows them.

    libxml2 drops everything after ``</body></html>``, where a browser (HTML5 parsing)
    puts it into the body: templates that print a second document, or close the page
    early and go on, lost their article text. The parser closes both at the end anyway.
    """
    first = _CLOSE_PAGE.search(html)
    if first is None or not _CLOSE_PAGE.sub("", html[first.end():]).strip():
        return html
    return _CLOSE_PAGE.sub("", html)


def load_document(html: str | bytes, url: str, *, content_type: str | None = None) -> Document:
    """Parse a page once. Raises ``ValueError`` for input that holds no HTML document."""
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    if "\x00" in html:  # a search is cheaper than a replace that finds nothing
        html = html.replace("\x00", "")
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html or html.isspace():  # not html.strip(): no copy of the page to find it holds something
        raise ValueError("empty page")
    html = cap_attributes(html)  # libxml2 spends quadratic time on a tag's attributes
    html = reopen_early_close(html)
    try:
        tree = lxml.html.document_fromstring(html, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"unparseable HTML: {exc}") from exc
    cut = any(error.type_name == "ERR_RESOURCE_LIMIT" and "depth" in error.message for error in _PARSER.error_log)
    return Document(url=url, tree=tree, meta=_read_meta(tree), json_ld=_read_jsonld(tree), cut_at_depth=cut)
