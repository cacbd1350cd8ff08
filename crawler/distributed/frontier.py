"""The shared frontier: a scrapy-redis priority queue whose pops are leases, not deletions.

scrapy-redis pops a request destructively (ZRANGE + ZREMRANGEBYRANK): a worker killed
after the pop loses every request it had taken. Here a pop moves the request, in one
Lua script, from the queue into a lease: ``<requests>:leases`` (ZSET lease id ->
deadline, server time) and ``<requests>:leased`` (HASH lease id -> "score data").
The worker acknowledges a lease when everything the request produced is safely in
Redis (its follow-up requests in the queue, its items in the item list); any worker
hands expired leases back to the queue (``requeue_expired``), so a request taken by a
dead worker is fetched again after the visibility timeout. Live workers renew their
leases (``renew``) so a slow request is not handed out twice.

At-least-once: a request can be fetched twice (a worker that stalls longer than the
timeout); the ingester's upsert on the canonical URL stores the article once anyway.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

logger = logging.getLogger(__name__)

# KEYS: queue, leases, leased, sequence. ARGV: lease seconds.
# Returns {lease id, data} or nil. TIME makes deadlines independent of worker clocks.
_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return nil end
redis.call('ZREM', KEYS[1], item[1])
local now = redis.call('TIME')
local deadline = tonumber(now[1]) + tonumber(now[2]) / 1000000 + tonumber(ARGV[1])
local id = tostring(redis.call('INCR', KEYS[4]))
redis.call('ZADD', KEYS[2], deadline, id)
redis.call('HSET', KEYS[3], id, item[2] .. ' ' .. item[1])
return {id, item[1]}
"""

# KEYS: seen, queue. ARGV: fingerprint, score, data. Marks a request seen and queues it, both or neither.
_PUSH_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: queue, leases, leased. ARGV: how many at most. Returns the number requeued.
_REQUEUE_EXPIRED = """
local now = redis.call('TIME')
local cutoff = tonumber(now[1]) + tonumber(now[2]) / 1000000
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff, 'LIMIT', 0, tonumber(ARGV[1]))
for _, id in ipairs(ids) do
  local value = redis.call('HGET', KEYS[3], id)
  if value then
    local space = string.find(value, ' ', 1, true)
    redis.call('ZADD', KEYS[1], string.sub(value, 1, space - 1), string.sub(value, space + 1))
    redis.call('HDEL', KEYS[3], id)
  end
  redis.call('ZREM', KEYS[2], id)
end
return #ids
"""

# KEYS: leases. ARGV: lease seconds, lease ids... Only leases still held are renewed (XX).
_RENEW = """
local now = redis.call('TIME')
local deadline = tonumber(now[1]) + tonumber(now[2]) / 1000000 + tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', deadline, ARGV[i])
end
return renewed
"""

