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
