"""Parsing beside the reactor: ``parse_page`` in a pool of processes, before the callback runs.

Scrapy runs every callback on the one reactor thread, and parsing a page costs several
times what fetching it does (docs/benchmarks.md). ``ParseInPoolMiddleware``, the last
downloader middleware to see a response, sends each page bound for the spider's
``parse`` callback to a ``concurrent.futures.ProcessPoolExecutor`` and awaits the result,
so the other cores parse while the reactor keeps fetching. In the same hand-off the pool
process runs the article steps that need nothing but the page (cleaning, validation,
language, summary: ``crawler.article.prepare``), which the crawl's article pipeline names
with ``parse_with_steps(crawler, steps)``; the page crosses between the processes once.
The spider takes the page's item with ``pooled_item(response)`` and parses inline only when
there is none (pool off, or a response the middleware did not parse). With one process
(or on a one-core machine) the middleware is off and the spider parses inline, as
without it.

The pool (``crawler.pool.ParsePool``: its workers, crashes and restarts) is the crawl's one
place for CPU work (``crawler_pool(crawler)``), so the reactor's process keeps Scrapy's own
work and the store.

Settings: NEWSCRAWL_PARSE_PROCESSES (0 = one per CPU core, 1 = parse inline).
"""

from __future__ import annotations

import weakref
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.article.prepare import FetchedPage, parse_fetched
from crawler.article.step import ArticleStep
from crawler.article.template import note_parse_path as counted
from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.parsing.template import SiteTemplate
from crawler.pool import ParseCrashed, ParsePool, pool_size
from crawler.urls import site_key

__all__ = ["ParseCrashed", "ParsePool", "ParseInPoolMiddleware", "crawler_pool", "fetch_time", "fetched_page",
           "parse_with_steps", "parsed_here", "pool_size", "pooled_item", "requested_url", "share_templates", "template_for"]


_POOLS: weakref.WeakKeyDictionary[Any, ParsePool] = weakref.WeakKeyDictionary()
_STEPS: weakref.WeakKeyDictionary[Any, tuple[ArticleStep, ...]] = weakref.WeakKeyDictionary()


def crawler_pool(crawler: Any) -> ParsePool:
    """The one pool of a crawl, shared by the parse middleware and the pipelines that hand it
    CPU work (cleaning, summaries); closed when the spider closes."""
    pool = _POOLS.get(crawler)
    if pool is None:
        pool = _POOLS[crawler] = ParsePool.from_settings(crawler.settings)
        crawler.signals.connect(lambda spider: pool.close(), signal=signals.spider_closed, weak=False)
    return pool


_TEMPLATES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def share_templates(crawler: Any, book: Any) -> None:
    """Make the template step's ``TemplateBook`` (``crawler.article.template``) the crawl's: every
    later parse of a site gets the site's template as a hint. A distributed worker shares the
    ingester's, as Redis holds it (``crawler.distributed.templates.SharedTemplates``)."""
    _TEMPLATES[crawler] = book


def template_for(crawler: Any, url: str) -> SiteTemplate | None:
    """The hint for a page of the crawl: what was learned of its site (the shared book's
    ``for_page``, with the layouts of the template fast path), under the template the spider's
    site profile pins for it (``template_pin``);
    None when there is neither."""
    pin_of = getattr(getattr(crawler, "spider", None), "template_pin", None)
    pinned = pin_of(url) if pin_of is not None else None
    book = _TEMPLATES.get(crawler)
    return pinned if book is None else book.for_page(site_key(url), pinned)


def note_parse_path(crawler: Any, item: Any) -> None:
    """Count how a page was read and distrust a site's layouts on a disagreement
    (``crawler.article.template.note_parse_path``), with the crawl's stats and shared book."""
    counted(item, crawler.stats, _TEMPLATES.get(crawler))


def parse_with_steps(crawler: Any, steps: tuple[ArticleStep, ...]) -> None:
    """The article steps the pool runs on each page right after parsing it (the crawl's article
    pipeline names its ``pool_steps`` when it starts)."""
    _STEPS[crawler] = steps


