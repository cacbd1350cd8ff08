"""The demo server: one 127.0.0.1 origin per publisher, pages, robots.txt, 404, extras."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from crawler.demo import DemoSite
from crawler.demo.generate import SITE_DIR, file_for


def _get(url: str, *, method: str = "GET", headers: dict[str, str] | None = None
         ) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite() as running:
        yield running


def test_each_publisher_is_its_own_origin_on_loopback(site: DemoSite) -> None:
    assert set(site.publishers) == {"courrier", "flussbote", "ledger"}
    ports = {site.port(p) for p in site.publishers}
    assert len(ports) == len(site.publishers)
    for publisher in site.publishers:
        assert site.base_url(publisher) == f"http://127.0.0.1:{site.port(publisher)}/"
        assert site._server(publisher).server_address[0] == "127.0.0.1"


def _non_loopback_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_server_is_not_reachable_on_other_interfaces(site: DemoSite) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address")
    with pytest.raises(OSError):
        socket.create_connection((address, site.port("ledger")), timeout=2).close()


def test_middle_article_is_served_as_utf8_html(site: DemoSite) -> None:
    for publisher in site.publishers:
        url = site.middle_url(publisher)
        status, headers, body = _get(url)
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        path = urlsplit(url).path
        assert body == (SITE_DIR / publisher / file_for(path)).read_bytes()
        assert path in site.chain_urls(publisher)[len(site.chain_urls(publisher)) // 2]


def test_robots_txt_allows_everything_and_names_the_sitemap(site: DemoSite) -> None:
    status, headers, body = _get(site.url("courrier", "/robots.txt"))
    assert status == 200
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert body.decode().splitlines() == ["User-agent: *", "Allow: /",
                                          f"Sitemap: {site.url('courrier', '/sitemap.xml')}"]


def _locs(xml: bytes) -> list[str]:
    tree = lxml.etree.fromstring(xml)
    return [e.text for e in tree.iter("{*}loc")] + tree.xpath(
        "//*[local-name()='link' and not(@rel='self')]/@href | //item/link/text()")


@pytest.mark.parametrize("publisher", ["courrier", "flussbote", "ledger"])
def test_feeds_and_sitemaps_point_at_the_serving_origin(site: DemoSite, publisher: str) -> None:
    home = lxml.html.fromstring(_get(site.base_url(publisher))[2])
    feed_path = home.xpath("string(//link[@rel='alternate']/@href)")
    status, headers, feed = _get(site.url(publisher, feed_path))
    assert status == 200 and headers["content-type"] == "application/xml; charset=utf-8"
    assert b"demo.invalid" not in feed
    entries = [u for u in _locs(feed) if u != site.base_url(publisher)]
    chain = site.chain_urls(publisher)
    assert entries and set(entries) <= set(chain)
    index = _get(site.url(publisher, "/sitemap.xml"))[2]
    listed = []
    for sitemap in _locs(index):
        assert sitemap.startswith(site.base_url(publisher))
        listed += _locs(_get(sitemap)[2])
    assert set(chain) <= set(listed)
    assert all(_get(url)[0] == 200 for url in set(listed))


@pytest.mark.parametrize("path", ["/no/such/page/", "/missing.html", "/../../etc/passwd",
                                  "/2025/03/17/../../../../README.md"])
def test_unknown_paths_get_404(site: DemoSite, path: str) -> None:
    status, headers, body = _get(site.url("flussbote", "/") .rstrip("/") + path)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"Not Found" in body


def test_directory_without_slash_redirects(site: DemoSite) -> None:
    status, headers, _ = _get(site.url("ledger", "/about"))
    assert status == 301 and headers["location"] == "/about/"


def test_query_string_is_ignored(site: DemoSite) -> None:
    article = next(a for a in site.articles("ledger") if a["trap_links"])
    link = article["trap_links"][0]["href"]
    assert "?cpage=2" in link
    _, _, with_query = _get(site.url("ledger", link.split("#")[0]))
    _, _, plain = _get(site.url("ledger", article["path"]))
    assert with_query == plain


def test_head_and_conditional_get(site: DemoSite) -> None:
    url = site.middle_url("courrier")
    status, headers, body = _get(url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000
    etag = headers["etag"]
    status, _, body = _get(url, headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    status, _, body = _get(url, headers={"If-None-Match": '"other"'})
    assert status == 200 and body


def test_gallery_image_is_served_with_its_type(site: DemoSite) -> None:
    status, headers, body = _get(site.url("courrier", "/diaporamas/transhumance-2025/photo-2.svg"))
    assert status == 200 and headers["content-type"] == "image/svg+xml"
    assert body.startswith(b"<svg")


def test_serves_requests_in_parallel(site: DemoSite) -> None:
    urls = [url for p in site.publishers for url in site.chain_urls(p)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda u: _get(u)[0], urls))
    assert statuses == [200] * len(urls)


def test_add_and_remove_page_at_runtime(site: DemoSite) -> None:
    url = site.add_page("flussbote", "/neu/", "<html><body>neu</body></html>")
    status, headers, body = _get(url)
    assert status == 200 and body == b"<html><body>neu</body></html>"
    assert headers["content-type"] == "text/html; charset=utf-8"
    site.remove_page("flussbote", "/neu/")
    assert _get(url)[0] == 404


def test_unknown_publisher_is_a_clear_error(site: DemoSite) -> None:
    with pytest.raises(KeyError, match="nowhere"):
        site.base_url("nowhere")


def test_publish_extra_keeps_ports_and_links_the_new_articles() -> None:
    with DemoSite() as site:
        ports = {p: site.port(p) for p in site.publishers}
        old_last = {p: site.chain_urls(p)[-1] for p in site.publishers}
        site.publish_extra()
        assert {p: site.port(p) for p in site.publishers} == ports
        for publisher in site.publishers:
            chain = site.chain_urls(publisher)
            assert chain[-2] == old_last[publisher]
            new_path = urlsplit(chain[-1]).path
            assert _get(chain[-1])[0] == 200
            assert new_path.encode() in _get(old_last[publisher])[2]
        assert len(site.articles()) == 42


def test_extra_mode_from_the_start_and_fixed_ports() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with DemoSite(extra=True, ports={"ledger": free}) as site:
        assert site.port("ledger") == free
        newest = site.articles("ledger")[-1]
        assert newest["extra"]
        assert _get(site.url("ledger", newest["path"]))[0] == 200
        tmp_root = site.site_dir
    assert not Path(tmp_root).exists(), "the temporary build is removed on stop"


def test_serve_another_directory(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "index.html").write_text("<p>other</p>", encoding="utf-8")
    with DemoSite() as site:
        site.serve_directory(tmp_path, expected=SITE_DIR.parent / "expected.json")
        assert _get(site.url("ledger", "/"))[2] == b"<p>other</p>"
        assert _get(site.middle_url("ledger"))[0] == 404


def test_extra_site_survives_a_restart_and_repeated_publishing() -> None:
    site = DemoSite(extra=True)
    for _ in range(2):
        with site:
            site.publish_extra()
            newest = site.chain_urls("courrier")[-1]
            assert _get(newest)[0] == 200
    with DemoSite() as base:
        base.publish_extra()
        newest = base.chain_urls("ledger")[-1]
        assert _get(newest)[0] == 200
        base.serve_directory(SITE_DIR)  # back to the base site
        assert len(base.articles()) == 39
        assert _get(newest)[0] == 404
