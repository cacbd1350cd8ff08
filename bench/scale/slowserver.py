"""A static file server that answers every request after a fixed delay (asyncio, 127.0.0.1).

    python -m bench.scale.slowserver ROOT --port P --delay 0.05 [--log FILE]
    python -m bench.scale.slowserver ROOT1 ROOT2 --port P1 --port P2    # one site per port

Like a remote site: the crawl waits on the network, not on the server's CPU. HTTP/1.1
keep-alive, GET and HEAD, files only under ROOT (``/dir/`` serves ``dir/index.html``).
With ``--log``, every request's arrival is written as ``<port> <unix time> <path>``, so
the politeness a site saw can be measured where it matters: at the server.
"""

from __future__ import annotations

import argparse
import asyncio
import mimetypes
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


class SlowStaticServer:
    def __init__(self, root: Path, delay: float, *, port: int = 0, log: Any = None) -> None:
        self.root = root.resolve()
        self.delay = delay
        self.port, self.log = port, log
        self.served = 0

    def _file(self, target: str) -> Path | None:
        path = unquote(urlsplit(target).path)
        if path.endswith("/"):
            path += "index.html"
        candidate = (self.root / path.lstrip("/")).resolve()
        if self.root not in candidate.parents or not candidate.is_file():
            return None
        return candidate

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass  # headers: nothing in them changes the answer
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                if self.log is not None:
                    self.log.write(f"{self.port} {time.time():.6f} {target}\n")
                    self.log.flush()
                await asyncio.sleep(self.delay)
                found = self._file(target)
                if found is None:
                    status, body, kind = "404 Not Found", b"not found\n", "text/plain"
                else:
                    status, body = "200 OK", found.read_bytes()
                    kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    if kind.startswith("text/"):
                        kind += "; charset=utf-8"
                head = (f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                        "Connection: keep-alive\r\n\r\n").encode("latin-1")
                writer.write(head if method == "HEAD" else head + body)
                await writer.drain()
                self.served += 1
        except (ConnectionError, ValueError):
            pass
        finally:
            writer.close()


async def serve(sites: list[tuple[Path, int]], delay: float, log: Any = None) -> None:
    servers = [await asyncio.start_server(SlowStaticServer(root, delay, port=port, log=log).handle, "127.0.0.1",
                                          port, backlog=1024)
               for root, port in sites]
    await asyncio.gather(*(server.serve_forever() for server in servers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("roots", type=Path, nargs="+")
    parser.add_argument("--port", type=int, action="append", required=True, help="one per root, in order")
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--log", type=Path, help="append every request's arrival to this file")
    args = parser.parse_args()
    if len(args.port) != len(args.roots):
        parser.error("give one --port per root")
    log = args.log.open("a", encoding="utf-8") if args.log else None
    asyncio.run(serve(list(zip(args.roots, args.port)), args.delay, log))


if __name__ == "__main__":
    main()