# KEYS: queue, leases, leased. ARGV: lease ids... Hands leases back at once (clean shutdown).
_RELEASE = """
local count = 0
for i = 1, #ARGV do
  local value = redis.call('HGET', KEYS[3], ARGV[i])
  if value then
    local space = string.find(value, ' ', 1, true)
    redis.call('ZADD', KEYS[1], string.sub(value, 1, space - 1), string.sub(value, space + 1))
    redis.call('HDEL', KEYS[3], ARGV[i])
    count = count + 1
  end
  redis.call('ZREM', KEYS[2], ARGV[i])
end
return count
"""


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue (same push, same ZSET) with leased pops.

    ``pop`` returns a request and remembers its lease; ``ack`` / ``release`` end it.
    """

    def __init__(
        self,
        server: Any,
        spider: Spider | None,
        key: str,
        serializer: Any,
        *,
        lease_seconds: float,
        dead_key: str | None = None,
    ) -> None:
        if serializer is None:
            raise ValueError("LeasedQueue needs an explicit serializer (scrapy-redis would fall back to pickle)")
        if lease_seconds <= 0:
            raise ValueError("lease_seconds must be positive")
        spider_name = spider.name if spider is not None else ""
        super().__init__(server, spider, key.replace("%(spider)s", spider_name), serializer)
        self.lease_seconds = lease_seconds
        self.leases_key = f"{self.key}:leases"
        self.leased_key = f"{self.key}:leased"
        self.sequence_key = f"{self.key}:lease-seq"
        self.dead_key = dead_key or f"{self.key}:dead"
        self._pop = server.register_script(_POP)
        self._requeue = server.register_script(_REQUEUE_EXPIRED)
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)
        self._push_unseen = server.register_script(_PUSH_UNSEEN)
        self._held: dict[Request, str] = {}  # request object (identity) -> lease id

    # --- adding work ----------------------------------------------------------------------
    def push_unseen(self, request: Request, seen_key: str, fingerprint: str) -> bool:
        """Queue ``request`` unless ``fingerprint`` is in the set ``seen_key``, which it joins; True if queued.

        One script: a call cut off by a lost connection leaves the request both seen and
        queued, or neither, so it is never marked seen without being queued.
        """
        data = self._encode_request(request)
        return bool(self._push_unseen(keys=[seen_key, self.key], args=[fingerprint, -request.priority, data]))

    # --- taking work --------------------------------------------------------------------
    def pop(self, timeout: int = 0) -> Request | None:
        """Lease the highest-priority request (``timeout`` is ignored: never block the reactor)."""
        while True:
            leased = self._pop(keys=[self.key, self.leases_key, self.leased_key, self.sequence_key],
                               args=[self.lease_seconds])
            if not leased:
                return None
            lease_id, data = _text(leased[0]), leased[1]
            try:
                request = self._decode_request(data)
            except Exception as exc:  # a request no worker can read must not circle forever
                logger.error("dropping undecodable request %.200r: %r (kept in %s)", data, exc, self.dead_key)
                with self.server.pipeline() as pipe:
                    pipe.rpush(self.dead_key, data)
                    pipe.zrem(self.leases_key, lease_id)
                    pipe.hdel(self.leased_key, lease_id)
                    pipe.execute()
                continue
            self._held[request] = lease_id
            return request

    def held(self) -> list[Request]:
        """Requests this process has leased and not yet acknowledged."""
        return list(self._held)

    # --- ending leases ----------------------------------------------------------------------
    def ack(self, requests: list[Request]) -> int:
        """Forget the leases of finished requests (unknown requests are ignored)."""
        ids = [self._held.pop(request) for request in requests if request in self._held]
        if ids:
            with self.server.pipeline() as pipe:
                pipe.zrem(self.leases_key, *ids)
                pipe.hdel(self.leased_key, *ids)
                pipe.execute()
        return len(ids)

    def release(self, requests: list[Request] | None = None) -> int:
        """Put leased requests back in the queue now (default: all held)."""
        chosen = self.held() if requests is None else requests
        ids = [self._held.pop(request) for request in chosen if request in self._held]
        if not ids:
            return 0
        return int(self._release(keys=[self.key, self.leases_key, self.leased_key], args=ids))

    def renew(self) -> int:
        """Push the deadline of every held lease forward by ``lease_seconds``."""
        ids = list(self._held.values())
        if not ids:
            return 0
        return int(self._renew(keys=[self.leases_key], args=[self.lease_seconds, *ids]))

    def requeue_expired(self, limit: int = 1000) -> int:
        """Hand requests whose lease ran out back to the queue (any process may call this)."""
        return int(self._requeue(keys=[self.key, self.leases_key, self.leased_key], args=[limit]))

    # --- looking ------------------------------------------------------------------------
    def leased_count(self) -> int:
        """Leases held by all workers together."""
        return int(self.server.zcard(self.leases_key))

    def clear(self) -> None:
        self.server.delete(self.key, self.leases_key, self.leased_key, self.sequence_key)
        self._held.clear()



def _text(value: bytes | str) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else str(value)
