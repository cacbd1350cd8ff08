"""Items that travel from the spider through the pipelines.

Two kinds: a parsed page (``PageItem``), which the pipelines clean, validate and
store as an article or record as skipped, and a page that could not be fetched or
parsed (``FailedPage``), which the store pipeline records with its reason. A page parsed
in a pool process usually carries the first article steps' result with it (``Ahead``),
so it crosses between processes once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.parsing.result import ParseResult


@dataclass(slots=True)
class PageItem:
    """A fetched page and what the parser made of it."""

    parsed: ParseResult
    fetched_url: str  # the URL requested (before redirects)
    response_url: str  # the URL that answered (after redirects)
    http_status: int
    fetched_at: str  # ISO 8601 UTC, when the response arrived
    site: str  # the site key: host name without "www."
    etag: str | None = None
    last_modified: str | None = None
    # Filled by the pipelines:
    url: str | None = None  # the storage key: canonical URL, tracking parameters stripped
    content_hash: str | None = None
    word_count: int = 0
    summary: str | None = None  # extractive, at most three sentences (crawler/article/summary.py)
    notes: list[str] = field(default_factory=list)  # what cleaning changed, for logs
    ahead: Ahead | None = None  # the first article steps, already run where the page was parsed

    def skipped(self, reason: str, detail: str) -> FailedPage:
        """This page as a FailedPage: fetched fine, not kept as an article (a pipeline's decision)."""
        return FailedPage(
            url=self.response_url,
            reason=reason,
            detail=detail,
            http_status=self.http_status,
            failed_at=self.fetched_at,
            site=self.site,
            skipped=True,
        )


@dataclass(slots=True)
class FailedPage:
    """A page that produced no article, and why."""

    url: str
    reason: str  # short, stable reason code: "http_404", "timeout", "not_article", ...
    detail: str = ""  # human-readable detail
    http_status: int | None = None
    failed_at: str = ""
    site: str = ""
    skipped: bool = False  # fetched fine but not kept (not an article, duplicate, ...), not an error


@dataclass(slots=True)
class Ahead:
    """The first article steps' result, computed in the pool process that parsed the page.

    A page then crosses between processes once, parse and steps together
    (``crawler.article.prepare``). ``crawler.article.pipeline.ArticlePipeline`` takes
    ``result`` instead of running those steps again, as long as the item still holds the very
    parse result they started from (``source``): a spider that changes the parse (selector
    overrides) gives the item a new one, and the steps run again on it.
    """

    source: ParseResult  # the parse the steps started from (the item's own ``parsed``)
    result: PageItem | FailedPage  # what the steps made of the page
    done: tuple[str, ...]  # the steps' names, in their order
    counts: dict[str, int]  # what they counted, under stats keys
