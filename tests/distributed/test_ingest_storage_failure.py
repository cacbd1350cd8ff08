"""A database that stops taking writes (disk full, read-only) stops the ingester cleanly.

The batch being written stays in Redis, what was committed before stays intact, the
command exits 4 with the reason, and the next ingester stores the batch: nothing lost.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.distributed.ingest import Ingester
from crawler.distributed.keys import RedisKeys
from crawler.distributed.serializer import dumps_item
from crawler.runner import build_settings
from crawler.storage import ArticleStore
from tests.furniture.test_site_furniture import cleaned_item
from tests.pipelines.helpers import make_crawler

KEYS = RedisKeys("newscrawl")


def _items(indexes, db: Path):
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db), NEWSCRAWL_MIN_BODY_CHARS=100)
    return [cleaned_item(index, crawler) for index in indexes]


def _stored_urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM articles ORDER BY url")]


def _disk_full_after(monkeypatch: pytest.MonkeyPatch, batches: int) -> None:
    """The first ``batches`` upserts succeed, then every write fails as on a full disk."""
    original = ArticleStore.upsert_articles
    calls = {"n": 0}

    def upsert(self, rows):
        calls["n"] += 1
        if calls["n"] > batches:
            raise sqlite3.OperationalError("database or disk is full")
        return original(self, rows)

    monkeypatch.setattr(ArticleStore, "upsert_articles", upsert)
    original_finish = ArticleStore.finish_run

    def finish_run(self, *args, **kwargs):  # the full disk refuses the run record as well
        if calls["n"] > batches:
            raise sqlite3.OperationalError("database or disk is full")
        return original_finish(self, *args, **kwargs)

    monkeypatch.setattr(ArticleStore, "finish_run", finish_run)


def test_ingester_stops_on_a_full_disk_and_the_next_one_stores_the_batch(redis_client, tmp_path, monkeypatch):
    db = tmp_path / "news.db"
    items = _items(range(4), db)
    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in items))
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_MIN_BODY_CHARS": 100,
                               "NEWSCRAWL_INGEST_BATCH_SIZE": 2, "NEWSCRAWL_FURNITURE_MIN_PAGES": 0})
    with monkeypatch.context() as patch:
        _disk_full_after(patch, batches=1)
        with pytest.raises(sqlite3.OperationalError, match="full"):  # the real error, not one from closing
            Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05,
                                                                arguments={})
    assert len(_stored_urls(db)) == 2  # the first batch is committed and intact
    assert redis_client.llen(KEYS.items_processing) == 2  # the failed batch waits in Redis
    assert not redis_client.exists(KEYS.ingest_lock)  # the next ingester need not wait for the lock to expire

    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    stored = _stored_urls(db)
    assert len(stored) == len(set(stored)) == len(items)  # every article, each once
    assert redis_client.llen(KEYS.items_processing) == 0 and redis_client.llen(KEYS.items) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_ingest_command_exits_4_with_the_reason(redis_client, redis_url, tmp_path, monkeypatch):
    db = tmp_path / "news.db"
    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in _items(range(2), db)))
    _disk_full_after(monkeypatch, batches=0)
    result = CliRunner().invoke(cli, ["ingest", "--redis", redis_url, "--db", str(db), "--idle-close", "0.2",
                                      "-s", "NEWSCRAWL_FURNITURE_MIN_PAGES=0"])
    assert result.exit_code == 4, result.output
    assert "cannot write to database" in result.output and "database or disk is full" in result.output
    assert redis_client.llen(KEYS.items_processing) == 2


def test_the_ingest_command_puts_back_the_signal_handlers_it_found(redis_url, redis_client, tmp_path):
    """Run in-process (a test, a notebook, a supervisor in Python): after it returns, SIGTERM and
    Ctrl-C do what they did before, not set the stop flag of an ingester that is gone."""
    import signal

    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(cli, ["ingest", "--redis", redis_url, "--db", str(tmp_path / "news.db"),
                                      "--idle-close", "0.1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
