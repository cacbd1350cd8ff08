"""Records other tools write oddly, read as warcio reads them, with what was odd logged by file and offset.

An uncompressed WARC whose record's Content-Length is short (no blank line after it), and a
WARC-Target-URI or an ARC record's URL with spaces in it (warcio percent-encodes them; its own
warning named no file).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from warcio.recordloader import ArcWarcRecordLoader

from crawler.archive.warc import Response, read_responses

BODY = b"<html><body>" + b"<p>A paragraph about the harbour council's vote on the budget.</p>" * 12 + b"</body></html>"


def _record(uri: str, *, short_by: int = 0) -> bytes:
    """An uncompressed response record whose Content-Length is ``short_by`` bytes short."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-09-11T08:30:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{len(uri):08d}-0000-0000-0000-000000000000>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http) - short_by}\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n"


@pytest.fixture
def odd_warc(tmp_path: Path) -> Path:
    path = tmp_path / "odd.warc"
    path.write_bytes(_record("http://news.test/a b.html") + _record("http://news.test/short.html", short_by=10)
                     + _record("http://news.test/after.html"))  # fmt: skip
    return path


def test_a_uri_with_spaces_is_named_with_its_file_and_offset(odd_warc: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        responses = list(read_responses(odd_warc))
    assert responses[0].url == "http://news.test/a%20b.html"  # type: ignore[union-attr]
    assert not [record for record in caplog.records if record.name.startswith("warcio")]
    [spaces] = [record.getMessage() for record in caplog.records if "has spaces in its URL" in record.getMessage()]
    assert spaces.startswith(f"{odd_warc}: the record at offset 0 ") and "http://news.test/a b.html" in spaces


def _arc(uri: str) -> bytes:
    """A version 1 ARC file: its filedesc record, then one response record whose URL is ``uri``."""
    spec = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + BODY
    return (f"filedesc://test.arc 127.0.0.1 20250911083000 text/plain {len(spec)}\n".encode() + spec + b"\n"
            + f"{uri} 127.0.0.1 20250911083000 text/html {len(http)}\n".encode() + http + b"\n")


def test_an_arc_url_with_spaces_is_not_called_a_warc_target_uri(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """An ARC file has no WARC-Target-URI header: the warning said it had one with spaces."""
    path = tmp_path / "odd.arc"
    path.write_bytes(_arc("http://news.test/a b.html"))
    with caplog.at_level(logging.WARNING):
        responses = list(read_responses(path))
    assert [response.url for response in responses] == ["http://news.test/a%20b.html"]  # type: ignore[union-attr]
    assert responses[0].body.endswith(BODY)  # type: ignore[union-attr]
    [spaces] = [record.getMessage() for record in caplog.records if "spaces" in record.getMessage()]
    assert "WARC-Target-URI" not in spaces and "has spaces in its URL (http://news.test/a b.html)" in spaces


def test_warcio_private_ensure_target_uri_format_is_the_hook() -> None:
    """The one place that depends on warcio's private ``ArcWarcRecordLoader._ensure_target_uri_format``
    (crawler/archive/warc.py's ``_UriRepairingLoader``; warcio has no public hook): warcio 1.8 calls it
    with a record's headers and logs "Replacing spaces in invalid WARC-Target-URI" itself. A warcio that
    renames it or stops calling it fails here, and warcio's own unnamed warning would be back."""
    assert callable(getattr(ArcWarcRecordLoader, "_ensure_target_uri_format", None))
    calls: list[str] = []

    class Watching(ArcWarcRecordLoader):  # type: ignore[misc]
        def _ensure_target_uri_format(self, rec_headers):  # type: ignore[no-untyped-def]
            calls.append(rec_headers.get_header("WARC-Target-URI"))
            return super()._ensure_target_uri_format(rec_headers)

    from io import BytesIO

    from warcio.bufferedreaders import DecompressingBufferedReader

    Watching().parse_record_stream(DecompressingBufferedReader(BytesIO(_record("http://news.test/a b.html"))))
    assert calls == ["http://news.test/a b.html"]


def test_the_record_after_one_with_a_short_length_keeps_its_body(odd_warc: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Reporting the misplaced record once asked warcio for the next record's offset before its
    body was read, which read that body to its end: the page after it came out empty."""
    with caplog.at_level(logging.WARNING):
        responses = list(read_responses(odd_warc))
    assert all(isinstance(response, Response) for response in responses)
    after = responses[-1]
    assert after.url == "http://news.test/after.html" and after.body.endswith(BODY)  # type: ignore[union-attr]
    [misplaced] = [record.getMessage() for record in caplog.records if "blank line" in record.getMessage()]
    assert f"before offset {after.offset} " in misplaced  # type: ignore[union-attr]
