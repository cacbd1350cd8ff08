"""Every fetched response into the WARC archive, indexed in the database.

A downloader middleware just after decompression (``HttpCompressionMiddleware`` at 590):
each response that reaches it (articles, listing pages, feeds, sitemaps, robots.txt,
error pages; not the redirects Scrapy follows) is written as a request and a response
record (``crawler.archive.warc.WarcFileWriter``) with the body as the parser gets it, and its
file, offset and length go to an ``IndexSink``. WARC-Date is the fetch time the article stores
(``crawler.parse_pool.fetch_time``).

A local crawl writes its responses ``WRITE_BATCH`` at a time (fewer once their bodies reach
``WRITE_BATCH_BYTES``; the rest when the spider closes): written together, their code and the
compressor's memory stay warm, and they cost about two thirds of the CPU of one by one between
other work (docs/benchmarks.md, "The archive's cost on a crawl"). Its ``DatabaseIndex`` adds their
rows to ``archive_records`` (``crawler.storage.archive``) in batches of ``INDEX_BATCH`` and
when the spider closes, always after their records are in the file: what is indexed is on
disk. A crawl killed outright loses the records still waiting, as it loses the rows still
waiting (up to ``INDEX_BATCH``): a page it did not index could not be read back by ``reparse``
before either. A distributed worker writes each response as it comes and hands its row to the
single writer through Redis before the page's article (``crawler.distributed.archive``). A
local crawl's files are named after the run (``newscrawl-run<ID>-<NNNNN>.warc.gz``); every
writer's are rotated past NEWSCRAWL_ARCHIVE_MAX_BYTES.

A write that fails (disk full, folder or database read-only) is logged once and ends
archiving for the crawl, never the crawl itself (``newscrawl/archive/error``).

Settings: NEWSCRAWL_ARCHIVE (False switches it off), NEWSCRAWL_ARCHIVE_DIR ("" = ``warc/``
beside NEWSCRAWL_DB_PATH), NEWSCRAWL_ARCHIVE_MAX_BYTES. Stats: ``newscrawl/archive/records``,
``newscrawl/archive/bytes`` (written to files), ``newscrawl/archive/payload_bytes`` (fetched).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import Any, NamedTuple, Protocol

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.archive import archive_folder
from crawler.archive.warc import Exchange, WarcFileWriter
from crawler.parse_pool import fetch_time
from crawler.storage import NotANewscrawlDatabase, open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex

logger = logging.getLogger(__name__)

INDEX_BATCH = 200  # index rows written per transaction
WRITE_BATCH = 16  # responses written to the WARC file together (their code and the compressor's memory stay warm)
WRITE_BATCH_BYTES = 1 << 20  # ... or fewer, once their bodies reach this many bytes
_DROPPED_HEADERS = frozenset({b"content-encoding", b"transfer-encoding", b"content-length"})  # the body is decoded


def _headers(headers: Any, *, drop: frozenset[bytes] = frozenset()) -> list[tuple[str, str]]:
    """Scrapy's ``Headers`` as (name, value) pairs. Read as the dict they are (names normalised, each
    with its list of values): ``Headers.items()`` normalises every name again, a third of the
    middleware's own time."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in dict.items(headers)
        if name.lower() not in drop
        for value in values
    ]


@cache
def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class IndexSink(Protocol):
    """Where the index rows of written records go."""

    def add(self, record: ArchivedResponse) -> None: ...

    def close(self) -> None: ...


