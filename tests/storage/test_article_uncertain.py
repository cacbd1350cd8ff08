"""The article_uncertain column: an article detection called by a small margin is stored, flagged."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from crawler.article.row import article_row
from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.storage import SCHEMA_VERSION, ArticleStore, open_database
from crawler.storage.schema import _m022_article_uncertain
from crawler.storage.store import ArticleRow, UpsertOutcome
from tests.parsing.helpers import article_body, html
from tests.storage.olddb import database_before

ROW = ArticleRow(
    url="http://news.test/restoration", site="news.test", title="Restoration", body="The ferry timetable changes.",
    content_hash="h1", fetched_at="2025-03-05T10:00:00+00:00", article_uncertain=True,
)


def _flag(path: Path) -> int:
    return sqlite3.connect(path).execute("SELECT article_uncertain FROM articles").fetchone()[0]


def test_an_older_database_gains_the_column_with_every_row_sure(tmp_path: Path) -> None:
    path = database_before(tmp_path / "old.db", _m022_article_uncertain)
    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT article_uncertain FROM articles").fetchone() == (0,)


def test_stored_flagged_and_refreshed_when_the_page_is_seen_again(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    store = ArticleStore(open_database(path))
    assert store.upsert_articles([ROW]) == [UpsertOutcome.NEW]
    assert _flag(path) == 1
    again = replace(ROW, fetched_at="2025-03-06T10:00:00+00:00", article_uncertain=False)
    assert store.upsert_articles([again]) == [UpsertOutcome.UNCHANGED]
    assert _flag(path) == 0


def test_the_parser_verdict_reaches_the_row() -> None:
    url = "https://shop.example/restoration"
    parsed = parse_page(html("<h1>Restoration</h1>" + article_body(6)), url)
    item = PageItem(parsed, url, url, 200, "2025-03-05T10:00:00+00:00", "shop.example", url=url, content_hash="h1")
    assert parsed.article_uncertain and article_row(item).article_uncertain
