"""Links on home and section pages: which lead to articles, which to more listings.

``listing_links`` sorts every same-site link of a page into
- ``articles``: links whose URL or anchor says "one story" (see ``classify_link``);
- ``sections``: short navigation links to other listing pages (sections, categories);
- ``pagination``: the listing's own next/older pages (``rel="next"``, ``/page/2``, ``?page=2``).
Tags, authors, search, account, legal pages, feeds, media files, comment pages,
print/AMP variants and share links are dropped. Each decision is a small rule below,
tried in the order ``classify_link`` lists; no rule names a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.urls import canonical_url, is_http_url, site_key

ARTICLE = "article"
SECTION = "section"
PAGINATION = "pagination"
OTHER = "other"

# Path segments that mark pages which are neither articles nor sections worth listing.
_SKIP_SEGMENTS = frozenset(
    """
    tag tags topic-tag schlagwort schlagworte etiqueta etiquetas etiquette mot-cle mots-cles
    author authors autor autoren auteur auteurs autore autori people profile profiles byline
    search suche recherche buscar login logout signin sign-in signup sign-up register account
    subscribe subscription newsletter newsletters abo about about-us contact contacts impressum
    imprint privacy privacy-policy datenschutz terms terms-of-use legal cookies cookie-policy
    feed feeds rss atom print amp comments comment share sharer wp-admin wp-login.php cart shop
    """.split()
)
_SKIP_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".zip", ".mp3", ".mp4",
    ".avi", ".mov", ".xml", ".rss", ".json", ".css", ".js", ".ico", ".gz",
)  # fmt: skip
_SKIP_QUERY_KEYS = frozenset({"replytocom", "share", "print", "amp", "s", "q", "query", "photo", "image"})
_PAGE_KEYS = frozenset({"page", "p", "pg", "seite", "pagina", "paged", "offset", "start"})

_DATE_IN_PATH = re.compile(r"/(19|20)\d{2}[/-](0?[1-9]|1[0-2])([/-](0?[1-9]|[12]\d|3[01]))?(/|-|$)")
_PAGE_SEGMENT = re.compile(r"/(page|seite|pagina|p)/\d+/?$", re.IGNORECASE)
_COMMENT_PAGE = re.compile(r"(comment-page-\d+|/comments?/|/kommentare/)", re.IGNORECASE)
_LONG_ID = re.compile(r"\d{5,}")
_WORD_SPLIT = re.compile(r"[-_+.]+")
_ARTICLE_SUFFIXES = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx")
_NAV_TAGS = frozenset({"nav", "header", "footer", "menu", "aside"})

MIN_SLUG_WORDS = 3  # a last path segment of this many words reads as a headline slug
MAX_SECTION_WORDS = 3  # navigation labels are short: "World", "Science & Tech"


@dataclass(slots=True)
class Link:
    url: str
    text: str


@dataclass(slots=True)
class ListingLinks:
    articles: list[Link] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)


def _segments(path: str) -> list[str]:
    return [segment for segment in path.lower().split("/") if segment]


def _slug_words(segment: str) -> int:
    for suffix in _ARTICLE_SUFFIXES:
        if segment.endswith(suffix):
            segment = segment[: -len(suffix)]
            break
    return len([word for word in _WORD_SPLIT.split(segment) if word and not word.isdigit()])


def _is_skipped(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower()
    if path.endswith(_SKIP_EXTENSIONS) or _COMMENT_PAGE.search(path):
        return True
    if any(segment.rsplit(".", 1)[0] in _SKIP_SEGMENTS for segment in _segments(path)):  # "about.html" too
        return True
    keys = {key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(keys & _SKIP_QUERY_KEYS)


def _is_pagination(url: str, rel: str) -> bool:
    if "next" in rel.split():
        return True
    parts = urlsplit(url)
    if _PAGE_SEGMENT.search(parts.path):
        return True
    keys = {key.lower() for key, value in parse_qsl(parts.query) if value.isdigit()}
    return bool(keys & _PAGE_KEYS)


def classify_link(url: str, text: str, *, rel: str = "", in_nav: bool = False) -> str:
    """ARTICLE, SECTION, PAGINATION or OTHER for one absolute, same-site link.

    Rules, in order:
    1. skipped kinds (tags, authors, search, legal, feeds, media, comments, print) -> OTHER;
    2. ``rel="next"``, ``/page/N`` or a numeric ``?page=`` -> PAGINATION;
    3. a date in the path (``/2025/09/11/``, ``/2025-09/``) -> ARTICLE;
    4. last segment a headline slug (3+ words) or holding a long numeric id -> ARTICLE;
    5. a short path (1-2 segments) with a short label, or any link in a nav/header
       with a short label -> SECTION;
    6. anything else -> OTHER.
    """
    if _is_skipped(url):
        return OTHER
    if _is_pagination(url, rel.lower()):
        return PAGINATION
    path = urlsplit(url).path
    if _DATE_IN_PATH.search(path):
        return ARTICLE
    segments = _segments(path)
    if not segments:
        return OTHER  # the home page itself
    last = segments[-1]
    words = _slug_words(last)
    if words >= MIN_SLUG_WORDS:
        return ARTICLE
    if _LONG_ID.search(last):
        return ARTICLE
    short_label = 0 < len(text.split()) <= MAX_SECTION_WORDS
    if short_label and (len(segments) <= 2 or in_nav):
        return SECTION
    return OTHER


def _in_nav(element: lxml.html.HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag.lower() in _NAV_TAGS or (ancestor.get("role") or "").lower() == "navigation":
            return True
    return False


def listing_links(html: str | bytes, page_url: str, *, allowed_hosts: frozenset[str] | None = None) -> ListingLinks:
    """Sort the page's links (see the module docstring).

    ``allowed_hosts`` holds site keys (``crawler.urls.site_key``: host without ``www.``,
    with a non-default port); by default the page's own site. URLs come back canonical.
    """
    result = ListingLinks()
    if not html or not html.strip():
        return result
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return result
    base = urljoin(page_url, tree.xpath("string(//base/@href)").strip() or page_url)
    hosts = allowed_hosts if allowed_hosts is not None else frozenset({site_key(page_url)})
    page = canonical_url(page_url)
    seen: set[str] = {page}
    for anchor in tree.iter("a", "link"):
        href = (anchor.get("href") or "").strip()
        rel = (anchor.get("rel") or "").lower()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        if anchor.tag == "link" and "next" not in rel.split():
            continue  # <link> elements only matter as rel="next" pagination
        absolute = urljoin(base, href)
        if not is_http_url(absolute) or site_key(absolute) not in hosts:
            continue
        url = canonical_url(absolute)
        if url in seen:
            continue
        text = " ".join(anchor.text_content().split()) if anchor.tag == "a" else ""
        kind = classify_link(url, text, rel=rel, in_nav=_in_nav(anchor))
        if kind == OTHER:
            continue
        seen.add(url)
        if kind == ARTICLE:
            result.articles.append(Link(url, text))
        elif kind == SECTION:
            result.sections.append(url)
        else:
            result.pagination.append(url)
    return result
