"""One pass over a page's elements, collecting what the field extractors look up.

Every XPath ``//*[@attr...]`` scan of a large page costs about a third of parsing it, and the
extractors need a dozen of them; one Python pass that reads each element's few attributes
once costs about one scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.etree
from lxml.html import HtmlElement


@dataclass(slots=True)
class PageIndex:
    # elements inside <body> with a class or id, in document order, with "class id" lower-cased
    marked: list[tuple[HtmlElement, str]] = field(default_factory=list)
    # itemprop token (as written) -> elements carrying it, <meta> excluded (read with the meta tags)
    itemprops: dict[str, list[HtmlElement]] = field(default_factory=dict)
    # <a>/<link> with href and rel, in document order
    rel_links: list[HtmlElement] = field(default_factory=list)
    # <a href> with an aria-label or title attribute
    labelled_links: list[HtmlElement] = field(default_factory=list)
    h1: list[HtmlElement] = field(default_factory=list)
    h2: list[HtmlElement] = field(default_factory=list)
    times: list[HtmlElement] = field(default_factory=list)  # <time> with a datetime attribute
    h3: list[HtmlElement] = field(default_factory=list)
    # how many <pre>, <article>, <form>, <button>, <input>, <select> elements the page has
    counts: dict[str, int] = field(default_factory=dict)


_COUNTED = frozenset(("pre", "article", "form", "button", "input", "select"))


def build_index(tree: HtmlElement) -> PageIndex:
    index = PageIndex()
    counts = index.counts
    in_body = False
    for element in tree.iter(lxml.etree.Element):
        tag = element.tag
        if tag in _COUNTED:
            counts[tag] = counts.get(tag, 0) + 1
        if tag == "body":
            in_body = True
            continue
        attributes = element.attrib
        if tag == "h1" or tag == "h2" or tag == "h3":
            (index.h1 if tag == "h1" else index.h2 if tag == "h2" else index.h3).append(element)
        if not attributes:
            continue
        if in_body:
            classes = attributes.get("class")
            ident = attributes.get("id")
            if classes or ident:
                index.marked.append((element, f"{classes or ''} {ident or ''}".lower()))
        itemprop = attributes.get("itemprop")
        if itemprop and tag != "meta":
            for token in itemprop.split():
                index.itemprops.setdefault(token, []).append(element)
        if tag == "a" or tag == "link":
            if "href" in attributes:
                if "rel" in attributes:
                    index.rel_links.append(element)
                if tag == "a" and ("aria-label" in attributes or "title" in attributes):
                    index.labelled_links.append(element)
        elif tag == "time" and "datetime" in attributes:
            index.times.append(element)
    return index
