"""The leased frontier on a real redis-server: per-site queues, leases, ack, renew, expiry."""

from __future__ import annotations

import time

import pytest
from scrapy import Request, Spider

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue, SitePolicy

KEY = "t:requests"
OPEN = SitePolicy(delay=0, concurrency=100)


class _Spider(Spider):
    name = "probe"


def make_queue(client, lease_seconds: float = 30, policy: SitePolicy | None = OPEN) -> LeasedQueue:
    return LeasedQueue(client, _Spider(), KEY, serializer, lease_seconds=lease_seconds, dead_key="t:dead",
                       policy=policy)


def test_pop_is_a_lease_in_priority_order(redis_client):
    queue = make_queue(redis_client)
    for url, priority in (("https://a.example/low", 0), ("https://a.example/high", 5), ("https://a.example/mid", 2)):
        queue.push(Request(url, priority=priority))
    first = queue.pop()
    assert first.url == "https://a.example/high"
    assert len(queue) == 2 and queue.leased_count() == 1
    assert queue.held() == [first]
    assert queue.ack([first]) == 1
    assert queue.leased_count() == 0 and redis_client.hlen(queue.keys.leased) == 0
    assert redis_client.hlen(queue.keys.inflight) == 0


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
    site_queue = survivor.keys.queue("a.example")
    assert redis_client.zscore(site_queue, redis_client.zrange(site_queue, 0, 0)[0]) == -7  # priority kept
    again = survivor.pop()
    assert again.url == "https://a.example/1" and again.priority == 7
    # The crashed worker's late ack must not touch the new lease.
    assert crashed.ack([taken]) == 0
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
    queue.push(Request("https://b.example/2"))
    queue.pop(), queue.pop()
    assert queue.release() == 2
    assert len(queue) == 2 and queue.leased_count() == 0 and queue.held() == []
    assert queue.sites() == {"a.example": 1, "b.example": 1}


def test_undecodable_request_is_set_aside_not_retried_forever(redis_client):
    queue = make_queue(redis_client)
    queue.push(Request("https://a.example/ok"))
    redis_client.zadd(queue.keys.queue("a.example"), {b"\x80\x04not json": -10})
    request = queue.pop()
    assert request.url == "https://a.example/ok"
    assert redis_client.lrange("t:dead", 0, -1) == [b"\x80\x04not json"]
    assert queue.leased_count() == 1 and redis_client.hget(queue.keys.inflight, "a.example") == b"1"


def test_queue_refuses_to_run_without_a_serializer(redis_client):
    with pytest.raises(ValueError, match="pickle"):
        LeasedQueue(redis_client, _Spider(), KEY, None, lease_seconds=10)


# --- per-site politeness over several workers ------------------------------------------------
def test_a_sites_concurrency_holds_over_all_workers(redis_client):
    one_at_a_time = SitePolicy(delay=0, concurrency=1)
    worker_a, worker_b = make_queue(redis_client, policy=one_at_a_time), make_queue(redis_client, policy=one_at_a_time)
    for path in ("1", "2", "3"):
        worker_a.push(Request(f"https://a.example/{path}"))
    worker_a.push(Request("https://b.example/1"))
    first = worker_a.pop()
    second = worker_b.pop()
    assert {first.url, second.url} == {"https://a.example/1", "https://b.example/1"}
    assert worker_b.pop() is None and worker_a.pop() is None  # a.example's one slot is leased
    assert worker_b.ready_in == float("inf")
    worker_a.ack([first, second])
    assert worker_b.pop().url.startswith("https://a.example/")


def test_a_site_is_leased_no_faster_than_its_delay_while_others_go_on(redis_client):
    queue = make_queue(redis_client, policy=SitePolicy(delay=0.4, concurrency=10))
    for path in ("1", "2"):
        queue.push(Request(f"https://a.example/{path}"))
    queue.push(Request("https://b.example/1"))
    assert queue.pop().url == "https://a.example/1"
    assert queue.pop().url == "https://b.example/1"  # a.example waits, b.example has its turn
    assert queue.pop() is None
    assert 0.3 < queue.ready_in <= 0.4
    time.sleep(queue.ready_in + 0.02)
    assert queue.pop().url == "https://a.example/2"


def test_a_site_set_by_enqueue_keeps_its_own_policy(redis_client):
    queue = make_queue(redis_client, policy=OPEN)
    queue.set_policy("slow.example", SitePolicy(delay=30, concurrency=1))
    for path in ("1", "2"):
        queue.push(Request(f"https://slow.example/{path}"))
    assert queue.pop() is not None
    assert queue.pop() is None and queue.ready_in == float("inf")
    assert redis_client.hget(queue.keys.policy, "slow.example") == b"30 1"


def test_one_big_site_does_not_starve_the_others(redis_client):
    queue = make_queue(redis_client, policy=SitePolicy(delay=0, concurrency=10_000))
    for number in range(500):
        queue.push(Request(f"https://0big.example/{number}"))  # sorts before the others
    for site in ("a", "b", "c"):
        queue.push(Request(f"https://{site}.example/1"))
    first_eight = {queue.pop().url.split("/")[2] for _ in range(8)}
    assert {"a.example", "b.example", "c.example"} <= first_eight
    assert len(queue) == 500 - 8 + 3


def test_an_empty_frontier_says_so(redis_client):
    queue = make_queue(redis_client)
    assert queue.pop() is None and queue.ready_in is None and len(queue) == 0
