"""newscrawl import: real news pages from a CC-NEWS-style WARC, warcio's good and bad test files,
files cut short or corrupted, standard input, and an archive a crawl of the demo site wrote."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.archive.warc import Exchange, Response, Unreadable, WarcFileWriter, read_responses
from crawler.article.clean import clean_result
from crawler.article.dedupe import storage_url
from crawler.article.validate import rejection
from crawler.cli import cli
from crawler.parsing import parse_page
from crawler.runner import build_settings
from tests.archive.test_archive import WHEN, _exchange
from tests.spider.site import article_html

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "warc-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/datasets/warc-samples not found")


def _import(db: Path, *args: str, stdin: bytes | None = None) -> dict:
    result = CliRunner().invoke(cli, ["import", "--db", str(db), "--json", "-s", "NEWSCRAWL_PARSE_PROCESSES=1",
                                      *args], input=stdin)
    assert result.exit_code in (0, 1), result.output
    return json.loads(next(line for line in result.output.splitlines() if line.startswith('{')))


def _urls(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("SELECT url FROM articles")}


@needs_samples
def test_fundus_pages_are_stored_as_parse_finds_them_under_their_real_urls(tmp_path: Path):
    warc = SAMPLES / "fundus-dev-pages.warc.gz"
    min_body = build_settings().getint("NEWSCRAWL_MIN_BODY_CHARS")
    expected = set()
    for record in read_responses(warc):
        parsed, _ = clean_result(parse_page(record.body, record.url, content_type=record.content_type,
                                            now=record.fetched_at))
        if rejection(parsed, min_body_chars=min_body) is None:
            expected.add(storage_url(record.url, parsed.canonical_url))
    summary = _import(tmp_path / "news.db", str(warc))
    assert summary["records"] == 129 and summary["unreadable"] == {}
    assert _urls(tmp_path / "news.db") == expected and len(expected) > 100
    again = _import(tmp_path / "news.db", str(warc))  # idempotent: the same rows, unchanged
    assert again["counts"]["articles_unchanged"] == len(expected) and again["counts"]["articles_new"] == 0


@needs_samples
def test_every_warcio_test_file_is_read_or_refused_with_a_reason(tmp_path: Path):
    files = sorted(str(p) for p in (SAMPLES / "warcio").iterdir() if p.name != "LICENSE")
    summary = _import(tmp_path / "news.db", *files)
    assert summary["records"] >= 10
    assert set(summary["unreadable"]) <= {"truncated", "not_warc", "not_record_gzip", "bad_record"}
    with sqlite3.connect(tmp_path / "news.db") as conn:
        reasons = {reason for (reason,) in conn.execute("SELECT reason FROM failures WHERE reason LIKE 'warc_%'")}
        [(outcome,)] = conn.execute("SELECT outcome FROM runs").fetchall()
    assert "warc_not_record_gzip" in reasons and outcome in ("failed", "partial", "success")


def test_truncated_and_corrupt_files_lose_only_their_bad_records(tmp_path: Path):
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    written = [writer.write(_exchange(index, size=80)) for index in range(4)]
    writer.close()
    good = tmp_path / "in" / writer.files[0]
    data = good.read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[:-40])
    corrupt = bytearray(data)
    # the third response's deflate data from its first byte (after the 10-byte gzip header): a block type that
    # does not exist, so the damage shows at once (further in, what the damaged bytes decode to depends on the
    # record's random ids: now and then a garbled header, then the rest of the member, was two unreadable spans)
    corrupt[written[2].offset + 10: written[2].offset + 40] = b"\xff" * 30
    (tmp_path / "corrupt.warc.gz").write_bytes(bytes(corrupt))
    (tmp_path / "noise.warc").write_bytes(b"this is not an archive\n" * 10)
    summary = _import(tmp_path / "news.db", str(tmp_path / "cut.warc.gz"), str(tmp_path / "corrupt.warc.gz"),
                      str(tmp_path / "noise.warc"))
    assert summary["records"] == 3 + 3  # cut: all but its last; corrupt: all but the damaged one (it lost the
    assert sum(summary["unreadable"].values()) == 3  # fourth: reading stopped at the damage)


def test_garbage_after_the_last_record_is_named_with_its_offset_not_in_warcio_words(tmp_path: Path):
    """It said warcio's "Unknown archive format, first line: ['this', 'is', 'garbage']", the bytes quoted."""
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    for index in range(2):
        writer.write(_exchange(index, size=80))
    writer.close()
    good = (tmp_path / "in" / writer.files[0]).read_bytes()
    (tmp_path / "tail.warc.gz").write_bytes(good + b"this is garbage \x00\xff\n" * 3)
    read = list(read_responses(tmp_path / "tail.warc.gz"))
    assert [type(record) for record in read] == [Response, Response, Unreadable]
    assert read[2].reason == "bad_record" and f"no WARC record at offset {len(good)}" in read[2].detail
    assert "Unknown archive format" not in read[2].detail and "garbage'" not in read[2].detail


