"""docs/schema.md: its example queries run on the fixture database, and it names every table and view."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from crawler.storage import open_database

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.DOTALL)


def example_queries() -> list[str]:
    return SQL_BLOCK.findall(SCHEMA_DOC.read_text(encoding="utf-8"))


def test_at_least_ten_examples() -> None:
    assert len(example_queries()) >= 10


@pytest.mark.parametrize("number", range(len(example_queries())), ids=lambda n: f"query-{n + 1}")
def test_example_query_runs_and_finds_rows(analysis_db: Path, number: int) -> None:
    conn = sqlite3.connect(f"file:{analysis_db}?mode=ro", uri=True)
    rows = conn.execute(example_queries()[number]).fetchall()
    assert rows, f"example {number + 1} found nothing on the fixture database"


def test_every_table_and_view_is_documented(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    names = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        if not name.startswith("sqlite_") and not name.startswith("articles_fts_")
    ]
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    assert [name for name in names if f"`{name}`" not in text] == []


def test_every_article_column_is_documented(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db")
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    columns = [row[1] for row in db.execute("PRAGMA table_info(articles)")]
    assert [name for name in columns if f"`{name}`" not in text] == []
