"""newscrawl reparse on the demo crawl's database and archive: rows an older parser got wrong are
fixed and reported per field, history keeps the old version, a killed reparse resumes, a second
reparse changes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import crawler.archive.reparse as reparse_module
from crawler.archive.reparse import Reparser
from crawler.cli import cli
from crawler.runner import build_settings
from crawler.storage.reparse import Selection

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    subprocess.run([sys.executable, "-m", "crawler.demo", "--db", str(folder / "news.db"), "--port", "0"],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    return folder


@pytest.fixture
def db(crawled: Path, tmp_path: Path) -> Path:
    shutil.copytree(crawled, tmp_path / "copy")
    return tmp_path / "copy" / "news.db"


def _reparse(db: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["reparse", "--db", str(db), "--json", "-s", "NEWSCRAWL_PARSE_PROCESSES=1", *args])
    assert result.exit_code == 0, result.output
    return json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))


def test_rows_an_older_parser_got_wrong_are_fixed_and_reported(db: Path):
    with sqlite3.connect(db) as conn:
        before = dict(conn.execute("SELECT url, body FROM articles").fetchall())
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 3")]
        conn.execute(f"UPDATE articles SET published_at = '1999-01-01' WHERE id = {ids[0]}")
        conn.execute(f"UPDATE articles SET body = body || ' Subscribe now!', content_hash = 'x' WHERE id = {ids[1]}")
    summary = _reparse(db)
    assert summary["changes"] == {"dates changed": 1, "bodies shortened": 1}
    assert summary["counts"]["articles_updated"] == 2
    with sqlite3.connect(db) as conn:
        assert dict(conn.execute("SELECT url, body FROM articles").fetchall()) == before
        history = conn.execute("SELECT article_id, published_at, body FROM article_history ORDER BY id").fetchall()
    assert {row[0] for row in history} == {ids[0], ids[1]}
    assert any(published == "1999-01-01" for _, published, _ in history)
    assert _reparse(db)["counts"]["articles_updated"] == 0  # idempotent


def test_a_killed_reparse_resumes_where_it_stopped(db: Path, monkeypatch):
    monkeypatch.setattr(reparse_module, "BATCH", 10)
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_PARSE_PROCESSES": 1})
    arguments = {"site": None, "since": None, "run": None}

    def killed(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Reparser(settings, Selection()).run(arguments=arguments, on_progress=killed)
    report = Reparser(settings, Selection()).run(arguments=arguments)
    assert report.resumed_after > 0
    assert report.counts.pages_fetched == report.selected - 10


def test_selection_by_site_and_run(db: Path):
    with sqlite3.connect(db) as conn:
        site, count = conn.execute("SELECT site, count(*) FROM articles GROUP BY site ORDER BY site LIMIT 1").fetchone()
    assert _reparse(db, "--site", site)["selected"] == count
    assert _reparse(db, "--run", "1")["selected"] > 0
    unknown = CliRunner().invoke(cli, ["reparse", "--db", str(db), "--run", "999"])
    assert unknown.exit_code == 2 and "no run 999 in" in unknown.output, unknown.output  # a usage error, nothing run


# Every article column a reparse writes, set to a wrong value of its type. The columns it keeps
# (the row's key, and when it was fetched and seen) are left as the crawl stored them.
KEPT = {"id", "url", "site", "fetched_url", "fetched_at", "first_seen_at", "last_seen_at"}
SCRAMBLED = {
    "title": "title || ' (old)'", "body": "body || ' Subscribe now!'", "published_at": "'1999-01-01'",
    "modified_at": "'1999-01-02'", "authors": "'[\"Someone Else\"]'", "language": "'xx'", "description": "'old'",
    "site_name": "'Old Name'", "prev_url": "'http://elsewhere.example/prev'", "prev_title": "'old'", "next_url": "'http://elsewhere.example/'",
    "next_title": "NULL", "word_count": "0", "content_hash": "'old'", "summary": "NULL",
    "published_relative": "1 - published_relative", "image_url": "'http://elsewhere.example/a.jpg'",
    "keywords": "'[\"old\"]'", "free_to_read": "NULL", "prev_check": "'no_link_back'", "next_check": "'wrong_date'",
    "article_uncertain": "1 - article_uncertain",
}


def _articles(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("SELECT * FROM articles")}


def test_a_reparse_writes_back_every_column_the_crawl_stored(db: Path):
    """Every column scrambled on every row: the reparse gives each back as the crawl stored it.
    It left prev_check / next_check saying what the old links' neighbours answered (a link the
    reparse corrected kept 'no_link_back' although its neighbour links back)."""
    crawled = _articles(db)
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        assert columns == KEPT | set(SCRAMBLED)  # a new column: say here what a reparse should do with it
        conn.execute(f"UPDATE articles SET {', '.join(f'{name} = {value}' for name, value in SCRAMBLED.items())}")
    assert _reparse(db)["counts"]["articles_updated"] == len(crawled)
    assert _articles(db) == crawled


def test_a_link_the_reparse_takes_away_is_checked_again_from_the_other_side(db: Path):
    """A stored with next = Y (an older parser's mistake), Y stored with prev = A, both 'confirmed';
    Y left out of the reparse (--since). The reparse reads A's real next link, so Y's link back to
    A is no longer returned: Y's prev_check says so instead of 'confirmed'."""
    with sqlite3.connect(db) as conn:
        site = conn.execute("SELECT site FROM articles GROUP BY site ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        a_url, a_next = conn.execute("SELECT url, next_url FROM articles WHERE site = ? AND next_url IS NOT NULL"
                                     " ORDER BY published_at LIMIT 1", [site]).fetchone()
        y_url = conn.execute("SELECT url FROM articles WHERE site = ? AND url NOT IN (?, ?) ORDER BY published_at DESC"
                             " LIMIT 1", [site, a_url, a_next]).fetchone()[0]
        conn.execute("UPDATE articles SET next_url = ?, next_check = 'confirmed' WHERE url = ?", [y_url, a_url])
        conn.execute("UPDATE articles SET prev_url = ?, prev_check = 'confirmed', fetched_at = '2000-01-01T00:00:00+00:00'"
                     " WHERE url = ?", [a_url, y_url])
    assert _reparse(db, "--since", "2001-01-01")["changes"] == {"next url changed": 1}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT next_url FROM articles WHERE url = ?", [a_url]).fetchone()[0] == a_next
        assert conn.execute("SELECT prev_check FROM articles WHERE url = ?", [y_url]).fetchone()[0] == "no_link_back"


KILLED_AT_20 = """
import os, signal, sys
import crawler.archive.reparse as reparse_module
from crawler.archive.reparse import Reparser
from crawler.runner import build_settings
from crawler.storage.reparse import Selection

reparse_module.BATCH = 10

def progress(done, total):
    if done >= 20:
        os.kill(os.getpid(), signal.SIGKILL)

settings = build_settings({"NEWSCRAWL_DB_PATH": sys.argv[1], "NEWSCRAWL_PARSE_PROCESSES": 1})
Reparser(settings, Selection()).run(arguments={"site": None, "since": None, "run": None}, on_progress=progress)
"""


def test_a_reparse_killed_by_sigkill_leaves_its_counts_and_the_next_marks_it_interrupted(db: Path):
    """Its row said 'running', 0 pages, for good; the resumed reparse did not say it had resumed."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET body = body || ' Subscribe now!', content_hash = 'x'")
        conn.execute("DELETE FROM article_history")  # the trigger kept the rows as they were before this
    killed = subprocess.run([sys.executable, "-c", KILLED_AT_20, str(db)], cwd=ROOT, capture_output=True, timeout=120)
    assert killed.returncode == -9, killed.stderr.decode()
    result = CliRunner().invoke(cli, ["reparse", "--db", str(db), "-s", "NEWSCRAWL_PARSE_PROCESSES=1"])
    assert result.exit_code == 0, result.output
    assert "Resumed where run 2 stopped: it had done 20 of them" in result.output
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT id, outcome, pages_fetched, articles_updated FROM runs WHERE spider = 'reparse'"
                            " ORDER BY id").fetchall()
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        replaced = conn.execute("SELECT count(*), count(DISTINCT article_id) FROM article_history").fetchone()
    assert runs == [(2, "interrupted", 20, 20), (3, "success", total - 20, total - 20)]
    assert replaced == (total, total)  # each article replaced once: nothing lost, nothing done twice


def test_a_later_304_is_not_taken_for_the_archived_page(db: Path):
    """A crawl that revalidates a page archives the 304 (no body) after its 200: reparse read the 304
    as the article's newest page and reported "1 page no longer an article"; `--run` of that crawl
    selected the article and counted it "not in the archive"."""
    from datetime import UTC, datetime

    from crawler.archive.warc import Exchange, WarcFileWriter
    from crawler.storage import open_database
    from crawler.storage.archive import ArchivedResponse, ArchiveIndex

    with sqlite3.connect(db) as conn:
        url = conn.execute("SELECT url FROM articles ORDER BY id LIMIT 1").fetchone()[0]
        run = conn.execute("SELECT max(id) + 1 FROM runs").fetchone()[0]
        conn.execute("INSERT INTO runs (id, started_at, spider) VALUES (?, '2026-01-01T00:00:00+00:00', 'site')", [run])
    writer = WarcFileWriter(db.parent / "warc", f"newscrawl-run{run}", max_bytes=10**9)
    when = datetime(2030, 1, 1, tzinfo=UTC)
    written = writer.write(Exchange(url, "GET", [], 304, "Not Modified", [], b"", when))
    writer.close()
    index = ArchiveIndex(open_database(db))
    index.add([ArchivedResponse(run, url, url, 304, None, when.isoformat(), written.file, written.offset,
                                written.length, 0, written.payload_digest)])
    index.db.conn.close()
    summary = _reparse(db)
    assert summary["changes"] == {} and summary["counts"]["skipped"] == 0
    assert _reparse(db, "--run", str(run))["selected"] == 0
