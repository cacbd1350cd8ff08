"""Page-level metadata: description, language, canonical URL, site name."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.jsonld import main_objects
from crawler.parsing.text import clean

_LANGUAGE_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def _primary_tag(value: str | None) -> str | None:
    if not value:
        return None
    match = _LANGUAGE_TAG.match(value.split(",")[0])
    if not match:
        return None
    tag = match.group(1).lower()
    return None if tag in ("und", "zxx", "mul", "xx") else tag


def extract_language(doc: Document) -> str | None:
    """Primary language subtag, lower case (``"en"``, ``"fr"``).

    Order: ``<html lang>`` / ``xml:lang``; JSON-LD ``inLanguage``; meta tags (``og:locale``,
    ``content-language``, ``language``, Dublin Core).
    """
    root = doc.tree
    for value in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"), root.get("xml:lang")):
        if tag := _primary_tag(value):
            return tag
    for obj in main_objects(doc):
        value = obj.get("inLanguage")
        if isinstance(value, dict):
            value = value.get("alternateName") or value.get("name")
        if isinstance(value, str) and (tag := _primary_tag(value)):
            return tag
    for name in sel.META_LANGUAGE:
        for value in doc.meta.get(name, ()):
            if tag := _primary_tag(value):
                return tag
    return None


def extract_description(doc: Document) -> str | None:
    """Summary. Order: ``og:description``, ``description``, ``twitter:description``, Dublin Core;
    then the JSON-LD ``description`` of the article object."""
    for name in sel.META_DESCRIPTION:
        for value in doc.meta.get(name, ()):
            if text := clean(value):
                return text
    for obj in main_objects(doc):
        value = obj.get("description")
        if isinstance(value, str) and (text := clean(value)):
            return text
    return None


def absolute_http(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base`` when the result is an http(s) URL, else None."""
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
        return url if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:  # "http://[::1/x": not a URL
        return None


def extract_canonical_url(doc: Document) -> str | None:
    """Canonical URL, absolute. Order: ``<link rel=canonical>``, ``og:url``, JSON-LD ``url`` /
    ``mainEntityOfPage`` of the article object. Read once per page (the headline reader asks
    too)."""
    return doc.derived("canonical_url", _canonical_url)


def _canonical_url(doc: Document) -> str | None:
    for element in doc.index().rel_links:
        if element.tag == "link" and "canonical" in (element.get("rel") or "").lower().split():
            if url := absolute_http(element.get("href"), doc.url):
                return url
    if url := absolute_http(doc.meta_first("og:url"), doc.url):
        return url
    for obj in main_objects(doc):
        for key in ("mainEntityOfPage", "url"):
            value = obj.get(key)
            if isinstance(value, dict):
                value = value.get("@id") or value.get("url")
            if isinstance(value, str) and (url := absolute_http(value, doc.url)):
                return url
    return None


def extract_site_name(doc: Document) -> str | None:
    """Site or publisher name. Order: ``og:site_name``; JSON-LD ``publisher.name`` of the article;
    a JSON-LD ``WebSite``/``Organization`` name; ``application-name`` and similar meta tags."""
    if value := clean(doc.meta_first("og:site_name")):
        return value
    for obj in main_objects(doc):
        publisher = obj.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and clean(publisher["name"]):
            return clean(publisher["name"])
    for obj in doc.json_ld:
        types = obj.get("@type")
        if types in ("WebSite", "Organization", "NewsMediaOrganization") and isinstance(obj.get("name"), str):
            if value := clean(obj["name"]):
                return value
    for name in sel.META_SITE_NAME[1:]:
        for value in doc.meta.get(name, ()):
            text = clean(value).lstrip("@")
            if text:
                return text
    return None
