"""The site's own previous/next article links and the neighbours' headlines.

What counts as article navigation (the rule, applied to every candidate link):
- the link leaves the current page: not the same path with another query or fragment, not a
  ``#comments`` anchor, not ``javascript:``, and stays on the same host (``www.`` ignored);
- it is not pagination: no ``page=``/``cpage=``/``start=``-style parameter, no ``/page/N``,
  ``comment-page-N`` or a trailing page number under the current article's path (that is a
  multi-page article or its comments), and not a tag/category/author/search/home URL;
- it does not sit in a comment, gallery/slider, related/most-read/popular list, pager or
  posts-listing container (selectors.NAV_EXCLUDED_WORDS on the link's ancestors);
- weak signals (``<link rel=next>`` in the head, ``<a rel=next>``, a bare "Next"/"Suivant"
  label) are used only when the page is an article; strong signals (WordPress post navigation,
  "Next article"/"Article suivant"-style labels naming an article) are used on any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.text import clean, element_text, inside

MAX_LABEL_TEXT = 300  # text nodes longer than this are prose, never a navigation label
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
_BLOCKS = frozenset(("div", "section", "nav", "aside", "footer", "article", "li", "p", "body"))
_LISTING_PATH = re.compile(r"/(?:tag|tags|category|categories|author|authors|search|topic|topics|label)/", re.I)


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
    url = urljoin(page_url, href.strip()).split("#", 1)[0]
    target, page = urlsplit(url), urlsplit(page_url)
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
    text = element_text(link)
    match = pattern.match(text)
    if match:
        text = match.group(2)
    return _headline(text) or _headline(link.get("title"))


def _neighbour(link: HtmlElement, doc: Document, pattern: re.Pattern[str]) -> Neighbour | None:
    url = article_link(link.get("href"), doc.url)
    if url is None or inside(link, sel.NAV_EXCLUDED_WORDS):
        return None
    return Neighbour(url, _link_headline(link, pattern))


def _from_post_navigation(doc: Document, xpath: str, pattern: re.Pattern[str]) -> Neighbour | None:
    for container in doc.tree.xpath(xpath):
        links = [container] if container.tag == "a" else container.xpath(".//a[@href]")
        for link in links:
            if found := _neighbour(link, doc, pattern):
                return found
    return None


def _from_rel(doc: Document, rel: str, pattern: re.Pattern[str], *, head: bool) -> Neighbour | None:
    xpath = sel.LINK_REL_XPATH if head else sel.A_REL_XPATH
    for element in doc.tree.xpath(xpath):
        if rel not in (element.get("rel") or "").lower().split():
            continue
        if head:
            url = article_link(element.get("href"), doc.url)
            if url:
                return Neighbour(url, _headline(element.get("title")))
        elif found := _neighbour(element, doc, pattern):
            return found
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
    following = node.xpath("following::a[@href][1]")
    for _ in range(LABEL_SEARCH_LEVELS):
        parent = container.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
        if following and any(ancestor is container for ancestor in following[0].iterancestors()):
            return following[0]
        links = container.xpath(".//a[@href]")
        if len(links) == 1:
            return links[0]
        if len(links) > 1:
            break
    return None


def _from_labels(doc: Document, pattern: re.Pattern[str], *, allow_weak: bool) -> Neighbour | None:
    """Visible labels ("Previous Article", "Article suivant", ...) and ``aria-label``/``title``
    attributes of links (arrow buttons)."""
    nodes = doc.tree.xpath(
        f"//body//text()[string-length(normalize-space(.)) > 1][string-length(.) < {MAX_LABEL_TEXT}]"
        "[not(ancestor::script or ancestor::style)]"
    )
    for text in nodes:
        match = pattern.match(text)
        if not match or (_weak(match.group(1)) and not allow_weak):
            continue
        owner = text.getparent()
        link = _link_for_label(owner)
        if link is None or link.get("href") is None:
            continue
        found = _neighbour(link, doc, pattern)
        if found:
            if found.title is None and match.group(2).strip() and not (link is owner or owner in link):
                found.title = _headline(match.group(2))
            return found
    for link in doc.tree.xpath("//a[@href][@aria-label or @title]"):
        for attribute in ("aria-label", "title"):
            match = pattern.match(link.get(attribute) or "")
            if match and (allow_weak or not _weak(match.group(1))):
                if found := _neighbour(link, doc, pattern):
                    if found.title is None:
                        found.title = _headline(match.group(2))
                    return found
    return None


def _find(doc: Document, *, rel: str, post_nav_xpath: str, pattern: re.Pattern[str], is_article: bool) -> Neighbour | None:
    return (
        _from_post_navigation(doc, post_nav_xpath, pattern)
        or _from_labels(doc, pattern, allow_weak=False)
        or (is_article and _from_rel(doc, rel, pattern, head=False))
        or (is_article and _from_labels(doc, pattern, allow_weak=True))
        or (is_article and _from_rel(doc, rel, pattern, head=True))
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
    prev = _find(doc, rel="prev", post_nav_xpath=sel.POST_NAV_PREV_XPATH, pattern=_PREV, is_article=is_article)
    nxt = _find(doc, rel="next", post_nav_xpath=sel.POST_NAV_NEXT_XPATH, pattern=_NEXT, is_article=is_article)
    if prev and nxt and prev.url == nxt.url:
        return Navigation()  # one link claimed by both directions is not a chain
    return Navigation(prev, nxt)
