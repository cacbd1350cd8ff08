"""The row step: what the store writes for an article that passed every step, or for a page that failed.

``article_row`` is the last step of the composition (``crawler.article.pipeline``): a
new article field is a column (``crawler/storage/schema.py``), a field of ``ArticleRow``
(``crawler/storage/store.py``) and one line here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crawler.items import FailedPage, PageItem
from crawler.storage.store import ArticleRow


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def article_row(item: PageItem) -> ArticleRow:
    """The row for a validated, de-duplicated item (url and content_hash set by the dedupe step)."""
    parsed = item.parsed
    if item.url is None or item.content_hash is None:
        raise ValueError(f"{item.response_url}: item reached storage without a storage key")
    return ArticleRow(
        url=item.url,
        site=item.site,
        title=parsed.title or "",
        body=parsed.body or "",
        content_hash=item.content_hash,
        fetched_at=item.fetched_at,
        published_at=parsed.published_at,
        published_relative=parsed.published_relative,
        modified_at=parsed.modified_at,
        authors=tuple(parsed.authors),
        language=parsed.language,
        description=parsed.description,
        site_name=parsed.site_name,
        prev_url=parsed.prev_url,
        prev_title=parsed.prev_title,
        next_url=parsed.next_url,
        next_title=parsed.next_title,
        word_count=item.word_count,
        fetched_url=item.fetched_url if item.fetched_url != item.url else None,
        summary=item.summary,
        image_url=parsed.image_url,
        keywords=tuple(parsed.keywords),
        free_to_read=parsed.free_to_read,
        article_uncertain=parsed.article_uncertain,
    )


def failure_row(page: FailedPage) -> dict[str, Any]:
    """The failures-table record of a page that gave no article."""
    return {
        "url": page.url,
        "site": page.site or None,
        "reason": page.reason,
        "detail": page.detail,
        "http_status": page.http_status,
        "failed_at": page.failed_at or _now(),
        "skipped": page.skipped,
    }
