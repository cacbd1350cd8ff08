"""Redis memory per requested page: the shared seen filter (Bloom) against scrapy-redis's SET.

One redis-server; for each design, N distinct request fingerprints are added through the
code the workers run (``BloomDupeFilter.fingerprints_seen``; the SET is filled with
SADD, as scrapy-redis's ``RFPDupeFilter.request_seen`` does), and ``used_memory`` is read
before and after. The Bloom filter's false-positive rate is measured on fingerprints
never added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import redis

from crawler.distributed.seen import BloomDupeFilter
from crawler.runner import build_settings

BATCH = 2000  # fingerprints per pipeline


@dataclass(slots=True)
class SeenMeasure:
    design: str
    pages: int
    bytes_per_page: float
    false_positive_rate: float | None  # measured on fingerprints never added; None: exact (a SET)
    probes: int = 0


def _fingerprints(count: int, salt: str) -> list[str]:
    return [hashlib.sha1(f"{salt}{number}".encode()).hexdigest() for number in range(count)]


def _used(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def measure_bloom(client: redis.Redis, pages: int, probes: int) -> SeenMeasure:
    client.flushdb()
    seen = BloomDupeFilter.configured(build_settings(), client, "bench:seen-bloom")
    before = _used(client)
    for start in range(0, pages, BATCH):
        seen.fingerprints_seen(_fingerprints(min(BATCH, pages - start), f"page{start}-"))
    used = _used(client) - before
    false_positives = sum(sum(seen.fingerprints_seen(_fingerprints(min(BATCH, probes - start), f"new{start}-"),
                                                     add=False))
                          for start in range(0, probes, BATCH))
    client.flushdb()
    return SeenMeasure(design=f"Bloom filter (error {seen.error:g}, first filter {seen.capacity:,} pages)",
                       pages=pages, bytes_per_page=used / pages, false_positive_rate=false_positives / probes,
                       probes=probes)


def measure_set(client: redis.Redis, pages: int) -> SeenMeasure:
    client.flushdb()
    before = _used(client)
    for start in range(0, pages, BATCH):
        with client.pipeline(transaction=False) as pipe:
            for fingerprint in _fingerprints(min(BATCH, pages - start), f"page{start}-"):
                pipe.sadd("bench:seen-set", fingerprint)
            pipe.execute()
    used = _used(client) - before
    client.flushdb()
    return SeenMeasure(design="SET of fingerprints (scrapy-redis RFPDupeFilter, before)", pages=pages,
                       bytes_per_page=used / pages, false_positive_rate=None)


def run(redis_url: str, *, pages: int, probes: int) -> list[SeenMeasure]:
    client = redis.Redis.from_url(redis_url)
    return [measure_set(client, pages), measure_bloom(client, pages, probes)]
