"""warcio vs FastWARC here: writing gzip-per-record response records, and reading them back.

    python bench/archive/libraries.py [N]   # N records (default 1500) cycled from fundus-dev-pages.warc.gz

CPU per record from getrusage (the machine is shared: compare the rows of one run).
"""

import io, os, sys, time, resource, gzip, hashlib, tempfile
from warcio.archiveiterator import ArchiveIterator as WIter
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
import fastwarc.warc as fw, fastwarc.stream_io as fs

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "datasets", "warc-samples", "fundus-dev-pages.warc.gz")
pages = []
with open(SRC, "rb") as fh:
    for rec in WIter(fh):
        if rec.rec_type == "response":
            pages.append((rec.rec_headers.get_header("WARC-Target-URI"), rec.content_stream().read()))
OUT = tempfile.mkdtemp(prefix='warc-libraries-')
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
work = [pages[i % len(pages)] for i in range(N)]
raw = sum(len(b) for _, b in work)
def cpu(): r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime

def write_warcio(path):
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body in work:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))

def write_fastwarc(path):
    with open(path, "wb") as out:
        for url, body in work:
            rec = fw.WarcRecord()
            rec.init_headers(fw.WarcRecordType.response)
            rec.headers["WARC-Target-URI"] = url
            rec.headers["Content-Type"] = "application/http; msgtype=response"
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
            rec.set_bytes_content(http)
            buf = io.BytesIO()
            gz = fs.GzipWriter(buf)
            rec.write(gz, checksum_data=True)
            gz.finish()
            out.write(buf.getvalue())

def read_warcio(path):
    n = 0
    with open(path, "rb") as fh:
        for rec in WIter(fh):
            if rec.rec_type == "response":
                n += len(rec.content_stream().read())
    return n

def read_fastwarc(path):
    n = 0
    for rec in fw.ArchiveIterator(path, record_types=fw.WarcRecordType.response, parse_http=True):
        n += len(rec.reader.read())
    return n

for name, w, r in (("warcio", write_warcio, read_warcio), ("fastwarc", write_fastwarc, read_fastwarc)):
    path = f"{OUT}/{name}.warc.gz"
    c = cpu(); w(path); wc = cpu() - c
    c = cpu(); got = r(path); rc = cpu() - c
    c = cpu(); got2 = read_warcio(path); xc = cpu() - c
    print(f"{name}: {N} records, raw {raw/1e6:.1f} MB -> {os.path.getsize(path)/1e6:.1f} MB ({os.path.getsize(path)/raw:.2f}x); "
          f"write {1000*wc/N:.2f} ms CPU/record; read own {1000*rc/N:.2f} ms/record ({got==raw}); warcio reads it {got2==raw}")

print("--- gzip level (FastWARC) ---")
for level in (1, 3, 6, 9):
    def write_level(path, level=level):
        with open(path, "wb") as out:
            for url, body in work:
                rec = fw.WarcRecord(); rec.init_headers(fw.WarcRecordType.response)
                rec.headers["WARC-Target-URI"] = url
                rec.headers["Content-Type"] = "application/http; msgtype=response"
                rec.set_bytes_content(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body)
                buf = io.BytesIO(); gz = fs.GzipWriter(buf, compression_level=level)
                rec.write(gz, checksum_data=True); gz.finish(); out.write(buf.getvalue())
    path = f"{OUT}/l{level}.warc.gz"
    c = cpu(); write_level(path); wc = cpu() - c
    print(f"level {level}: {os.path.getsize(path)/raw:.3f}x raw, write {1000*wc/N:.2f} ms CPU/record")
import zlib
c = cpu()
for url, body in work: hashlib.sha1(body).digest()
print(f"sha1 alone {1000*(cpu()-c)/N:.2f} ms/record")

print("--- warcio writer, our gzip level 1 ---")
import zlib
def write_warcio_l1(path):
    with open(path, "wb") as out:
        for url, body in work:
            buf = io.BytesIO(); writer = WARCWriter(buf, gzip=False)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
            z = zlib.compressobj(1, zlib.DEFLATED, 31); out.write(z.compress(buf.getvalue()) + z.flush())
c = cpu(); write_warcio_l1(f"{OUT}/wl1.warc.gz"); wc = cpu() - c
print(f"warcio+zlib level 1: {os.path.getsize(f'{OUT}/wl1.warc.gz')/raw:.3f}x raw, write {1000*wc/N:.2f} ms CPU/record, read back {read_warcio(f'{OUT}/wl1.warc.gz')==raw}")
