"""Is this page an article? And if not, why not."""

from __future__ import annotations

from dataclasses import dataclass
import re
from urllib.parse import parse_qsl, urlsplit

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.text import jsonld_types

_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$|/comments?/(?:page/)?\d+/?$", re.I)
_COMMENT_PAGE_QUERY = frozenset(("cpage", "comment-page", "comments_page", "commentpage", "replytocom"))

MIN_BODY_WORDS = 80  # below this a page with no article markup is a stub, a form or a listing
MIN_BODY_WORDS_MARKED = 30  # an explicitly marked article may be short (a brief, a news flash)


@dataclass(slots=True)
class Evidence:
    """What the other extractors found, as detection needs it."""

    body: str | None
    title: str | None
    published_at: str | None
    authors: list[str]


def _jsonld_verdict(doc: Document) -> tuple[bool, str | None]:
    """(marked as an article, reason it is something else)."""
    types: set[str] = set()
    for obj in doc.json_ld:
        types |= jsonld_types(obj)
    if types & sel.ARTICLE_TYPES:
        return True, None
    for kind, reason in sel.NOT_ARTICLE_TYPES.items():
        if kind in types:
            return False, reason
    return False, None


def _og_type(doc: Document) -> str:
    return (doc.meta_first("og:type") or "").lower()


def detect_article(doc: Document, evidence: Evidence) -> str | None:
    """None when the page is an article, else the reason it is not.

    Order: a home page URL is not an article, nor a comment page of one (``comment-page-2``,
    ``?cpage=2``: the same article again, keyed by another URL); a JSON-LD type that names something else
    (Product, CollectionPage, QAPage, ...) without an article type is not; a page without a
    title or body is not; then the body must be long enough: ``MIN_BODY_WORDS_MARKED`` words
    when JSON-LD, ``og:type=article`` or a publication date marks the page, else
    ``MIN_BODY_WORDS``.
    """
    parts = urlsplit(doc.url)
    if parts.path in ("", "/") and not parts.query:
        return "home page"
    if _COMMENT_PAGE_PATH.search(parts.path) or any(key.lower() in _COMMENT_PAGE_QUERY for key, _ in parse_qsl(parts.query)):
        return "comment page"
    marked, other = _jsonld_verdict(doc)
    og_type = _og_type(doc)
    if other and not marked:
        return other
    if og_type in ("product", "og:product", "product.item", "profile", "books.author", "music.song", "video.other"):
        return f"{og_type} page"
    if not evidence.body:
        return "no body text"
    if not evidence.title:
        return "no title"
    words = len(evidence.body.split())
    marked = marked or og_type == "article" or evidence.published_at is not None
    if words < (MIN_BODY_WORDS_MARKED if marked else MIN_BODY_WORDS):
        return f"body too short ({words} words)"
    return None
