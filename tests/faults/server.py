"""A web server on 127.0.0.1 that misbehaves on demand, chosen by the request path.

    with FaultServer() as server:
        server.url("/hang")              # -> "http://127.0.0.1:PORT/hang"
        ...
        server.hits_for("/hang")         # every request for it, with time and headers

Faults (path -> what the server does):

- ``/article/NAME.html``: an ordinary article (the control: it must be stored).
- ``/hang``: headers, then nothing until the server stops.
- ``/drip``: headers, then one byte per second.
- ``/truncated``: Content-Length 6000, then about 1000 bytes and a close.
- ``/reset``: a TCP reset instead of an answer; ``/reset-mid``: headers, part of the body, reset.
- ``/big`` and ``/big-chunked``: 50 MB of HTML, with Content-Length and chunked without it.
- ``/bomb/gzip``, ``/bomb/deflate``, ``/bomb/br``: ~100 MB of HTML compressed to ~100 KB or less.
- ``/status/CODE``: that status (500, 502, 503, 504, 408, ...).
- ``/retry-after/SECONDS/CODE/NAME``: CODE (429 or 503) with ``Retry-After: SECONDS`` on the
  first request, the article NAME afterwards.
- ``/loop/a`` <-> ``/loop/b``: a redirect loop; ``/chain/N``: N redirects, then an article.
- ``/redirect?to=URL&status=302``: a redirect anywhere; ``/refresh?to=URL&delay=0``: a
  ``<meta http-equiv="refresh">`` page (an article, so a page whose refresh is ignored is stored).
- ``/soft404``: a 200 page that says "not found".
- ``/paged/N``: infinite pagination, a section page of three articles linking to ``/paged/N+1``.
- ``/calendar/YYYY/MM``: an events calendar whose "next month" never ends.
- ``/charset/CASE``: text whose charset comes from the BOM, the header, a ``<meta>``, or
  nowhere; see ``CHARSET_PAGES`` for the cases and the text each must decode to.

Every request is recorded in ``hits`` (path, monotonic time, headers, bytes of body sent).
Handlers run in threads; a client that hangs up mid-body ends its handler quietly.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import brotli

from .pages import (
    CAFE_PARAGRAPHS,
    CYRILLIC_PARAGRAPHS,
    JAPANESE_PARAGRAPHS,
    article_html,
    calendar_html,
    listing_html,
    soft_404_html,
    story_paragraphs,
)

BIG_BODY_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 100 * 1024 * 1024  # decompressed size of each bomb
_BLOCK = 1 << 20
_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, socket.timeout)


@dataclass(frozen=True, slots=True)
class CharsetPage:
    """A page whose bytes and labels disagree, and the text it must be read as."""

    paragraphs: tuple[str, ...]
    lang: str
    encoding: str  # what the bytes are
    content_type: str  # the header as sent
    meta_charset: str | None = None  # <meta charset> as written in the page
    bom: bool = False

    def title(self, case: str) -> str:
        """The headline: the case name (so no two pages are duplicates) and the first words."""
        return f"[{case}] {self.paragraphs[0][:40].strip()}"

    def text(self, case: str) -> tuple[str, ...]:
        """The paragraphs, each tagged with the case: pages sharing a language share no paragraph."""
        return tuple(f"{paragraph} ({case})" for paragraph in self.paragraphs)

    def body(self, case: str) -> bytes:
        text = article_html(self.title(case), self.text(case), lang=self.lang, meta_charset=self.meta_charset)
        data = text.encode(self.encoding)
        return b"\xef\xbb\xbf" + data if self.bom else data


CHARSET_PAGES: dict[str, CharsetPage] = {
    # A UTF-8 byte-order mark outranks the header's charset (WHATWG encoding sniffing).
    "bom-vs-header": CharsetPage(CAFE_PARAGRAPHS, "de", "utf-8", "text/html; charset=iso-8859-1", bom=True),
    # The header outranks a <meta> that says something else.
    "header-vs-meta": CharsetPage(CYRILLIC_PARAGRAPHS, "ru", "windows-1251", "text/html; charset=windows-1251", "utf-8"),
    # Only the page says what it is.
    "meta-1251": CharsetPage(CYRILLIC_PARAGRAPHS, "ru", "windows-1251", "text/html", "windows-1251"),
    "meta-shift_jis": CharsetPage(JAPANESE_PARAGRAPHS, "ja", "shift_jis", "text/html", "Shift_JIS"),
    # Only the header says what it is.
    "header-shift_jis": CharsetPage(JAPANESE_PARAGRAPHS, "ja", "shift_jis", "text/html; charset=Shift_JIS"),
    # Nothing says anything: the bytes must be sniffed.
    "none-utf8": CharsetPage(CAFE_PARAGRAPHS, "de", "utf-8", "text/html"),
    "none-1251": CharsetPage(CYRILLIC_PARAGRAPHS, "ru", "windows-1251", "text/html"),
}


@dataclass(slots=True)
class Hit:
    path: str
    at: float  # time.monotonic() when the request arrived
    headers: dict[str, str]
    body_bytes_sent: int = 0


def _filler_blocks(total: int) -> Iterator[bytes]:
    """``total`` bytes of HTML-looking filler in 1 MiB blocks."""
    block = (b"<p>" + b"filler " * 100 + b"</p>\n") * (_BLOCK // 708 + 1)
    block = block[:_BLOCK]
    sent = 0
    while sent < total:
        piece = block[: min(_BLOCK, total - sent)]
        sent += len(piece)
        yield piece


@functools.cache
def bomb(encoding: str) -> bytes:
    """~100 MB of HTML (mostly spaces) compressed with gzip, deflate (zlib) or brotli."""
    compressor: Any
    if encoding == "gzip":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        feed, finish = compressor.compress, compressor.flush
    elif encoding == "deflate":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 15)
        feed, finish = compressor.compress, compressor.flush
    elif encoding == "br":
        compressor = brotli.Compressor(quality=5)
        feed, finish = compressor.process, compressor.finish
    else:
        raise ValueError(encoding)
    parts = [feed(b"<!DOCTYPE html><html><head><title>bomb</title></head><body><p>")]
    spaces = b" " * _BLOCK
    parts += [feed(spaces) for _ in range(BOMB_BYTES // _BLOCK)]
    parts += [feed(b"</p></body></html>"), finish()]
    return b"".join(parts)


class FaultServer:
    """The fault server: start it, point a crawl at ``url(path)``, read ``hits`` afterwards."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fault-server", daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def hits_for(self, path: str) -> list[Hit]:
        """Requests for exactly ``path`` (query included)."""
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def hits_since(self, mark: int) -> list[Hit]:
        """Requests after the first ``mark`` ones (``mark = len(server.hits)`` before a crawl)."""
        with self._lock:
            return self.hits[mark:]

    def hits_under(self, prefix: str) -> list[Hit]:
        """Requests whose path starts with ``prefix``."""
        with self._lock:
            return [hit for hit in self.hits if hit.path.startswith(prefix)]

    def start(self) -> FaultServer:
        for encoding in ("gzip", "deflate", "br"):  # built once, before any client waits for them
            bomb(encoding)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_class(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_FaultHandler):
        fault_server = server

    return Handler


