"""`newscrawl stats` says what the WARC archive holds, in the terminal and in the HTML report alike:
the report had no word of it, and one file was "1 WARC files"."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import ArticleStore, open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from crawler.storage.store import ArticleRow

NOW = "2026-01-01T00:00:00+00:00"


def _archived(tmp_path: Path) -> Path:
    db_path = tmp_path / "news.db"
    db = open_database(db_path)
    ArticleStore(db).upsert_articles([ArticleRow(url="https://news.example/a", site="news.example", title="A",
                                                 body="body", content_hash="h", fetched_at=NOW)])
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / "one.warc.gz").write_bytes(b"x" * 1000)
    ArchiveIndex(db).add([ArchivedResponse(None, "https://news.example/a", "https://news.example/a", 200, "text/html",
                                           NOW, "one.warc.gz", 0, 1000, 2500, "sha1:X")])
    db.conn.close()
    return db_path


def test_the_archive_is_in_the_terminal_and_in_the_report(tmp_path: Path) -> None:
    db_path = _archived(tmp_path)
    report = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path), "--html", str(report)])
    assert result.exit_code == 0, result.output
    assert "Archive: 1 response in 1 WARC file, 0.0 MB on disk (0.0 MB fetched, 0.40x)" in result.output
    page = report.read_text(encoding="utf-8")
    assert "<h2>Archive</h2>" in page and "1 response in 1 WARC file, 0.0 MB on disk" in page
    assert "1 article on 1 site (1 without a date)" in result.output and "1 article on 1 site" in page


def test_an_archive_moved_or_deleted_is_said_not_counted_as_zero_bytes(tmp_path: Path) -> None:
    """A database copied without its archive said "1 WARC file, 0.0 MB on disk (..., 0.00x)", as if the
    files were empty; reparse of the same database says the folder is missing."""
    db_path = _archived(tmp_path)
    (tmp_path / "warc" / "one.warc.gz").unlink()
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert "1 indexed file not there (moved or deleted?)" in result.output, result.output
    (tmp_path / "warc").rmdir()
    result = CliRunner().invoke(cli, ["stats", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "the folder does not exist (moved or deleted?)" in result.output and "0.00x" not in result.output
