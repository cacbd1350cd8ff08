"""Storage on a real database file: re-running a crawl updates rows in place, FTS stays in step."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow, UpsertOutcome
from tests.spider.site import LocalSite, Page, article_html, article_path, chain_pages, rows, run_article_spider

CHAIN = 5


def _fts(db: Path, query: str) -> list[str]:
    return [
        row["url"]
        for row in rows(
            db,
            "SELECT articles.url FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY articles.url",
            [query],
        )
    ]


def _row(url: str, body: str, content_hash: str, fetched_at: str = "2025-03-05T10:00:00+00:00") -> ArticleRow:
    return ArticleRow(url=url, site="news.test", title="Harbour news", body=body, content_hash=content_hash,
                      fetched_at=fetched_at)


def test_upserts_update_in_place_and_keep_fts_in_step(tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    store = ArticleStore(open_database(db_path))
    url = "http://news.test/a.html"
    assert store.upsert_articles([_row(url, "The ferry timetable changes.", "h1")]) == [UpsertOutcome.NEW]
    [first] = rows(db_path, "SELECT id, first_seen_at FROM articles")
    assert store.upsert_articles([_row(url, "The ferry timetable changes.", "h1", "2025-03-06T10:00:00+00:00")]) == [
        UpsertOutcome.UNCHANGED
    ]
    assert store.upsert_articles([_row(url, "The lighthouse reopens.", "h2", "2025-03-07T10:00:00+00:00")]) == [
        UpsertOutcome.UPDATED
    ]
    [after] = rows(db_path, "SELECT id, body, first_seen_at, last_seen_at FROM articles")
    assert after["id"] == first["id"] and after["first_seen_at"] == first["first_seen_at"]
    assert after["last_seen_at"] == "2025-03-07T10:00:00+00:00" and after["body"] == "The lighthouse reopens."
    assert _fts(db_path, "lighthouse") == [url]
    assert _fts(db_path, "ferry") == []
    store.db.execute("DELETE FROM articles WHERE url = ?", [url])
    assert _fts(db_path, "lighthouse") == []


def test_the_search_check_notices_an_index_out_of_step(tmp_path: Path) -> None:
    """Without the update trigger the old words stay findable: the checks above can fail."""
    db_path = tmp_path / "news.db"
    store = ArticleStore(open_database(db_path))
    store.upsert_articles([_row("http://news.test/a.html", "The ferry timetable changes.", "h1")])
    store.db.execute("DROP TRIGGER articles_au")
    store.db.execute("UPDATE articles SET body = 'Something else entirely.'")
    assert _fts(db_path, "ferry") == ["http://news.test/a.html"]


def _index_contents(store: ArticleStore) -> list[tuple[object, ...]]:
    store.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
    return store.db.execute("SELECT term, doc, col, offset FROM temp.fts_terms ORDER BY 1, 2, 3, 4").fetchall()


def test_a_batch_feeds_the_index_once_at_its_end_with_what_the_trigger_would_have(tmp_path: Path) -> None:
    """upsert_articles indexes its new rows itself (migration 20); the index equals one rebuilt from
    the rows, also when a batch updates a row it inserted, and other writers still get the trigger."""
    store = ArticleStore(open_database(tmp_path / "news.db"))
    first = [_row(f"http://news.test/{n}.html", f"Ferry number {n} sails at dawn.", f"h{n}") for n in range(5)]
    assert store.upsert_articles(first) == [UpsertOutcome.NEW] * 5
    again = [_row("http://news.test/9.html", "The lighthouse keeper retires.", "k1"),
             _row("http://news.test/9.html", "The lighthouse keeper stays on.", "k2"),  # inserted above, updated here
             _row("http://news.test/1.html", "Ferry number 1 is cancelled.", "c1"),
             _row("http://news.test/7.html", "A new harbour master.", "m1")]
    assert store.upsert_articles(again) == [UpsertOutcome.NEW, UpsertOutcome.UPDATED, UpsertOutcome.UPDATED,
                                            UpsertOutcome.NEW]
    store.db.execute("INSERT INTO articles (url, site, title, body, content_hash, fetched_at, first_seen_at,"
                     " last_seen_at) VALUES ('http://news.test/x.html', 'news.test', 'Other writer',"
                     " 'Written by a script.', 'x', '', '', '')")  # another writer: the trigger indexes it
    assert store.db.execute("SELECT count(*) FROM articles_fts_deferred").fetchone()[0] == 0
    fed = _index_contents(store)
    store.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    assert fed == _index_contents(store) and len(fed) > 40
    assert _fts(tmp_path / "news.db", "lighthouse") == ["http://news.test/9.html"]
    assert _fts(tmp_path / "news.db", "retires") == []
    assert _fts(tmp_path / "news.db", "script") == ["http://news.test/x.html"]


def test_a_batch_that_fails_leaves_neither_rows_nor_index_entries_nor_the_switch(tmp_path: Path) -> None:
    store = ArticleStore(open_database(tmp_path / "news.db"))
    bad = ArticleRow(url="http://news.test/b.html", site="news.test", title=None, body="No title.",  # type: ignore[arg-type]
                     content_hash="b", fetched_at="2025-03-05T10:00:00+00:00")
    with pytest.raises(Exception):
        store.upsert_articles([_row("http://news.test/a.html", "The ferry timetable changes.", "h1"), bad])
    assert store.db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM articles_fts_deferred),"
                            " (SELECT count(*) FROM articles_fts_data)").fetchone()[:2] == (0, 0)
    assert _fts(tmp_path / "news.db", "ferry") == []
    store.upsert_articles([_row("http://news.test/a.html", "The ferry timetable changes.", "h1")])
    assert _fts(tmp_path / "news.db", "ferry") == ["http://news.test/a.html"]


@pytest.mark.slow
def test_rerunning_a_crawl_updates_rows_in_place_and_never_duplicates(tmp_path: Path) -> None:
    """The article spider fetches every page of the chain on each run (no incremental skipping)."""
    db = tmp_path / "news.db"
    with LocalSite(chain_pages(CHAIN)) as site:
        start = site.url(article_path(2))
        first = run_article_spider([start], db)
        assert first.returncode == 0, first.stderr[-3000:]
        before = {row["url"]: row for row in rows(db, "SELECT id, url, first_seen_at, content_hash FROM articles")}
        assert len(before) == CHAIN

        second = run_article_spider([start], db)
        assert second.returncode == 0, second.stderr[-3000:]
        after = {row["url"]: row for row in rows(db, "SELECT id, url, first_seen_at, content_hash FROM articles")}
        assert after == before  # same rows, same ids, nothing added
        run = rows(db, "SELECT articles_new, articles_unchanged FROM runs ORDER BY id DESC LIMIT 1")[0]
        assert run == {"articles_new": 0, "articles_unchanged": CHAIN}

        changed = article_path(3)
        html = article_html(3, prev_url=article_path(2), next_url=article_path(4))
        site.pages[changed] = Page(html.replace(b"<p>Officials said", b"<p>A lighthouse keeper confirmed it. Officials said"))
        third = run_article_spider([start], db)
        assert third.returncode == 0, third.stderr[-3000:]

    final = {row["url"]: row for row in rows(db, "SELECT id, url, first_seen_at, content_hash, body FROM articles")}
    assert len(final) == CHAIN
    updated = final[site.url(changed)]
    assert updated["id"] == before[site.url(changed)]["id"]
    assert updated["content_hash"] != before[site.url(changed)]["content_hash"]
    assert "lighthouse keeper" in updated["body"]
    assert _fts(db, '"lighthouse keeper"') == [site.url(changed)]
    run = rows(db, "SELECT articles_updated, articles_unchanged FROM runs ORDER BY id DESC LIMIT 1")[0]
    assert run == {"articles_updated": 1, "articles_unchanged": CHAIN - 1}
    assert [row["n"] for row in rows(db, "SELECT count(*) AS n FROM runs")] == [3]
    assert _fts(db, "officials") == sorted(final)  # every article still indexed once
