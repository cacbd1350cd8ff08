"""The shared duplicate filter in bounded memory: a scalable Bloom filter in Redis bitmaps.

scrapy-redis's ``RFPDupeFilter`` keeps every request fingerprint (40 hex characters) in
a SET: about 90 bytes of Redis memory per requested page, 9 GB at 100 million pages.
``BloomDupeFilter`` is that same dupefilter (Scrapy's request fingerprints, the same
``request_seen`` / ``clear`` interface the scrapy-redis scheduler calls) over a Bloom
filter that grows as the crawl does (Almeida et al., "Scalable Bloom Filters", 2007):

- filter *i* holds ``capacity * 2**i`` pages at a false-positive rate of ``error / 2**i``,
  so the rate over all filters stays below ``2 * error`` however many there are;
- one Lua script checks a fingerprint against every filter and sets its bits in the newest
  one (starting the next filter when that one is full): check-and-add is atomic over all
  workers; the bit positions come from the fingerprint itself (already a SHA1), by
  double hashing over its 32-bit slices;
- Redis allocates a bitmap only when its first bit is set; a filter's shape is kept in
  ``<key>`` (HASH) when it is started, so changing the settings later never misreads the
  filters already there.

Memory per page is ``-ln(error) / ln(2)**2`` bits plus about one bit per filter: ~3 bytes
at the default error of 1e-5, and at most ~13 bytes right after a new filter starts
(docs/scaling.md has the measured figures). A false positive means a page never
requested is taken for one that was: it is not fetched in this crawl. It is found again
from the other side of its prev/next chain, from a listing, feed or sitemap, or after
``newscrawl enqueue --forget-seen``; the same page is always misread by the same filters.

Settings: NEWSCRAWL_REDIS_SEEN_CAPACITY, NEWSCRAWL_REDIS_SEEN_ERROR, DUPEFILTER_DEBUG.
"""

from __future__ import annotations

import math
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter

MAX_BITS = 2**32 - 1  # a Redis string holds at most 512 MB; later filters stop growing there

# Defines bloom_add(key, fingerprint, first capacity, first error, add): 1 when the fingerprint
# (40 hex digits) was in none of the filters at key (and, with add, now is), 0 when it was.
# frontier_lua.PUSH_UNSEEN runs it too, to mark a request seen and queue it in one script.
BLOOM_LUA = """
local function bloom_slice(fp, i)
  local at = (i % 5) * 8
  return tonumber(string.sub(fp, at + 1, at + 8), 16)
end
local function bloom_bits(key, fp, i, bits, hashes, set)
  local h1, h2 = bloom_slice(fp, i), bloom_slice(fp, i + 1) * 2 + 1
  for j = 0, hashes - 1 do
    local position = (h1 + j * h2) % bits
    if set then
      redis.call('SETBIT', key .. ':' .. i, position, 1)
    elseif redis.call('GETBIT', key .. ':' .. i, position) == 0 then
      return false
    end
  end
  return true
end
local function bloom_add(key, fp, first_capacity, first_error, add)
  local meta = redis.call('HGETALL', key)
  local shape = {}
  for n = 1, #meta, 2 do shape[meta[n]] = tonumber(meta[n + 1]) end
  local filters = shape['filters'] or 0
  for i = 0, filters - 1 do
    if bloom_bits(key, fp, i, shape['bits:' .. i], shape['hashes:' .. i], false) then return 0 end
  end
  if not add then return 1 end
  local last = filters - 1
  if filters == 0 or shape['count:' .. last] >= shape['capacity:' .. last] then
    last = filters
    local capacity = first_capacity * 2 ^ last
    local error = first_error / 2 ^ last
    local bits = math.min(math.ceil(capacity * -math.log(error) / math.log(2) ^ 2), MAX_BITS)
    local hashes = math.ceil(-math.log(error) / math.log(2))
    capacity = math.floor(bits * math.log(2) ^ 2 / -math.log(error))
    redis.call('HSET', key, 'filters', last + 1, 'bits:' .. last, bits, 'hashes:' .. last, hashes,
               'capacity:' .. last, capacity, 'count:' .. last, 0)
    shape['bits:' .. last], shape['hashes:' .. last] = bits, hashes
  end
  bloom_bits(key, fp, last, shape['bits:' .. last], shape['hashes:' .. last], true)
  redis.call('HINCRBY', key, 'count:' .. last, 1)
  return 1
end
""".replace("MAX_BITS", str(MAX_BITS))

# ARGV: key, fingerprint, first capacity, first error, 1 = add / 0 = only look.
_SEEN = BLOOM_LUA + """
return bloom_add(ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1')
"""


class BloomDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with a scalable Bloom filter in place of its SET (module docstring)."""

    def __init__(self, server: Any, key: str, *, capacity: int, error: float, debug: bool = False) -> None:
        if capacity < 1 or not 0 < error < 1:
            raise ValueError(f"the seen filter needs a capacity >= 1 and an error rate in (0, 1), "
                             f"not {capacity} and {error}")
        super().__init__(server, key, debug=debug)
        self.capacity, self.error = capacity, error
        self._seen = server.register_script(_SEEN)

    @classmethod
    def configured(cls, settings: Any, server: Any, key: str) -> BloomDupeFilter:
        """The filter at ``key`` with the settings' capacity and error rate."""
        return cls(server, key, capacity=settings.getint("NEWSCRAWL_REDIS_SEEN_CAPACITY"),
                   error=settings.getfloat("NEWSCRAWL_REDIS_SEEN_ERROR"), debug=settings.getbool("DUPEFILTER_DEBUG"))

    def request_seen(self, request: Any) -> bool:
        return self.fingerprint_seen(self.request_fingerprint(request))

    def fingerprint_seen(self, fingerprint: str, *, add: bool = True) -> bool:
        """Whether ``fingerprint`` (40 hex digits) was added before; adds it unless ``add`` is False."""
        return self.fingerprints_seen([fingerprint], add=add)[0]

    def fingerprints_seen(self, fingerprints: list[str], *, add: bool = True) -> list[bool]:
        """``fingerprint_seen`` for many, in one round trip (each still its own atomic script)."""
        with self.server.pipeline(transaction=False) as pipe:
            for fingerprint in fingerprints:
                self._seen(args=[self.key, fingerprint, *self.shape_args, 1 if add else 0], client=pipe)
            return [not int(new) for new in pipe.execute()]

    @property
    def shape_args(self) -> list[str]:
        """The first filter's capacity and error rate, as ``BLOOM_LUA``'s ``bloom_add`` takes them."""
        return [str(self.capacity), repr(self.error)]

    def clear(self) -> None:
        """Forget every page (``enqueue --forget-seen``)."""
        filters = int(self.server.hget(self.key, "filters") or 0)
        self.server.delete(self.key, *(f"{self.key}:{index}" for index in range(filters)))

    def bits_per_page(self) -> float | None:
        """Bits of the filters started so far per page added (None before the first page)."""
        shape = {name.decode(): int(value) for name, value in self.server.hgetall(self.key).items()}
        filters = shape.get("filters", 0)
        pages = sum(shape[f"count:{index}"] for index in range(filters))
        return sum(shape[f"bits:{index}"] for index in range(filters)) / pages if pages else None


def expected_bits_per_page(error: float) -> float:
    """Bits per page of one filter sized for ``error`` (the formula the script uses)."""
    return -math.log(error) / math.log(2) ** 2
