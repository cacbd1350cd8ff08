"""The frontier's Lua scripts: every change to the per-site queues is one atomic script.

Every script takes the frontier's base key (``<ns>:requests``) as ARGV[1] and derives
the other keys from it (``frontier.FrontierKeys`` names the same keys for Python):

- ``<base>:site:<site>``  ZSET request -> -priority: one site's queue (scrapy-redis's format)
- ``<base>:sites``        ZSET site -> the time (Redis's clock) it may next be leased from;
                          only sites with queued requests; ``+inf`` while as many of its
                          requests are leased as its concurrency allows
- ``<base>:count``        requests queued over all sites
- ``<base>:leases``       ZSET lease id -> deadline; ``<base>:leased`` HASH id -> "score site request"
- ``<base>:inflight``     HASH site -> leases held
- ``<base>:next``         HASH site -> the earliest time a request may be *sent* to it (taken
                          turns, Retry-After)
- ``<base>:policy``       HASH site -> "delay concurrency"; ``<base>:crawl-delay`` HASH site -> seconds

Per-site keys are built inside the scripts, so the frontier needs one Redis server (not a
Redis Cluster). Numbers go back to Python as strings: Redis truncates Lua numbers to integers.
"""

from __future__ import annotations

from crawler.distributed.seen import BLOOM_LUA

_PRELUDE = """
local base = ARGV[1]
local SITES, COUNT, LEASES, LEASED = base .. ':sites', base .. ':count', base .. ':leases', base .. ':leased'
local INFLIGHT, NEXT, POLICY, CRAWLDELAY = base .. ':inflight', base .. ':next', base .. ':policy', base .. ':crawl-delay'
local function queue_of(site) return base .. ':site:' .. site end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) + tonumber(t[2]) / 1000000
end
-- A site's delay (the larger of its policy's and its robots.txt crawl-delay) and concurrency.
local function policy(site)
  local delay, concurrency = 0, 1
  local value = redis.call('HGET', POLICY, site)
  if value then
    local space = string.find(value, ' ', 1, true)
    delay, concurrency = tonumber(string.sub(value, 1, space - 1)), tonumber(string.sub(value, space + 1))
  end
  local crawl_delay = tonumber(redis.call('HGET', CRAWLDELAY, site) or '0')
  if crawl_delay > delay then delay = crawl_delay end
  return delay, concurrency
end
-- Put a site in the schedule at max(its next allowed time, earliest); out of it when its
-- queue is empty; at +inf while its leases fill its concurrency.
local function schedule(site, earliest)
  if redis.call('EXISTS', queue_of(site)) == 0 then
    redis.call('ZREM', SITES, site)
    return
  end
  local _, concurrency = policy(site)
  if tonumber(redis.call('HGET', INFLIGHT, site) or '0') >= concurrency then
    redis.call('ZADD', SITES, '+inf', site)
    return
  end
  local ready = tonumber(redis.call('HGET', NEXT, site) or '0')
  if earliest > ready then ready = earliest end
  redis.call('ZADD', SITES, ready, site)
end
-- A site's place in the schedule; nil when it is not there or waits on its leases.
local function scheduled_at(site)
  local current = redis.call('ZSCORE', SITES, site)
  if current and tonumber(current) < math.huge then return tonumber(current) end
  return nil
end
-- End a lease; with back, its request returns to its site's queue. Returns 1 if it was held.
local function end_lease(id, back)
  redis.call('ZREM', LEASES, id)
  local value = redis.call('HGET', LEASED, id)
  if not value then return 0 end
  redis.call('HDEL', LEASED, id)
  local first = string.find(value, ' ', 1, true)
  local second = string.find(value, ' ', first + 1, true)
  local score, site = string.sub(value, 1, first - 1), string.sub(value, first + 1, second - 1)
  if back and redis.call('ZADD', queue_of(site), score, string.sub(value, second + 1)) == 1 then
    redis.call('INCR', COUNT)
  end
  if redis.call('HINCRBY', INFLIGHT, site, -1) <= 0 then redis.call('HDEL', INFLIGHT, site) end
  schedule(site, scheduled_at(site) or 0)
  return 1
end
-- Queue a request in its site's queue; a site met for the first time gets the default policy.
local function push(site, score, request, default_policy)
  if default_policy ~= '' then redis.call('HSETNX', POLICY, site, default_policy) end
  local added = redis.call('ZADD', queue_of(site), score, request)
  if added == 1 then redis.call('INCR', COUNT) end
  if not redis.call('ZSCORE', SITES, site) then schedule(site, 0) end
  return added
end
"""

