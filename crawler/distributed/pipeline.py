"""PushItemsPipeline: the worker's last pipeline, hands each item to the ingester via Redis.

A worker does not open the database: after cleaning and validation it appends each
item, as JSON (``serializer.dumps_item``), to the Redis item list; ``newscrawl ingest``,
the single writer, stores them. The push is synchronous (one RPUSH, well under a
millisecond on a LAN), so when the engine is done with a response its items are in Redis
and the scheduler may acknowledge the request's lease.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE.
"""

from __future__ import annotations

from typing import Any

from crawler.distributed.keys import RedisKeys, connect
from crawler.distributed.serializer import dumps_item
from crawler.items import FailedPage, PageItem


class PushItemsPipeline:
    def __init__(self, server: Any, key: str, stats: Any) -> None:
        self.server = server
        self.key = key
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> PushItemsPipeline:
        settings = crawler.settings
        keys = RedisKeys(settings["NEWSCRAWL_REDIS_NAMESPACE"])
        return cls(connect(settings["NEWSCRAWL_REDIS_URL"]), keys.items, crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (PageItem, FailedPage)):
            self.server.rpush(self.key, dumps_item(item))
            self.stats.inc_value("newscrawl/redis/items_pushed")
        return item
