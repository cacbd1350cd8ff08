"""newscrawl reparse given what it cannot work with: a run that does not exist, an archive folder
moved or deleted, WARC files deleted from it. One clear line each.

The database is the analyst tests' small one (six articles, run 1), each article indexed as
archived in a WARC file that is not there.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from tests.analysis.fixtures import ARTICLES, build_database


def _database(folder: Path) -> Path:
    db = build_database(folder / "news.db")
    conn = open_database(db)
    ArchiveIndex(conn).add(
        ArchivedResponse(run_id=1, url=url, request_url=url, status=200, content_type="text/html",
                         fetched_at="2025-03-10T12:00:00+00:00", file=f"newscrawl-run1-0000{n % 2 + 1}.warc.gz",
                         offset=0, length=100, payload_bytes=100, payload_digest="sha1:X")
        for n, (url, *_) in enumerate(ARTICLES))  # fmt: skip
    conn.conn.close()
    return db


def _reparse(db: Path, *args: str):
    return CliRunner().invoke(cli, ["reparse", "--db", str(db), "-s", "NEWSCRAWL_PARSE_PROCESSES=1", *args])


def _runs(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM runs").fetchone()[0]


def test_a_run_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    db = _database(tmp_path)
    (tmp_path / "warc").mkdir()
    result = _reparse(db, "--run", "99")
    assert result.exit_code == 2, result.output
    assert "no run 99 in" in result.output and "newscrawl runs" in result.output
    assert _runs(db) == 1  # nothing recorded


def test_a_site_no_article_is_from_is_a_usage_error(tmp_path: Path) -> None:
    """It said which sites are known, then recorded a reparse of nothing: "Reparse success: 0 articles selected", exit 0."""
    db = _database(tmp_path)
    result = _reparse(db, "--site", "www.river")
    assert result.exit_code == 2, result.output
    assert "No stored article is from the site 'www.river' (did you mean river.example?)" in result.output
    assert "Reparse" not in result.output and _runs(db) == 1  # nothing recorded


def test_the_changes_say_one_page_not_one_pages() -> None:
    from collections import Counter

    from crawler.archive.reparse import ReparseReport
    from crawler.article import RunCounts

    report = ReparseReport(run_id=1, outcome="success", selected=9, counts=RunCounts(), resumed_after=None,
                           fields=Counter({"dates changed": 412, "bodies shortened": 1, "pages no longer an article": 1,
                                           "title changed": 1, "not in the archive": 1}))  # fmt: skip
    assert report.describe() == ("412 dates changed, 1 body shortened, 1 page no longer an article, 1 title changed,"
                                 " 1 not in the archive")
    report.fields = Counter({"pages no longer an article": 2, "dates changed": 1})
    assert report.describe() == "2 pages no longer an article, 1 date changed"


def test_an_archive_folder_moved_away_is_one_line_that_says_what_to_do(tmp_path: Path, caplog) -> None:
    db = _database(tmp_path)
    with caplog.at_level("WARNING"):
        result = _reparse(db)
    assert result.exit_code == 1 and "Reparse failed" in result.output, result.output
    said = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(said) == 1 and f"{tmp_path / 'warc'} does not exist" in said[0], said
    assert "NEWSCRAWL_ARCHIVE_DIR" in said[0]


def test_deleted_warc_files_are_reported_once_each(tmp_path: Path, caplog) -> None:
    db = _database(tmp_path)
    (tmp_path / "warc").mkdir()
    with caplog.at_level("WARNING"):
        result = _reparse(db)
    assert result.exit_code == 1, result.output  # no selected article could be re-extracted
    assert "6 not in the archive" in result.output
    missing = [record.getMessage() for record in caplog.records if "newscrawl-run1-0000" in record.getMessage()]
    assert len(missing) == 2, missing  # one line per file, not one per article
