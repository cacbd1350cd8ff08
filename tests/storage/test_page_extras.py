"""The lead image, keywords and free-to-read columns: added to older files, stored, refreshed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from crawler.storage import SCHEMA_VERSION, ArticleStore, open_database
from crawler.storage.schema import _m010_image_keywords_access
from crawler.storage.store import ArticleRow, UpsertOutcome
from tests.storage.olddb import database_before

ROW = ArticleRow(
    url="http://news.test/a.html", site="news.test", title="Harbour news", body="The ferry timetable changes.",
    content_hash="h1", fetched_at="2025-03-05T10:00:00+00:00",
    image_url="http://news.test/lead.jpg", keywords=("Ferries", "Hafen"), free_to_read=False,
)


def _stored(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    return conn.execute("SELECT image_url, keywords, free_to_read FROM articles").fetchone()


def test_an_older_database_gains_the_columns(tmp_path: Path) -> None:
    path = database_before(tmp_path / "old.db", _m010_image_keywords_access)
    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT image_url, keywords, free_to_read FROM articles").fetchone() == (None, "[]", None)


def test_stored_and_refreshed_when_the_text_is_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    store = ArticleStore(open_database(path))
    assert store.upsert_articles([ROW]) == [UpsertOutcome.NEW]
    image, keywords, free = _stored(path)
    assert (image, json.loads(keywords), free) == ("http://news.test/lead.jpg", ["Ferries", "Hafen"], 0)
    again = replace(ROW, fetched_at="2025-03-06T10:00:00+00:00", image_url=None, keywords=("Ferries",), free_to_read=None)
    assert store.upsert_articles([again]) == [UpsertOutcome.UNCHANGED]
    assert _stored(path) == (None, '["Ferries"]', None)
