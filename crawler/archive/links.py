"""The prev/next link checks of articles stored without a crawl following their links (``import``,
``reparse``): each link settled against its neighbour's stored row (``crawler.chaincheck.stored_checks``)."""

from __future__ import annotations

from collections.abc import Iterable

from crawler.chaincheck import stored_checks
from crawler.storage import ArticleStore
from crawler.storage.reparse import as_article_row, rows_by_url
from crawler.storage.state import CrawlState
from crawler.storage.store import ArticleRow
from crawler.urls import canonical_url


def check_stored_links(stored: Iterable[ArticleRow], store: ArticleStore) -> None:
    """Settle the prev/next links of ``stored`` against their neighbours' stored rows, into
    ``prev_check`` / ``next_check`` (both ways when the neighbour links back); a link whose
    neighbour is not stored keeps the check it has."""
    stored = list(stored)
    links = sorted({canonical_url(link) for row in stored for link in (row.prev_url, row.next_url) if link})
    if not links:
        return
    neighbours = {url: as_article_row(row) for url, row in rows_by_url(store.db, links).items()}
    checks = [check for row in stored for check in stored_checks(row, neighbours)]
    if checks:
        CrawlState(store.db).record_link_checks([(check.url, check.side, check.status) for check in checks])


def former_neighbours(store: ArticleStore, changes: Iterable[tuple[dict, ArticleRow]]) -> list[ArticleRow]:
    """The stored articles a replaced row linked to and links to no longer (their own checks of a
    link back to it are settled again)."""
    gone = sorted({canonical_url(old[side]) for old, new in changes for side in ("prev_url", "next_url")
                   if old[side] and old[side] != getattr(new, side)})
    return [as_article_row(row) for row in rows_by_url(store.db, gone).values()] if gone else []
