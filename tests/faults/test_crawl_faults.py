"""Every fault of the fault server through a real crawl: `newscrawl crawl` in a subprocess.

One crawl fetches all the "broken server" faults at once (they are independent URLs on
one site); each test reads its own URL's outcome from the database that crawl wrote and
from the server's record of requests. Size faults run in a crawl of their own, so its
peak memory can be compared with a crawl of one plain article.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from .crawl import CrawlRun, crawl, scaled
from .server import BIG_BODY_BYTES, CHARSET_PAGES, FaultServer

pytestmark = pytest.mark.slow

RETRY_TIMES = 1  # local_site_settings(): one retry, so a retried fault is requested twice
DOWNLOAD_TIMEOUT = 3  # seconds, on an idle machine (``scaled``)
CAP_MB = 10  # DOWNLOAD_MAXSIZE of crawler/settings.py

FETCH_FAULTS = [
    "/article/control.html",
    "/hang",
    "/drip",
    "/truncated",
    "/reset",
    "/reset-mid",
    "/status/500",
    "/status/502",
    "/status/503",
    "/status/504",
    "/status/408",
    "/loop/a",
    "/chain/15",
    "/chain/3",
    "/soft404",
    *[f"/charset/{case}" for case in CHARSET_PAGES],
    "/refresh?delay=0&to=/article/refreshed.html",
    "/refresh?delay=300&to=/article/reloaded.html",
    "/refresh?delay=0&to=http://127.0.0.2:9/internal.html",
    "/redirect?to=http://169.254.169.254/latest/meta-data/",
    "/redirect?to=file:///etc/passwd",
    "/refresh?delay=0&to=file:///etc/hostname",
]
SIZE_FAULTS = ["/big", "/big-chunked", "/bomb/gzip", "/bomb/deflate", "/bomb/br"]


def connection_faults(server: FaultServer, closed_port: int) -> dict[str, str]:
    """URL -> the reason its failure is recorded with: connections that fail before any answer."""
    return {
        server.url("/article/tls.html").replace("http:", "https:"): "tls_error",  # TLS to a plain HTTP server
        f"http://127.0.0.1:{closed_port}/article/refused.html": "connection_refused",
        "http://no-such-host.invalid/article/unknown.html": "dns_error",
    }


@pytest.fixture(scope="module")
def closed_port() -> Iterator[int]:
    """A port bound but never listening: connections to it are refused."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


