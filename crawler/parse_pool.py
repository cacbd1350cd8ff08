"""Parsing beside the reactor: ``parse_page`` in a pool of processes, before the callback runs.

Scrapy runs every callback on the one reactor thread, and parsing a page costs several
times what fetching it does (docs/benchmarks.md). ``ParseInPoolMiddleware``, the last
downloader middleware to see a response, sends each page bound for the spider's
``parse`` callback to a ``concurrent.futures.ProcessPoolExecutor`` and awaits the result,
so the other cores parse while the reactor keeps fetching. The spider takes the result
with ``parsed_in_pool(response)`` and parses inline only when there is none (pool off,
or a response the middleware did not parse). With one process (or on a one-core
machine) the middleware is off and the spider parses inline, as without it.

The pool is the crawl's one place for CPU work (``crawler_pool(crawler)``): the cleaning
and summary pipelines hand it their pure functions too, so the reactor's process keeps
Scrapy's own work and the store.

The workers are started by a fork server that has imported the parsing package, so a
worker starts fast and never inherits the reactor's threads or sockets; a worker ends
itself when the crawl process is gone, however the crawl ended. A worker that
dies (a crash in a C library on a hostile page) breaks the pool: it is rebuilt once per
page and the page retried; a page that breaks it twice raises ``ParseCrashed``.

Settings: NEWSCRAWL_PARSE_PROCESSES (0 = one per CPU core, 1 = parse inline).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from typing import Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.parsing import parse_page
from crawler.parsing.result import ParseResult

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ParseCrashed(Exception):
    """The page killed a parse worker twice."""


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pool_size(setting: int) -> int:
    """Processes for a NEWSCRAWL_PARSE_PROCESSES value (0 = one per core)."""
    if setting < 0:
        raise ValueError("NEWSCRAWL_PARSE_PROCESSES must be 0 (one per core) or more")
    return setting or cpu_count()


PARENT_CHECK_SECONDS = 1.0  # how often a parse worker checks that its crawl process is still alive


def _exit_with(crawl_pid: int) -> None:
    """In a parse worker: end this process soon after the crawl process is gone.

    The workers are children of the fork server, not of the crawl, so nothing tells them
    when a crawl is killed (SIGKILL, an out-of-memory kill); without this they would wait
    for work forever.
    """

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(crawl_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid now belongs to someone else's process
                os._exit(0)

    threading.Thread(target=watch, name="crawl-watch", daemon=True).start()


def _parse(body: bytes, url: str, content_type: str | None, now: datetime | None = None) -> ParseResult:
    return parse_page(body, url, content_type=content_type, now=now)


class ParsePool:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_settings(cls, settings: object) -> ParsePool:
        return cls(pool_size(settings.getint("NEWSCRAWL_PARSE_PROCESSES")))  # type: ignore[attr-defined]

    @property
    def inline(self) -> bool:
        return self.processes <= 1

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["crawler.parsing"])
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=context,
                                   initializer=_exit_with, initargs=(os.getpid(),))

    async def parse(
        self, body: bytes, url: str, content_type: str | None = None, now: datetime | None = None
    ) -> ParseResult:
        """The page's parse result, from a pool process (or inline with one process); ``now`` is
        the fetch time (``parse_page``)."""
        return await self.run(_parse, body, url, content_type, now, what=url)

    async def run(self, function: Callable[..., T], *args: Any, what: str = "") -> T:
        """``function(*args)`` in a pool process (inline with one process). ``function`` must be a
        module-level function and its arguments and result picklable; ``what`` names the work in
        the message when a worker dies."""
        if self.inline:
            return function(*args)
        for attempt in (1, 2):
            if self._executor is None:
                self._executor = self._start()
            try:
                future = self._executor.submit(function, *args)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                logger.warning("a pool worker died on %s (attempt %d); restarting the pool", what, attempt)
                self._discard_broken()
        raise ParseCrashed(f"{what or function.__name__} killed a pool worker twice")

    def _discard_broken(self) -> None:
        """Drop a broken executor. Its surviving workers are terminated first: Python 3.11's
        executor joins them when it breaks, and a worker it had just started waits for work
        forever, which would hang the crawl at exit."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for process in list(getattr(executor, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_POOLS: weakref.WeakKeyDictionary[Any, ParsePool] = weakref.WeakKeyDictionary()


def crawler_pool(crawler: Any) -> ParsePool:
    """The one pool of a crawl, shared by the parse middleware and the pipelines that hand it
    CPU work (cleaning, summaries); closed when the spider closes."""
    pool = _POOLS.get(crawler)
    if pool is None:
        pool = _POOLS[crawler] = ParsePool.from_settings(crawler.settings)
        crawler.signals.connect(lambda spider: pool.close(), signal=signals.spider_closed, weak=False)
    return pool


PARSED_KEY = "newscrawl_parsed"  # request.meta key: the ParseResult (or the exception) from the pool
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


def parsed_in_pool(response: Any) -> ParseResult | None:
    """The pool's parse of this response, if it made one; the parser's exception is re-raised."""
    found = response.meta.pop(PARSED_KEY, None)
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
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        try:
            now = fetch_time(request)
            request.meta[PARSED_KEY] = await self.pool.parse(response.body, response.url, content_type, now)
            self.crawler.stats.inc_value("newscrawl/parse_pool/parsed")
        except Exception as exc:  # the spider records it as the page's parse_error
            request.meta[PARSED_KEY] = exc
        return response
