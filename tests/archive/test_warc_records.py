"""The archive's own WARC records: read back by two readers with both digests checked, their ids and
digests in the standard's forms, and the crawl's middleware writing responses a batch at a time
(a worker's each as it comes), never indexing a record that is not in its file."""

from __future__ import annotations

import base64
import gzip
import hashlib
import uuid
import zlib
from pathlib import Path

import fastwarc.warc as fastwarc
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

import crawler.middlewares.archive as archive_middleware
from crawler.archive.warc import SMALL_RECORD, Exchange, WarcFileWriter, _base32, _record_id, read_archived
from crawler.distributed.archive import WorkerArchiveMiddleware
from crawler.middlewares.archive import ArchiveMiddleware
from crawler.storage import open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from tests.archive.test_archive import WHEN, _exchange
from tests.pipelines.helpers import make_crawler


def _written_file(tmp_path: Path, exchanges: list[Exchange]) -> Path:
    writer = WarcFileWriter(tmp_path, "run", max_bytes=10**9)
    for exchange in exchanges:
        writer.write(exchange)
    writer.close()
    [name] = writer.files
    return tmp_path / name


def test_small_and_large_records_read_back_by_warcio_and_fastwarc_with_both_digests_checked(tmp_path: Path):
    large = _exchange(2, size=SMALL_RECORD // 4)  # a record past SMALL_RECORD: the other compressor
    assert len(large.body) > SMALL_RECORD
    path = _written_file(tmp_path, [_exchange(0), _exchange(1, size=5), large])
    with open(path, "rb") as fh:  # a digest that does not match raises
        records = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(fh, check_digests="raise")]
    assert [kind for kind, _ in records] == ["warcinfo"] + ["request", "response"] * 3
    assert records[-1][1] == large.body
    with open(path, "rb") as fh:
        blocks = [(r.record_type, r.verify_block_digest()) for r in fastwarc.ArchiveIterator(fh, parse_http=False)]
    assert len(blocks) == 7 and all(verified for _, verified in blocks)
    with open(path, "rb") as fh:
        payloads = [r.verify_payload_digest() for r in fastwarc.ArchiveIterator(fh, parse_http=True)
                    if r.record_type == fastwarc.WarcRecordType.response]
    assert payloads == [True, True, True]


