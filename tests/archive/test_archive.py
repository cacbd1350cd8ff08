"""The WARC archive: files any WARC reader can read, rotation, a killed writer's partial record,
the crawl's middleware and its index (one page read back by offset, without scanning)."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warc import Exchange, Response, Unreadable, WarcFileWriter, read_responses
from crawler.middlewares.archive import ArchiveMiddleware
from crawler.storage import open_database
from crawler.storage.archive import ArchiveIndex
from tests.pipelines.helpers import make_crawler

WHEN = datetime(2025, 9, 11, 8, 30, tzinfo=UTC)


def _exchange(index: int, size: int = 300) -> Exchange:
    body = (f"<html><body><p>Article {index}</p>" + "text " * size + "</body></html>").encode()
    return Exchange(url=f"https://news.example/{index}.html", method="GET", request_headers=[("User-Agent", "t")],
                    status=200, reason="OK", response_headers=[("Content-Type", "text/html; charset=utf-8")],
                    body=body, fetched_at=WHEN)


def test_records_are_standard_warc_rotated_by_size_and_readable_by_offset(tmp_path: Path):
    writer = WarcFileWriter(tmp_path, "newscrawl-run7", max_bytes=1500)
    written = [writer.write(_exchange(index)) for index in range(6)]
    writer.close()
    assert len(writer.files) > 1 and all(name.startswith("newscrawl-run7-") for name in writer.files)
    with open(tmp_path / writer.files[0], "rb") as fh:  # warcio, the reference reader, sees every record type
        records = list((r.rec_type, r.rec_headers.get_header("WARC-Payload-Digest")) for r in ArchiveIterator(fh))
    assert [kind for kind, _ in records][:3] == ["warcinfo", "request", "response"]
    assert records[2][1] == written[0].payload_digest
    for index, where in enumerate(written):
        with open(tmp_path / where.file, "rb") as fh:
            fh.seek(where.offset)
            member = fh.read(where.length)
        assert gzip.decompress(member).startswith(b"WARC/1.1\r\nWARC-Type: response")
        [response] = list(read_responses(io.BytesIO(member)))
        assert isinstance(response, Response) and response.body == _exchange(index).body
        assert response.url == f"https://news.example/{index}.html" and response.fetched_at == WHEN


def test_a_writer_killed_mid_record_leaves_a_readable_file(tmp_path: Path):
    writer = WarcFileWriter(tmp_path, "run", max_bytes=10**9)
    for index in range(3):
        writer.write(_exchange(index))
    writer.close()
    path = tmp_path / writer.files[0]
    path.write_bytes(path.read_bytes()[:-50])  # the last record cut short, as by SIGKILL during the write
    results = list(read_responses(path))
    assert [r.url for r in results if isinstance(r, Response)] == ["https://news.example/0.html",
                                                                      "https://news.example/1.html"]
    assert isinstance(results[-1], Unreadable) and results[-1].reason == "truncated"


def _response(url: str, body: bytes) -> HtmlResponse:
    request = Request(url)
    return HtmlResponse(url=url, body=body, request=request, headers={"Content-Type": "text/html; charset=utf-8"})


def test_the_middleware_archives_each_response_and_indexes_it(tmp_path: Path):
    db_path = tmp_path / "news.db"
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path))
    crawler.stats.set_value("newscrawl/run_id", 3)
    middleware = ArchiveMiddleware.from_crawler(crawler)
    bodies = {f"https://news.example/{i}.html": _exchange(i).body for i in range(3)}
    for url, body in bodies.items():
        response = _response(url, body)
        assert middleware.process_response(response.request, response) is response
    middleware.spider_closed()
    index = ArchiveIndex(open_database(db_path))
    assert index.totals().records == 3
    found = index.latest(["https://news.example/1.html"])
    assert found is not None and found.run_id == 3 and found.file.startswith("newscrawl-run3-")
    with open(tmp_path / "warc" / found.file, "rb") as fh:
        fh.seek(found.offset)
        [response] = list(read_responses(io.BytesIO(fh.read(found.length))))
    assert response.body == bodies["https://news.example/1.html"]
    assert crawler.stats.get_value("newscrawl/archive/records") == 3


def test_one_setting_switches_the_archive_off(tmp_path: Path):
    with pytest.raises(NotConfigured):
        ArchiveMiddleware.from_crawler(make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"), NEWSCRAWL_ARCHIVE=False))
