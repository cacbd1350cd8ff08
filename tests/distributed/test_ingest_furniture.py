"""The ingester learns site furniture from every worker's items, as a local crawl's pipeline does.

Items are pushed to a real Redis as workers push them (cleaned, validated, summarized);
the ingester must remove the call-out once it is furniture, summarize a shortened article
again, clean the articles stored before it learned, keep what it learned in the database
and start the next ingest from it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from crawler.distributed.ingest import Ingester
from crawler.distributed.keys import RedisKeys
from crawler.distributed.serializer import dumps_item
from crawler.runner import build_settings
from tests.furniture.test_site_furniture import CALLOUT, TOWNS, cleaned_item
from tests.pipelines.helpers import make_crawler

KEYS = RedisKeys("newscrawl")


def _ingest(redis_client, db: Path, items) -> None:
    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in items))
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_MIN_BODY_CHARS": 100})
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})


def _worker_items(indexes, db: Path):
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db), NEWSCRAWL_MIN_BODY_CHARS=100)
    items = [cleaned_item(index, crawler) for index in indexes]
    for item in items:
        assert CALLOUT in item.parsed.body  # a worker does not know it is furniture
        item.summary = CALLOUT  # as if the worker's summary had picked it
    return items


def _rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT body, summary FROM articles ORDER BY url").fetchall()


def test_ingester_learns_furniture_across_workers_and_keeps_it_for_the_next_ingest(redis_client, tmp_path):
    db = tmp_path / "news.db"
    _ingest(redis_client, db, _worker_items(range(6), db))  # six pages, say three from each of two workers
    rows = _rows(db)
    assert len(rows) == 6
    assert all(CALLOUT not in body for body, _ in rows)  # the first two cleaned when the ingester stopped
    assert all(summary is None or CALLOUT not in summary for _, summary in rows)  # summarized again
    with sqlite3.connect(db) as conn:
        [(pages,)] = conn.execute("SELECT pages_seen FROM site_furniture WHERE sample_text = ?", [CALLOUT]).fetchall()
    assert pages == 6

    _ingest(redis_client, db, _worker_items([len(TOWNS) - 1], db))  # a later ingest: furniture known from the start
    rows = _rows(db)
    assert len(rows) == 7 and all(CALLOUT not in body for body, _ in rows)


def test_furniture_learning_switched_off_keeps_the_bodies(redis_client, tmp_path):
    db = tmp_path / "news.db"
    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in _worker_items(range(4), db)))
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_FURNITURE_MIN_PAGES": 0})
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    assert all(CALLOUT in body for body, _ in _rows(db))
