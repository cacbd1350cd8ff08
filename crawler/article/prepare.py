"""A fetched page parsed and sent through the first article steps in one call: one pool hand-off a page.

Every entry point parses in a pool process (``crawler.pool``): the crawl for each response
(``crawler.parse_pool``), ``import`` and ``reparse`` for each archived record. Handing the
parse result back and then sending the item out again for the article steps that need
nothing but the page (cleaning, validation, language, summary: ``ArticlePipeline.pool_steps``)
cost a second round trip a page: pickling both ways, waking the pool's threads, and in a
crawl the reactor's time. ``parse_fetched`` does both in the pool process and returns the
page as the parser made it (the spider reads its links, ``import`` its date and language)
with the steps' result riding along (``crawler.items.Ahead``); ``ArticlePipeline`` picks it
up and runs only the steps after them.

No Scrapy here: ``FetchedPage`` is what any entry point knows of a fetch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from crawler.article.step import ArticleStep, run_steps
from crawler.items import Ahead, FailedPage, PageItem
from crawler.parsing import SiteTemplate, parse_page
from crawler.parsing.result import ParseResult


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One fetch, as the parser and the article steps need it."""

    body: bytes
    content_type: str | None  # the Content-Type header, if any
    fetched_url: str  # the URL asked for (before redirects)
    response_url: str  # the URL that answered
    http_status: int
    fetched_at: datetime | None  # aware: when the response arrived (None: unknown, now); the parser's clock
    site: str  # the site key
    etag: str | None = None
    last_modified: str | None = None
    template: SiteTemplate | None = None  # the site's template, a hint to the parser (``parse_page``)

    def item(self, parsed: ParseResult) -> PageItem:
        """The page's item around its parse result."""
        return PageItem(
            parsed=parsed,
            fetched_url=self.fetched_url,
            response_url=self.response_url,
            http_status=self.http_status,
            fetched_at=self._moment(),
            site=self.site,
            etag=self.etag,
            last_modified=self.last_modified,
        )

    def parse_error(self, error: BaseException) -> FailedPage:
        """The page recorded as one the parser failed on (or whose pool process died twice)."""
        return FailedPage(url=self.response_url, reason="parse_error", detail=f"{type(error).__name__}: {error}",
                          http_status=self.http_status, failed_at=self._moment(), site=self.site)

    def _moment(self) -> str:
        return (self.fetched_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def parse_fetched(page: FetchedPage, steps: tuple[ArticleStep, ...] = ()) -> PageItem | Exception:
    """The page parsed, with ``steps`` run on a copy of its item (``PageItem.ahead``).

    Module level: what a pool process runs. The parser's exception is returned as a value
    (the caller records the page as a ``parse_error``); an exception in a step is raised.
    """
    try:
        parsed = parse_page(page.body, page.response_url, content_type=page.content_type, now=page.fetched_at,
                            template=page.template)
    except Exception as exc:  # noqa: BLE001 - the caller records it as the page's parse_error
        return exc
    item = page.item(parsed)
    if steps:
        result, tally = run_steps(steps, replace(item, notes=[]))
        item.ahead = Ahead(source=parsed, result=result, done=tuple(step.name for step in steps), counts=dict(tally))
    return item
