"""Records other tools write oddly, read as warcio reads them, with what was odd logged by file and offset.

An uncompressed WARC whose record's Content-Length is short (no blank line after it), and a
WARC-Target-URI with spaces in it (warcio percent-encodes them; its own warning named no file).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

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
    [spaces] = [record.getMessage() for record in caplog.records if "has spaces in its WARC-Target-URI" in record.getMessage()]
    assert spaces.startswith(f"{odd_warc}: the record at offset 0 ") and "http://news.test/a b.html" in spaces


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
