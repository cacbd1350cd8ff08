"""A distributed crawl keeps every fetched page, as a local crawl does (issue 13, item 1).

Each worker writes its own WARC files and hands each record's index row to the single writer
through the Redis item list; the ingester indexes them under its run, so its end-of-run template
re-check, ``reparse`` and ``import`` read a worker's pages back. A killed worker's partial last
record and an ingester killed mid-batch are covered by test_redis_cluster.py and
test_ingest_killed.py, a Redis restarted mid-crawl by test_redis_outage.py (each checks
``assert_every_article_archived``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.http import HtmlResponse

from bench.template.sites import path_of
from crawler.archive.warc import read_archived
from crawler.cli import cli
from crawler.demo.chainsites import ChainSite
from crawler.distributed.archive import RedisIndex, WorkerArchiveMiddleware, worker_prefix
from crawler.distributed.ingest import Ingester
from crawler.distributed.keys import RedisKeys
from crawler.distributed.serializer import dumps_item, loads_item
from crawler.runner import build_settings
from crawler.signals import redis_failed
from crawler.storage import open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from tests.distributed.conftest import assert_every_article_archived
from tests.distributed.test_ingest_templates import _caption_site, _crawl
from tests.distributed.test_redis_discovery import ROOT, enqueue, query
from tests.pipelines.helpers import BASE, article_html, make_crawler, page_item

KEYS = RedisKeys("newscrawl")


def _fetch(middleware: WorkerArchiveMiddleware, index: int) -> HtmlResponse:
    url = f"{BASE}/a/{index}.html"
    response = HtmlResponse(url=url, body=article_html(index), request=Request(url),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    assert middleware.process_response(response.request, response) is response
    return response


def _ingest(redis_client, db: Path) -> int:
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db), "NEWSCRAWL_PARSE_PROCESSES": 1})
    return Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05,
                                                                arguments={}).run_id


def test_a_workers_records_are_indexed_by_the_ingester_once_and_reparse_reads_them(redis_url, redis_client,
                                                                                   tmp_path):
    db, warc = tmp_path / "news.db", tmp_path / "warc"
    crawler = make_crawler(NEWSCRAWL_REDIS_URL=redis_url, NEWSCRAWL_ARCHIVE_DIR=str(warc),
                           NEWSCRAWL_DB_PATH=str(tmp_path / "worker-has-no.db"))
    middleware = WorkerArchiveMiddleware.from_crawler(crawler)
    responses = [_fetch(middleware, index) for index in range(3)]
    middleware.spider_closed()
    redis_client.rpush(KEYS.items, dumps_item(page_item(responses[1].body, responses[1].url)))  # the page's article
    assert not (tmp_path / "worker-has-no.db").exists()  # a worker opens no database
    assert [path.name.startswith("newscrawl-worker-") for path in warc.iterdir()] == [True]
    pushed = [loads_item(data) for data in redis_client.lrange(KEYS.items, 0, -1)]
    assert [type(item).__name__ for item in pushed] == ["ArchivedResponse"] * 3 + ["PageItem"]  # rows first

    run_id = _ingest(redis_client, db)
    index = ArchiveIndex(open_database(db))
    assert index.totals().records == 3
    found = index.latest([responses[1].url])
    assert found is not None and found.run_id == run_id
    assert read_archived(warc, found.file, found.offset, found.length).body == responses[1].body

    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in pushed[:3]))  # a batch written again after a kill
    _ingest(redis_client, db)
    assert index.totals().records == 3

    result = CliRunner().invoke(cli, ["reparse", "--db", str(db), "--json", "-s", "NEWSCRAWL_PARSE_PROCESSES=1"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["selected"] == 1 and summary["counts"]["failed"] == 0, summary


def test_an_index_row_that_meets_a_dead_redis_sends_its_page_back(tmp_path):
    crawler = make_crawler()
    said: list[BaseException] = []
    crawler.signals.connect(lambda error: said.append(error), signal=redis_failed, weak=False)
    row = ArchivedResponse(None, f"{BASE}/a/1.html", f"{BASE}/a/1.html", 200, "text/html", "2025-09-11T08:30:00+00:00",
                           "newscrawl-worker-h-1-00001.warc.gz", 100, 900, 2000, "sha1:X")
    RedisIndex(_Down(), KEYS.items, crawler.stats, crawler.signals).add(row)
    assert len(said) == 1  # the scheduler hands the request back instead of acknowledging it: fetched again
    assert crawler.stats.get_value("newscrawl/redis/index_not_pushed") == 1


class _Down:
    def rpush(self, *args: object) -> None:
        import redis

        raise redis.ConnectionError("down")


def test_worker_file_names_are_unique_to_machine_start_and_process():
    assert worker_prefix(host="crawl-07.example", pid=4242, started=None).startswith("newscrawl-worker-crawl-07.example-")
    assert worker_prefix(host="bad/host name", pid=1).split("-")[2:4] == ["bad", "host"]
    assert worker_prefix(host="a", pid=1) != worker_prefix(host="a", pid=2)


def test_a_worker_whose_archive_folder_cannot_be_written_does_not_start(redis_url, redis_client, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = subprocess.run([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, "--idle-close", "1",
                             "-s", f"NEWSCRAWL_ARCHIVE_DIR={blocker / 'warc'}"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 4
    assert "cannot write the WARC archive" in result.stdout + result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_ingesters_recheck_reads_a_workers_pages_and_import_reads_its_files(redis_url, redis_client, tmp_path):
    """Oldest first, a worker parses the two trapped pages before the site's template exists; the
    ingester's end-of-run re-check reads them back from the worker's WARC files and corrects their
    dates (before, it counted them not archived). ``import`` of the workers' folder finds the same articles."""
    site, trapped = _caption_site()
    db = tmp_path / "news.db"
    with ChainSite({path_of(page.url): page.html.encode() for page in site.pages}) as server:
        urls = {page.url: server.url(path_of(page.url)) for page in site.pages}
        enqueue(redis_url, urls[site.pages[0].url], "--direction", "next")
        _crawl(redis_url, db)
    stored = dict(query(db, "SELECT url, substr(published_at, 1, 10) FROM articles"))
    assert {page.url: stored.get(urls[page.url]) for page in site.pages} == {
        page.url: page.truth.day for page in site.pages}
    assert {urls[page.url] for page in trapped} <= {url for (url,) in query(db, "SELECT url FROM article_history")}
    assert_every_article_archived(db)

    imported = subprocess.run([sys.executable, "-m", "crawler", "import", str(tmp_path / "warc"), "--db",
                               str(tmp_path / "imported.db"), "--json"], cwd=ROOT, capture_output=True, text=True,
                              timeout=180)  # fmt: skip
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert {url for (url,) in query(tmp_path / "imported.db", "SELECT url FROM articles")} == set(stored)
