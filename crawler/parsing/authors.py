"""The article's authors: a cleaned list of names (no "By", no dates, no "and", lists split)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.datetext import find_date
from crawler.parsing.document import Document
from crawler.parsing.jsonld import as_list, jsonld_types, main_objects
from crawler.parsing.names import NAME_CHARS, NOT_THE_AUTHOR, dedupe, looks_like_name, name_key, same_person, split_authors
from crawler.parsing.text import element_text, inside, texts_after, texts_before, with_words, within
from crawler.parsing.titleparts import SEPARATORS

MAX_BYLINE_LENGTH = 120  # longer text in an author-classed element is a bio, not a byline
MAX_CANDIDATE_ELEMENTS = 6
MAX_WINDOW_AFTER = 30  # text lines read after the headline for a byline
MAX_WINDOW_BEFORE = 6  # and before it
MAX_LABELLED_META = 4  # twitter:label1..4 / twitter:data1..4 pairs read

_ITEMPROP_NAME = etree.XPath('.//*[@itemprop="name"]')
_NAME_HEADINGS = etree.XPath(".//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//strong | .//b")
_NAME_CLASSED = etree.XPath('.//*[contains(@class, "name") and not(contains(@class, "username"))]')
_AUTHOR_CLASSED = etree.XPath('.//*[contains(@class, "author")]')
_AUTHOR_LINK = re.compile(r"/(?:author|autor|auteur|people/|profile)")  # an href worth the full test below
_AUTHOR_HREF = re.compile(r"/(?:authors?|autor(?:en|es)?|auteurs?|autore|people|profiles?)/[^/?#]+/?(?:[?#]|$)", re.I)

_BY = r"by|von|par|por|di|door|av|af|przez"  # the word before a writer's name
_BYLINE = re.compile(
    rf"^\s*(?:(?:written|posted|published|reviewed|reported|story)\s+by|{_BY}|"
    r"автор|autor|author|auteur|autore)\b\s*[:\-–—]?\s*(\S.*)?$",
    re.I | re.S,
)
_BY_LABEL = re.compile(rf"^(?:author|autor|auteur|autore|автор)$|\b(?:{_BY})\s*:?\s*$", re.I)  # "Written by", "Verfasst von"
# Words that make a capitalised site name an organisation or a title rather than a person.
_NOT_PERSONAL = frozenset(
    "with and the of for in on at to a an my our your news blog blogs media daily times journal "
    "magazine post press tech travel studio studios labs lab group team inc llc ltd co company "
    "network online digital world report review reviews guide guides hub weekly notes life home "
    "food health club shop store agency consulting solutions services academy institute "
    "university college school center centre foundation project radio tv today central".split()
)
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


def _citation_name(value: str) -> str:
    """Google Scholar's ``citation_author`` is one person, often "Last, First": "First Last"."""
    parts = [part.strip() for part in value.split(",")]
    if len(parts) == 2 and all(parts) and not any(char.isdigit() for char in value):
        return f"{parts[1]} {parts[0]}"
    return value


def _from_meta(doc: Document) -> list[str]:
    for name in sel.META_AUTHOR:
        values = doc.meta.get(name, ())
        if name == "citation_author":
            values = [_citation_name(value) for value in values]
        names = [n for value in values for n in split_authors(value)]
        if names:
            return names
    return _from_labelled_meta(doc)


def _from_labelled_meta(doc: Document) -> list[str]:
    """The value of a ``twitter:labelN`` / ``twitter:dataN`` pair whose label is a byline label
    ("Written by", "Verfasst von"), as blog software writes it for link previews."""
    for number in range(1, MAX_LABELLED_META + 1):
        label = doc.meta_first(f"twitter:label{number}")
        if label is None:
            break
        if _BY_LABEL.search(label.strip()) and (names := split_authors(doc.meta_first(f"twitter:data{number}") or "")):
            return names
    return []


def _from_elements(elements: list[HtmlElement], *, every: bool = False, keep: HtmlElement | None = None) -> list[str]:
    """Names from the first element that yields any (from every element when ``every``)."""
    names: list[str] = []
    for element in elements[: MAX_CANDIDATE_ELEMENTS * 4]:
        if element.tag == "meta" or inside(element, sel.FOREIGN_CONTAINER_WORDS, keep=keep):
            continue
        text = element.get("content") or _name_in(element)
        if not text or len(text) > MAX_BYLINE_LENGTH:
            continue
        names.extend(split_authors(text))
        if names and not every:
            break
    return names


def _name_in(element: HtmlElement) -> str:
    """The name inside an author element: its ``itemprop=name``, else a name-classed child, else
    a heading or bold child that reads as a name, else its only link, else an author-classed
    child holding only names and no date, else all its text (a box holding "Jane Roe, Senior
    Editor" gives the name)."""
    for xpath in (_ITEMPROP_NAME, _NAME_CLASSED):
        found = xpath(element)
        if found and (text := element_text(found[0])):
            return text
    for heading in _NAME_HEADINGS(element):
        if looks_like_name(text := element_text(heading)):
            return text
    if element.tag != "a":
        links = element.findall(".//a")
        if len(links) == 1 and (text := element_text(links[0])) and looks_like_name(text):
            return text
    for inner in _AUTHOR_CLASSED(element):
        # the ``author`` span inside a byline block that also holds the publication and the date
        text = element_text(inner)
        if text and find_date(text) is None and (names := split_authors(text)) and all(map(looks_like_name, names)):
            return text
    return element_text(element)


