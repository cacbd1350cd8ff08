"""Migrations 10 and 11 (issue 14): the search filter index and the article_counts table.

The counts must equal a count over the articles after any mix of inserts, updates and
deletes, and a database in the layout before them must upgrade in place.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.storage import SCHEMA_VERSION, open_database
from crawler.storage.schema import migrate

RECOUNT = """
SELECT site, coalesce(language, ''), coalesce(substr(published_at, 1, 10), ''), count(*),
       sum(authors NOT IN ('[]', '')), sum(prev_url IS NOT NULL OR next_url IS NOT NULL),
       sum(coalesce(summary, '') != '')
FROM articles GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
COUNTS = "SELECT site, language, day, articles, with_authors, with_links, with_summary FROM article_counts ORDER BY 1, 2, 3"


def _insert(db: sqlite_utils.Database, number: int, site: str, language: str | None, day: str | None, authors: str,
            linked: bool, summary: str | None) -> None:
    db.execute(
        "INSERT INTO articles (url, site, title, body, published_at, authors, language, prev_url, content_hash,"
        " fetched_at, first_seen_at, last_seen_at, summary) VALUES (?, ?, 't', 'b', ?, ?, ?, ?, 'h', 'f', 'f', 'f', ?)",
        [f"https://{site}/{number}", site, day, authors, language, "https://x/p" if linked else None, summary],
    )


def test_a_database_in_the_older_layout_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    assert migrate(db, upto=10) == 10
    for number in range(30):
        _insert(db, number, f"s{number % 3}.example", ("en", None)[number % 2], f"2025-03-{number % 5 + 1:02d}T10:00:00+01:00",
                '["A"]' if number % 4 else "[]", number % 3 == 0, "s" if number % 5 else None)
    assert "article_counts" not in db.table_names()
    db.conn.close()
    upgraded = open_database(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute(COUNTS).fetchall() == upgraded.execute(RECOUNT).fetchall()
    indexes = {row[1] for row in upgraded.execute("PRAGMA index_list(articles)")}
    assert "articles_search_filter" in indexes
    assert upgraded.execute("SELECT sum(articles) FROM daily_counts").fetchone()[0] == 30
    open_database(path).conn.close()  # idempotent: opening again changes nothing
    assert sqlite3.connect(path).execute(COUNTS).fetchall() == sqlite3.connect(path).execute(RECOUNT).fetchall()


_rows = st.tuples(
    st.sampled_from(["a.example", "b.example"]),
    st.sampled_from(["en", "de", None]),
    st.sampled_from(["2025-03-01T09:00:00+01:00", "2025-03-02", None]),
    st.sampled_from(["[]", '["Ada"]']),
    st.booleans(),
    st.sampled_from([None, "", "A summary."]),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["insert", "update", "delete"]), st.integers(0, 5), _rows), max_size=25))
def test_counts_follow_every_insert_update_and_delete(tmp_path: Path, steps: list) -> None:
    db = open_database(tmp_path / f"counts-{abs(hash(str(steps)))}.db")
    for action, number, (site, language, day, authors, linked, summary) in steps:
        exists = db.execute("SELECT 1 FROM articles WHERE url LIKE ?", [f"%/{number}"]).fetchone()
        if action == "insert" and not exists:
            _insert(db, number, site, language, day, authors, linked, summary)
        elif action == "update" and exists:
            db.execute(
                "UPDATE articles SET site = ?, language = ?, published_at = ?, authors = ?, next_url = ?, summary = ?"
                " WHERE url LIKE ?",
                [site, language, day, authors, "https://x/n" if linked else None, summary, f"%/{number}"],
            )
        elif action == "delete":
            db.execute("DELETE FROM articles WHERE url LIKE ?", [f"%/{number}"])
        assert db.execute(COUNTS).fetchall() == db.execute(RECOUNT).fetchall()
    db.conn.close()


def test_sqlite_utils_search_works_on_new_and_upgraded_databases(tmp_path: Path) -> None:
    """The README promises sqlite-utils works on the database: `sqlite-utils search news.db articles council`."""
    from click.testing import CliRunner
    from sqlite_utils.cli import cli as sqlite_utils_cli

    old = tmp_path / "old.db"
    legacy = sqlite_utils.Database(sqlite3.connect(old, isolation_level=None))
    migrate(legacy, upto=10)
    assert legacy["articles"].detect_fts() is None  # the older layout: "not configured for full-text search"
    legacy.conn.close()
    for path in (tmp_path / "fresh.db", old):
        db = open_database(path)
        _insert(db, 1, "a.example", "en", "2025-03-01", "[]", False, None)
        db.execute("UPDATE articles SET title = 'The council meets' WHERE id = 1")
        db.conn.close()
        result = CliRunner().invoke(sqlite_utils_cli, ["search", str(path), "articles", "council", "-c", "title"])
        assert result.exit_code == 0, result.output
        assert "The council meets" in result.output
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
