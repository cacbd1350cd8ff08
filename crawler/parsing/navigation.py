"""The site's own previous/next article links and the neighbours' headlines.

What counts as article navigation (the rule, applied to every candidate link):
- the link leaves the current page: not the same path with another query or fragment, not a
  ``#comments`` anchor, not ``javascript:``, and stays on the same host (``www.`` ignored);
- it is not pagination: no ``page=``/``cpage=``/``start=``-style parameter, no ``/page/N``,
  ``comment-page-N`` or a trailing page number under the current article's path (that is a
  multi-page article or its comments), and not a tag/category/author/search/home URL;
- it does not sit in a comment, gallery/slider, related/most-read/popular list, pagination or
  posts-listing container (selectors.NAV_EXCLUDED_WORDS on the link's ancestors);
- a label inside prose ("Next, the council...") or a bare "Next" followed by more words outside
  a link labels nothing;
- weak signals (``<link rel=next>`` in the head, ``<a rel=next>``, a bare "Next"/"Suivant"
  label) are used only when the page is an article; strong signals (WordPress post navigation,
  "Next article"/"Article suivant"-style labels naming an article) are used on any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.text import clean, element_text, inside, with_tokens

MAX_LABEL_TEXT = 300  # text nodes longer than this are prose, never a navigation label
MAX_LABEL_OWNER_TEXT = 400  # nor is text inside an element holding more than this
LABEL_SEARCH_LEVELS = 3  # how far up from a label to look for its link
MAX_HEADLINE = 300

_ARROWS = "←→«»‹›<>⟵⟶⇐⇒◀▶◄►❮❯〈〉|:·•-–—"
_NOT_PAGE = re.compile(r"^(?:#|javascript:|mailto:|tel:)", re.I)
_PAGINATION_QUERY = frozenset(
    ("page", "pg", "paged", "cpage", "start", "offset", "pagina", "seite", "strona", "pagenum", "page_id_all", "comments_page", "p_page")
)
_PAGINATION_PATH = re.compile(
    r"(?:/(?:page|seite|pagina|strona|pages?|p)/\d+/?$|comment-page-\d+|/comments?/?$|[-_/]page[-_]?\d+/?$|/\d{1,3}/?$)",
    re.I,
)
_TEXT_PLAIN = etree.XPath("//body//text()", smart_strings=False)
_TEXT_SMART = etree.XPath("//body//text()")
_BLOCKS = frozenset(("div", "section", "nav", "aside", "footer", "article", "li", "p", "body"))
_LISTING_PATH = re.compile(r"/(?:tag|tags|category|categories|author|authors|search|topic|topics|label)/", re.I)


def _first_words(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(label.lower().strip(_ARROWS + " ").split()[0].rstrip(_ARROWS) for label in labels)


_PREV_OR_NEXT = re.compile(r"prev|next", re.I)
_POST_NAV_GATE = ("prev", "next")
_EDGE = _ARROWS + " \t\r\n\xa0"
_LABEL_FIRST_WORDS = _first_words(sel.PREV_LABELS) | _first_words(sel.NEXT_LABELS)


def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({label.lower() for label in labels}, key=len, reverse=True)
    edge = re.escape(_ARROWS)
    alternatives = "|".join(re.escape(label) for label in ordered)
    return re.compile(rf"^[\s{edge}]*({alternatives})(?![\w])[\s{edge}]*(.*)$", re.I | re.S)


_PREV = _label_pattern(sel.PREV_LABELS)
_NEXT = _label_pattern(sel.NEXT_LABELS)


@dataclass(slots=True)
class Neighbour:
    url: str
    title: str | None


@dataclass(slots=True)
class Navigation:
    prev: Neighbour | None = None
    next: Neighbour | None = None


def _weak(label: str) -> bool:
    """A bare direction word ("Next", "Suivant") names no article; "Next article" does."""
    words = label.strip(_ARROWS + " ").split()
    return len(words) <= 1 or label.lower() == "up next"


def _host(netloc: str) -> str:
    netloc = netloc.lower().split("@")[-1].split(":")[0]
    return netloc[4:] if netloc.startswith("www.") else netloc


def article_link(href: str | None, page_url: str) -> str | None:
    """The absolute URL when ``href`` may point at another article of the site, else None."""
    if not href or _NOT_PAGE.match(href.strip()):
        return None
    try:
        url = urljoin(page_url, href.strip()).split("#", 1)[0]
        target, page = urlsplit(url), urlsplit(page_url)
    except ValueError:  # "http://[::1/x": not a URL
        return None
    if target.scheme not in ("http", "https") or _host(target.netloc) != _host(page.netloc):
        return None
    path = target.path or "/"
    if path.rstrip("/") == (page.path or "/").rstrip("/"):
        return None  # the same page with another query: pagination, sorting, comments
    if path == "/" and not target.query:
        return None
    if _LISTING_PATH.search(path):
        return None
    if any(key.lower() in _PAGINATION_QUERY for key, _ in parse_qsl(target.query)):
        return None
    if _PAGINATION_PATH.search(path):
        stem = _PAGINATION_PATH.sub("", path).rstrip("/")
        page_stem = _PAGINATION_PATH.sub("", page.path or "/").rstrip("/")
        if stem == page_stem or stem == (page.path or "/").rstrip("/") or "page" in path.lower():
            return None
    return url


def _headline(text: str | None) -> str | None:
    text = clean(text).strip(_ARROWS + " ")
    if not text or len(text) > MAX_HEADLINE:
        return None
    if _PREV.match(text) and not _PREV.match(text).group(2).strip():
        return None
    if _NEXT.match(text) and not _NEXT.match(text).group(2).strip():
        return None
    return text


def _link_headline(link: HtmlElement, pattern: re.Pattern[str]) -> str | None:
    """The neighbour's headline: a heading or title-classed child, else the link text minus its
    label, else the link's ``title`` attribute."""
    for child in link.xpath('.//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::strong or contains(@class, "title")]'):
        if text := _headline(element_text(child)):
            return text
    return _headline(_without_label(element_text(link), pattern)) or _headline(_without_label(link.get("title") or "", pattern))


