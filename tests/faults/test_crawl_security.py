"""The address guard and the scheme guard through a real crawl of the fault server.

The fault server listens on 127.0.0.1, a loopback address: a crawl reaches it only
when 127.0.0.0/8 is allowed, which is what the tests and the demo do. Here it is not.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .crawl import PROJECT_ROOT, CrawlRun, crawl
from .server import FaultServer, Hit

pytestmark = pytest.mark.slow

NOT_ALLOWED = {"ALLOWED_NETWORKS": ""}


def _guarded_crawl(
    server: FaultServer, tmp_path_factory: pytest.TempPathFactory, name: str, *options: str, **settings: object
) -> tuple[CrawlRun, list[Hit]]:
    """Crawl one page by address and one by name (``localhost``); return the run and the requests it made."""
    urls = [server.url(f"/article/{name}-ip.html"), f"http://localhost:{server.port}/article/{name}-name.html"]
    mark = len(server.hits)
    run = crawl(urls, tmp_path_factory.mktemp(name) / "news.db", *options, settings={**NOT_ALLOWED, **settings})
    return run, server.hits_since(mark)


def test_loopback_by_address_and_by_name_is_blocked(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _guarded_crawl(fault_server, tmp_path_factory, "blocked")
    assert hits == []  # not even robots.txt
    assert run.exit_code == 1  # nothing stored
    failures = run.failures()
    assert len(failures) == 2
    for failure in failures.values():
        assert "BlockedAddress" in failure["detail"], failure
        assert failure["reason"] == "blocked_address:loopback"


def test_resolver_alone_refuses_loopback(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    """With the middleware off, the guarded DNS resolver still keeps the connection from opening.

    Twisted's HostnameEndpoint replaces the resolver's error with its own "no results for
    hostname lookup", so what is recorded is a DNS error: the middleware names the reason.
    """
    run, hits = _guarded_crawl(fault_server, tmp_path_factory, "resolver", NEWSCRAWL_NETGUARD_ENABLED=False)
    assert hits == []
    assert {failure["reason"] for failure in run.failures().values()} == {"dns_error"}


def test_allow_network_option_lets_the_crawl_in(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _guarded_crawl(fault_server, tmp_path_factory, "allowed", "--allow-network", "127.0.0.0/8")
    assert run.exit_code == 0, run.stderr[-2000:]
    assert len(run.articles()) == 2
    assert {"/article/allowed-ip.html", "/article/allowed-name.html"} <= {hit.path for hit in hits}


def test_allow_network_rejects_a_bad_cidr(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = tmp_path_factory.mktemp("bad") / "news.db"
    command = [sys.executable, "-m", "crawler", "crawl", "http://news.example/a.html", "--db", str(db), "--allow-network", "lan"]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not a network in CIDR form: 'lan'" in result.stderr
    assert not db.exists()


def test_a_default_authorization_header_goes_to_the_start_origin_only(fault_server: FaultServer,
                                                                       tmp_path_factory: pytest.TempPathFactory) -> None:
    """-s DEFAULT_REQUEST_HEADERS with credentials: sent to the start URL's origin, to no other (issue 15, item 3).

    Scrapy's DefaultHeadersMiddleware used to add the header back after the redirect guard
    had dropped it, and to every link to another origin.
    """
    headers = '{"Authorization": "Bearer s3cret", "Cookie": "session=s3cret", "Accept-Language": "en"}'
    with FaultServer() as other:
        mark = len(fault_server.hits)
        run = crawl([fault_server.url(f"/crossing/{other.port}.html")], tmp_path_factory.mktemp("crossing") / "news.db",
                    settings={"DEFAULT_REQUEST_HEADERS": headers})
        home, away = fault_server.hits_since(mark), list(other.hits)
    assert {"/article/crossed-301.html", "/article/crossed-302.html"} <= {hit.path for hit in away}, run.stderr[-2000:]
    assert [hit.headers.get("authorization") for hit in home if hit.path.startswith("/crossing/")] == ["Bearer s3cret"]
    for hit in away:
        assert "authorization" not in hit.headers and "cookie" not in hit.headers, hit
        assert hit.headers.get("accept-language") == "en"  # other default headers still go everywhere
