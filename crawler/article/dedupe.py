"""The dedupe step: one storage key per article, and one row per distinct article text.

The storage key is the canonical URL (``crawler.urls.canonical_url``: tracking
parameters, fragment and default port out) of the page's own ``<link rel=canonical>``
when that points to a page of the same site, else of the URL that answered. A
canonical that points to another site or to the site's home page is ignored: pages
that declare one are syndicated or misconfigured, and trusting it would merge articles.

Within a run, a second page with an already-seen key is skipped (``duplicate_url``).
A page whose title and body hash to an article stored under another key, in this run
or an earlier one, is skipped (``duplicate_content``): identical content under two
URLs is stored once. Re-crawling the same key is not a duplicate: the store updates it.

Reads the run's database (``open``) to find articles stored by earlier runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from crawler.article.step import ArticleStep, Tally
from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore
from crawler.urls import canonical_url, is_http_url, site_key

logger = logging.getLogger(__name__)


def storage_url(response_url: str, declared_canonical: str | None) -> str:
    """The key an article is stored under (see the module docstring for the rule)."""
    if declared_canonical and is_http_url(declared_canonical):
        same_site = site_key(declared_canonical) == site_key(response_url)
        path = urlsplit(declared_canonical).path
        if same_site and path not in ("", "/"):
            return canonical_url(declared_canonical)
    return canonical_url(response_url)


def normal_text(text: str) -> str:
    """The text with case and whitespace differences ignored: its words, case folded, one space apart."""
    return " ".join(text.split()).casefold()


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 of title and body with case and whitespace differences ignored."""
    return _sha256(normal_text(f"{title or ''}\n{body or ''}"))


def content_hash_of_parts(title: str | None, body_parts: Iterable[str]) -> str:
    """``content_hash`` of the title and a body given as the ``normal_text`` of its parts, in order,
    when the parts hold every word of the body (its paragraphs: site furniture has them): the body
    is not normalised a second time. Case folding maps each character alone, so folding the parts
    and joining them folds the whole."""
    return _sha256(" ".join(part for part in (normal_text(title or ""), *body_parts) if part))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Deduplicate(ArticleStep):
    """The storage key and content hash; duplicates of this run and of the database skipped."""

    name = "dedupe"
    writer = True

    def __init__(self) -> None:
        self.store: ArticleStore | None = None
        self._urls: set[str] = set()  # keys passed on in this run
        self._hashes: dict[str, str] = {}  # content hash -> key, in this run

    def open(self, store: ArticleStore | None) -> None:
        self.store = store

    def close(self, store: ArticleStore | None, tally: Tally) -> None:
        self.store = None

    def _stored_under(self, digest: str) -> str | None:
        if digest in self._hashes:
            return self._hashes[digest]
        return self.store.url_for_hash(digest) if self.store is not None else None

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        item.url = storage_url(item.response_url, item.parsed.canonical_url)
        if item.content_hash is None:  # site furniture (before) may have made it from the same body
            item.content_hash = content_hash(item.parsed.title, item.parsed.body)
        if item.url in self._urls:
            return self._skip(item, tally, "duplicate_url", f"{item.url} was already stored in this run")
        other = self._stored_under(item.content_hash)
        if other is not None and other != item.url:
            return self._skip(item, tally, "duplicate_content", f"same title and body as {other}")
        self._urls.add(item.url)
        self._hashes.setdefault(item.content_hash, item.url)
        return item

    @staticmethod
    def _skip(item: PageItem, tally: Tally, reason: str, detail: str) -> FailedPage:
        tally.inc_value(f"newscrawl/dedupe/{reason}")
        logger.info("%s skipped: %s", item.response_url, detail)
        return item.skipped(reason, detail)
