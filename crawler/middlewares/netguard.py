"""Address guard: no request reaches a non-public address unless the user allowed it.

A page written by a stranger can point the crawler at ``http://127.0.0.1:6800/``,
``http://169.254.169.254/latest/meta-data/`` (cloud metadata), a router on
``192.168.0.1``, or at a public-looking host name whose DNS record says ``10.0.0.5``.
The guard checks the *address*, never the name, at two places:

- ``NetGuardMiddleware`` (downloader middleware, before robots.txt is fetched):
  an IP-literal host is checked as written; a host name is resolved through the
  reactor's resolver and the answer checked. A blocked request is dropped with
  ``BlockedAddress`` (an ``IgnoreRequest``: no retry), logged, counted in
  ``newscrawl/netguard/*`` and recorded as ``blocked_address:<why>`` (``loopback``, ...).
  Links, redirects and meta refreshes all pass through it, because each of them is a
  new request.
- ``GuardedResolver`` (for Scrapy's ``TWISTED_DNS_RESOLVER``): the caching resolver
  that the download handler connects through refuses non-public answers, so a DNS
  record that changes between the middleware's check and the connection (DNS
  rebinding) still cannot reach an internal address. Scrapy installs it in
  ``CrawlerProcess``; a resolver cache shared with the middleware keeps both checks
  on the same answer.

An address is public when Python's ``ipaddress`` calls it global and it is not
multicast; IPv4 addresses embedded in IPv6 (mapped, 6to4, Teredo, NAT64) are checked
too. Through an HTTP proxy (``proxy.SiteProxyMiddleware``) the target is still resolved
and checked here before the request goes to the proxy; the proxy's own host name, set
by the operator (NEWSCRAWL_PROXY, a profile's ``proxy``, ``http_proxy`` /
``https_proxy``), is exempt from ``GuardedResolver`` (``trust_proxy_host``) but never
from the middleware's check of a target.

Settings: ``ALLOWED_NETWORKS`` (CIDRs that are allowed although not public, e.g.
``["127.0.0.0/8"]`` for tests and the demo; the ``--allow-network`` option of
``crawl`` adds to it), ``NEWSCRAWL_NETGUARD_ENABLED``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.exceptions import NotConfigured
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.reactor import is_reactor_installed
from twisted.internet.error import DNSLookupError

from crawler.download_errors import RequestDropped

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
_PROXY_HOSTS: set[str] = set()  # host names of the proxies in use: the resolver lets their answers through


def trust_proxy_host(name: str) -> None:
    """Let ``GuardedResolver`` connect to this proxy host whatever it resolves to (the operator chose it)."""
    if name:
        _PROXY_HOSTS.add(name.lower().rstrip("."))


BLOCKED = "blocked_address"  # reason code prefix: "blocked_address:loopback", "blocked_address:private", ...


class BlockedAddress(RequestDropped):
    """A request whose host is, or resolves to, an address the guard refuses."""

    reason = BLOCKED


class BlockedAddressError(DNSLookupError):
    """The guarded resolver's refusal: to the download handler, a name that does not resolve.

    Twisted's HostnameEndpoint reports any failed lookup as its own ``DNSLookupError``, so a
    download stopped here is recorded as ``dns_error``; the middleware, which asks the same
    resolver first, records ``blocked_address:<why>``.
    """

    def __init__(self, message: str, *, why: str) -> None:
        super().__init__(message)
        self.why = why  # "loopback", "private", ... (non_public_reason)


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """CIDR strings -> networks; a bad entry raises ValueError naming it."""
    networks = []
    for value in map(str, values):
        if not value.strip():
            continue  # "--set ALLOWED_NETWORKS=" means none
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"ALLOWED_NETWORKS: {value!r} is not a network in CIDR form ({exc})") from None
    return tuple(networks)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def non_public_reason(address: IPAddress) -> str | None:
    """Why an address is not public ("loopback", "private", ...), or None for a public one."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return non_public_reason(inner)
    for reason, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link_local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if flag:
            return reason
    if not address.is_global:  # shared address space (100.64.0.0/10) and the like
        return "not_global"
    return None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses may be connected to: public ones, plus the allowed networks."""

    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> AddressPolicy:
        return cls(parse_networks(settings.getlist("ALLOWED_NETWORKS")))

    def refusal(self, address: str) -> str | None:
        """None when ``address`` may be connected to, else the reason it may not."""
        try:
            parsed = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        except ValueError:
            return "unparsable"
        if any(parsed.version == net.version and parsed in net for net in self.allowed_networks):
            return None
        return non_public_reason(parsed)


def ip_literal(host: str) -> str | None:
    """``host`` if it is written as an IP address (IPv6 without brackets), else None."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return host