# ARGV: base, site, score, request, default policy ("delay concurrency", or '' for none).
# Returns 1 if the request was not queued yet.
PUSH = _PRELUDE + """
return push(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
"""

# ARGV: as PUSH, then the seen filter's key, the request's fingerprint, the filter's first
# capacity and error rate. Marks the request seen and queues it, both or neither: 1 when
# queued, 0 when it was seen before.
PUSH_UNSEEN = _PRELUDE + BLOOM_LUA + """
if bloom_add(ARGV[6], ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), true) == 0 then return 0 end
push(ARGV[2], ARGV[3], ARGV[4], ARGV[5])
return 1
"""

# ARGV: base, lease seconds, default policy (or ''). Leases the best request of the site whose turn came first.
# Returns {lease id, request} or {'', seconds until a site is ready ('inf': none, '-1': empty)}.
POP = _PRELUDE + """
local now = clock()
for attempt = 1, 32 do
  local found = redis.call('ZRANGEBYSCORE', SITES, '-inf', now, 'LIMIT', 0, 1)
  if #found == 0 then
    local first = redis.call('ZRANGE', SITES, 0, 0, 'WITHSCORES')
    if #first == 0 then return {'', '-1'} end
    return {'', tostring(tonumber(first[2]) - now)}
  end
  local site = found[1]
  if ARGV[3] ~= '' then redis.call('HSETNX', POLICY, site, ARGV[3]) end
  local item = redis.call('ZRANGE', queue_of(site), 0, 0, 'WITHSCORES')
  if #item == 0 then
    redis.call('ZREM', SITES, site)
  else
    redis.call('ZREM', queue_of(site), item[1])
    redis.call('DECR', COUNT)
    local id = tostring(redis.call('INCR', base .. ':lease-seq'))
    redis.call('ZADD', LEASES, now + tonumber(ARGV[2]), id)
    redis.call('HSET', LEASED, id, item[2] .. ' ' .. site .. ' ' .. item[1])
    redis.call('HINCRBY', INFLIGHT, site, 1)
    local delay = policy(site)
    schedule(site, now + delay)
    return {id, item[1]}
  end
end
return {'', '0'}
"""

# ARGV: base, 0|1 (put back), lease ids... Returns how many leases were held.
END_LEASES = _PRELUDE + """
local back = ARGV[2] == '1'
local ended = 0
for i = 3, #ARGV do ended = ended + end_lease(ARGV[i], back) end
return ended
"""

# ARGV: base, how many at most. Hands expired leases back; returns how many.
REQUEUE_EXPIRED = _PRELUDE + """
local ids = redis.call('ZRANGEBYSCORE', LEASES, '-inf', clock(), 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do end_lease(id, true) end
return #ids
"""

# ARGV: base, lease seconds, lease ids... Only leases still held are renewed (XX).
RENEW = _PRELUDE + """
local deadline = clock() + tonumber(ARGV[2])
local renewed = 0
for i = 3, #ARGV do
  renewed = renewed + redis.call('ZADD', LEASES, 'XX', 'CH', deadline, ARGV[i])
end
return renewed
"""

# ARGV: base, site, default policy. A request may be sent to the site now: '0' (the turn is
# taken: nothing else goes to the site for its delay), or the seconds to wait first.
TAKE_TURN = _PRELUDE + """
local site = ARGV[2]
redis.call('HSETNX', POLICY, site, ARGV[3])
local now = clock()
local ready = tonumber(redis.call('HGET', NEXT, site) or '0')
if ready > now then return tostring(ready - now) end
local delay = policy(site)
redis.call('HSET', NEXT, site, tostring(now + delay))
local at = scheduled_at(site)
if at and at < now + delay then redis.call('ZADD', SITES, now + delay, site) end
return '0'
"""

# ARGV: base, site, seconds. Nothing is sent to the site for that long (Retry-After).
PAUSE = _PRELUDE + """
local site = ARGV[2]
local until_time = clock() + tonumber(ARGV[3])
if until_time > tonumber(redis.call('HGET', NEXT, site) or '0') then
  redis.call('HSET', NEXT, site, tostring(until_time))
  local at = scheduled_at(site)
  if at and at < until_time then redis.call('ZADD', SITES, until_time, site) end
end
return '1'
"""
