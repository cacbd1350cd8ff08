"""The address guard, component level: addresses, the middleware and the resolver."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy import Request
from scrapy.resolver import dnscache

from crawler.middlewares.netguard import (
    AddressPolicy,
    BlockedAddress,
    BlockedAddressError,
    GuardedResolver,
    NetGuardMiddleware,
    non_public_reason,
    parse_networks,
)
from tests.pipelines.helpers import project_crawler


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link_local"),  # cloud metadata
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not_global"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link_local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "link_local"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "link_local"),  # NAT64 around 169.254.169.254
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_non_public_reason(address: str, reason: str | None) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) == reason


def test_policy_allows_listed_networks_only() -> None:
    policy = AddressPolicy(parse_networks(["127.0.0.0/8", "fd00::/8"]))
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("fd12::5") is None
    assert policy.refusal("10.0.0.1") == "private"
    assert policy.refusal("169.254.169.254") == "link_local"
    assert policy.refusal("8.8.8.8") is None
    assert policy.refusal("not-an-address") == "unparsable"


def test_bad_network_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="'localhost' is not a network"):
        parse_networks(["localhost"])


def _middleware(**settings: object) -> NetGuardMiddleware:
    return NetGuardMiddleware.from_crawler(project_crawler(settings_dict=settings))


def _run(middleware: NetGuardMiddleware, url: str) -> None:
    asyncio.run(middleware.process_request(Request(url)))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/admin",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/",
        "http://[::1]:6800/",
        "http://[::ffff:7f00:1]/",
        "http://0.0.0.0/",
        "http://localhost:6379/",  # a name that resolves to loopback
        "http://2130706433/",  # 127.0.0.1 as one decimal number: resolves, then blocked
    ],
)
def test_middleware_blocks_non_public_hosts(url: str) -> None:
    middleware = _middleware()
    with pytest.raises(BlockedAddress):
        _run(middleware, url)
    assert middleware.stats.get_value("newscrawl/netguard/blocked") == 1


def test_middleware_allows_listed_network() -> None:
    middleware = _middleware(ALLOWED_NETWORKS=["127.0.0.0/8"])
    _run(middleware, "http://127.0.0.1:8080/")
    _run(middleware, "http://localhost:8080/")
    with pytest.raises(BlockedAddress):
        _run(middleware, "http://169.254.169.254/")


def test_middleware_checks_the_resolved_address(monkeypatch: pytest.MonkeyPatch) -> None:
    middleware = _middleware()
    answers = {"news.example": ["93.184.216.34"], "intranet.news.example": ["10.20.30.40"]}

    async def resolve(host: str) -> list[str]:
        return answers[host]

    monkeypatch.setattr(middleware, "resolve", resolve)
    _run(middleware, "https://news.example/2025/story.html")
    with pytest.raises(BlockedAddress, match="10.20.30.40"):
        _run(middleware, "https://intranet.news.example/")
    assert middleware.stats.get_value("newscrawl/netguard/blocked/private") == 1


def test_middleware_leaves_unresolvable_names_to_the_downloader(monkeypatch: pytest.MonkeyPatch) -> None:
    middleware = _middleware()

    async def resolve(host: str) -> list[str]:
        raise OSError("Name or service not known")

    monkeypatch.setattr(middleware, "resolve", resolve)
    _run(middleware, "https://no-such-host.invalid/")  # no exception: the download records dns_error


def test_middleware_can_be_switched_off() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        _middleware(NEWSCRAWL_NETGUARD_ENABLED=False)


def _resolver(**settings: object) -> GuardedResolver:
    return GuardedResolver.from_crawler(project_crawler(settings_dict=settings), reactor=None)


def _resolve(resolver: GuardedResolver, name: str) -> str | Exception:
    results: list[str | Exception] = []
    resolver.getHostByName(name).addCallbacks(results.append, lambda failure: results.append(failure.value))
    return results[0]


@pytest.fixture
def cached_answers() -> object:
    """Answers in Scrapy's DNS cache, so the resolver needs no reactor thread."""
    names = {"rebind.news.example": "127.0.0.1", "metadata.news.example": "169.254.169.254", "ok.news.example": "93.184.216.34"}
    for name, address in names.items():
        dnscache[name] = address
    yield names
    for name in names:
        dnscache.pop(name, None)


def test_resolver_refuses_non_public_answers(cached_answers: object) -> None:
    resolver = _resolver()
    assert isinstance(_resolve(resolver, "rebind.news.example"), BlockedAddressError)
    assert isinstance(_resolve(resolver, "metadata.news.example"), BlockedAddressError)
    assert _resolve(resolver, "ok.news.example") == "93.184.216.34"


def test_resolver_allows_listed_network(cached_answers: object) -> None:
    resolver = _resolver(ALLOWED_NETWORKS=["127.0.0.0/8"])
    assert _resolve(resolver, "rebind.news.example") == "127.0.0.1"
    assert isinstance(_resolve(resolver, "metadata.news.example"), BlockedAddressError)


def test_scrapy_default_resolver_would_not_refuse(cached_answers: object) -> None:
    """What the guard adds: Scrapy's own resolver hands out the loopback answer."""
    from scrapy.resolver import CachingThreadedResolver

    plain = CachingThreadedResolver(None, 100, 5)
    results: list[str] = []
    plain.getHostByName("rebind.news.example").addCallback(results.append)
    assert results == ["127.0.0.1"]