def _itemprop_authors(doc: Document) -> list[HtmlElement]:
    itemprops = doc.index().itemprops
    return itemprops.get("author", []) + itemprops.get("creator", [])


def _author_page_links(doc: Document) -> list[HtmlElement]:
    """Links to an author's page on the same host (``/author/jane-roe``)."""
    host = urlsplit(doc.url).hostname
    body = doc.tree.find("body")
    return [
        link
        for link in (body if body is not None else doc.tree).iter("a")
        if (href := link.get("href")) and _AUTHOR_LINK.search(href) and _AUTHOR_HREF.search(href) and _host_of(href, doc.url) == host
    ]


def _host_of(href: str | None, base: str) -> str | None:
    try:
        return urlsplit(urljoin(base, href or "")).hostname
    except ValueError:  # "http://[::1/x": not a URL
        return None


def _window(headline: HtmlElement | None) -> list[str]:
    """Short text lines right after, then right before, the headline."""
    if headline is None:
        return []
    lines = [
        text.strip()
        for text, owner in islice(texts_after(headline), MAX_WINDOW_AFTER)
        if not within(owner, headline)
    ]  # the headline's own words are not a byline
    lines += [text.strip() for text, _owner in islice(texts_before(headline), MAX_WINDOW_BEFORE)]
    return [line for line in lines if line and len(line) <= MAX_BYLINE_LENGTH]


def _from_byline(lines: list[str]) -> list[str]:
    """A "By Jane Roe" / "Par Jean Dupont" line (or "By" followed by the name on the next line)."""
    for position, line in enumerate(lines):
        match = _BYLINE.match(line)
        if not match or NOT_THE_AUTHOR.match(line):
            continue
        rest = match.group(1) or (lines[position + 1] if position + 1 < len(lines) else "")
        if names := split_authors(rest):
            return names
    return []


def _from_name_by_date(lines: list[str]) -> list[str]:
    """Names next to the byline date: in the date's own line, set off by a separator ("Dec 19,
    2025 · Niko Matsakis", "Aaron Ricadela | Senior Writer | July 2, 2025"), else a line that
    reads as a name just before or after it (lines of separators alone skipped)."""
    lines = [line for line in lines if NAME_CHARS.search(line) or any(char.isdigit() for char in line)]
    for position, line in enumerate(lines):
        if find_date(line) is None:
            continue
        for part in SEPARATORS.split(line):
            if find_date(part) is None and (names := _names_only(part)):
                return names
        for neighbour in (position - 1, position + 1, position - 2):
            if 0 <= neighbour < len(lines) and (names := _names_only(lines[neighbour])):
                return names
        return []
    return []


def _names_only(text: str) -> list[str]:
    """The names in a short text when every one reads as a person's name, else none."""
    names = split_authors(text)
    return names if names and all(map(looks_like_name, names)) else []


DECLARED_SOURCES = 2  # the first sources (JSON-LD, meta tags) say who wrote the page; the rest read what it shows
MIN_AGREEING_SOURCES = 2  # shown sources that must name one person to outweigh declared names the page never shows
WHOLE_PAGE_SOURCES = frozenset(("author page", "classed"))  # sources that walk every link or marked element


def extract_authors(doc: Document, *, headline: HtmlElement | None = None, site_name: str | None = None) -> list[str]:
    """Author names.

    Order: JSON-LD ``author``/``creator`` of the article object (people before organisations);
    meta tags (``author``, ``article:author`` when not a URL, Parse.ly, Dublin Core,
    ``citation_author``, ...); ``itemprop="author"`` elements; ``rel="author"`` links; links to an
    author page (``/author/...``); a "By ..." line around the headline; short text of
    author/byline-classed elements; a name-like line next to the byline date. Each source's text
    is cleaned with ``split_authors``; elements inside related lists, comments, sidebars and
    footers are skipped. A source naming only the site itself ("Cleveland Clinic" on its own
    blog, or its domain "paperium.net") is kept only when no later source names a person: a name that reads as one, or that
    two sources agree on (a user name); a lone word from an author box ("Follow", initials) is
    not enough.

    Declared names (JSON-LD, meta) that no shown source confirms give way to a name that
    ``MIN_AGREEING_SOURCES`` shown sources agree on: a CMS account ("kffnirmitap"), the
    uploader, "Last, First" split in two, while the byline, the author link and the author box
    all name the writer.
    """
    index = doc.index()
    lines: list[str] | None = None

    def window() -> list[str]:
        nonlocal lines
        if lines is None:
            lines = _window(headline)
        return lines

    sources = _Sources(
        (
            ("jsonld", lambda: _from_jsonld(doc)),
            ("meta", lambda: _from_meta(doc)),
            ("itemprop", lambda: _from_elements(_itemprop_authors(doc), every=True, keep=headline)),
            ("rel", lambda: _from_elements([e for e in index.rel_links if "author" in (e.get("rel") or "").lower().split()], keep=headline)),
            ("author page", lambda: _from_elements(_author_page_links(doc), keep=headline)),
            ("by line", lambda: _from_byline(window())),
            ("classed", lambda: _from_elements(with_words(index.marked, sel.AUTHOR_CLASS_WORDS), keep=headline)),
            ("next to date", lambda: _from_name_by_date(window())),
        )
    )
    site_keys = {key for key in (name_key(site_name), name_key(_publisher(doc))) if key}
    host = (urlsplit(doc.url).hostname or "").lower()
    fallback: list[str] = []
    for position in range(len(sources)):
        names = sources.names(position)
        if names and all(name_key(name) in site_keys or _names_host(name, host) for name in names):
            fallback = fallback or names
        elif names and (not fallback or any(map(looks_like_name, names)) or _agreed(names, sources, position)):
            if position < DECLARED_SOURCES:
                return _shown_instead(names, sources, site_keys) or names
            return names
    return fallback or _personal_site(site_name)


