"""Why a request produced no response: a short, stable reason code for the failures table.

The spiders' errbacks call ``describe_download_error``. A failure reaches them wrapped:
Scrapy 2.19 re-raises Twisted's errors as its own (``DownloadFailedError`` from
``ResponseFailed``, ``CannotResolveHostError`` from ``DNSLookupError``), and Twisted's
``ResponseFailed`` / ``ResponseNeverReceived`` hold the real causes in ``.reasons``. So
the whole chain is read (``__cause__``, ``__context__`` and ``.reasons``), and the first
row of ``DOWNLOAD_ERRORS`` that matches any error in it gives the reason.

A request that one of our downloader middlewares dropped carries its reason itself
(``RequestDropped.reason``: ``bad_scheme``, ``page_limit``, ``retry_after``,
``blocked_address:<why>``); that wins over the table.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

MAX_CHAIN = 32  # errors read from one failure's chain (a guard against cycles and absurd nesting)
REDIRECT_LIMIT_MESSAGE = "max redirections"  # what Scrapy's RedirectMiddleware says when it gives up


class RequestDropped(IgnoreRequest):
    """A request one of our downloader middlewares refused to send (never retried).

    ``reason`` is the failures-table code: a class attribute, or per instance when given.
    """

    reason: str = "dropped"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


# Error types -> reason codes, first matching row wins (an error anywhere in the chain matches).
DOWNLOAD_ERRORS: tuple[tuple[str, tuple[type[BaseException], ...]], ...] = (
    ("timeout", (DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError, TimeoutError)),
    ("dns_error", (CannotResolveHostError, twisted_errors.DNSLookupError, socket.gaierror)),
    (
        "connection_refused",
        (DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError, ConnectionRefusedError),
    ),
    ("tls_error", (SSL.Error, ssl.SSLError, twisted_errors.CertificateError)),
    # Cancelled at DOWNLOAD_MAXSIZE while reading; the decompression error is the cause of
    # HttpCompressionMiddleware's plain IgnoreRequest (a private class: a Scrapy upgrade that
    # renames it fails this import, not silently the reason).
    ("too_large", (DownloadCancelledError, _DecompressionMaxSizeExceeded)),
    ("truncated", (ResponseDataLossError,)),
    ("connection_reset", (twisted_errors.ConnectionLost, ConnectionResetError)),
    ("connection_closed", (twisted_errors.ConnectionDone,)),  # closed cleanly, but before a whole answer
    ("connection_error", (twisted_errors.ConnectError, ResponseFailed, ResponseNeverReceived, DownloadFailedError)),
    ("bad_scheme", (UnsupportedURLSchemeError,)),
)


def error_chain(error: BaseException) -> Iterator[BaseException]:
    """``error``, then what it wraps: its cause (or unsuppressed context) and Twisted's ``.reasons``."""
    queue, seen = [error], set()
    while queue and len(seen) < MAX_CHAIN:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nested in getattr(current, "reasons", None) or ():  # ResponseFailed, ResponseNeverReceived
            if isinstance(nested, Failure) and isinstance(nested.value, BaseException):
                queue.append(nested.value)
        wrapped = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if wrapped is not None:
            queue.append(wrapped)


def download_error_reason(error: BaseException) -> str:
    """The reason code for an error that ended a download."""
    chain = list(error_chain(error))
    for link in chain:
        if isinstance(link, RequestDropped):
            return link.reason
    for reason, types in DOWNLOAD_ERRORS:
        if any(isinstance(link, types) for link in chain):
            return reason
    if isinstance(error, IgnoreRequest):
        return "too_many_redirects" if REDIRECT_LIMIT_MESSAGE in str(error) else "ignored"
    return "download_error"


def describe_download_error(failure: Failure) -> tuple[str, str]:
    """(reason code, detail) for a request that produced no response.

    The detail is the error's type and message; where the message is the repr of the Twisted
    failures it wraps ("[<twisted.python.failure.Failure twisted.web._newclient.ParseError: ...>]",
    what a server that answers garbage gives), the innermost errors stand in its place."""
    message = failure.getErrorMessage()
    if "<twisted.python.failure.Failure" in message:
        wrapped = [reason.value for link in error_chain(failure.value) for reason in getattr(link, "reasons", None) or ()
                   if isinstance(reason, Failure) and not getattr(reason.value, "reasons", None)]  # fmt: skip
        message = "; ".join(f"{type(error).__name__}: {error}".strip() for error in wrapped) or message
    return download_error_reason(failure.value), f"{failure.type.__name__}: {message}".strip()
