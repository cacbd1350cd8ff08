"""The template step's guards kept between runs (schema migration 23, crawler/storage/templates.py)."""

from __future__ import annotations

from pathlib import Path

from crawler.storage import SCHEMA_VERSION, open_database
from crawler.storage.schema import _m023_template_guards
from crawler.storage.templates import FAST_READS, KeptHint, KeptPage, SiteGuards, TemplateStore
from tests.storage.olddb import database_before


def _page(index: int) -> KeptPage:
    return KeptPage(f"http://news.test/{index}", f"http://news.test/{index}?x", f"http://news.test/{index}")


def test_a_site_s_guards_read_back_as_written_and_a_later_save_replaces_them(tmp_path: Path) -> None:
    store = TemplateStore(open_database(tmp_path / "news.db"))
    assert store.guards("news.test") == SiteGuards("news.test")  # nothing kept: no schedule, no watch
    written = SiteGuards("news.test", 40, 7, {"body": KeptHint("div.story", (False, True, True), 30, 2)},
                         {FAST_READS: tuple(_page(index) for index in (3, 1, 2)), "body": (_page(9),)})
    store.save((), now="2025-03-05T10:00:00", guards=[written])
    assert store.guards("news.test") == written  # the fast reads in the order they were read
    store.save((), now="2025-03-05T11:00:00", guards=[SiteGuards("news.test", 10, 0)])
    assert store.guards("news.test") == SiteGuards("news.test", 10, 0)


def test_an_older_database_gains_the_tables_with_no_guards_kept(tmp_path: Path) -> None:
    db = open_database(database_before(tmp_path / "old.db", _m023_template_guards))
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert TemplateStore(db).guards("news.test").every is None  # its kept layouts are checked on the first page
