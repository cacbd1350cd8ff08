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