def authors_at(doc: Document, element: HtmlElement, *, headline: HtmlElement | None = None, site_name: str | None = None
               ) -> list[str] | None:
    """The authors ``extract_authors`` gives when ``element`` (a learned layout's author element)
    shows a declared one: the first declared source naming a person (JSON-LD, then meta tags,
    read and judged as there), kept because a shown source confirms it (``_shown_instead``
    gives way to any shown name of a declared person); the element is read as the author
    elements are (``_from_elements``).

    None, and the whole page decides, when no declared source names a person (the shown
    sources then decide in their order), when a declared name needs later sources to be
    judged, or when the element shows none of the declared people."""
    sources = _Sources((("jsonld", lambda: _from_jsonld(doc)), ("meta", lambda: _from_meta(doc))))
    site_keys = {key for key in (name_key(site_name), name_key(_publisher(doc))) if key}
    host = (urlsplit(doc.url).hostname or "").lower()
    fallback = False
    for position in range(DECLARED_SOURCES):
        names = sources.names(position)
        if not names:
            continue
        if all(name_key(name) in site_keys or _names_host(name, host) for name in names):
            fallback = True
            continue
        if fallback and not any(map(looks_like_name, names)):
            return None  # taken only when a later source agrees (``_agreed``)
        shown = dedupe(_from_elements([element], keep=headline))
        return names if any(same_person(name, other) for name in shown for other in names) else None
    return None


class _Sources:
    """The sources' names, each source read once, on first use."""

    def __init__(self, readers: tuple[tuple[str, Callable[[], list[str]]], ...]) -> None:
        self._readers = readers
        self._names: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self._readers)

    def names(self, position: int) -> list[str]:
        if position not in self._names:
            self._names[position] = dedupe(self._readers[position][1]())
        return self._names[position]

    def shown(self) -> list[int]:
        """Positions of the sources that read the page's text, the ones walking the whole page last."""
        positions = range(DECLARED_SOURCES, len(self._readers))
        return sorted(positions, key=lambda position: (self._readers[position][0] in WHOLE_PAGE_SOURCES, position))


def _agreed(names: list[str], sources: _Sources, position: int) -> bool:
    """A later source names one of ``names`` too."""
    keys = {name_key(name) for name in names}
    return any(name_key(name) in keys for later in range(position + 1, len(sources)) for name in sources.names(later))


def _shown_instead(declared: list[str], sources: _Sources, site_keys: set[str]) -> list[str]:
    """The names ``MIN_AGREEING_SOURCES`` shown sources agree on, when none of them confirms a
    declared name (empty when one does, or when they do not agree on a name that reads as a
    person's: "TurboTaxLisa" in every byline does not outweigh the declared "Lisa Greene-Lewis")."""
    support: dict[str, int] = {}
    first: dict[str, str] = {}
    for position in sources.shown():
        for name in sources.names(position):
            if any(same_person(name, other) for other in declared):
                return []
            key = name_key(name)
            if key not in site_keys:
                support[key] = support.get(key, 0) + 1
                first.setdefault(key, name)
    return [first[key] for key, count in support.items() if count >= MIN_AGREEING_SOURCES and looks_like_name(first[key])]


def _names_host(name: str, host: str) -> bool:
    """The name is the page's own domain ("paperium.net" on www.paperium.net): the site signing."""
    domain = name.strip().lower()
    return "." in domain and " " not in domain and (host == domain or host.endswith("." + domain))


def _personal_site(site_name: str | None) -> list[str]:
    """A site named like a person ("Cassidy Williams") is that person's blog: its author."""
    if not site_name or not looks_like_name(site_name):
        return []
    if any(word.lower() in _NOT_PERSONAL for word in site_name.split()):
        return []
    return [site_name]


def _publisher(doc: Document) -> str | None:
    for obj in main_objects(doc):
        publisher = obj.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return None