async def addresses_of(host: str, resolve: Callable[[str], Awaitable[list[str]]]) -> list[str]:
    """The addresses a connection to ``host`` may go to: the host itself when it is written as an
    IP address, else what ``resolve`` answers (its errors are raised). The crawl's guard and the
    browser's (``crawler.render.guard``) both decide on these."""
    literal = ip_literal(host)
    return [literal] if literal is not None else await resolve(host)


class NetGuardMiddleware:
    """Downloader middleware: drop requests to non-public addresses before they are sent."""

    def __init__(self, crawler: Crawler, policy: AddressPolicy) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetGuardMiddleware:
        if not crawler.settings.getbool("NEWSCRAWL_NETGUARD_ENABLED"):
            raise NotConfigured
        return cls(crawler, AddressPolicy.from_settings(crawler.settings))

    async def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname
        if not host:
            return None  # no host, nothing to connect to (the schemes guard drops such URLs)
        try:
            addresses = await addresses_of(host, self.resolve)
        except BlockedAddressError as exc:  # the guarded resolver refused the answer
            self._block(request, host, str(exc), exc.why, address=None)
        except (OSError, DNSLookupError):
            return None  # the download fails on its own and is recorded as a DNS error
        for address in addresses:
            reason = self.policy.refusal(address)
            if reason is not None:
                self._block(request, host, f"{address} ({reason})", reason, address=address)
        return None

    async def resolve(self, host: str) -> list[str]:
        """The addresses ``host`` resolves to, through the resolver the downloader uses."""
        if is_reactor_installed():
            from twisted.internet import reactor

            # An installed reactor that is not running (a test process that ran a crawl
            # earlier) would never fire the lookup: resolve through asyncio then.
            if reactor.running:  # type: ignore[attr-defined]
                resolved: Deferred[str] = reactor.resolve(host)  # type: ignore[attr-defined]
                return [await maybe_deferred_to_future(resolved)]
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        return [str(info[4][0]) for info in infos]

    def _block(self, request: Request, host: str, detail: str, reason: str, *, address: str | None) -> None:
        logger.warning("Blocked request to a non-public address: %s (%s -> %s)", request.url, host, detail)
        self.stats.inc_value("newscrawl/netguard/blocked")
        self.stats.inc_value(f"newscrawl/netguard/blocked/{reason}")
        raise BlockedAddress(f"{host} is a non-public address: {detail}; {allow_hint(address)}", reason=f"{BLOCKED}:{reason}")


def allow_hint(address: str | None) -> str:
    """How a user lets the crawl reach the address: the command-line option first, then the setting."""
    network = address or "CIDR"
    return f"to crawl it, add --allow-network {network} (or the setting ALLOWED_NETWORKS)"


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers that are not public (``TWISTED_DNS_RESOLVER``).

    The refusal is a ``DNSLookupError``: the download handler sees a name that does not
    resolve, so the connection is never opened. Cached answers are checked on every use.
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float, policy: AddressPolicy) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        for proxy in getproxies().values():  # Scrapy's HttpProxyMiddleware uses these when no request names one
            trust_proxy_host(urlsplit(proxy).hostname or "")
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), AddressPolicy.from_settings(settings))

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:  # noqa: N802 (Twisted's name)
        resolved = super().getHostByName(name, timeout)
        resolved.addCallback(self._check, name)
        return resolved

    def _check(self, address: str, name: str) -> str:
        reason = self.policy.refusal(address)
        if reason is None or name.lower().rstrip(".") in _PROXY_HOSTS:
            return address
        logger.warning("Refused to connect to %s: it resolves to %s (%s)", name, address, reason)
        raise BlockedAddressError(f"{name} resolves to {address} ({reason}), a non-public address", why=reason)