class _FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fault_server: FaultServer
    hit: Hit

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        pass

    # --- plumbing ------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.hit = Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()})
        self.fault_server.record(self.hit)
        parts = urlsplit(self.path)
        route = self._route(parts.path)
        try:
            route(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
        except _CLIENT_GONE:
            self.close_connection = True

    def _route(self, path: str) -> Callable[[str, dict[str, str]], None]:
        first = path.strip("/").split("/", 1)[0]
        return getattr(self, f"fault_{first.replace('-', '_')}", self.fault_missing)

    def _send(self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self._write(body)

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        self.hit.body_bytes_sent += len(data)

    def _headers_only(self, content_length: int | None, **headers: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if content_length is not None:
            self.send_header("Content-Length", str(content_length))
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True

    def _reset(self) -> None:
        """Close with RST: SO_LINGER on, timeout 0."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _article(self, name: str) -> bytes:
        return article_html(f"Tide gauge report {name}", story_paragraphs(name)).encode()

    # --- control --------------------------------------------------------------------------------
    def fault_article(self, path: str, query: dict[str, str]) -> None:
        self._send(200, self._article(path.rsplit("/", 1)[-1].removesuffix(".html")))

    def fault_missing(self, path: str, query: dict[str, str]) -> None:
        self._send(404, b"<html><body><h1>404</h1></body></html>")

    # --- slow and broken connections ---------------------------------------------------------------
    def fault_hang(self, path: str, query: dict[str, str]) -> None:
        self._headers_only(2000)
        self.fault_server.stopping.wait(120)

    def fault_drip(self, path: str, query: dict[str, str]) -> None:
        body = self._article("drip")
        self._headers_only(len(body))
        for index in range(len(body)):
            if self.fault_server.stopping.wait(1.0):
                return
            self._write(body[index : index + 1])

    def fault_truncated(self, path: str, query: dict[str, str]) -> None:
        body = self._article("truncated")
        self._headers_only(len(body) + 5000)
        self._write(body[:1000])

    def fault_reset(self, path: str, query: dict[str, str]) -> None:
        self._reset()

    def fault_reset_mid(self, path: str, query: dict[str, str]) -> None:
        body = self._article("reset-mid")
        self._headers_only(len(body))
        self._write(body[:800])
        self._reset()

    # --- size -----------------------------------------------------------------------------------
    def fault_big(self, path: str, query: dict[str, str]) -> None:
        self._headers_only(BIG_BODY_BYTES)
        for block in _filler_blocks(BIG_BODY_BYTES):
            self._write(block)

    def fault_big_chunked(self, path: str, query: dict[str, str]) -> None:
        self._headers_only(None, Transfer_Encoding="chunked")
        for block in _filler_blocks(BIG_BODY_BYTES):
            self._write(b"%x\r\n%s\r\n" % (len(block), block))
        self._write(b"0\r\n\r\n")

    def fault_bomb(self, path: str, query: dict[str, str]) -> None:
        encoding = path.rsplit("/", 1)[-1]
        self._send(200, bomb(encoding), Content_Encoding=encoding)

    # --- statuses and redirects ---------------------------------------------------------------------
    def fault_status(self, path: str, query: dict[str, str]) -> None:
        code = int(path.rsplit("/", 1)[-1])
        self._send(code, f"<html><body><h1>Error {code}</h1></body></html>".encode())

    def fault_retry_after(self, path: str, query: dict[str, str]) -> None:
        _, seconds, code, name = path.strip("/").split("/")
        if len(self.fault_server.hits_for(path)) == 1:
            self._send(int(code), b"<html><body>Slow down</body></html>", Retry_After=seconds)
        else:
            self._send(200, self._article(name))

    def fault_loop(self, path: str, query: dict[str, str]) -> None:
        self._send(302, b"", Location="/loop/b" if path.endswith("/a") else "/loop/a")

    def fault_chain(self, path: str, query: dict[str, str]) -> None:
        hops = int(path.rsplit("/", 1)[-1])
        if hops <= 0:
            self._send(200, self._article("chain-end"))
        else:
            self._send(302, b"", Location=f"/chain/{hops - 1}")

    def fault_redirect(self, path: str, query: dict[str, str]) -> None:
        self._send(int(query.get("status", "302")), b"", Location=query["to"])

    def fault_refresh(self, path: str, query: dict[str, str]) -> None:
        refresh = f'<meta http-equiv="refresh" content="{query.get("delay", "0")}; url={query["to"]}">'
        title = f"Refresh {query.get('delay', '0')} to {query['to']}"
        self._send(200, article_html(title, story_paragraphs(title), extra_head=refresh).encode())

    def fault_neighbours(self, path: str, query: dict[str, str]) -> None:
        """An article whose prev and next links redirect into failures (issue 15, item 1)."""
        case = path.rsplit("/", 1)[-1]
        internal = f"http://127.0.0.2:{self.fault_server.port}/article/internal.html"  # blocked unless allowed
        prev_url, next_url = {
            "broken": ("/redirect?to=/status/500", "/redirect?to=/loop/a"),
            "blocked": (f"/redirect?to={internal}", "/redirect?to=/redirect?to=/missing"),
        }[case]
        title = f"Neighbours {case}"
        page = article_html(title, story_paragraphs(title), prev_url=prev_url, next_url=next_url)
        self._send(200, page.encode())

    def fault_crossing(self, path: str, query: dict[str, str]) -> None:
        """An article whose neighbours redirect to another origin (issue 15, item 3).

        ``/crossing/<port>.html``: the other origin is this host on ``port``.
        """
        other = f"http://127.0.0.1:{path.rsplit('/', 1)[-1].removesuffix('.html')}/article"
        page = article_html("Crossing origins", story_paragraphs("crossing"),
                            next_url=f"/redirect?status=301&to={other}/crossed-301.html",
                            prev_url=f"/redirect?to={other}/crossed-302.html")
        self._send(200, page.encode())

    # --- content traps ------------------------------------------------------------------------------
    def fault_soft404(self, path: str, query: dict[str, str]) -> None:
        self._send(200, soft_404_html().encode())

    def fault_paged(self, path: str, query: dict[str, str]) -> None:
        page = int(path.rsplit("/", 1)[-1])
        articles = [f"/article/harbour-notes-page-{page}-item-{index}.html" for index in range(3)]
        self._send(200, listing_html(page, articles, f"/paged/{page + 1}").encode())

    def fault_calendar(self, path: str, query: dict[str, str]) -> None:
        year, month = (int(part) for part in path.strip("/").split("/")[1:3])
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        self._send(200, calendar_html(year, month, f"/calendar/{next_year}/{next_month:02d}").encode())

    def fault_charset(self, path: str, query: dict[str, str]) -> None:
        case = path.rsplit("/", 1)[-1]
        page = CHARSET_PAGES[case]
        self._send(200, page.body(case), page.content_type)
