"""The shared seen filter: a scalable Bloom filter in Redis, atomic over workers, bounded in memory."""

from __future__ import annotations

import hashlib

import pytest
from scrapy import Request

from crawler.distributed.seen import BloomDupeFilter, expected_bits_per_page


def _fingerprint(number: int, salt: str = "") -> str:
    return hashlib.sha1(f"{salt}{number}".encode()).hexdigest()


def test_a_request_is_new_once_then_seen(redis_client):
    seen = BloomDupeFilter(redis_client, "t:seen", capacity=100, error=1e-4)
    request = Request("https://a.example/1")
    assert seen.request_seen(request) is False
    assert seen.request_seen(request) is True
    assert seen.request_seen(Request("https://a.example/1#comments")) is True  # same fingerprint
    assert seen.request_seen(Request("https://a.example/2")) is False


def test_the_filter_grows_and_keeps_what_earlier_filters_hold(redis_client):
    seen = BloomDupeFilter(redis_client, "t:seen", capacity=50, error=1e-4)
    fingerprints = [_fingerprint(number) for number in range(400)]
    assert not any(seen.fingerprints_seen(fingerprints))  # all new (a false positive here: ~4e-2 %)
    assert all(seen.fingerprints_seen(fingerprints, add=False))
    shape = redis_client.hgetall("t:seen")
    assert int(shape[b"filters"]) == 4  # 50 + 100 + 200 + 400 pages
    assert [int(shape[f"count:{index}".encode()]) for index in range(3)] == [
        int(shape[f"capacity:{index}".encode()]) for index in range(3)]
    assert int(shape[b"hashes:1"]) == int(shape[b"hashes:0"]) + 1  # each next filter halves the error rate


def test_false_positive_rate_and_memory_stay_near_the_design(redis_client):
    error = 1e-3  # loose, so that a few thousand probes can see it
    seen = BloomDupeFilter(redis_client, "t:seen", capacity=4000, error=error)
    seen.fingerprints_seen([_fingerprint(number) for number in range(4000)])
    false_positives = sum(seen.fingerprints_seen([_fingerprint(number, "new") for number in range(20_000)], add=False))
    assert false_positives / 20_000 < 3 * error
    assert seen.bits_per_page() == pytest.approx(expected_bits_per_page(error), rel=0.01)


def test_clear_forgets_every_filter(redis_client):
    seen = BloomDupeFilter(redis_client, "t:seen", capacity=10, error=1e-3)
    seen.fingerprints_seen([_fingerprint(number) for number in range(30)])
    seen.clear()
    assert redis_client.keys("t:seen*") == []
    assert seen.fingerprint_seen(_fingerprint(1)) is False


def test_bad_settings_are_refused(redis_client):
    with pytest.raises(ValueError, match="error rate"):
        BloomDupeFilter(redis_client, "t:seen", capacity=10, error=0)
