"""The Prometheus endpoint: names, labels and values read at scrape time, for crawl, worker and ingester."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.distributed import serializer
from crawler.distributed.frontier import LeasedQueue, SitePolicy
from crawler.distributed.keys import RedisKeys
from crawler.metrics import FrontierCollector, MetricsExtension, StatsCollector
from tests.distributed.conftest import free_port, redis_client, redis_url  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def _scrape(*collectors) -> dict:
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)
    return _samples(generate_latest(registry).decode())


def test_stats_become_counters_by_outcome_and_reason():
    stats = {"newscrawl/pages_fetched": 12, "newscrawl/articles_new": 9, "newscrawl/failed/http_404": 2,
             "newscrawl/skipped/not_article": 1, "newscrawl/redis/requeued": 3, "newscrawl/redis/items_pushed": 11,
             "newscrawl/coverage/a.example/articles": 4, "newscrawl/coverage/a.example/date": 3,
             "newscrawl/coverage/degraded": 1, "newscrawl/coverage/degraded/a.example/authors": 1}
    samples = _scrape(StatsCollector(lambda: stats))
    assert samples[("newscrawl_pages_fetched_total", ())] == 12
    assert samples[("newscrawl_items_total", (("outcome", "new"),))] == 9
    assert samples[("newscrawl_items_total", (("outcome", "pushed"),))] == 11
    assert samples[("newscrawl_failures_total", (("kind", "failed"), ("reason", "http_404")))] == 2
    assert samples[("newscrawl_failures_total", (("kind", "skipped"), ("reason", "not_article")))] == 1
    assert samples[("newscrawl_redis_requeued_total", ())] == 3
    assert samples[("newscrawl_field_coverage", (("field", "date"), ("site", "a.example")))] == 0.75
    assert samples[("newscrawl_coverage_degraded_total", ())] == 1


def test_the_frontier_per_site_leases_and_backlog_come_from_redis(redis_client):
    keys = RedisKeys("m")
    queue = LeasedQueue(redis_client, Spider(name="probe"), keys.requests, serializer, lease_seconds=30,
                        policy=SitePolicy(delay=0, concurrency=10))
    for url in ("https://a.example/1", "https://a.example/2", "https://b.example/1"):
        queue.push(Request(url))
    queue.pop()
    redis_client.rpush(keys.items, b"{}", b"{}")
    samples = _scrape(FrontierCollector(redis_client, keys))
    assert samples[("newscrawl_frontier_requests", (("site", "a.example"),))] == 1
    assert samples[("newscrawl_frontier_requests", (("site", "b.example"),))] == 1
    assert samples[("newscrawl_frontier_leases", ())] == 1
    assert samples[("newscrawl_item_backlog", ())] == 2


def test_the_extension_serves_a_workers_stats_and_frontier(redis_client):
    port = free_port()
    crawler = get_crawler(settings_dict={"NEWSCRAWL_METRICS_PORT": port, "NEWSCRAWL_METRICS_HOST": "127.0.0.1"})
    crawler.stats.open_spider()
    crawler.stats.set_value("newscrawl/pages_fetched", 5)
    scheduler = SimpleNamespace(server=redis_client, keys=RedisKeys("m"))
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(scheduler=scheduler))
    MetricsExtension.from_crawler(crawler).spider_opened(spider=None)
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    samples = _samples(text)
    assert samples[("newscrawl_pages_fetched_total", ())] == 5
    assert ("newscrawl_frontier_leases", ()) in samples


@pytest.mark.parametrize("command", [["crawl", "http://127.0.0.1:9/a.html"], ["worker"], ["ingest"]])
def test_a_metrics_port_already_taken_is_a_usage_error(command: list[str], tmp_path) -> None:
    """`crawl --metrics-port` on a busy port logged the endpoint's OSError traceback among Scrapy's lines
    and crawled on without metrics (exit 0); `ingest` ended in the traceback."""
    import socket

    from click.testing import CliRunner

    from crawler.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, [*command, "--metrics-port", str(port), "--db", str(tmp_path / "news.db")]
                                    if command[0] != "worker" else [*command, "--metrics-port", str(port)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert f"port {port} on 127.0.0.1 is not free" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "news.db").exists()


def test_a_port_taken_after_the_command_line_was_read_is_one_log_line(caplog) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        crawler = get_crawler(settings_dict={"NEWSCRAWL_METRICS_PORT": port, "NEWSCRAWL_METRICS_HOST": "127.0.0.1"})
        crawler.engine = SimpleNamespace(_slot=None)
        MetricsExtension.from_crawler(crawler).spider_opened(spider=None)
    assert f"no metrics endpoint: cannot listen on 127.0.0.1:{port}" in caplog.text


def test_no_port_no_endpoint():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        MetricsExtension.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_METRICS_PORT": 0}))


def test_the_ingester_serves_its_counts_and_the_backlog(redis_url, redis_client, tmp_path):
    port = free_port()
    redis_client.rpush("newscrawl:items", b"not newscrawl json")
    ingest = subprocess.Popen([sys.executable, "-m", "crawler", "ingest", "--redis", redis_url, "--db",
                               str(tmp_path / "news.db"), "--idle-close", "30", "--metrics-port", str(port)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, text = time.monotonic() + 30, ""
        while "newscrawl_item_backlog 0.0" not in text:  # up, and the one item taken
            assert time.monotonic() < deadline and ingest.poll() is None, ingest.stderr.read() if ingest.poll() else ""
            try:
                text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
        samples = _samples(text)
        assert ("newscrawl_pages_fetched_total", ()) in samples and ("newscrawl_frontier_leases", ()) in samples
    finally:
        ingest.terminate()
        ingest.wait(timeout=30)
