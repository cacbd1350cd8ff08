"""A run whose process died stays 'running' until a later run of its site closes it."""

from __future__ import annotations

from crawler.storage import ArticleStore, open_database


def _run(store: ArticleStore, site: str | None, sites: list[str]) -> int:
    return store.start_run(spider="site", started_at="2026-01-01T00:00:00+00:00", arguments={"sites": sites}, site=site)


def test_runs_left_running_are_marked_interrupted_only_for_the_locked_sites(tmp_path):
    store = ArticleStore(open_database(tmp_path / "news.db"))
    dead = _run(store, "a.example", ["a.example"])
    dead_multi = _run(store, None, ["a.example", "b.example"])
    other = _run(store, "c.example", ["c.example"])
    partly_other = _run(store, None, ["a.example", "c.example"])
    store.finish_run(_run(store, "a.example", ["a.example"]), finished_at="x", outcome="success", finish_reason="finished", counts={})

    assert store.close_interrupted_runs(["a.example", "b.example"]) == 2

    outcomes = dict(store.db.execute("SELECT id, outcome FROM runs").fetchall())
    assert outcomes[dead] == outcomes[dead_multi] == "interrupted"
    assert outcomes[other] == outcomes[partly_other] == "running"
    assert list(outcomes.values()).count("success") == 1
    reason = store.db.execute("SELECT finish_reason, finished_at FROM runs WHERE id = ?", [dead]).fetchone()
    assert "without closing" in reason[0] and reason[1] == "2026-01-01T00:00:00+00:00"  # left nothing: ends at its start
    assert store.close_interrupted_runs([]) == 0


def test_a_killed_run_gets_its_end_and_counts_from_what_it_left(tmp_path):
    """Before, a later run wrote its own clock as the end (hours of 'duration') and left every count at 0."""
    from crawler.storage.state import CrawlState, StateChange
    from crawler.storage.store import ArticleRow

    db = open_database(tmp_path / "news.db")
    store = ArticleStore(db)
    old = ArticleRow(url="https://a.example/old", site="a.example", title="Old", body="old body", content_hash="h0",
                     fetched_at="2025-12-01T00:00:00+00:00")
    store.upsert_articles([old])
    db.execute("UPDATE articles SET first_seen_at = '2025-12-01T00:00:00+00:00'")
    dead = _run(store, "a.example", ["a.example"])
    rows = [ArticleRow(url=f"https://a.example/{n}", site="a.example", title=f"T{n}", body=f"body {n}",
                       content_hash=f"h{n}", fetched_at="2026-01-01T00:05:00+00:00") for n in (1, 2)]
    rows.append(ArticleRow(url=old.url, site="a.example", title="Old, revised", body="new body", content_hash="h9",
                           fetched_at="2026-01-01T00:06:00+00:00"))
    store.upsert_articles(rows)
    state = CrawlState(db)
    state.record([StateChange(url=row.url, site="a.example", state="done", reason="stored") for row in rows]
                 + [StateChange(url="https://a.example/same", site="a.example", state="done", reason="not_modified"),
                    StateChange(url="https://a.example/x", site="a.example", state="failed", reason="http_404")],
                 run_id=dead)
    store.record_failures([{"url": "https://a.example/x", "site": "a.example", "reason": "http_404", "detail": "",
                            "http_status": 404, "failed_at": "2026-01-01T00:09:00+00:00"}], run_id=dead)
    db.execute("UPDATE crawl_state SET updated_at = '2026-01-01T00:08:00+00:00'")

    assert store.close_interrupted_runs(["a.example"]) == 1
    run = dict(zip(("outcome", "finished_at", "new", "updated", "unchanged", "not_modified", "failed", "pages"),
                   db.execute("SELECT outcome, finished_at, articles_new, articles_updated, articles_unchanged,"
                              " not_modified, failed, pages_fetched FROM runs WHERE id = ?", [dead]).fetchone()))
    assert run == {"outcome": "interrupted", "finished_at": "2026-01-01T00:09:00+00:00", "new": 2, "updated": 1,
                   "unchanged": 0, "not_modified": 1, "failed": 1, "pages": 5}


def test_an_article_stored_just_before_the_kill_is_settled_and_counted(tmp_path):
    """Killed between committing an article and writing its crawl state, a run left the URL pending;
    no later run took it up (stored articles are not resumed), so it stayed pending for ever (the
    twenty-kill test found {'done': 150, 'pending': 1}) and the killed run did not count the article."""
    from crawler.storage.state import CrawlState, StateChange
    from crawler.storage.store import ArticleRow

    db = open_database(tmp_path / "news.db")
    store = ArticleStore(db)
    dead = _run(store, "a.example", ["a.example"])
    state = CrawlState(db)
    urls = [f"https://a.example/{n}" for n in range(3)]
    state.record([StateChange(url=url, site="a.example", state="pending") for url in urls], run_id=dead)
    state.record([StateChange(url=urls[1], site="a.example", state="in_flight")], run_id=dead)
    store.upsert_articles([ArticleRow(url=url, site="a.example", title="T", body=f"body {url}", content_hash=url,
                                      fetched_at="2026-01-01T00:05:00+00:00") for url in urls[:2]])

    assert store.close_interrupted_runs(["a.example"]) == 1
    states = dict(db.execute("SELECT url, state FROM crawl_state").fetchall())
    assert states == {urls[0]: "done", urls[1]: "done", urls[2]: "pending"}  # the third was never stored
    assert [row.url for row in state.resumable("a.example", max_attempts=3)] == [urls[2]]
    new = db.execute("SELECT articles_new FROM runs WHERE id = ?", [dead]).fetchone()[0]
    assert new == 2