def test_a_record_over_download_maxsize_is_passed_over_without_reading_it(tmp_path: Path):
    """A 300 MB video record in a 3 MB WARC file took the import to 700 MB of memory (a gzip bomb: any
    amount): every body was read whole before its type was looked at. Now a body over
    DOWNLOAD_MAXSIZE (the crawl's limit) is left out unread, and the records after it are imported."""
    from dataclasses import replace

    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    writer.write(replace(_exchange(0, size=80), response_headers=[("Content-Type", "video/mp4")], body=b"\0" * 50_000))
    writer.write(_exchange(1, size=80))
    writer.close()
    chunks = []
    for record in read_responses(tmp_path / "in" / writer.files[0], max_body=10_000):
        chunks.append(record.reason if not isinstance(record, Response) else len(record.body))
    assert chunks[0] == "too_large" and chunks[1] < 10_000
    summary = _import(tmp_path / "news.db", str(tmp_path / "in"), "-s", "DOWNLOAD_MAXSIZE=10000")
    assert summary["records"] == 2 and summary["left_out"] == {"too_large": 1} and summary["unreadable"] == {}


def test_standard_input_is_read_as_a_stream(tmp_path: Path):
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    for index in range(3):
        writer.write(_exchange(index, size=80))
    writer.close()
    summary = _import(tmp_path / "news.db", "-", "--site", "news.example",
                      stdin=(tmp_path / "in" / writer.files[0]).read_bytes())
    assert summary["records"] == 3


@pytest.mark.slow
def test_the_demo_crawls_archive_imports_into_the_same_rows(tmp_path: Path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-m", "crawler.demo", "--db", str(tmp_path / "crawl.db"), "--port", "0"],
                   cwd=root, check=True, capture_output=True, timeout=300)
    _import(tmp_path / "imported.db", str(tmp_path / "warc"))
    rows = []
    for name in ("crawl.db", "imported.db"):  # every column but the id (the order of storing differs), the
        with sqlite3.connect(tmp_path / name) as conn:  # times (the WARC's) and link checks included
            conn.row_factory = sqlite3.Row
            rows.append({row["url"]: {**dict(row), "id": None} for row in conn.execute("SELECT * FROM articles")})
    assert len(rows[0]) == 39 and rows[0] == rows[1]


def test_an_import_checks_the_links_between_pages_it_stores_in_any_order(tmp_path: Path):
    """A chain 1 <-> 2 <-> 3 archived out of order (3, 1, 2), and page 4 whose prev link names 1,
    which does not link back: the links between stored pages are checked as a crawl checks them;
    a link to a page that is not in the files stays unchecked."""
    base = "https://chain.example/2025/03/"
    url = {index: f"{base}story-{index}.html" for index in range(0, 6)}
    links = {1: (url[0], url[2]), 2: (url[1], url[3]), 3: (url[2], None), 4: (url[1], url[5])}
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    for index in (3, 1, 4, 2):
        body = article_html(index, prev_url=links[index][0], next_url=links[index][1])
        writer.write(Exchange(url[index], "GET", [], 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                              body, WHEN))
    writer.close()
    summary = _import(tmp_path / "news.db", str(tmp_path / "in" / writer.files[0]))
    assert summary["counts"]["articles_new"] == 4
    with sqlite3.connect(tmp_path / "news.db") as conn:
        checks = {row[0]: row[1:] for row in conn.execute("SELECT url, prev_check, next_check FROM articles")}
    assert checks == {
        url[1]: (None, "confirmed"),  # page 0 is not in the files
        url[2]: ("confirmed", "confirmed"),
        url[3]: ("confirmed", None),
        url[4]: ("no_link_back", None),  # 1's next is 2; page 5 is not in the files
    }


