"""Crawling through an HTTP proxy on 127.0.0.1: from NEWSCRAWL_PROXY (a profile's proxy) and the environment.

The site is served on 127.0.0.2 (allowed with ALLOWED_NETWORKS); the proxy listens on
127.0.0.1 and is named ``localhost``, a loopback address the guard would refuse for a
target, so it works only because it is the chosen proxy. A start URL on 127.0.0.3 (not
allowed) must be refused by the address guard before it reaches the proxy.
"""

from __future__ import annotations

import http.client
import os
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.demo.generate import build_synthetic_site
from crawler.profiles import ProfileError, load_profiles
from tests.spider.site import rows, run_crawl_cli

SITE_HOST, BLOCKED_HOST = "127.0.0.2", "127.0.0.3"


class _ForwardProxy(BaseHTTPRequestHandler):
    """A plain HTTP forward proxy that records what it is asked for and forwards only to the test site."""

    seen: list[str]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(self.path)
        target = urlsplit(self.path)
        if target.hostname != SITE_HOST:
            self.send_error(403, "this test proxy forwards only to the test site")
            return
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        upstream.request("GET", target.path or "/")
        answer = upstream.getresponse()
        body = answer.read()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.getheader("Content-Type") or "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve(host: str, handler) -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    synthetic = build_synthetic_site(root, 3, chain_length=3)
    site, site_port = _serve(SITE_HOST, partial(_Quiet, directory=str(root)))
    seen: list[str] = []
    proxy, proxy_port = _serve("127.0.0.1", type("P", (_ForwardProxy,), {"seen": seen}))
    yield f"http://{SITE_HOST}:{site_port}", synthetic, f"http://localhost:{proxy_port}", seen
    site.shutdown()
    proxy.shutdown()


def _crawl(base: str, synthetic, tmp_path: Path, *options: str, env: dict[str, str] | None = None):
    db = tmp_path / "news.db"
    urls = [base + synthetic.chains[0][0], f"http://{BLOCKED_HOST}:{urlsplit(base).port}/a.html"]
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        result = run_crawl_cli(urls, db, "--set", f"ALLOWED_NETWORKS={SITE_HOST}/32", "--set", "ROBOTSTXT_OBEY=False",
                               *options)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return db, result


def _check(base: str, synthetic, db: Path, seen: list[str], result) -> None:
    stored = {row["url"] for row in rows(db, "SELECT url FROM articles")}
    assert stored == {base + path for path in synthetic.chains[0]}, result.stderr[-3000:]
    assert {urlsplit(url).hostname for url in seen} == {SITE_HOST}  # every fetch went through the proxy
    assert len([url for url in seen if url.endswith(".html")]) >= 3
    failures = rows(db, "SELECT url, reason FROM failures")
    assert [failure["reason"] for failure in failures if BLOCKED_HOST in failure["url"]] == ["blocked_address:loopback"]


@pytest.mark.slow  # a crawl in a subprocess
def test_a_configured_proxy_carries_the_crawl_and_the_guard_still_checks_targets(setting, tmp_path):
    base, synthetic, proxy, seen = setting
    seen.clear()
    db, result = _crawl(base, synthetic, tmp_path, "--set", f"NEWSCRAWL_PROXY={proxy}")
    _check(base, synthetic, db, seen, result)


@pytest.mark.slow
def test_the_environments_proxy_is_used_too(setting, tmp_path):
    base, synthetic, proxy, seen = setting
    seen.clear()
    db, result = _crawl(base, synthetic, tmp_path, env={"http_proxy": proxy, "no_proxy": ""})
    _check(base, synthetic, db, seen, result)


def test_a_profile_names_its_proxy_and_a_bad_one_is_refused(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text('[sites.a]\nstart_urls = ["https://a.example/"]\nproxy = "http://user:pw@proxy.example:3128"\n')
    assert load_profiles(path)["a"].proxy == "http://user:pw@proxy.example:3128"
    path.write_text('[sites.a]\nstart_urls = ["https://a.example/"]\nproxy = "socks5://proxy.example:1080"\n')
    with pytest.raises(ProfileError, match="proxy must be an http"):
        load_profiles(path)


def test_a_workers_site_config_carries_the_profiles_proxy():
    from crawler.distributed.sites import SiteConfig

    config = SiteConfig(profile="a", proxy="http://proxy.example:3128")
    assert SiteConfig.loads(config.dumps()).proxy == "http://proxy.example:3128"
    with pytest.raises(ValueError, match="proxy"):
        SiteConfig.loads('{"proxy": 3128}')
