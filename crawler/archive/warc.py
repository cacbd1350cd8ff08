"""WARC files (ISO 28500, WARC/1.1): writing fetched exchanges, reading response records back.

Libraries (measured on the bench site's and on real news pages, docs/benchmarks.md "WARC
libraries"): the records are written here, each compressed in one call by libdeflate or ISA-L
(``gzip_record``); warcio reads. FastWARC wrote them before (a gzip writer per record that took
fresh memory each time, 2-3x the CPU a page) and reads faster, but its 2.0 release panics on a
stream that cannot seek (standard input) and does not read ARC files; warcio streams anything,
reads ARC, and its errors are exceptions, so a bad file is counted, never a crash.

Writing (``WarcFileWriter``): each exchange becomes a ``request`` and a ``response`` record
(WARC-Date, WARC-Target-URI, WARC-Payload-Digest and WARC-Block-Digest in SHA-1, the
request's WARC-Concurrent-To naming the response; the header fields in FastWARC's order), each
record its own gzip member, the two written to the file with one unbuffered ``write``. A
process killed mid-write leaves at most a partial last member, which a reader detects and
skips; everything before it stays readable. Files rotate by size and never span runs.

Reading (``read_responses``): the response records of a file or stream, one at a time
(memory stays flat), each with its offset; a record that cannot be read is reported with
its reason and the rest of the file is still read where the format allows.
"""

from __future__ import annotations

import io
import logging
import os
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha1
from pathlib import Path
from typing import Any, BinaryIO

import deflate
from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader

logger = logging.getLogger(__name__)

SOFTWARE = "newscrawl"
SMALL_RECORD = 64 * 1024  # bytes of a record's block (its HTTP message) under which a response is compressed harder
DEFLATE_LEVEL = 6  # libdeflate's level for responses (and warcinfo) under SMALL_RECORD: 0.40x the bytes on the bench site
ISAL_LEVEL = 1  # ISA-L's level for every other record: request records, large responses (0.23x on news pages)
_RECORD_END = b"\r\n\r\n"  # after a record's block
_GZIP_WBITS = 31  # zlib's window bits for a gzip header and trailer

GzipRecord = Callable[..., bytes]  # (record bytes, *, block_bytes, request) -> one gzip member


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


def _sha1(data: bytes) -> str:
    """``sha1:BASE32`` of ``data``, as WARC digests are written."""
    return "sha1:" + _base32(sha1(data).digest())


_BASE32_PAIRS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"]
_BASE32_SHIFTS = range(150, -1, -10)  # a SHA-1 is 160 bits: 16 pairs of 5-bit letters, no padding


def _base32(digest: bytes) -> str:
    """RFC 4648 base32 of a 20-byte digest (what ``base64.b32encode`` gives, in a third of its time)."""
    number = int.from_bytes(digest, "big")
    return "".join([_BASE32_PAIRS[(number >> shift) & 1023] for shift in _BASE32_SHIFTS])