def test_batches_parsed_in_the_pool_while_the_next_is_read_store_what_inline_stores(tmp_path: Path, monkeypatch):
    """Two pool processes and batches of 2 (so several batches are in flight one after the other):
    the same rows and link checks as an inline import of the same file."""
    from crawler.archive import importer

    base = "https://chain.example/2025/03/"
    url = {index: f"{base}story-{index}.html" for index in range(0, 8)}
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    for index in (5, 1, 3, 2, 6, 4):
        body = article_html(index, prev_url=url[index - 1], next_url=url[index + 1])
        writer.write(Exchange(url[index], "GET", [], 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                              body, WHEN))
    writer.close()
    monkeypatch.setattr(importer, "BATCH", 2)
    stored = []
    for processes in (1, 2):
        db = tmp_path / f"news-{processes}.db"
        settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_PARSE_PROCESSES": processes})
        report = importer.Importer(settings, importer.ImportOptions()).run(
            [("in", str(tmp_path / "in" / writer.files[0]))], arguments={})
        assert report.counts.articles_new == 6
        with sqlite3.connect(db) as conn:
            stored.append(conn.execute("SELECT url, title, body, published_at, summary, prev_check, next_check"
                                       " FROM articles ORDER BY url").fetchall())
    assert stored[0] == stored[1]
    assert [row[5:] for row in stored[1]][1:5] == [("confirmed", "confirmed")] * 4  # stories 2 to 5


# --- what a user sees when the input is not what import reads (one clear line each) -------------
def _run(db: Path, *args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, ["import", "--db", str(db), "-s", "NEWSCRAWL_PARSE_PROCESSES=1", *args],
                              input=stdin)


def test_a_file_that_is_not_warc_is_named_without_echoing_its_bytes(tmp_path: Path, caplog):
    import gzip

    (tmp_path / "program.bin").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4)
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"hello world\n" * 50))
    with caplog.at_level("WARNING"):
        result = _run(tmp_path / "news.db", str(tmp_path / "program.bin"), str(tmp_path / "notes.gz"))
    assert result.exit_code == 1, result.output
    lines = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(lines) == 2 and all("not a WARC file" in line and "\n" not in line for line in lines), lines
    assert all(line.isprintable() and "ELF" not in line and "hello" not in line for line in lines), lines


def test_warcios_own_warnings_do_not_reach_the_terminal(tmp_path: Path, capfd, caplog):
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    writer.write(_exchange(0, size=80))
    writer.close()
    data = (tmp_path / "in" / writer.files[0]).read_bytes()
    import gzip

    raw = gzip.decompress(data).replace(b"\r\n\r\n", b"\r\n\r\nextra words ", 1)  # a Content-Length 12 bytes short
    (tmp_path / "off.warc").write_bytes(raw)
    with caplog.at_level("WARNING"):
        records = list(read_responses(tmp_path / "off.warc"))
    assert records
    assert "WARNING: Record not followed by newline" not in capfd.readouterr().err
    assert any("Content-Length" in record.getMessage() for record in caplog.records)


