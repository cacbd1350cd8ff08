"""Reason codes for requests that got no response, as the failures table records them.

Failures are built the way they reach a spider's errback: Twisted's errors wrapped by
Scrapy 2.19 (``DownloadFailedError`` from ``ResponseNeverReceived([Failure(...)])``,
``CannotResolveHostError`` from ``DNSLookupError``), and the exceptions our own
downloader middlewares raise. Before these codes, a reset, a TLS failure and every
middleware drop were all recorded as ``download_error`` or ``ignored``.
"""

from __future__ import annotations

import asyncio

import pytest
from OpenSSL import SSL
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.download_errors import describe_download_error, download_error_reason
from crawler.middlewares.netguard import BlockedAddressError, NetGuardMiddleware
from crawler.middlewares.pagelimit import PageLimitMiddleware
from crawler.middlewares.retry_after import RetryAfterMiddleware
from crawler.middlewares.schemes import SchemeFilterMiddleware
from spiders.article import ArticleSpider
from tests.pipelines.helpers import make_crawler, project_crawler


def _wrapped(outer: type[Exception], inner: BaseException, wrapper: type[Exception] = ResponseNeverReceived) -> Exception:
    """``outer`` raised from a Twisted ``wrapper`` holding ``inner``, as Scrapy's download handler does."""
    twisted = wrapper([Failure(inner)])
    try:
        try:
            raise twisted
        except wrapper as exc:
            raise outer(str(exc)) from exc
    except outer as error:
        return error


def _raised(outer: type[Exception], inner: BaseException) -> Exception:
    try:
        try:
            raise inner
        except type(inner) as exc:
            raise outer(str(exc)) from exc
    except outer as error:
        return error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (_wrapped(DownloadFailedError, twisted_errors.ConnectionLost()), "connection_reset"),
        (_wrapped(DownloadFailedError, twisted_errors.ConnectionLost(), ResponseFailed), "connection_reset"),
        (_wrapped(DownloadFailedError, twisted_errors.ConnectionDone()), "connection_closed"),
        (_wrapped(DownloadFailedError, SSL.Error([("SSL routines", "", "wrong version number")])), "tls_error"),
        (_wrapped(DownloadFailedError, RuntimeError("something else")), "connection_error"),
        (_raised(CannotResolveHostError, twisted_errors.DNSLookupError("no such host")), "dns_error"),
        (_raised(DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError()), "connection_refused"),
        (_raised(DownloadTimeoutError, twisted_errors.TimeoutError()), "timeout"),
        (twisted_errors.NoRouteError(), "connection_error"),
        (ConnectionResetError(104, "Connection reset by peer"), "connection_reset"),
        (ResponseDataLossError(), "truncated"),
        (IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (IgnoreRequest("some other middleware"), "ignored"),
        (RuntimeError("something else"), "download_error"),
    ],
    ids=lambda value: value if isinstance(value, str) else type(value).__name__,
)
def test_download_errors_have_distinct_reasons(error: Exception, reason: str) -> None:
    assert download_error_reason(error) == reason
    _, detail = describe_download_error(Failure(error))
    assert detail.startswith(type(error).__name__)


def test_a_decompression_bomb_is_too_large() -> None:
    """Scrapy's HttpCompressionMiddleware raises a plain IgnoreRequest from its size error."""
    from scrapy.utils._compression import _DecompressionMaxSizeExceeded

    try:
        try:
            raise _DecompressionMaxSizeExceeded(11_000_000, 10_485_760)
        except _DecompressionMaxSizeExceeded as exc:
            raise IgnoreRequest("Ignored response <200 http://x/> ... exceeded DOWNLOAD_MAXSIZE") from exc
    except IgnoreRequest as exc:
        assert download_error_reason(exc) == "too_large"
    assert download_error_reason(IgnoreRequest("anything else")) == "ignored"


def test_a_cycle_in_the_chain_ends() -> None:
    first, second = RuntimeError("a"), RuntimeError("b")
    first.__cause__, second.__cause__ = second, first
    assert download_error_reason(first) == "download_error"


