"""A static file server that answers every request after a fixed delay (asyncio, 127.0.0.1).

    python -m bench.scale.slowserver ROOT --port P --delay 0.05

Like a remote site: the crawl waits on the network, not on the server's CPU. HTTP/1.1
keep-alive, GET and HEAD, files only under ROOT (``/dir/`` serves ``dir/index.html``).
"""

from __future__ import annotations

import argparse
import asyncio
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit


class SlowStaticServer:
    def __init__(self, root: Path, delay: float) -> None:
        self.root = root.resolve()
        self.delay = delay
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


async def serve(root: Path, port: int, delay: float) -> None:
    server = await asyncio.start_server(SlowStaticServer(root, delay).handle, "127.0.0.1", port, backlog=1024)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(serve(args.root, args.port, args.delay))


if __name__ == "__main__":
    main()
