"""WARC bytes against the raw bytes fetched, and the writer's CPU, for each way of gzipping a record, on a WARC's own exchanges.

    python -m bench.archive.warcbytes [WARC ...]   # default: ../shared/datasets/warc-samples/fundus-dev-pages.warc.gz

Reads each response record of the files (with the request record that names it in
WARC-Concurrent-To, when there is one: a crawl's own archive has them) and writes the same
exchanges again with the archive's writer (``crawler.archive.warc.WarcFileWriter``), each
record gzipped by libdeflate at levels 1, 6 and 9, by ISA-L at levels 1 and 3, by zlib at
level 6, then as shipped (``crawler.archive.warc.gzip_record``: libdeflate's level 6 for
responses under ``SMALL_RECORD`` bytes, ISA-L's level 1 for the rest): bytes written / payload
bytes (the bodies as fetched, the issue's "raw bytes fetched"), split into request and response
records, and the writer's CPU per exchange (process time, so the machine's load matters less
than for wall time). Target (issue 13): WARC bytes <= 0.4x the raw bytes fetched.
"""

from __future__ import annotations

import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import deflate
from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator

import crawler.archive.warc as warc
from crawler.archive.warc import Exchange, WarcFileWriter

DEFAULT = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "warc-samples" / "fundus-dev-pages.warc.gz"
_ADDED = frozenset({"content-length"})  # the writer adds Content-Length for the decoded body


def exchanges(path: Path) -> list[Exchange]:
    """The file's responses as the crawl handed them to the writer (request headers when archived)."""
    requests: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    found: list[Exchange] = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream, check_digests=False):
            if record.rec_type == "request" and record.http_headers is not None:
                method = (record.http_headers.protocol or "GET").split()[0]
                requests[record.rec_headers.get_header("WARC-Concurrent-To") or ""] = (
                    method, list(record.http_headers.headers))
            elif record.rec_type == "response" and record.http_headers is not None:
                method, sent = requests.pop(record.rec_headers.get_header("WARC-Record-ID") or "", ("GET", []))
                status_line = record.http_headers.statusline or "200 OK"
                status, _, reason = status_line.partition(" ")
                found.append(Exchange(
                    url=record.rec_headers.get_header("WARC-Target-URI") or "", method=method, request_headers=sent,
                    status=int(status) if status.isdigit() else 200, reason=reason,
                    response_headers=[(n, v) for n, v in record.http_headers.headers if n.lower() not in _ADDED],
                    body=record.content_stream().read(),
                    fetched_at=warc._date(record.rec_headers.get_header("WARC-Date")) or warc.datetime.now(warc.UTC),
                ))  # fmt: skip
    return found


def _one_way(compress: Callable[[bytes], bytes]) -> Callable[..., bytes]:
    return lambda data, *, block_bytes, request: compress(data)


WAYS: list[tuple[str, Callable[..., bytes]]] = [
    *((f"libdeflate {level} everywhere", _one_way(lambda data, level=level: bytes(deflate.gzip_compress(data, level))))
      for level in (1, 6, 9)),
    *((f"ISA-L {level} everywhere", _one_way(lambda data, level=level: isal_zlib.compress(data, level, 31)))
      for level in (1, 3)),
    ("zlib 6 everywhere", _one_way(lambda data: zlib.compress(data, 6, wbits=31))),
    ("shipped (gzip_record)", warc.gzip_record),
]


def measure(pages: list[Exchange], gzip: Callable[..., bytes], folder: Path) -> tuple[int, int, float]:
    """(request bytes, response bytes, CPU seconds) of writing ``pages`` with records gzipped by ``gzip``."""
    writer = WarcFileWriter(folder, f"way{len(list(folder.iterdir()))}", max_bytes=10**12, gzip=gzip)
    responses = 0
    started = time.process_time()
    for page in pages:
        responses += writer.write(page).length
    cpu = time.process_time() - started
    writer.close()
    total = sum((folder / name).stat().st_size for name in writer.files)
    return total - responses, responses, cpu


def main() -> None:
    paths = [Path(arg) for arg in sys.argv[1:]] or [DEFAULT]
    pages = [page for path in paths for page in exchanges(path)]
    payload = sum(len(page.body) for page in pages)
    with_request = sum(1 for page in pages if page.request_headers)
    print(f"{len(pages)} exchanges ({with_request} with their request headers) from {', '.join(p.name for p in paths)};"
          f" {payload / len(pages) / 1000:.1f} KB of payload each, {payload / 1e6:.1f} MB in all")
    print("| gzip | WARC bytes / payload | request records (and warcinfo) | response records | writer CPU ms / exchange |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, gzip in WAYS:
            requests, responses, cpu = measure(pages, gzip, Path(folder))
            print(f"| {name} | {(requests + responses) / payload:.3f}x | {requests / payload:.3f}x |"
                  f" {responses / payload:.3f}x | {1000 * cpu / len(pages):.2f} |")


if __name__ == "__main__":
    main()