@pytest.fixture(scope="module")
def fetch_run(fault_server: FaultServer, closed_port: int, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    db = tmp_path_factory.mktemp("fetch") / "news.db"
    # Only 127.0.0.1 itself is allowed: 127.0.0.2 stands for an internal host.
    # The time limit scales with the load: each fault must be recorded as its own (http_502), not
    # as a timeout of a crawl process starved of CPU (the status tests failed at load 13-19 in
    # session 6, passing alone; the failure's text was not kept).
    settings = {"DOWNLOAD_TIMEOUT": scaled(DOWNLOAD_TIMEOUT), "ALLOWED_NETWORKS": ["127.0.0.1/32"]}
    urls = [fault_server.url(path) for path in FETCH_FAULTS]
    return crawl([*urls, *connection_faults(fault_server, closed_port)], db, settings=settings)


@pytest.fixture(scope="module")
def size_run(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    db = tmp_path_factory.mktemp("size") / "news.db"
    return crawl([fault_server.url(path) for path in SIZE_FAULTS], db)


@pytest.fixture(scope="module")
def control_run(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    db = tmp_path_factory.mktemp("control") / "news.db"
    return crawl([fault_server.url("/article/baseline.html")], db)


def _failure(run: CrawlRun, url: str) -> dict[str, str]:
    failures = run.failures()
    assert url in failures, f"{url} left no failure record; failures: {sorted(failures)}"
    return failures[url]


def test_the_crawl_finished_and_kept_the_control_article(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    assert fetch_run.summary["outcome"] == "partial", fetch_run.stderr[-3000:]
    assert fetch_run.exit_code == 3
    assert fault_server.url("/article/control.html") in fetch_run.articles()


# --- slow and broken connections -------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/hang", "/drip"])
def test_stalled_download_times_out_is_retried_then_recorded(fetch_run: CrawlRun, fault_server: FaultServer, path: str) -> None:
    url = fault_server.url(path)
    assert _failure(fetch_run, url)["reason"] == "timeout"
    assert len(fault_server.hits_for(path)) == 1 + RETRY_TIMES
    assert url not in fetch_run.articles()


@pytest.mark.parametrize(
    ("path", "reason"), [("/truncated", "truncated"), ("/reset", "connection_reset"), ("/reset-mid", "truncated")]
)
def test_broken_body_is_retried_and_nothing_stored(fetch_run: CrawlRun, fault_server: FaultServer, path: str, reason: str) -> None:
    url = fault_server.url(path)
    assert url not in fetch_run.articles()
    assert _failure(fetch_run, url)["reason"] == reason
    assert len(fault_server.hits_for(path)) == 1 + RETRY_TIMES


def test_failed_connections_are_recorded_with_distinct_reasons(fetch_run: CrawlRun, fault_server: FaultServer, closed_port: int) -> None:
    for url, reason in connection_faults(fault_server, closed_port).items():
        assert (url, _failure(fetch_run, url)["reason"]) == (url, reason)


# --- server errors, redirects ----------------------------------------------------------------------
@pytest.mark.parametrize("code", [500, 502, 503, 504, 408])
def test_server_error_is_retried_then_recorded(fetch_run: CrawlRun, fault_server: FaultServer, code: int) -> None:
    path = f"/status/{code}"
    assert _failure(fetch_run, fault_server.url(path))["reason"] == f"http_{code}"
    assert len(fault_server.hits_for(path)) == 1 + RETRY_TIMES


def test_redirect_loop_ends_at_the_redirect_limit(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    failure = _failure(fetch_run, fault_server.url("/loop/a"))
    assert "max redirections" in failure["detail"] and failure["reason"] == "too_many_redirects"
    assert len(fault_server.hits_under("/loop/")) == 1 + 10  # REDIRECT_MAX_TIMES


def test_long_redirect_chain_is_cut_short_and_short_one_followed(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    # the failure is recorded under the URL asked for, the detail names where the chain stopped
    failure = _failure(fetch_run, fault_server.url("/chain/15"))
    assert "max redirections" in failure["detail"] and fault_server.url("/chain/5") in failure["detail"]
    long_chain = [hit for hit in fault_server.hits_under("/chain/") if int(hit.path.rsplit("/", 1)[-1]) >= 5]
    assert len(long_chain) == 1 + 10  # /chain/15 .. /chain/5, never further
    assert fault_server.url("/chain/0") in fetch_run.articles()


# --- pages that are not what they say ----------------------------------------------------------------
def test_soft_404_is_not_stored_as_an_article(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    url = fault_server.url("/soft404")
    assert url not in fetch_run.articles()
    assert _failure(fetch_run, url)["reason"] == "not_article"


@pytest.mark.parametrize("case", list(CHARSET_PAGES))
def test_charset_conflict_is_stored_as_correct_text(fetch_run: CrawlRun, fault_server: FaultServer, case: str) -> None:
    page = CHARSET_PAGES[case]
    stored = fetch_run.articles().get(fault_server.url(f"/charset/{case}"))
    assert stored is not None, fetch_run.failures().get(fault_server.url(f"/charset/{case}"))
    assert stored["title"] == page.title(case)
    for paragraph in page.text(case):
        assert paragraph in stored["body"]


# --- meta refresh and redirects to where the crawler must not go ---------------------------------------
def test_meta_refresh_redirect_is_followed(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    assert fault_server.url("/article/refreshed.html") in fetch_run.articles()


def test_slow_meta_refresh_is_a_reload_not_a_redirect(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    """METAREFRESH_MAXDELAY: a page refreshing itself every 5 minutes is still the page."""
    assert not fault_server.hits_for("/article/reloaded.html")
    assert any("/refresh?" in url and "delay=300" in url for url in fetch_run.articles())


@pytest.mark.parametrize(
    ("start", "target", "reason"),
    [
        ("/refresh?delay=0&to=http://127.0.0.2:9/internal.html", "http://127.0.0.2:9/internal.html", "loopback"),
        ("/redirect?to=http://169.254.169.254/latest/meta-data/", "http://169.254.169.254/latest/meta-data/", "link_local"),
    ],
)
def test_redirect_or_refresh_to_internal_address_is_blocked(fetch_run: CrawlRun, fault_server: FaultServer, start: str,
                                                            target: str, reason: str) -> None:
    failure = _failure(fetch_run, fault_server.url(start))  # under the URL asked for, naming where it was sent
    assert "BlockedAddress" in failure["detail"] and f"(at {target})" in failure["detail"], failure
    assert failure["reason"] == f"blocked_address:{reason}"


@pytest.mark.parametrize("path", ["/redirect?to=file:///etc/passwd", "/refresh?delay=0&to=file:///etc/hostname"])
def test_redirect_to_file_url_is_never_followed(fetch_run: CrawlRun, path: str) -> None:
    for url, row in fetch_run.articles().items():
        assert not url.startswith("file:")
        assert "root:" not in row["body"]
    assert not [url for url in fetch_run.failures() if url.startswith("file:")]


def test_a_redirect_to_a_file_url_is_recorded_as_bad_scheme(fetch_run: CrawlRun, fault_server: FaultServer) -> None:
    failure = _failure(fetch_run, fault_server.url("/redirect?to=file:///etc/passwd"))
    assert failure["reason"] == "bad_scheme", failure  # it was http_302: Scrapy hands such a 302 to the spider
    assert "redirect to scheme 'file' is not fetched" in failure["detail"], failure
    assert "Dropped a 302 redirect to a file: URL" in fetch_run.stderr


# --- size ---------------------------------------------------------------------------------------
def test_big_body_with_content_length_is_refused_before_it_is_read(size_run: CrawlRun, fault_server: FaultServer) -> None:
    assert _failure(size_run, fault_server.url("/big"))["reason"] == "too_large"
    assert all(hit.body_bytes_sent < BIG_BODY_BYTES for hit in fault_server.hits_for("/big"))


def test_big_body_without_content_length_is_aborted_at_the_cap(size_run: CrawlRun, fault_server: FaultServer) -> None:
    assert _failure(size_run, fault_server.url("/big-chunked"))["reason"] == "too_large"
    for hit in fault_server.hits_for("/big-chunked"):
        assert hit.body_bytes_sent < BIG_BODY_BYTES / 2


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_decompression_bomb_is_aborted_at_the_cap(size_run: CrawlRun, fault_server: FaultServer, encoding: str) -> None:
    failure = _failure(size_run, fault_server.url(f"/bomb/{encoding}"))
    assert "DOWNLOAD_MAXSIZE" in failure["detail"], failure
    assert failure["reason"] == "too_large", failure  # it was "ignored": Scrapy raises a plain IgnoreRequest


def test_memory_stays_bounded_under_size_faults(size_run: CrawlRun, control_run: CrawlRun) -> None:
    """Five oversized answers in parallel cost at most a few times the cap over a plain crawl.

    Without the cap (Scrapy's 1 GiB default) this crawl peaks near 1.4 GB.
    """
    assert control_run.exit_code == 0
    assert size_run.max_rss_mb > 0 and control_run.max_rss_mb > 0
    assert size_run.max_rss_mb < control_run.max_rss_mb + 10 * CAP_MB, (size_run.max_rss_mb, control_run.max_rss_mb)
    assert not size_run.articles()


def test_size_faults_leave_a_bounded_crawl(size_run: CrawlRun) -> None:
    assert size_run.exit_code == 1  # nothing stored: every page failed
    assert size_run.summary["counts"]["failed"] == len(SIZE_FAULTS)