class DatabaseIndex:
    """A local crawl's index: ``archive_records`` of its own database, written in batches."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.index: ArchiveIndex | None = None
        self.pending: list[ArchivedResponse] = []

    def add(self, record: ArchivedResponse) -> None:
        if self.index is None:
            self.index = ArchiveIndex(open_database(self.db_path))
        self.pending.append(record)
        if len(self.pending) >= INDEX_BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        if pending and self.index is not None:
            self.index.add(pending)

    def close(self) -> None:
        try:
            self.flush()
        except sqlite3.Error as exc:
            logger.error("the last %d WARC records could not be indexed in %s: %s", len(self.pending), self.db_path, exc)
        finally:
            if self.index is not None:
                self.index.db.conn.close()
                self.index = None


class _Fetched(NamedTuple):
    """What the archive keeps of a response until its batch is written (not the response itself,
    whose parsed tree may hang on it)."""

    url: str
    method: str
    request_headers: Any  # Scrapy's Headers
    request_url: str  # the first URL of its redirects
    status: int
    headers: Any  # the response's Headers
    body: bytes
    fetched_at: datetime


class ArchiveMiddleware:
    write_batch = WRITE_BATCH  # responses written together (1: each as it comes, as a worker's must be)

    def __init__(self, crawler: Any, *, folder: Any, max_bytes: int, sink: IndexSink, prefix: str = "") -> None:
        """``prefix``: the files' name before ``-<NNNNN>.warc.gz`` ("": after the crawl's run)."""
        self.crawler = crawler
        self.folder = folder
        self.max_bytes = max_bytes
        self.sink = sink
        self.prefix = prefix
        self.writer: WarcFileWriter | None = None
        self.broken = False
        self.waiting: list[_Fetched] = []
        self.waiting_bytes = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_ARCHIVE"):
            raise NotConfigured("NEWSCRAWL_ARCHIVE is off: no WARC archive")
        db_path = settings.get("NEWSCRAWL_DB_PATH")
        middleware = cls(crawler, folder=archive_folder(db_path, settings.get("NEWSCRAWL_ARCHIVE_DIR")),
                         max_bytes=settings.getint("NEWSCRAWL_ARCHIVE_MAX_BYTES"), sink=DatabaseIndex(db_path))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Any, response: Any) -> Any:
        if self.broken:
            return response
        redirects = request.meta.get("redirect_urls")
        self.waiting.append(_Fetched(response.url, request.method, request.headers,
                                     redirects[0] if redirects else response.url, response.status,
                                     response.headers, response.body, fetch_time(request)))  # fmt: skip
        self.waiting_bytes += len(response.body)
        if len(self.waiting) >= self.write_batch or self.waiting_bytes >= WRITE_BATCH_BYTES:
            self.write_waiting()
        return response

    def write_waiting(self) -> None:
        """Write and index the responses waiting; a failure ends archiving for the crawl."""
        waiting, self.waiting, self.waiting_bytes = self.waiting, [], 0
        try:
            for fetched in waiting:
                self._archive(fetched)
        except (OSError, sqlite3.Error, NotANewscrawlDatabase) as exc:
            self.broken = True
            logger.error("cannot write the WARC archive in %s: %s; this crawl keeps no more pages", self.folder, exc)
            self.crawler.stats.set_value("newscrawl/archive/error", str(exc))

    def _archive(self, fetched: _Fetched) -> None:
        run_id = self.crawler.stats.get_value("newscrawl/run_id")
        if self.writer is None:
            prefix = self.prefix or (f"newscrawl-run{run_id}" if run_id else
                                     "newscrawl-" + datetime.now(UTC).strftime("%Y%m%d%H%M%S"))
            self.writer = WarcFileWriter(self.folder, prefix, self.max_bytes)
        written = self.writer.write(Exchange(
            url=fetched.url, method=fetched.method, request_headers=_headers(fetched.request_headers),
            status=fetched.status, reason=_reason(fetched.status),
            response_headers=_headers(fetched.headers, drop=_DROPPED_HEADERS), body=fetched.body,
            fetched_at=fetched.fetched_at,
        ))  # fmt: skip
        content_type = fetched.headers.get(b"Content-Type")
        self.sink.add(ArchivedResponse(
            run_id=run_id, url=fetched.url, request_url=fetched.request_url, status=fetched.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            fetched_at=fetched.fetched_at.isoformat(timespec="seconds"), file=written.file, offset=written.offset,
            length=written.length, payload_bytes=len(fetched.body), payload_digest=written.payload_digest,
        ))  # fmt: skip
        stats = self.crawler.stats
        stats.inc_value("newscrawl/archive/records")
        stats.inc_value("newscrawl/archive/bytes", written.length)
        stats.inc_value("newscrawl/archive/payload_bytes", len(fetched.body))

    def spider_closed(self) -> None:
        try:
            if not self.broken:
                self.write_waiting()
            self.sink.close()
        finally:
            if self.writer is not None:
                self.writer.close()
