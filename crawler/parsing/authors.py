"""The article's authors: a cleaned list of names (no "By", no dates, no "and", lists split)."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.dates import main_objects
from crawler.parsing.document import Document
from crawler.parsing.text import as_list, clean, element_text, inside, jsonld_types, with_words

MAX_BYLINE_LENGTH = 120  # longer text in an author-classed element is a bio, not a byline
MAX_NAME_WORDS = 6
MAX_CANDIDATE_ELEMENTS = 6

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reviewed|edited|reported|story|text|words|photos?)\s+by|by|from|"
    r"author(?:s|ed by)?|autor(?:in|es|a)?|auteurs?|autore|von|par|por|di|door|av|af|przez|автор[ы]?|"
    r"de|written|posted)\b\s*[:\-–—]?\s*",
    re.I,
)
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bi\b|\bи\b|\boraz\b|\bog\b|\boch\b)\s*",
    re.I,
)
_AFTER_NAME = re.compile(
    r"\s+(?:on|am|le|el|il|em|op|updated|published|posted|\||•|·|—|–|-)\s+.*$|\s*\d.*$",
    re.I,
)
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{1,6}|Ph\.?\s?D\.?|M\.?D\.?|Dr\.?|Jr\.?|Sr\.?|[A-Z][a-z]?\.(?:[A-Z][a-z]?\.)+|"
    r"MBA|CFA|CFP|RDN|E-RYT \d+|RN|LD|CPT|MPH|MSc|BSc|MA|MS|BA|BS)$"
)
_NOT_A_NAME = re.compile(
    r"@|https?:|www\.|\.com\b|^(?:admin|administrator|staff|editor|editors|editorial|team|redaction|"
    r"rédaction|redaktion|redacción|redazione|guest|anonymous|unknown|author|authors|contributor|"
    r"share|follow|more|view|posts?|profile|bio|about|read more|see all|all posts|the|by)$",
    re.I,
)
_NAME_CHARS = re.compile(r"[^\W\d_]", re.UNICODE)


def _name_ok(name: str) -> bool:
    if not name or len(name) > 60 or len(name.split()) > MAX_NAME_WORDS:
        return False
    if _NOT_A_NAME.search(name) or _CREDENTIAL.match(name) or not _NAME_CHARS.search(name):
        return False
    return not any(char.isdigit() for char in name)


def split_authors(raw: str) -> list[str]:
    """One byline string -> cleaned names: prefixes, dates and roles removed, lists split."""
    text = clean(raw)
    if not text:
        return []
    text = _PREFIX.sub("", text)
    text = _AFTER_NAME.sub("", text)
    names = []
    for part in _SPLIT.split(text):
        part = _PREFIX.sub("", part.strip(" .:,-–—")).strip(" .:,-–—")
        if _name_ok(part):
            names.append(part)
    return names


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _jsonld_names(value: Any) -> tuple[list[str], list[str]]:
    """(person names, organisation names) from a JSON-LD author value."""
    people: list[str] = []
    organisations: list[str] = []
    for entry in as_list(value):
        if isinstance(entry, str):
            people.extend(split_authors(entry))
        elif isinstance(entry, dict):
            name = entry.get("name")
            if isinstance(name, list):
                name = " and ".join(n for n in name if isinstance(n, str))
            if not isinstance(name, str):
                continue
            target = organisations if jsonld_types(entry) & {"organization", "newsmediaorganization"} else people
            target.extend(split_authors(name))
    return people, organisations


def _from_jsonld(doc: Document) -> list[str]:
    organisations: list[str] = []
    for obj in main_objects(doc):
        for key in ("author", "creator"):
            people, orgs = _jsonld_names(obj.get(key))
            if people:
                return people
            organisations.extend(orgs)
    return organisations


def _from_meta(doc: Document) -> list[str]:
    for name in sel.META_AUTHOR:
        names = [n for value in doc.meta.get(name, ()) for n in split_authors(value)]
        if names:
            return names
    return []


def _from_elements(elements: list[HtmlElement]) -> list[str]:
    names: list[str] = []
    for element in elements[: MAX_CANDIDATE_ELEMENTS * 4]:
        if element.tag == "meta" or inside(element, sel.FOREIGN_CONTAINER_WORDS):
            continue
        name_elements = element.xpath('.//*[@itemprop="name"]')
        if name_elements:
            text = element_text(name_elements[0])
        else:
            text = element.get("content") or element_text(element)
        if not text or len(text) > MAX_BYLINE_LENGTH:
            continue
        names.extend(split_authors(text))
        if names:
            break
    return names


def _itemprop_authors(doc: Document) -> list[HtmlElement]:
    itemprops = doc.index().itemprops
    return itemprops.get("author", []) + itemprops.get("creator", [])


def extract_authors(doc: Document) -> list[str]:
    """Author names.

    Order: JSON-LD ``author``/``creator`` of the article object (people before organisations);
    meta tags (``author``, ``article:author`` when not a URL, Parse.ly, Dublin Core, ...);
    ``itemprop="author"`` elements; ``rel="author"`` links; short text of author/byline-classed
    elements. Each source's text is cleaned with ``split_authors``.
    """
    names = (
        _from_jsonld(doc)
        or _from_meta(doc)
        or _from_elements(_itemprop_authors(doc))
        or _from_elements([e for e in doc.index().rel_links if "author" in (e.get("rel") or "").lower().split()])
        or _from_elements(with_words(doc.index().marked, sel.AUTHOR_CLASS_WORDS))
    )
    return _dedupe(names)
