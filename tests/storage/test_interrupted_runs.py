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

    assert store.close_interrupted_runs(["a.example", "b.example"], finished_at="2026-01-02T00:00:00+00:00") == 2

    outcomes = dict(store.db.execute("SELECT id, outcome FROM runs").fetchall())
    assert outcomes[dead] == outcomes[dead_multi] == "interrupted"
    assert outcomes[other] == outcomes[partly_other] == "running"
    assert list(outcomes.values()).count("success") == 1
    reason = store.db.execute("SELECT finish_reason, finished_at FROM runs WHERE id = ?", [dead]).fetchone()
    assert "without closing" in reason[0] and reason[1] == "2026-01-02T00:00:00+00:00"
    assert store.close_interrupted_runs([], finished_at="x") == 0