def test_each_record_is_its_own_gzip_member(tmp_path: Path):
    data = _written_file(tmp_path, [_exchange(0), _exchange(1, size=SMALL_RECORD // 4)]).read_bytes()
    members = []
    while data:
        decompressor = zlib.decompressobj(31)
        members.append(decompressor.decompress(data))
        assert decompressor.eof
        data = decompressor.unused_data
    assert [member.split(b"\r\n")[1] for member in members] == [b"WARC-Type: warcinfo"] + [
        b"WARC-Type: request", b"WARC-Type: response"] * 2


def test_record_ids_are_random_uuid_urns():
    ids = {_record_id() for _ in range(1000)}
    assert len(ids) == 1000
    for record_id in list(ids)[:50]:
        assert record_id.startswith("<urn:uuid:") and record_id.endswith(">")
        parsed = uuid.UUID(record_id[len("<urn:uuid:"):-1])
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


@given(st.binary(min_size=20, max_size=20))
def test_digests_are_the_standard_base32(digest: bytes):
    assert _base32(digest) == base64.b32encode(digest).decode("ascii")


def test_a_url_with_a_line_break_stays_one_header_line(tmp_path: Path):
    exchange = _exchange(0)
    odd = Exchange(url="https://news.example/a\r\nWARC-Type:%20metadata", method="GET", request_headers=[],
                   status=200, reason="OK", response_headers=[], body=exchange.body, fetched_at=WHEN)
    path = _written_file(tmp_path, [odd])
    with open(path, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert records[1:] == [("request", "https://news.example/a%0D%0AWARC-Type:%20metadata"),
                           ("response", "https://news.example/a%0D%0AWARC-Type:%20metadata")]


def _response(index: int, size: int = 300) -> HtmlResponse:
    url = f"https://news.example/{index}.html"
    return HtmlResponse(url=url, body=_exchange(index, size).body, request=Request(url),
                        headers={"Content-Type": "text/html; charset=utf-8"})


def _indexed_records_read_back(db_path: Path, folder: Path) -> list[str]:
    index = ArchiveIndex(open_database(db_path))
    urls = []
    for (url,) in index.db.execute("SELECT url FROM archive_records ORDER BY id"):
        found = index.latest([url])
        assert found is not None
        response = read_archived(folder, found.file, found.offset, found.length)
        assert response is not None and response.url == url and response.body == _exchange(int(url[21:-5])).body
        urls.append(url)
    return urls


def test_the_crawls_middleware_writes_a_batch_at_a_time_and_the_rest_when_the_spider_closes(tmp_path: Path,
                                                                                            monkeypatch):
    monkeypatch.setattr(archive_middleware, "INDEX_BATCH", 1)  # every written record indexed at once
    db_path = tmp_path / "news.db"
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path))
    crawler.stats.set_value("newscrawl/run_id", 1)
    middleware = ArchiveMiddleware.from_crawler(crawler)
    batch = middleware.write_batch
    assert batch > 1
    for index in range(batch - 1):
        response = _response(index)
        assert middleware.process_response(response.request, response) is response
    assert not (tmp_path / "warc").exists()  # waiting: nothing written, nothing indexed
    for index in range(batch - 1, batch + 2):
        response = _response(index)
        middleware.process_response(response.request, response)
    assert crawler.stats.get_value("newscrawl/archive/records") == batch
    assert len(_indexed_records_read_back(db_path, tmp_path / "warc")) == batch  # what is indexed is in the file
    middleware.spider_closed()
    assert _indexed_records_read_back(db_path, tmp_path / "warc") == [
        f"https://news.example/{index}.html" for index in range(batch + 2)]


def test_large_bodies_are_written_before_the_batch_is_full(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(archive_middleware, "WRITE_BATCH_BYTES", 4000)
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(tmp_path / "news.db"))
    middleware = ArchiveMiddleware.from_crawler(crawler)
    response = _response(0, size=1000)  # 5 KB
    middleware.process_response(response.request, response)
    assert crawler.stats.get_value("newscrawl/archive/records") == 1 and not middleware.waiting
    middleware.spider_closed()


class _Rows:
    def __init__(self) -> None:
        self.rows: list[ArchivedResponse] = []

    def add(self, record: ArchivedResponse) -> None:
        self.rows.append(record)

    def close(self) -> None:
        pass


def test_a_worker_writes_each_response_before_its_row_leaves(tmp_path: Path):
    rows = _Rows()
    middleware = WorkerArchiveMiddleware(make_crawler(), folder=tmp_path, max_bytes=10**9, sink=rows,
                                         prefix="newscrawl-worker-h-1")
    for index in range(3):
        response = _response(index)
        middleware.process_response(response.request, response)
        [row] = rows.rows[index:]  # at once: the row goes to Redis before the page's article
        assert read_archived(tmp_path, row.file, row.offset, row.length).body == response.body
    middleware.spider_closed()


@pytest.mark.parametrize("size", [5, 300, SMALL_RECORD // 4])
def test_the_payload_digest_is_the_bodys_sha1(tmp_path: Path, size: int):
    writer = WarcFileWriter(tmp_path, "run", max_bytes=10**9)
    exchange = _exchange(0, size=size)
    written = writer.write(exchange)
    writer.close()
    expected = "sha1:" + base64.b32encode(hashlib.sha1(exchange.body).digest()).decode()
    assert written.payload_digest == expected
    member = (tmp_path / written.file).read_bytes()[written.offset:written.offset + written.length]
    assert f"WARC-Payload-Digest: {expected}\r\n".encode() in gzip.decompress(member)
