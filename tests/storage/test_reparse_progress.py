"""A killed reparse resumes: with the arguments recorded by this version and by the one before."""

from __future__ import annotations

from crawler.storage import ArticleStore, open_database
from crawler.storage.reparse import progress, save_progress


def test_a_reparse_killed_before_since_took_instants_resumes(tmp_path):
    """A reparse run with --since 2025-09-01 recorded "since": "2025-09-01"; this version records the same
    selection as "2025-09-01T00:00:00+00:00", so it started over instead of going on after the saved article."""
    store = ArticleStore(open_database(tmp_path / "news.db"))
    old = store.start_run(spider="reparse", started_at="2026-12-03T10:00:00+00:00",
                          arguments={"site": None, "since": "2025-09-01", "run": None})
    save_progress(store.db, old, 41)
    now = {"site": None, "since": "2025-09-01T00:00:00+00:00", "run": None}
    assert progress(store.db, now) == (old, 41)
    assert progress(store.db, {**now, "since": "2025-09-01T06:00:00+00:00"}) == (None, 0)  # another selection
    newer = store.start_run(spider="reparse", started_at="2026-12-04T10:00:00+00:00", arguments=now)
    save_progress(store.db, newer, 57)
    assert progress(store.db, now) == (newer, 57)
    store.finish_run(newer, finished_at="x", outcome="success", finish_reason="finished", counts={})
    store.finish_run(old, finished_at="x", outcome="success", finish_reason="finished", counts={})
    assert progress(store.db, now) == (None, 0)  # finished runs are not resumed