def _record_id() -> str:
    """A WARC-Record-ID: a random UUID (version 4, RFC 9562 variant) as a URN; what ``uuid.uuid4``
    gives, built from the bytes directly (``uuid.UUID`` checks and converts its input: 2.5x the time)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC variant
    hexa = raw.hex()
    return f"<urn:uuid:{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}>"


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


def gzip_record(data: bytes, *, block_bytes: int, request: bool) -> bytes:
    """A record's bytes as one gzip member (any deflate stream reads the same; docs/benchmarks.md, "WARC
    libraries"). A record's WARC and HTTP headers do not shrink with its body, so a small response needs
    a strong deflate to stay under 0.4x the bytes fetched: libdeflate at ``DEFLATE_LEVEL`` (zlib's
    ratio in under half its time). Everything else, ISA-L at ``ISAL_LEVEL`` (about 2x faster again):
    request records (its level 1 gives them the same bytes as libdeflate's 6) and responses of
    ``SMALL_RECORD`` bytes and more, whose bodies already compress well (0.23x on news pages)."""
    if request or block_bytes >= SMALL_RECORD:
        return isal_zlib.compress(data, ISAL_LEVEL, _GZIP_WBITS)
    return bytes(deflate.gzip_compress(data, DEFLATE_LEVEL))


def _uri(url: str) -> str:
    """A URL as a header value: its line breaks percent-encoded (one would end the header early)."""
    return url.replace("\r", "%0D").replace("\n", "%0A") if "\r" in url or "\n" in url else url


def _member(kind: str, date: str, record_id: str, url: str, content_type: str, block: bytes, *,
            fields: str = "", gzip: GzipRecord = gzip_record) -> bytes:
    """One record as one gzip member: its WARC header (the fields in FastWARC's order, ``fields``
    being extra ``Name: value\\r\\n`` lines, then the block's digest), the block, and the
    blank line that ends a record."""
    target = f"WARC-Target-URI: {_uri(url)}\r\n" if url else ""
    header = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Date: {date}\r\nWARC-Record-ID: {record_id}\r\n"
              f"Content-Length: {len(block)}\r\n{target}Content-Type: {content_type}\r\n{fields}"
              f"WARC-Block-Digest: {_sha1(block)}\r\n\r\n")
    return gzip(b"".join((header.encode(), block, _RECORD_END)), block_bytes=len(block), request=kind == "request")


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
    gzip: GzipRecord = gzip_record  # how each record becomes a gzip member (bench.archive.warcbytes tries others)

    def write(self, exchange: Exchange) -> Written:
        if self._fd is None or self._size >= self.max_bytes:
            self._open_next()
        date = exchange.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        payload_digest = _sha1(exchange.body)
        response_id, request_id = _record_id(), _record_id()
        response = _member("response", date, response_id, exchange.url, "application/http; msgtype=response",
                           _http_response(exchange), fields=f"WARC-Payload-Digest: {payload_digest}\r\n",
                           gzip=self.gzip)
        request = _member("request", date, request_id, exchange.url, "application/http; msgtype=request",
                          _http_request(exchange), fields=f"WARC-Concurrent-To: {response_id}\r\n", gzip=self.gzip)
        start = self._append(request + response)
        return Written(self._name, start + len(request), len(response), response_id, payload_digest)

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
        info = f"software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\n".encode()
        self._append(_member("warcinfo", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), _record_id(), "",
                             "application/warc-fields", info, fields=f"WARC-Filename: {name}\r\n", gzip=self.gzip))

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
    cannot be read is yielded as ``Unreadable`` with its reason; in a file, reading goes on at
    the next record after it (``_next_record``: a damaged gzip member or a wrong Content-Length
    cost the rest of the file), on a stream it stops there, as at a truncated end. A body
    longer than ``max_body`` bytes once decoded (0: no limit) is not read into memory: its
    record comes as ``Unreadable("too_large")`` and reading goes on (a 300 MB video record
    took 700 MB of memory before, a gzip bomb any amount).
    """
    stream: BinaryIO = open(source, "rb") if isinstance(source, (str, Path)) else source
    try:
        start: int | None = 0
        kind: str | None = None  # the file's format ("warc", "arc"), once a record is read
        while start is not None:
            if start:
                stream.seek(start)
            start, kind = yield from _read_from(stream, source, max_body, kind)
    finally:
        if isinstance(source, (str, Path)):
            stream.close()


def _read_from(stream: BinaryIO, source: Any, max_body: int,
               kind: str | None) -> Generator[Response | Unreadable, None, tuple[int | None, str | None]]:
    """``read_responses`` from the stream's position (``kind``: the format of the records read
    before it); returns where reading goes on after a record that could not be read (a file's next
    record; None at the end) and the file's format."""
    records = _QuietArchiveIterator(stream, arc2warc=True, check_digests=False)
    while True:
        try:
            record = next(records)
            if kind is not None and (record.format != kind or _not_an_archive(record)):
                raise ArchiveLoadFailed("Unknown archive format")  # warcio's lenient reading of a damaged record's bytes
            records.report(source)
            if kind is None and _not_an_archive(record):
                yield Unreadable("not_warc", NOT_WARC)
                return None, kind
            kind = record.format
            if record.rec_type != "response":
                continue
            yield _response(record, records, max_body)
        except StopIteration:
            records.report(source)
            if kind is None:  # a 0-byte file, a gzip of nothing: a download that failed is no success
                yield Unreadable("empty", EMPTY)
            return None, kind
        except ArchiveLoadFailed as exc:
            reason = _load_failure(str(exc))
            if not (kind is not None and reason == "not_warc"):
                yield Unreadable(reason, _FAILURE_DETAIL.get(reason) or _printable(str(exc)))
                return None, kind
            following = _next_record(stream, records.offset, source)
            yield Unreadable("bad_record", NOT_A_RECORD.format(offset=records.offset) + _going_on(following))
            return following, kind
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            following = _next_record(stream, records.offset, source) if kind is not None else None
            yield Unreadable("truncated", f"{type(exc).__name__}: {exc}"[:300] + _going_on(following))
            return following, kind


_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_SCAN_CHUNK = 1 << 20  # bytes read at a time looking for the next record


def _next_record(stream: BinaryIO, failed_at: int, source: Any) -> int | None:
    """In a file (not a stream), the offset of the first record that starts after ``failed_at``:
    a gzip member that inflates to a WARC header, or an uncompressed WARC header at a line's
    start; None when there is none (a cut or garbage end)."""
    if not isinstance(source, (str, Path)):
        return None
    position = failed_at + 1
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK + 64 * 1024)  # a candidate near the chunk's end is still whole
        if len(chunk) <= 1:
            return None
        for found in sorted(_candidates(chunk)):
            if found < _SCAN_CHUNK or len(chunk) <= _SCAN_CHUNK:
                if _starts_record(chunk[found:found + 64 * 1024]):
                    return position + found
        if len(chunk) <= _SCAN_CHUNK:
            return None
        position += _SCAN_CHUNK


def _candidates(chunk: bytes) -> Iterator[int]:
    for magic in (_GZIP_MAGIC, b"\n" + _WARC_START):
        found = chunk.find(magic)
        while found >= 0:
            yield found + (1 if magic[:1] == b"\n" else 0)
            found = chunk.find(magic, found + 1)


def _starts_record(data: bytes) -> bool:
    if data.startswith(_WARC_START):
        return True
    try:
        return zlib.decompressobj(31).decompress(data, 16).startswith(_WARC_START)
    except zlib.error:
        return False


def _going_on(following: int | None) -> str:
    return f"; reading goes on at the next record, offset {following}" if following is not None else ""


NOT_WARC = ("not a WARC file (no WARC or ARC record where it starts): give WARC files (.warc, .warc.gz, .arc, "
            ".arc.gz) or folders of them")
NOT_A_RECORD = ("bytes that are no WARC record at offset {offset} (garbage after the last record, or a record cut "
                "short before it?)")
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
        return Unreadable("bad_record", f"{_printable(url) or 'a response record'}: no HTTP response in the record")
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
