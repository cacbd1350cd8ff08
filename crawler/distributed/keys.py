"""The Redis keys newscrawl uses, all under one namespace, and the connection helper.

Settings: NEWSCRAWL_REDIS_URL, NEWSCRAWL_REDIS_NAMESPACE.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

# Connection defaults for workers, the ingester and enqueue (seconds).
_CLIENT_OPTIONS = {"socket_timeout": 30, "socket_connect_timeout": 10, "retry_on_timeout": True}


@dataclass(frozen=True, slots=True)
class RedisKeys:
    """Key names of one crawl namespace (several crawls can share a server)."""

    namespace: str

    def _key(self, name: str) -> str:
        return f"{self.namespace}:{name}"

    @property
    def requests(self) -> str:  # ZSET: serialized request -> -priority (the frontier)
        return self._key("requests")

    @property
    def leases(self) -> str:  # ZSET: lease id -> deadline (frontier.LeasedQueue: "<requests>:leases")
        return f"{self.requests}:leases"

    @property
    def seen(self) -> str:  # SET: request fingerprints (scrapy-redis dupefilter)
        return self._key("seen")

    @property
    def seeds(self) -> str:  # SET: start URLs given to enqueue; their sites are the crawl's sites
        return self._key("seeds")

    @property
    def site_configs(self) -> str:  # HASH: site key -> JSON settings of its last enqueue (sites.SiteConfig)
        return self._key("site-configs")

    def discovery_seen(self, site: str) -> str:  # SET: listings and sources requested since the site's last enqueue
        return self._key(f"discovery-seen:{site}")

    @property
    def listing_pages(self) -> str:  # HASH: site key -> listing pages requested since its last enqueue
        return self._key("listing-pages")

    @property
    def items(self) -> str:  # LIST: serialized items, workers push, the ingester pops
        return self._key("items")

    @property
    def items_processing(self) -> str:  # LIST: the batch the ingester is writing
        return self._key("items:processing")

    @property
    def ingest_lock(self) -> str:  # STRING: the single writer's token, with a TTL
        return self._key("ingest:lock")

    @property
    def dead(self) -> str:  # LIST: stored requests no worker could decode
        return self._key("dead")


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (``redis://host:port/db``); fails now if the server is unreachable."""
    client = redis.Redis.from_url(url, **_CLIENT_OPTIONS)
    client.ping()
    return client
