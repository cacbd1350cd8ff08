"""WARC files (ISO 28500, WARC/1.1): writing fetched exchanges, reading response records back.

Libraries (measured here on 600 real news pages, docs/benchmarks.md "WARC libraries"):
FastWARC writes (a response record at gzip level 1 in 1.4 ms of CPU, warcio's writer with the
same level 3.8 ms; the crawl pays this on every page); warcio reads. FastWARC reads faster
(0.44 against 1.1 ms a record) but its 2.0 release panics on a stream that cannot seek
(standard input) and does not read ARC files; warcio streams anything, reads ARC, and its
errors are exceptions, so a bad file is counted, never a crash.

Writing (``WarcFileWriter``): each exchange becomes a ``request`` and a ``response`` record
(WARC-Date, WARC-Target-URI, WARC-Payload-Digest and WARC-Block-Digest in SHA-1, the
request's WARC-Concurrent-To naming the response), each record its own gzip member (level 6
under ``SMALL_RECORD``, 1 above: ``gzip_level``), written
to the file with one unbuffered ``write``. A process killed mid-write leaves at most a
partial last member, which a reader detects and skips; everything before it stays
readable. Files rotate by size and never span runs.

Reading (``read_responses``): the response records of a file or stream, one at a time
(memory stays flat), each with its offset; a record that cannot be read is reported with
its reason and the rest of the file is still read where the format allows.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import zlib
from base64 import b32encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import fastwarc.stream_io as fastwarc_io
import fastwarc.warc as fastwarc
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

logger = logging.getLogger(__name__)

SOFTWARE = "newscrawl"
GZIP_LEVEL = 1  # records of SMALL_RECORD bytes and more: fastest, 0.28x the raw bytes on news pages (docs/benchmarks.md)
GZIP_LEVEL_SMALL = 6  # smaller records (requests, small pages): level 1 leaves them at 0.45x, 6 at 0.34x
SMALL_RECORD = 64 * 1024  # bytes of a record's block (its HTTP message) under which GZIP_LEVEL_SMALL is used


@dataclass(frozen=True, slots=True)
class Exchange:
    """One fetch as the archive keeps it."""

    url: str  # the URL that answered
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes  # as delivered to the parser (decompressed)
    fetched_at: datetime  # aware UTC


@dataclass(frozen=True, slots=True)
class Written:
    """Where a response record landed."""

    file: str  # the file's name inside the archive folder
    offset: int  # of the response record's gzip member
    length: int  # of that member, in bytes
    record_id: str
    payload_digest: str  # "sha1:BASE32"


def _digest(data: bytes) -> tuple[bytes, str]:
    raw = hashlib.sha1(data).digest()
    return raw, "sha1:" + b32encode(raw).decode("ascii")


def _http_response(exchange: Exchange) -> bytes:
    lines = [f"HTTP/1.1 {exchange.status} {exchange.reason or 'OK'}"]
    lines += [f"{name}: {value}" for name, value in exchange.response_headers]
    lines.append(f"Content-Length: {len(exchange.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + exchange.body


def _http_request(exchange: Exchange) -> bytes:
    target = exchange.url.split("/", 3)[3] if exchange.url.count("/") >= 3 else ""
    lines = [f"{exchange.method} /{target} HTTP/1.1"]
    lines += [f"{name}: {value}" for name, value in exchange.request_headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def gzip_level(block_bytes: int) -> int:
    """The gzip level of a record whose block is ``block_bytes`` long. A record's WARC and HTTP
    headers do not shrink with its body, and level 1 (FastWARC's quick deflate) compresses a
    small block poorly, so small records get level 6, whose extra CPU grows with the size;
    large ones level 1, which already leaves real news pages at 0.28x."""
    return GZIP_LEVEL_SMALL if block_bytes < SMALL_RECORD else GZIP_LEVEL


def _member(record: fastwarc.WarcRecord, *, payload_digest: bytes | None = None) -> bytes:
    """The record as one gzip member."""
    buffer = io.BytesIO()
    gzip = fastwarc_io.GzipWriter(buffer, compression_level=gzip_level(record.content_length))
    if payload_digest is None:
        record.write(gzip, checksum_data=True)
    else:
        record.write(gzip, checksum_data=True, payload_digest=payload_digest)
    gzip.finish()
    return buffer.getvalue()


def _record(kind: fastwarc.WarcRecordType, url: str, date: str, content: bytes, content_type: str) -> fastwarc.WarcRecord:
    record = fastwarc.WarcRecord()
    record.init_headers(kind)
    record.headers["WARC-Date"] = date
    if url:
        record.headers["WARC-Target-URI"] = url
    record.headers["Content-Type"] = content_type
    record.set_bytes_content(content)
    return record


@dataclass(slots=True)
class WarcFileWriter:
    """Appends exchanges to ``<prefix>-<NNNNN>.warc.gz`` files in ``folder``, a new file past ``max_bytes``."""

    folder: Path
    prefix: str  # e.g. "newscrawl-run42": files never span runs
    max_bytes: int
    _fd: int | None = None
    _name: str = ""
    _size: int = 0
    _number: int = 0
    files: list[str] = field(default_factory=list)

    def write(self, exchange: Exchange) -> Written:
        if self._fd is None or self._size >= self.max_bytes:
            self._open_next()
        date = exchange.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        raw_digest, payload_digest = _digest(exchange.body)
        response = _record(fastwarc.WarcRecordType.response, exchange.url, date, _http_response(exchange),
                           "application/http; msgtype=response")
        request = _record(fastwarc.WarcRecordType.request, exchange.url, date, _http_request(exchange),
                          "application/http; msgtype=request")
        request.headers["WARC-Concurrent-To"] = response.record_id
        request_member = _member(request)
        response_member = _member(response, payload_digest=raw_digest)
        start = self._append(request_member + response_member)
        return Written(self._name, start + len(request_member), len(response_member), response.record_id,
                       payload_digest)

    def _append(self, data: bytes) -> int:
        """Write ``data`` at the end of the file in one call; returns where it starts."""
        start = self._size
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)  # type: ignore[arg-type]
            view = view[written:]
        self._size += len(data)
        return start

    def _open_next(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            self._number += 1
            name = f"{self.prefix}-{self._number:05d}.warc.gz"
            try:
                self._fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
                break
            except FileExistsError:  # a file of an earlier writer with the same prefix: never appended to
                continue
        self._name, self._size = name, 0
        self.files.append(name)
        info = _record(fastwarc.WarcRecordType.warcinfo, "", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       f"software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\n".encode(), "application/warc-fields")
        info.headers["WARC-Filename"] = name
        self._append(_member(info))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# --- reading -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Response:
    """One response record read back."""

    url: str
    fetched_at: datetime | None  # WARC-Date
    status: int
    content_type: str | None  # the HTTP Content-Type header
    body: bytes  # transfer and content encodings undone
    offset: int  # of the record in the file


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record (or the rest of a file) that could not be read, and why."""

    reason: str  # stable code: truncated, not_warc, bad_record, too_large, empty
    detail: str


def read_responses(source: str | Path | BinaryIO, *, max_body: int = 0) -> Iterator[Response | Unreadable]:
    """The response records of a WARC (or ARC) file, gzipped or not, or of a stream, one at a time.

    Records of other types (request, warcinfo, metadata, ...) are passed over. A record that
    cannot be read is yielded as ``Unreadable`` with its reason; reading goes on when the
    format allows it, and stops at a truncated end or at bytes that are no archive. A body
    longer than ``max_body`` bytes once decoded (0: no limit) is not read into memory: its
    record comes as ``Unreadable("too_large")`` and reading goes on (a 300 MB video record
    took 700 MB of memory before, a gzip bomb any amount).
    """
    stream: BinaryIO = open(source, "rb") if isinstance(source, (str, Path)) else source
    read_any = False
    try:
        records = _QuietArchiveIterator(stream, arc2warc=True, check_digests=False)
        while True:
            try:
                record = next(records)
                records.report(source)
                if not read_any and _not_an_archive(record):
                    yield Unreadable("not_warc", NOT_WARC)
                    return
                read_any = True
                if record.rec_type != "response":
                    continue
                yield _response(record, records, max_body)
            except StopIteration:
                records.report(source)
                if not read_any:  # a 0-byte file, a gzip of nothing: a download that failed is no success
                    yield Unreadable("empty", EMPTY)
                return
            except ArchiveLoadFailed as exc:
                reason = _load_failure(str(exc))
                if read_any and reason == "not_warc":
                    yield Unreadable("bad_record", NOT_A_RECORD.format(offset=records.offset))
                else:
                    yield Unreadable(reason, _FAILURE_DETAIL.get(reason) or _printable(str(exc)))
                return
            except (OSError, EOFError, zlib.error, ValueError) as exc:
                yield Unreadable("truncated", f"{type(exc).__name__}: {exc}"[:300])
                return
    finally:
        if isinstance(source, (str, Path)):
            stream.close()


NOT_WARC = ("not a WARC file (no WARC or ARC record where it starts): give WARC files (.warc, .warc.gz, .arc, "
            ".arc.gz) or folders of them")
NOT_A_RECORD = ("bytes that are no WARC record at offset {offset} (garbage after the last record, or a record cut "
                "short before it?): the records before that offset were read, nothing after it")
EMPTY = "empty: no WARC record in it (a download or a copy that did not finish?)"
_FAILURE_DETAIL = {  # warcio's own words echo the file's first line, bytes and all, or run over many lines
    "not_warc": NOT_WARC,
    "not_record_gzip": "gzipped as one stream, not one gzip member per record as WARC files are: "
                       "recompress it (`warcio recompress FILE NEW_FILE`) and import the new file",
}


def _printable(text: str) -> str:
    """One line of at most 300 printable characters (an error may quote a file's bytes)."""
    return "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))[:300]


class _UriRepairingLoader(ArcWarcRecordLoader):
    """warcio's record loader, which percent-encodes the spaces of a WARC-Target-URI as warcio
    does, but keeps the URI for the iterator to report with the file and offset instead of
    logging warcio's "Replacing spaces in invalid WARC-Target-URI", which names neither.

    It overrides warcio's private ``_ensure_target_uri_format`` (warcio has no public hook for
    it): tests/archive/test_odd_records.py::test_warcio_private_ensure_target_uri_format_is_the_hook
    fails when a warcio upgrade renames or stops calling it. ARC records pass through it too:
    ``arc2warc`` turns their URL line into a WARC-Target-URI first."""

    def __init__(self, *, arc2warc: bool) -> None:
        super().__init__(verify_http=False, arc2warc=arc2warc)  # ArchiveIterator's own verify_http default
        self.spaced_uris: list[str] = []

    def _ensure_target_uri_format(self, rec_headers: Any) -> str | None:
        uri = rec_headers.get_header("WARC-Target-URI")
        if uri is not None and " " in uri:  # encoded before warcio's check, so warcio finds no space to log
            self.spaced_uris.append(uri)
            rec_headers.replace_header("WARC-Target-URI", uri.replace(" ", "%20"))
        return super()._ensure_target_uri_format(rec_headers)  # type: ignore[no-any-return]


class _QuietArchiveIterator(ArchiveIterator):
    """warcio's iterator, whose warnings go to our log naming the file and the record's offset,
    once per record: a record not followed by a blank line (its Content-Length is likely wrong;
    warcio writes that to stderr over three lines) and a WARC-Target-URI with spaces."""

    INC_RECORD = ""  # warcio writes this to sys.stderr itself; it still counts the case in err_count

    def __init__(self, fileobj: BinaryIO, *, arc2warc: bool, check_digests: bool) -> None:
        super().__init__(fileobj, arc2warc=arc2warc, check_digests=check_digests)
        self.loader = _UriRepairingLoader(arc2warc=arc2warc)

    def report(self, source: Any) -> None:
        """Log what reading the record just returned (or the end of the file) met; call it
        before the record's body is read, while ``offset`` is still the record's own."""
        name = source if isinstance(source, (str, Path)) else "standard input"
        for uri in self.loader.spaced_uris:
            logger.warning("%s: the record at offset %s has spaces in its URL (%s); read with them as %%20",
                           name, self.offset, _printable(uri))  # an ARC record's URL line, or a WARC-Target-URI
        self.loader.spaced_uris.clear()
        if self.err_count > getattr(self, "_reported", 0):
            self._reported = self.err_count
            logger.warning("%s: a record before offset %s is not followed by a blank line (its Content-Length may "
                           "be wrong); reading goes on", name, self.offset)


def _not_an_archive(record: Any) -> bool:
    """A first 'record' made of plain text by warcio's lenient ARC reader: its URL is no URL at all."""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    return record.rec_type == "response" and "://" not in url and not url.startswith(("dns:", "filedesc:"))


def _load_failure(message: str) -> str:
    if "Unknown archive format" in message:
        return "not_warc"
    if "non-chunked gzip" in message:
        return "not_record_gzip"
    return "bad_record"


def _response(record: Any, records: ArchiveIterator, max_body: int) -> Response | Unreadable:
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if record.http_headers is None:
        return Unreadable("bad_record", f"{url or 'a response record'}: no HTTP response in the record")
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    # The body before the offset: asking for the offset first ends the record.
    body = record.content_stream().read(max_body + 1 if max_body else None)
    if max_body and len(body) > max_body:  # the iterator skips the rest in chunks
        return Unreadable("too_large", f"{url}: a body over {max_body:,} bytes (DOWNLOAD_MAXSIZE) is not read")
    missing = getattr(record.raw_stream, "limit", 0)  # block bytes the WARC header promised and the file lacks
    if missing:
        raise EOFError(f"{url}: the record ends {missing} bytes short of its Content-Length (a partial last record)")
    return Response(url=url, fetched_at=_date(record.rec_headers.get_header("WARC-Date")), status=status,
                    content_type=record.http_headers.get_header("Content-Type"), body=body,
                    offset=records.get_record_offset())


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_archived(folder: str | Path, file: str, offset: int, length: int) -> Response | None:
    """The one response record at ``offset`` of ``file`` in the archive folder (the index's
    ``crawler.storage.archive.ArchivedResponse``), or None when it cannot be read."""
    path = Path(folder) / file
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            member = fh.read(length)
    except OSError as exc:
        logger.warning("cannot read %s: %s", path, exc)
        return None
    for record in read_responses(io.BytesIO(member)):
        return record if isinstance(record, Response) else None
    return None