def test_a_folder_without_warc_files_and_an_empty_standard_input_are_refused(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no archive here")
    result = _run(tmp_path / "news.db", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "holds no WARC files (.warc, .warc.gz, .arc, .arc.gz)" in result.output
    result = _run(tmp_path / "news.db", "-", stdin=b"")
    assert result.exit_code == 2 and "nothing came on standard input" in result.output, result.output
    assert not (tmp_path / "news.db").exists()  # refused before anything was written


def test_an_empty_file_is_named_and_counted_not_a_success(tmp_path: Path, caplog):
    """A 0-byte .warc.gz (a download that failed) imported as "Import success: 0 response records in 1
    file ... Unreadable: none", exit 0; so did a gzip holding nothing."""
    import gzip

    (tmp_path / "CC-NEWS-1.warc.gz").write_bytes(b"")
    (tmp_path / "CC-NEWS-2.warc.gz").write_bytes(gzip.compress(b""))
    with caplog.at_level("WARNING"):
        result = _run(tmp_path / "news.db", str(tmp_path / "CC-NEWS-1.warc.gz"), str(tmp_path / "CC-NEWS-2.warc.gz"))
    assert result.exit_code == 1, result.output
    assert "Unreadable: empty 2" in result.output, result.output
    lines = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(lines) == 2 and all("no WARC record in it" in line for line in lines), lines


def test_since_and_until_take_an_instant_as_crawls_do_and_bad_values_are_usage_errors(tmp_path: Path):
    """They took days only (click's %Y-%m-%d: "2025-03-03T07:30:00Z" was refused) and compared the first ten
    characters of the local date; --language took any word ("xx") and left every article out."""
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    for index in (1, 2, 3):  # published 2025-03-02T07:01Z, 2025-03-03T07:02Z, 2025-03-04T07:03Z
        writer.write(Exchange(f"https://news.example/story-{index}.html", "GET", [], 200, "OK",
                              [("Content-Type", "text/html; charset=utf-8")], article_html(index), WHEN))
    writer.close()
    warc = str(tmp_path / "in" / writer.files[0])
    day = _import(tmp_path / "day.db", warc, "--since", "2025-03-03")
    assert day["counts"]["articles_new"] == 2 and day["left_out"] == {"before_since": 1}
    instant = _import(tmp_path / "instant.db", warc, "--since", "2025-03-03T07:30:00Z", "--until", "2025-03-04")
    assert instant["counts"]["articles_new"] == 1 and instant["left_out"] == {"before_since": 2}
    until = _import(tmp_path / "until.db", warc, "--until", "2025-03-03T08:02:00+01:00")
    assert until["counts"]["articles_new"] == 2 and until["left_out"] == {"after_until": 1}
    for bad in (["--since", "yesterday"], ["--since", "2025-03-04", "--until", "2025-03-03"], ["--language", "xx"]):
        result = CliRunner().invoke(cli, ["import", "--db", str(tmp_path / "bad.db"), warc, *bad])
        assert result.exit_code == 2, (bad, result.output)
    assert not (tmp_path / "bad.db").exists()


def test_the_language_filter_compares_primary_subtags_as_crawls_do():
    """import compared the text before "-", so a page declaring Hebrew's withdrawn code "iw" was
    left out of `--language he`, which crawl's language step keeps (``language.primary``)."""
    from collections import Counter
    from types import SimpleNamespace

    from crawler.archive.importer import ImportOptions, Importer

    importer = SimpleNamespace(options=ImportOptions(languages=frozenset({"he", "de"})), left_out=Counter())
    assert Importer._in_window(importer, SimpleNamespace(published_at=None, language="iw-IL"))
    assert Importer._in_window(importer, SimpleNamespace(published_at=None, language="de_AT"))
    assert not Importer._in_window(importer, SimpleNamespace(published_at=None, language="en"))
    assert importer.left_out == {"other_language": 1}


def test_a_folder_inside_that_cannot_be_listed_is_named_not_passed_over(tmp_path: Path):
    """`import DIR` where DIR/sub may not be listed: the files in sub were left out without a word
    (Path.rglob skips what it may not list) and the import said "success"."""
    import os
    import shutil
    import subprocess
    import sys

    command = [sys.executable, "-m", "crawler", "import", str(tmp_path / "in"), "--db", str(tmp_path / "news.db")]
    if os.geteuid() == 0:  # root lists any folder unless it gives up the capability
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        command = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", *command]
    writer = WarcFileWriter(tmp_path / "in" / "sub", "run", max_bytes=10**9)
    writer.write(_exchange(0, size=80))
    writer.close()
    shutil.copy(tmp_path / "in" / "sub" / writer.files[0], tmp_path / "in" / "readable.warc.gz")
    (tmp_path / "in" / "sub").chmod(0)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                cwd=Path(__file__).resolve().parents[2])
    finally:
        (tmp_path / "in" / "sub").chmod(0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"cannot read {tmp_path / 'in' / 'sub'} (no such file, or not allowed)" in result.stderr
    assert not (tmp_path / "news.db").exists()  # refused before anything was written


def test_reading_goes_on_after_a_damaged_record_at_the_next_one(tmp_path: Path):
    """A gzip member cut in half inside a file, bytes zeroed in a member: every record after the damaged
    one was lost ("the records before that offset were read, nothing after it")."""
    writer = WarcFileWriter(tmp_path / "in", "run", max_bytes=10**9)
    written = [writer.write(_exchange(index, size=80)) for index in range(5)]
    writer.close()
    data = (tmp_path / "in" / writer.files[0]).read_bytes()
    second, third = written[1], written[2]
    cut = data[:second.offset + second.length // 2] + data[second.offset + second.length:]
    zeroed = bytearray(data)
    zeroed[third.offset + 30: third.offset + 60] = bytes(30)
    for name, damaged in (("cut.warc.gz", cut), ("zeroed.warc.gz", bytes(zeroed))):
        (tmp_path / name).write_bytes(damaged)
        read = list(read_responses(tmp_path / name))
        responses = [record.url for record in read if isinstance(record, Response)]
        assert len(responses) == 4 and responses[-1] == "https://news.example/4.html", (name, read)
        [bad] = [record for record in read if not isinstance(record, Response)]
        assert "reading goes on at the next record" in bad.detail, (name, bad)
    with open(tmp_path / "cut.warc.gz", "rb") as stream:  # a stream cannot be searched: it stops there, as before
        assert len([record for record in read_responses(stream) if isinstance(record, Response)]) == 1
