"""Serve the demo publishers on 127.0.0.1, one threaded HTTP server (one port) per site.

``DemoSite`` starts a server for every publisher directory of a built site (by default
the committed build in ``data/demo_site/site``), so each publisher is a distinct origin.
Ports are free ports chosen by the system unless given. Pages are read from disk on
each request, so a site can be rebuilt or switched while it runs:

    with DemoSite() as site:
        site.base_url("ledger")          # "http://127.0.0.1:41234/"
        site.middle_url("ledger")        # the middle article of the ledger's chain
        ...
        site.publish_extra()             # the site "gains articles" (same ports)

Behaviour: ``/robots.txt`` allows everything; ``/a/b/`` serves ``a/b/index.html``;
``/a/b`` redirects (301) to ``/a/b/`` when that is a directory; the query string is
ignored (``?cpage=2`` serves the article itself); unknown paths get a 404 page; text
types carry ``charset=utf-8``; responses have an ETag and answer ``If-None-Match``
with 304. In ``.xml`` and ``.txt`` files (feeds, sitemaps, robots.txt) the placeholder
origin ``http://demo.invalid`` becomes the server's own origin. ``latency`` delays every response (seconds) to mimic a remote site.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import tempfile
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from crawler.demo.feeds import ORIGIN
from crawler.demo.generate import EXPECTED_PATH, ROBOTS_TXT, SITE_DIR, build_site

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
SHUTDOWN_POLL = 0.05  # seconds: how often a server checks for stop(); keeps stop() quick
TEXT_TYPES = {".html": "text/html", ".txt": "text/plain", ".xml": "application/xml",
              ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml"}
ORIGIN_SUFFIXES = {".xml", ".txt"}  # feeds, sitemaps, robots.txt: placeholder origin replaced
NOT_FOUND_HTML = (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title>"
                  b"</head><body><h1>Not Found</h1><p>No page at this address.</p></body></html>\n")


class _PublisherServer(ThreadingHTTPServer):
    """One publisher's origin. ``root`` and ``overlay`` may change while it runs."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, root: Path, latency: float) -> None:
        super().__init__((HOST, port), _Handler)
        self.root = root
        self.latency = latency
        self.overlay: dict[str, tuple[bytes, str]] = {}  # path -> (body, content type)
        self.lock = threading.Lock()


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_TYPES:
        kind = TEXT_TYPES[suffix]
        return kind if kind.startswith("image/") else f"{kind}; charset=utf-8"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server: _PublisherServer
    protocol_version = "HTTP/1.1"
    server_version = "newscrawl-demo/1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        logger.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(send_body=True)

    def _respond(self, *, send_body: bool) -> None:
        if self.server.latency:
            time.sleep(self.server.latency)
        path = unquote(urlsplit(self.path).path) or "/"
        found = self._lookup(path)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, NOT_FOUND_HTML, "text/html; charset=utf-8", send_body)
        elif isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body, content_type = found
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            if etag in (self.headers.get("If-None-Match") or ""):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._send(HTTPStatus.OK, body, content_type, send_body, etag=etag)

    def _lookup(self, path: str) -> tuple[bytes, str] | str | None:
        """(body, type) for a page, a redirect target for a directory without "/", or None."""
        with self.server.lock:
            if path in self.server.overlay:
                return self.server.overlay[path]
            root = self.server.root
        if ".." in path.split("/"):
            return None
        target = root / path.lstrip("/")
        if target.is_dir():
            if not path.endswith("/"):
                return path + "/"
            target = target / "index.html"
        if target.is_file():
            body = target.read_bytes()
            if target.suffix in ORIGIN_SUFFIXES:
                body = body.replace(ORIGIN.encode(), self._origin().encode())
            return body, _content_type(target)
        if path == "/robots.txt":
            return ROBOTS_TXT.encode(), "text/plain; charset=utf-8"
        return None

    def _origin(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}"

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool,
              *, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Date", formatdate(usegmt=True))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class DemoSite:
    """The demo publishers, each served on its own 127.0.0.1 port while started.

    site_dir: a built site (one sub-directory per publisher); default the committed build,
    or a fresh build in a temporary directory when extra is true (the site with the
    articles marked ``extra``). expected: that build's ground truth (expected.json).
    ports: fixed ports per publisher key (0 or missing = a free port).
    """

    def __init__(self, site_dir: Path | str | None = None, *, extra: bool = False,
                 expected: Path | str | None = None, ports: dict[str, int] | None = None,
                 latency: float = 0.0) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None  # holds the extra build
        self._extra: tuple[Path, dict[str, Any]] | None = None
        self._ports = dict(ports or {})
        self._latency = latency
        self._servers: dict[str, _PublisherServer] = {}
        self._threads: list[threading.Thread] = []
        if extra:
            self.site_dir, self.expected = self._build_extra()
        else:
            self.site_dir = Path(site_dir) if site_dir is not None else SITE_DIR
            self.expected = _load_expected(self.site_dir, expected)

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> DemoSite:
        if self._servers:
            return self
        if self._tmp is None and self._extra is not None:  # restarted after stop(): build again
            self._extra = None
            self._switch(*self._build_extra())
        for key in self.publishers:
            server = _PublisherServer(self._ports.get(key, 0), self.site_dir / key, self._latency)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL},
                                      name=f"demo-{key}", daemon=True)
            thread.start()
            self._servers[key] = server
            self._threads.append(thread)
            logger.info("demo site %s on %s", key, self.base_url(key))
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------
    @property
    def publishers(self) -> list[str]:
        return [p["key"] for p in self.expected["publishers"]]

    def port(self, publisher: str) -> int:
        return self._server(publisher).server_address[1]

    def base_url(self, publisher: str) -> str:
        return f"http://{HOST}:{self.port(publisher)}/"

    def url(self, publisher: str, path: str) -> str:
        return urljoin(self.base_url(publisher), path)

    def chain_urls(self, publisher: str) -> list[str]:
        """The publisher's article URLs in chain order, oldest first."""
        return [self.url(publisher, path) for path in self._publisher(publisher)["chain"]]

    def middle_url(self, publisher: str) -> str:
        return self.url(publisher, self._publisher(publisher)["middle"])

    def articles(self, publisher: str | None = None) -> list[dict[str, Any]]:
        """expected.json entries of the articles served (of one publisher, if given)."""
        return [a for a in self.expected["articles"] if publisher in (None, a["publisher"])]

    # --- changing the site while it runs -------------------------------------------------------
    def add_page(self, publisher: str, path: str, body: str | bytes,
                 content_type: str = "text/html; charset=utf-8") -> str:
        """Serve body at path (overrides the file there, if any); returns the page's URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        server = self._server(publisher)
        with server.lock:
            server.overlay[path] = (data, content_type)
        return self.url(publisher, path)

    def remove_page(self, publisher: str, path: str) -> None:
        server = self._server(publisher)
        with server.lock:
            server.overlay.pop(path, None)

    def serve_directory(self, site_dir: Path | str, expected: Path | str | None = None) -> None:
        """Serve another build from now on, on the same ports (SITE_DIR goes back to the base)."""
        site_dir = Path(site_dir)
        self._switch(site_dir, _load_expected(site_dir, expected))

    def publish_extra(self) -> None:
        """The site gains the articles marked ``extra`` (same ports, same URLs for the rest)."""
        self._switch(*self._build_extra())

    # --- helpers -------------------------------------------------------------------------------
    def _switch(self, site_dir: Path, expected: dict[str, Any]) -> None:
        self.site_dir, self.expected = site_dir, expected
        for key, server in self._servers.items():
            with server.lock:
                server.root = site_dir / key

    def _build_extra(self) -> tuple[Path, dict[str, Any]]:
        """The site with its extra articles, built once into a temporary directory."""
        if self._extra is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="newscrawl-demo-")
            site_dir = Path(self._tmp.name) / "extra"
            self._extra = (site_dir, build_site(site_dir, extra=True))
        return self._extra

    def _server(self, publisher: str) -> _PublisherServer:
        try:
            return self._servers[publisher]
        except KeyError:
            state = "unknown publisher" if publisher not in self.publishers else "site not started"
            raise KeyError(f"{publisher!r}: {state}") from None

    def _publisher(self, publisher: str) -> dict[str, Any]:
        for entry in self.expected["publishers"]:
            if entry["key"] == publisher:
                return entry
        raise KeyError(f"unknown publisher {publisher!r}")


def _load_expected(site_dir: Path, expected: Path | str | None) -> dict[str, Any]:
    if expected is None:
        inside = site_dir / "expected.json"
        expected = inside if inside.exists() or site_dir != SITE_DIR else EXPECTED_PATH
    return json.loads(Path(expected).read_text(encoding="utf-8"))