PAGE_KEY = "newscrawl_page"  # request.meta key: the PageItem (or the parser's exception) from the pool
FETCHED_AT_KEY = "newscrawl_fetched_at"  # request.meta key: when the response arrived (aware UTC datetime)


def fetch_time(message: Any) -> datetime:
    """When the response arrived, in UTC to the second: taken the first time it is asked for
    (by this middleware as the response comes in, else by the spider's callback) and kept in
    the request's meta, so the parser's clock (relative dates) and the stored ``fetched_at``
    are one moment. The Date header is not used: the server sets it. ``message``: the request,
    or a response tied to it."""
    arrived = datetime.now(UTC).replace(microsecond=0)
    try:
        meta = message.meta
    except AttributeError:  # a response built without a request
        return arrived
    return meta.setdefault(FETCHED_AT_KEY, arrived)


HTML_TYPES = ("text/html", "application/xhtml+xml")


def requested_url(request: Any) -> str:
    """The URL the crawl asked for: the first of a redirect chain (Scrapy's ``redirect_urls``), else the request's."""
    redirects = request.meta.get("redirect_urls") or []
    return redirects[0] if redirects else request.url


def _header(response: Any, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def fetched_page(request: Any, response: Any, *, template: SiteTemplate | None = None) -> FetchedPage:
    """What the parser and the article steps need of a response (``crawler.article.prepare``);
    ``request``: the one it answers (None for a response built without one); ``template``: the
    site's template hint (``template_for``)."""
    return FetchedPage(
        body=response.body,
        content_type=_header(response, b"Content-Type"),
        fetched_url=requested_url(request) if request is not None else response.url,
        response_url=response.url,
        http_status=response.status,
        fetched_at=fetch_time(request if request is not None else response),
        site=site_key(response.url),
        etag=_header(response, b"ETag"),
        last_modified=_header(response, b"Last-Modified"),
        template=template,
    )


def parsed_here(crawler: Any, request: Any, response: Any) -> PageItem:
    """The response parsed in this process (the pool is off, or did not parse it), as the page's
    item; the parser's exception is raised."""
    page = fetched_page(request, response, template=template_for(crawler, response.url))
    item = page.item(parse_page(page.body, page.response_url, content_type=page.content_type, now=page.fetched_at,
                                template=page.template))
    note_parse_path(crawler, item)
    return item


def pooled_item(response: Any) -> PageItem | None:
    """The pool's item for this response, if it made one; the parser's exception is re-raised."""
    found = response.meta.pop(PAGE_KEY, None)
    if isinstance(found, Exception):
        raise found
    return found


def _bound_for_parse(request: Any, response: Any, spider: Any) -> bool:
    """A 2xx HTML response whose request goes to the spider's own ``parse`` callback."""
    callback = request.callback
    if getattr(callback, "__self__", None) is not spider or getattr(callback, "__name__", "") != "parse":
        return False
    if not 200 <= response.status < 300 or not response.body:
        return False
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
    return content_type in HTML_TYPES


class ParseInPoolMiddleware:
    """Downloader middleware: parse the page in the pool, leave the result in ``request.meta``."""

    def __init__(self, crawler: Any, pool: ParsePool) -> None:
        self.crawler = crawler
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParseInPoolMiddleware:
        pool = crawler_pool(crawler)
        if pool.inline:
            raise NotConfigured("NEWSCRAWL_PARSE_PROCESSES is 1: pages are parsed inline")
        return cls(crawler, pool)

    async def process_response(self, request: Any, response: Any) -> Any:
        if not _bound_for_parse(request, response, self.crawler.spider):
            return response
        try:
            page = fetched_page(request, response, template=template_for(self.crawler, response.url))
            found = await self.pool.run(parse_fetched, page, _STEPS.get(self.crawler, ()), what=response.url)
            self.crawler.stats.inc_value("newscrawl/parse_pool/parsed")
            note_parse_path(self.crawler, found)
        except Exception as exc:  # noqa: BLE001 - the spider records it as the page's parse_error
            found = exc
        request.meta[PAGE_KEY] = found
        return response