def _without_label(text: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(text)
    return match.group(2) if match else text


def _neighbour(link: HtmlElement, doc: Document, pattern: re.Pattern[str]) -> Neighbour | None:
    url = article_link(link.get("href"), doc.url)
    if url is None or inside(link, sel.NAV_EXCLUDED_WORDS):
        return None
    return Neighbour(url, _link_headline(link, pattern))


def _from_post_navigation(doc: Document, classes: frozenset[str], pattern: re.Pattern[str]) -> Neighbour | None:
    for container in with_tokens(doc.index().marked, classes, _POST_NAV_GATE):
        links = [container] if container.tag == "a" else container.xpath(".//a[@href]")
        for link in links:
            if found := _neighbour(link, doc, pattern):
                return found
    return None


def _rel_links(doc: Document) -> list[HtmlElement]:
    return [element for element in doc.index().rel_links if _PREV_OR_NEXT.search(element.get("rel") or "")]


def _from_rel(doc: Document, rel_links: list[HtmlElement], rel: str, pattern: re.Pattern[str], *, head: bool) -> Neighbour | None:
    for element in rel_links:
        if (element.tag == "link") != head or rel not in (element.get("rel") or "").lower().split():
            continue
        if head:
            if url := article_link(element.get("href"), doc.url):
                return Neighbour(url, _headline(element.get("title")))
        elif found := _neighbour(element, doc, pattern):
            return found
    return None


def _first_link_after(container: HtmlElement, node: HtmlElement) -> HtmlElement | None:
    passed = False
    for element in container.iter():  # not iter("a", node.tag): a tag name lxml accepted may not be a valid filter
        if element is node:
            passed = True
        elif passed and element.tag == "a" and element.get("href"):
            return element
    return None


def _link_for_label(node: HtmlElement) -> HtmlElement | None:
    """The link a label belongs to: its own ``<a>`` ancestor, else the first link after it
    inside a nearby container, else the container's only link."""
    for element in (node, *node.iterancestors()):
        if element.tag == "a" and element.get("href"):
            return element
        if element.tag in _BLOCKS:
            break
    container = node
    for _ in range(LABEL_SEARCH_LEVELS):
        parent = container.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
        if (after := _first_link_after(container, node)) is not None:
            return after
        links = container.xpath(".//a[@href]")
        if len(links) == 1:
            return links[0]
        if len(links) > 1:
            break
    return None


@dataclass(slots=True)
class _Label:
    """A "Previous article"-style label found on the page."""

    element: HtmlElement  # the element holding the label text, or the link carrying the attribute
    direction: str  # "prev" or "next"
    weak: bool  # a bare direction word
    rest: str  # text after the label in the same string (often the headline)
    attribute: bool  # found in aria-label/title of a link rather than in visible text


def _match_label(text: str) -> tuple[str, re.Match[str]] | None:
    head = text[:40].lstrip(_EDGE).split(None, 1)
    if not head or head[0].lower().rstrip(_EDGE) not in _LABEL_FIRST_WORDS:
        return None
    for direction, pattern in (("prev", _PREV), ("next", _NEXT)):
        if match := pattern.match(text):
            return direction, match
    return None


def _labels(doc: Document) -> list[_Label]:
    """Every label in visible text (document order), then in links' ``aria-label``/``title``.

    Text nodes are first read as plain strings (cheap) and tested; only when one looks like a
    label are they read again as lxml "smart" strings, which know their element.
    """
    found: list[_Label] = []
    texts = _TEXT_PLAIN(doc.tree)
    hits = [(index, hit) for index, text in enumerate(texts) if len(text) < MAX_LABEL_TEXT and (hit := _match_label(text))]
    smart = _TEXT_SMART(doc.tree) if hits else []
    for index, (direction, match) in hits:
        text = smart[index]
        owner = text.getparent()
        if text.is_tail:
            owner = owner.getparent()
        if owner is None or owner.tag in ("script", "style"):
            continue
        weak, rest = _weak(match.group(1)), match.group(2).strip()
        if weak and rest and owner.tag != "a":
            continue  # "Next, the council will..." opens a sentence, it labels nothing
        if len(owner.text_content()) > MAX_LABEL_OWNER_TEXT:
            continue  # a label inside a paragraph of prose
        found.append(_Label(owner, direction, weak, rest, False))
    for link in doc.index().labelled_links:
        for attribute in ("aria-label", "title"):
            hit = _match_label(link.get(attribute) or "")
            if hit is not None:
                direction, match = hit
                found.append(_Label(link, direction, _weak(match.group(1)), match.group(2).strip(), True))
                break
    return found


def _from_labels(doc: Document, labels: list[_Label], direction: str, *, allow_weak: bool) -> Neighbour | None:
    """Links labelled "Previous Article", "Article suivant", ... in text or ``aria-label``/``title``
    (arrow buttons); bare "Next"-style labels only when ``allow_weak``."""
    pattern = _PREV if direction == "prev" else _NEXT
    for label in labels:
        if label.direction != direction or (label.weak and not allow_weak):
            continue
        link = label.element if label.attribute else _link_for_label(label.element)
        if link is None:
            continue
        found = _neighbour(link, doc, pattern)
        if found is None:
            continue
        if found.title is None and label.rest:
            found.title = _headline(label.rest)
        return found
    return None


def _find(doc: Document, labels: list[_Label], rel_links: list[HtmlElement], direction: str, *, is_article: bool) -> Neighbour | None:
    pattern = _PREV if direction == "prev" else _NEXT
    classes = sel.POST_NAV_PREV_CLASSES if direction == "prev" else sel.POST_NAV_NEXT_CLASSES
    return (
        _from_post_navigation(doc, classes, pattern)
        or _from_labels(doc, labels, direction, allow_weak=False)
        or (is_article and _from_rel(doc, rel_links, direction, pattern, head=False))
        or (is_article and _from_labels(doc, labels, direction, allow_weak=True))
        or (is_article and _from_rel(doc, rel_links, direction, pattern, head=True))
        or None
    )


def extract_navigation(doc: Document, *, is_article: bool = True) -> Navigation:
    """Previous and next article links with the neighbours' headlines.

    Order for each direction: WordPress-style post navigation (``nav-previous``/``nav-next``,
    ``previous-post``/``next-post``, ...); links labelled "Previous article"/"Next article" in
    many languages (text, ``aria-label`` or ``title``); then, on article pages only, ``<a rel>``,
    bare "Previous"/"Next" labels and arrows, and last ``<link rel>`` in the head. Every candidate
    passes the rule in this module's docstring.
    """
    labels = _labels(doc)
    rel_links = _rel_links(doc)
    prev = _find(doc, labels, rel_links, "prev", is_article=is_article)
    nxt = _find(doc, labels, rel_links, "next", is_article=is_article)
    if prev and nxt and prev.url == nxt.url:
        return Navigation()  # one link claimed by both directions is not a chain
    return Navigation(prev, nxt)
