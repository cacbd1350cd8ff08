"""A worker's WARC archive: its own files, its index rows to the single writer through Redis.

Every response a worker fetches is written as a local crawl's is (``ArchiveMiddleware``:
request and response records, one gzip member each, rotated past NEWSCRAWL_ARCHIVE_MAX_BYTES)
to files in NEWSCRAWL_ARCHIVE_DIR (``warc/`` beside NEWSCRAWL_DB_PATH when "", the same
default as a crawl's) named after the worker: ``newscrawl-worker-<host>-<start>-<pid>-<NNNNN>.warc.gz``,
so workers on several machines, or several on one, never write the same file, and a new worker
process (a run) starts new files. The worker opens no database: each record's index row
(URL, fetch time, file, offset, length: ``crawler.storage.archive.ArchivedResponse``) is pushed
to the Redis item list (``serializer.dumps_item``) the moment its record is written, before
the page's article, and the ingester adds it to ``archive_records`` under its run
(``crawler.distributed.ingest``). Rows name files relative to the archive folder, so the
ingester, its end-of-run template re-check and ``newscrawl reparse`` read them from their own
NEWSCRAWL_ARCHIVE_DIR: one folder shared by every machine, or the workers' folders collected
into it (docs/scaling.md, "The archive").

A row that cannot be pushed (Redis unreachable) is not kept: the middleware sends
``redis_failed``, so the scheduler hands the request back instead of acknowledging it and
the page is fetched, archived and indexed again once Redis is back (the unindexed record
stays in the file, unread). Counted in ``newscrawl/redis/index_not_pushed``.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.archive import archive_folder
from crawler.distributed.keys import REDIS_DOWN, RedisKeys, connect_with
from crawler.distributed.serializer import dumps_item
from crawler.middlewares.archive import ArchiveMiddleware
from crawler.signals import redis_failed
from crawler.storage.archive import ArchivedResponse

logger = logging.getLogger(__name__)


def worker_prefix(*, host: str | None = None, pid: int | None = None, started: datetime | None = None) -> str:
    """The name a worker's WARC files start with: unique to the machine, the start time and the process."""
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", host or socket.gethostname()).strip("-.") or "host"
    moment = (started or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"newscrawl-worker-{name}-{moment}-{pid or os.getpid()}"


class RedisIndex:
    """Index rows to the ingester: one RPUSH on the item list per written record."""

    def __init__(self, server: Any, key: str, stats: Any, signals: Any = None) -> None:
        self.server = server
        self.key = key
        self.stats = stats
        self.signals = signals

    def add(self, record: ArchivedResponse) -> None:
        try:
            self.server.rpush(self.key, dumps_item(record))
        except REDIS_DOWN as exc:
            logger.warning("the archive's index row of %s not handed to the ingester (Redis unreachable: %s); "
                           "its page goes back to the frontier", record.url, exc)
            self.stats.inc_value("newscrawl/redis/index_not_pushed")
            if self.signals is not None:
                self.signals.send_catch_log(redis_failed, error=exc)

    def close(self) -> None:
        pass


class WorkerArchiveMiddleware(ArchiveMiddleware):
    """``ArchiveMiddleware`` with the worker's file names and its index rows sent through Redis,
    each response written as it comes (its row must reach Redis before the page's article)."""

    write_batch = 1

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerArchiveMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_ARCHIVE"):
            raise NotConfigured("NEWSCRAWL_ARCHIVE is off: no WARC archive")
        sink = RedisIndex(connect_with(settings), RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"]).items,
                          crawler.stats, crawler.signals)
        middleware = cls(crawler, folder=archive_folder(settings.get("NEWSCRAWL_DB_PATH"),
                                                        settings.get("NEWSCRAWL_ARCHIVE_DIR")),
                         max_bytes=settings.getint("NEWSCRAWL_ARCHIVE_MAX_BYTES"), sink=sink, prefix=worker_prefix())
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware
