"""The analyst views and opening a database written by an older newscrawl."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import SCHEMA_VERSION, open_database
from crawler.storage.schema import MIGRATIONS
from tests.analysis.fixtures import ARTICLES, CHAIN


def test_article_summaries_has_no_body(analysis_db: Path) -> None:
    db = open_database(analysis_db, create=False)
    columns = [row[1] for row in db.execute("PRAGMA table_info(article_summaries)")]
    assert "summary" in columns and "site" in columns and "body" not in columns
    assert db.execute("SELECT count(*) FROM article_summaries WHERE summary IS NOT NULL").fetchone()[0] == len(ARTICLES)


def test_daily_counts(analysis_db: Path) -> None:
    db = open_database(analysis_db, create=False)
    rows = db.execute("SELECT site, day, articles FROM daily_counts ORDER BY day, site").fetchall()
    assert ("berg.example", "2025-03-04", 1) in rows and ("river.example", "2025-03-04", 1) in rows
    assert sum(r[2] for r in rows) == len(ARTICLES) - 1  # the undated article has no day


def test_site_chains_in_order(analysis_db: Path) -> None:
    db = open_database(analysis_db, create=False)
    rows = db.execute("SELECT chain_id, position, url FROM site_chains WHERE site = 'river.example' ORDER BY chain_id, position").fetchall()
    assert [r[2] for r in rows] == CHAIN
    assert [r[1] for r in rows] == [1, 2, 3, 4]
    assert len({r[0] for r in rows}) == 1


def test_site_chain_survives_a_loop(tmp_path: Path) -> None:
    db = open_database(tmp_path / "loop.db")
    insert = (
        "INSERT INTO articles (url, site, title, body, content_hash, fetched_at, first_seen_at, last_seen_at,"
        " prev_url, next_url) VALUES (?, 's', ?, 'b', ?, 't', 't', 't', ?, ?)"
    )
    db.execute(insert, ["a", "A", "1", None, "b"])
    db.execute(insert, ["b", "B", "2", "a", "c"])
    db.execute(insert, ["c", "C", "3", "b", "b"])  # c says its next is b again
    rows = db.execute("SELECT url FROM site_chains ORDER BY chain_id, position").fetchall()
    assert [r[0] for r in rows][:3] == ["a", "b", "c"]
    assert len(rows) <= 3 * 3  # cut by the article count, never endless


def test_old_schema_is_brought_up_to_date_by_a_reader(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    MIGRATIONS[0](db)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO articles (url, site, title, body, content_hash, fetched_at, first_seen_at, last_seen_at)"
        " VALUES ('https://old.example/a', 'old.example', 'Old bridge story', 'The old bridge text.', 'h', 't', 't', 't')"
    )
    conn.commit()
    conn.close()
    result = CliRunner().invoke(cli, ["search", "bridge", "--db", str(path)])
    assert result.exit_code == 0 and "Old bridge story" in result.output
    assert open_database(path, create=False).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_site_chain_falls_back_to_prev_url_links_without_forking(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fallback.db")
    insert = (
        "INSERT INTO articles (url, site, title, body, content_hash, fetched_at, first_seen_at, last_seen_at,"
        " prev_url, next_url) VALUES (?, 's', ?, 'b', ?, 't', 't', 't', ?, ?)"
    )
    db.execute(insert, ["a", "A", "1", None, None])  # a names no next article
    db.execute(insert, ["b", "B", "2", "a", "c"])  # b names a as its previous one
    db.execute(insert, ["c", "C", "3", "b", None])  # b -> c through next_url, and c names b: one row, not two
    rows = db.execute("SELECT url, position FROM site_chains ORDER BY chain_id, position").fetchall()
    assert rows == [("a", 1), ("b", 2), ("c", 3)]
