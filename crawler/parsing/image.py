"""The article's lead image: one absolute URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.jsonld import as_list, main_objects
from crawler.parsing.metadata import absolute_http
from crawler.parsing.text import inside

MAX_FIGURE_IMAGES = 20  # <img> elements of the article looked at: a lead image comes first, a gallery after
MIN_FIGURE_PIXELS = 100  # an <img> declared narrower or lower than this is an icon, an avatar or a pixel
# Where an <img> keeps its address: lazy loaders hold the real one in a data- attribute and a
# placeholder in src, so those come first.
IMAGE_SOURCES = ("data-src", "data-lazy-src", "data-original", "src", "data-srcset", "srcset")
_SRCSET_SPLIT = re.compile(r",\s+")  # candidates in a srcset; a bare "," may sit inside a URL
_NOT_PHOTO = re.compile(r"\.(?:svg|gif)(?:[?#]|$)", re.I)  # logos, icons and spacers
# Containers whose images are not the article's: other stories, share buttons, the writer's portrait.
NOT_LEAD_WORDS = (*sel.FOREIGN_CONTAINER_WORDS, "avatar", "author", "byline", "logo", "icon")


def extract_image(doc: Document, *, headline: HtmlElement | None = None) -> str | None:
    """The lead image, absolute.

    Order: ``og:image`` (and its ``secure_url``/``url`` forms), ``twitter:image``; the JSON-LD
    ``image`` of the article object (a URL, an ``ImageObject``, or the first of a list), then its
    ``thumbnailUrl``; ``<link rel=image_src>``; the first image of the article's own markup
    (``itemprop=articleBody``, else the ``<article>`` or ``<main>`` around the ``headline``
    element, else the page's first ``<article>``, else ``<main>``): the first one in a
    ``<figure>`` or ``<picture>``, else the first one at all, among its first
    ``MAX_FIGURE_IMAGES`` images, leaving out images declared
    smaller than ``MIN_FIGURE_PIXELS`` and those in share, related-story, author or logo
    blocks. A candidate that is the publisher's logo (JSON-LD ``logo``), SVG or GIF is passed
    over.
    """
    logos = _logos(doc)
    for url in _declared(doc):
        if url not in logos and not _NOT_PHOTO.search(url):
            return url
    return _first_figure(doc, headline, logos)


def _declared(doc: Document) -> Iterator[str]:
    """Image URLs the page's metadata names, in the order of ``extract_image``."""
    for name in sel.META_IMAGE:
        for value in doc.meta.get(name, ()):
            if url := absolute_http(value, doc.url):
                yield url
    for obj in main_objects(doc):
        for key in ("image", "thumbnailUrl"):
            for value in as_list(obj.get(key)):
                if url := absolute_http(_image_url(doc, value), doc.url):
                    yield url
    for element in doc.index().rel_links:
        if element.tag == "link" and "image_src" in (element.get("rel") or "").lower().split():
            if url := absolute_http(element.get("href"), doc.url):
                yield url


def _image_url(doc: Document, value: Any) -> str | None:
    """A JSON-LD image value's address: the string itself, an ImageObject's ``url`` or
    ``contentUrl``, or those of the object a bare ``{"@id": ...}`` refers to (a graph's
    ``#primaryimage``)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    if set(value) == {"@id"}:
        value = next((obj for obj in doc.json_ld if obj.get("@id") == value["@id"] and len(obj) > 1), {})
    for key in ("url", "contentUrl"):
        if isinstance(value.get(key), str):
            return value[key]
    return None


def _logos(doc: Document) -> set[str]:
    """Absolute URLs of every JSON-LD ``logo`` (the publisher's, an organisation's)."""
    logos: set[str] = set()
    for obj in doc.json_ld:
        holders = [obj, *(value for value in as_list(obj.get("publisher")) if isinstance(value, dict))]
        for holder in holders:
            for value in as_list(holder.get("logo")):
                if url := absolute_http(_image_url(doc, value), doc.url):
                    logos.add(url)
    return logos


def _article_scope(doc: Document, headline: HtmlElement | None) -> HtmlElement | None:
    """The element holding the article's own markup (see ``extract_image``)."""
    for element in doc.index().itemprops.get("articleBody", ()):
        return element
    if headline is not None:
        for ancestor in headline.iterancestors():
            if ancestor.tag in ("article", "main"):
                return ancestor
    for tag in ("article", "main"):
        element = next(doc.tree.iter(tag), None)
        if element is not None:
            return element
    return None


def _first_figure(doc: Document, headline: HtmlElement | None, logos: set[str]) -> str | None:
    scope = _article_scope(doc, headline)
    if scope is None:
        return None
    first: str | None = None
    for img in islice(scope.iter("img"), MAX_FIGURE_IMAGES):
        if _small(img) or (url := _img_url(img, doc.url)) is None or url in logos or _NOT_PHOTO.search(url):
            continue
        if inside(img, NOT_LEAD_WORDS):
            continue
        if any(ancestor.tag in ("figure", "picture") for ancestor in img.iterancestors()):
            return url
        first = first or url
    return first


def _img_url(img: HtmlElement, base: str) -> str | None:
    for attribute in IMAGE_SOURCES:
        value = img.get(attribute)
        if not value or not value.strip():
            continue
        if attribute.endswith("srcset"):
            value = _SRCSET_SPLIT.split(value.strip())[0].split()[0]
        if url := absolute_http(value, base):
            return url
    return None


def _small(img: HtmlElement) -> bool:
    """An image whose declared width or height is under ``MIN_FIGURE_PIXELS``."""
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < MIN_FIGURE_PIXELS:
            return True
    return False