# --- what our downloader middlewares drop ---------------------------------------------------
def _drop(middleware: object, url: str) -> Exception:
    """The exception ``middleware.process_request`` raises for ``url`` (sync or async)."""
    with pytest.raises(IgnoreRequest) as raised:
        outcome = middleware.process_request(Request(url))  # type: ignore[attr-defined]
        if asyncio.iscoroutine(outcome):
            asyncio.run(outcome)
    return raised.value


def _scheme_drop() -> Exception:
    return _drop(SchemeFilterMiddleware.from_crawler(project_crawler()), "file:///etc/passwd")


def _page_limit_drop() -> Exception:
    middleware = PageLimitMiddleware.from_crawler(project_crawler(settings_dict={"NEWSCRAWL_MAX_PAGES_PER_SITE": 1}))
    middleware.process_request(Request("http://news.example/1.html"))
    return _drop(middleware, "http://news.example/2.html")


def _retry_after_drop() -> Exception:
    middleware = RetryAfterMiddleware.from_crawler(project_crawler(settings_dict={"NEWSCRAWL_RETRY_AFTER_MAX": 60}))
    request = Request("http://news.example/a.html")
    middleware.response_downloaded(Response(request.url, status=429, headers={"Retry-After": "3600"}, request=request), request)
    return _drop(middleware, "http://news.example/b.html")


def _netguard_drop(url: str) -> Exception:
    return _drop(NetGuardMiddleware.from_crawler(project_crawler()), url)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_scheme_drop, "bad_scheme"),
        (_page_limit_drop, "page_limit"),
        (_retry_after_drop, "retry_after"),
        (lambda: _netguard_drop("http://127.0.0.1:6800/"), "blocked_address:loopback"),
        (lambda: _netguard_drop("http://169.254.169.254/latest/meta-data/"), "blocked_address:link_local"),
        (lambda: _netguard_drop("http://10.0.0.5/"), "blocked_address:private"),
    ],
    ids=["scheme", "page_limit", "retry_after", "loopback", "metadata", "private"],
)
def test_middleware_drops_are_recorded_with_their_own_reason(make, reason: str) -> None:
    failure = Failure(make())
    failure.request = Request("http://news.example/dropped.html")  # type: ignore[attr-defined]
    spider = ArticleSpider.from_crawler(make_crawler(), url="http://news.example/start.html")
    spider._in_flight += 1
    [page] = list(spider.on_error(failure))
    assert (page.reason, page.skipped) == (reason, False)  # failed, so a later run tries again


def test_a_name_the_guarded_resolver_refused_is_blocked_with_the_resolvers_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    middleware = NetGuardMiddleware.from_crawler(project_crawler())

    async def resolve(host: str) -> list[str]:
        raise BlockedAddressError(f"{host} resolves to 10.0.0.5 (private), a non-public address", why="private")

    monkeypatch.setattr(middleware, "resolve", resolve)
    assert download_error_reason(_drop(middleware, "http://intranet.news.example/")) == "blocked_address:private"
    assert middleware.stats.get_value("newscrawl/netguard/blocked/private") == 1


def test_a_server_that_answers_garbage_is_described_by_what_went_wrong() -> None:
    """A server that answers "NOT HTTP AT ALL" was recorded in failures.detail as "DownloadFailedError:
    [<twisted.python.failure.Failure twisted.web._newclient.ParseError: (...)>]"."""
    from scrapy.exceptions import DownloadFailedError
    from twisted.web._newclient import ParseError, ResponseFailed

    try:
        try:
            raise ResponseFailed([Failure(ParseError("non-integer status code", b"NOT HTTP AT ALL"))])
        except ResponseFailed as wrapped:
            raise DownloadFailedError(str(wrapped.reasons)) from wrapped
    except DownloadFailedError as exc:
        reason, detail = describe_download_error(Failure(exc))
    assert reason == "connection_error"
    assert detail == "DownloadFailedError: ParseError: ('non-integer status code', b'NOT HTTP AT ALL')", detail
