"""The leased frontier on a real redis-server: pop leases, ack, renew, expiry hands work back."""

from __future__ import annotations

import time

import pytest
from scrapy import Request, Spider

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue

KEY = "t:requests"


class _Spider(Spider):
    name = "probe"


def make_queue(client, lease_seconds: float = 30) -> LeasedQueue:
    return LeasedQueue(client, _Spider(), KEY, serializer, lease_seconds=lease_seconds, dead_key="t:dead")


def test_pop_is_a_lease_in_priority_order(redis_client):
    queue = make_queue(redis_client)
    for url, priority in (("https://a.example/low", 0), ("https://a.example/high", 5), ("https://a.example/mid", 2)):
        queue.push(Request(url, priority=priority))
    first = queue.pop()
    assert first.url == "https://a.example/high"
    assert len(queue) == 2 and queue.leased_count() == 1
    assert queue.held() == [first]
    assert queue.ack([first]) == 1
    assert queue.leased_count() == 0 and redis_client.hlen(queue.leased_key) == 0


def test_expired_lease_goes_back_to_the_queue_for_another_worker(redis_client):
    crashed = make_queue(redis_client, lease_seconds=0.3)
    crashed.push(Request("https://a.example/1", priority=7))
    taken = crashed.pop()
    assert taken is not None and len(crashed) == 0
    survivor = make_queue(redis_client, lease_seconds=30)
    assert survivor.requeue_expired() == 0  # not yet expired
    assert survivor.pop() is None
    time.sleep(0.5)
    assert survivor.requeue_expired() == 1
    assert redis_client.zscore(KEY, redis_client.zrange(KEY, 0, 0)[0]) == -7  # priority kept
    again = survivor.pop()
    assert again.url == "https://a.example/1" and again.priority == 7
    # The crashed worker's late ack must not touch the new lease.
    assert crashed.ack([taken]) == 1
    assert survivor.leased_count() == 1


def test_renewed_leases_do_not_expire(redis_client):
    queue = make_queue(redis_client, lease_seconds=0.6)
    queue.push(Request("https://a.example/slow"))
    queue.pop()
    for _ in range(3):
        time.sleep(0.3)
        assert queue.renew() == 1
        assert queue.requeue_expired() == 0
    assert queue.leased_count() == 1 and len(queue) == 0


def test_release_hands_work_back_at_once(redis_client):
    queue = make_queue(redis_client)
    queue.push(Request("https://a.example/1"))
    queue.push(Request("https://a.example/2"))
    queue.pop(), queue.pop()
    assert queue.release() == 2
    assert len(queue) == 2 and queue.leased_count() == 0 and queue.held() == []


def test_undecodable_request_is_set_aside_not_retried_forever(redis_client):
    queue = make_queue(redis_client)
    redis_client.zadd(KEY, {b"\x80\x04not json": -10})
    queue.push(Request("https://a.example/ok"))
    request = queue.pop()
    assert request.url == "https://a.example/ok"
    assert redis_client.lrange("t:dead", 0, -1) == [b"\x80\x04not json"]
    assert queue.leased_count() == 1


def test_queue_refuses_to_run_without_a_serializer(redis_client):
    with pytest.raises(ValueError, match="pickle"):
        LeasedQueue(redis_client, _Spider(), KEY, None, lease_seconds=10)
