"""PushItemsPipeline: the worker's last pipeline, hands each item to the ingester via Redis.

A worker does not open the database: after cleaning and validation it appends each
item, as JSON (``serializer.dumps_item``), to the Redis item list; ``newscrawl ingest``,
the single writer, stores them. The push is synchronous (one RPUSH, well under a
millisecond on a LAN), so when the engine is done with a response its items are in Redis
and the scheduler may acknowledge the request's lease.

When Redis cannot be reached the item is not pushed: the pipeline sends the
``redis_failed`` signal, on which the scheduler hands the request back to the frontier
instead of acknowledging it, so the page is fetched again once Redis is back. Counted in
``newscrawl/redis/items_not_pushed``.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE, NEWSCRAWL_REDIS_TIMEOUT.
"""

from __future__ import annotations

import logging
from typing import Any

from crawler.distributed.keys import REDIS_DOWN, RedisKeys, connect_with
from crawler.distributed.serializer import dumps_item
from crawler.items import FailedPage, PageItem
from crawler.signals import redis_failed

logger = logging.getLogger(__name__)


class PushItemsPipeline:
    def __init__(self, server: Any, key: str, stats: Any, signals: Any = None) -> None:
        self.server = server
        self.key = key
        self.stats = stats
        self.signals = signals

    @classmethod
    def from_crawler(cls, crawler: Any) -> PushItemsPipeline:
        keys = RedisKeys(crawler.settings["NEWSCRAWL_REDIS_NAMESPACE"])
        return cls(connect_with(crawler.settings), keys.items, crawler.stats, crawler.signals)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (PageItem, FailedPage)):
            try:
                self.server.rpush(self.key, dumps_item(item))
            except REDIS_DOWN as exc:
                url = item.response_url if isinstance(item, PageItem) else item.url
                logger.warning("%s not handed to the ingester (Redis unreachable: %s); its page goes back to "
                               "the frontier", url, exc)
                self.stats.inc_value("newscrawl/redis/items_not_pushed")
                if self.signals is not None:
                    self.signals.send_catch_log(redis_failed, error=exc)
                return item
            self.stats.inc_value("newscrawl/redis/items_pushed")
        return item
