"""An HTTP server on 127.0.0.1 at a free port, served from a thread while a ``with`` block runs.

The local sites that tests and benchmarks crawl (``crawler.demo.chainsites``,
``tests/spider/site.py``, ``tests/incremental/newssite.py``) differ only in what their handler
answers; this is the rest.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LocalServer:
    """``handler`` served on 127.0.0.1 (a free port) inside ``with``; ``url(path)`` is an address on it."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
