"""Protections against the hostile web, one Scrapy component per module.

- ``schemes``: only http and https are ever requested.
- ``netguard``: no request to a loopback, private, link-local or otherwise non-public
  address, checked on the address a host name resolves to (downloader middleware and
  a DNS resolver for ``TWISTED_DNS_RESOLVER``); ``ALLOWED_NETWORKS`` lifts it.
- ``redirects``: Cookie and Authorization headers never follow a redirect to another
  origin.
- ``retry_after``: a 429/503 answer's ``Retry-After`` holds back every request to
  that host until the time is up.
- ``pagelimit``: a per-site page budget that stops crawler traps.

docs/reliability.md lists every protection with its setting and default.
"""
