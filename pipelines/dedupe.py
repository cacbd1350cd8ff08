"""DeduplicatePipeline: one storage key per article, and one row per distinct article text.

The storage key is the canonical URL (``crawler.urls.canonical_url``: tracking
parameters, fragment and default port out) of the page's own ``<link rel=canonical>``
when that points to a page of the same site, else of the URL that answered. A
canonical that points to another site or to the site's home page is ignored: pages
that declare one are syndicated or misconfigured, and trusting it would merge articles.

Within a run, a second page with an already-seen key is skipped (``duplicate_url``).
A page whose title and body hash to an article stored under another key, in this run
or an earlier one, is skipped (``duplicate_content``): identical content under two
URLs is stored once. Re-crawling the same key is not a duplicate: the store updates it.

Settings: NEWSCRAWL_DB_PATH (read to find articles stored by earlier runs).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any
from urllib.parse import urlsplit

from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore, open_database
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


def content_hash(title: str | None, body: str | None) -> str:
    """sha256 of title and body with case and whitespace differences ignored."""
    text = " ".join(f"{title or ''}\n{body or ''}".split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DeduplicatePipeline:
    def __init__(self, stats: Any, *, db_path: str) -> None:
        self.stats = stats
        self.db_path = db_path
        self.store: ArticleStore | None = None
        self._urls: set[str] = set()  # keys passed on in this run
        self._hashes: dict[str, str] = {}  # content hash -> key, in this run

    @classmethod
    def from_crawler(cls, crawler: Any) -> DeduplicatePipeline:
        return cls(crawler.stats, db_path=crawler.settings.get("NEWSCRAWL_DB_PATH"))

    def open_spider(self) -> None:
        self.store = ArticleStore(open_database(self.db_path))

    def close_spider(self) -> None:
        if self.store is not None:
            self.store.db.conn.close()
            self.store = None

    def _stored_under(self, digest: str) -> str | None:
        if digest in self._hashes:
            return self._hashes[digest]
        return self.store.url_for_hash(digest) if self.store is not None else None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        item.url = storage_url(item.response_url, item.parsed.canonical_url)
        item.content_hash = content_hash(item.parsed.title, item.parsed.body)
        if item.url in self._urls:
            return self._skip(item, "duplicate_url", f"{item.url} was already stored in this run")
        other = self._stored_under(item.content_hash)
        if other is not None and other != item.url:
            return self._skip(item, "duplicate_content", f"same title and body as {other}")
        self._urls.add(item.url)
        self._hashes.setdefault(item.content_hash, item.url)
        return item

    def _skip(self, item: PageItem, reason: str, detail: str) -> FailedPage:
        self.stats.inc_value(f"newscrawl/dedupe/{reason}")
        logger.info("%s skipped: %s", item.response_url, detail)
        return item.skipped(reason, detail)
