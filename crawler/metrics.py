"""Prometheus metrics of a local crawl, a worker and the ingester (prometheus-client).

``--metrics-port PORT`` on ``crawl``, ``worker`` and ``ingest`` (NEWSCRAWL_METRICS_PORT)
serves ``http://NEWSCRAWL_METRICS_HOST:PORT/metrics``. Nothing is counted twice: every
value is read when Prometheus scrapes, from the process's own counters (Scrapy's stats,
the ingester's run counts) and, for the Redis pieces, from Redis. Names (docs/scaling.md
lists them with their labels):

| metric | type | from |
|---|---|---|
| ``newscrawl_pages_fetched_total`` | counter | pages fetched (crawl, worker); items taken (ingester) |
| ``newscrawl_items_total{outcome}`` | counter | ``pushed`` (worker); ``new`` / ``updated`` / ``unchanged`` articles (crawl, ingester) |
| ``newscrawl_failures_total{kind,reason}`` | counter | pages failed or skipped, by reason |
| ``newscrawl_redis_requeued_total`` | counter | expired leases this worker handed back |
| ``newscrawl_frontier_requests{site}`` | gauge | requests queued per site (worker, ingester) |
| ``newscrawl_frontier_leases`` | gauge | requests leased by all workers |
| ``newscrawl_item_backlog`` | gauge | items waiting for the ingester |
| ``newscrawl_field_coverage{site,field}`` | gauge | share of the run's articles of a site with the field (crawl, ingester) |
| ``newscrawl_coverage_degraded_total`` | counter | fields whose coverage dropped in this run (crawl, ingester) |

Settings: NEWSCRAWL_METRICS_PORT, NEWSCRAWL_METRICS_HOST.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from scrapy import signals
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

FAILURE_KINDS = ("failed", "skipped")


class StatsCollector(Collector):
    """Counters from a stats mapping (``newscrawl/...`` keys), read at scrape time."""

    def __init__(self, stats: Callable[[], Mapping[str, Any]]) -> None:
        self.stats = stats

    def collect(self) -> Iterator[Metric]:
        values = dict(self.stats())
        pages = CounterMetricFamily("newscrawl_pages_fetched", "Pages fetched (items taken, for the ingester).")
        pages.add_metric([], values.get("newscrawl/pages_fetched", 0))
        yield pages
        items = CounterMetricFamily("newscrawl_items", "Items handed on or stored, by outcome.", labels=["outcome"])
        for outcome, key in (("pushed", "newscrawl/redis/items_pushed"), ("new", "newscrawl/articles_new"),
                             ("updated", "newscrawl/articles_updated"),
                             ("unchanged", "newscrawl/articles_unchanged")):
            if key in values:
                items.add_metric([outcome], values[key])
        yield items
        failures = CounterMetricFamily("newscrawl_failures", "Pages that failed or were skipped, by reason.",
                                       labels=["kind", "reason"])
        for key, value in values.items():
            parts = key.split("/")
            if len(parts) == 3 and parts[0] == "newscrawl" and parts[1] in FAILURE_KINDS:
                failures.add_metric([parts[1], parts[2]], value)
        yield failures
        requeued = CounterMetricFamily("newscrawl_redis_requeued", "Expired leases this process handed back.")
        requeued.add_metric([], values.get("newscrawl/redis/requeued", 0))
        yield requeued
        yield from _coverage(values)


def _coverage(values: Mapping[str, Any]) -> Iterator[Metric]:
    """``newscrawl/coverage/<site>/<field>`` over ``.../articles`` (``crawler.article.coverage``)."""
    gauge = GaugeMetricFamily("newscrawl_field_coverage", "Share of the run's articles of a site with the field.",
                              labels=["site", "field"])
    for key, value in values.items():
        if key.startswith("newscrawl/coverage/") and key.count("/") == 3 and not key.endswith("/articles"):
            site, field = key.split("/")[2:]
            articles = values.get(f"newscrawl/coverage/{site}/articles")
            if articles:
                gauge.add_metric([site, field], value / articles)
    yield gauge
    degraded = CounterMetricFamily("newscrawl_coverage_degraded", "Fields whose coverage dropped in this run.")
    degraded.add_metric([], values.get("newscrawl/coverage/degraded", 0))
    yield degraded


class FrontierCollector(Collector):
    """Gauges read from the shared frontier in Redis at scrape time (workers and the ingester)."""

    def __init__(self, server: Any, keys: Any) -> None:
        from crawler.distributed.frontier import FrontierKeys

        self.server, self.keys, self.frontier = server, keys, FrontierKeys(keys.requests)

    def collect(self) -> Iterator[Metric]:
        try:
            sites = [site.decode() for site in self.server.zrange(self.frontier.sites, 0, -1)]
            with self.server.pipeline(transaction=False) as pipe:
                for site in sites:
                    pipe.zcard(self.frontier.queue(site))
                pipe.zcard(self.frontier.leases)
                pipe.llen(self.keys.items)
                pipe.llen(self.keys.items_processing)
                *queued, leases, items, processing = pipe.execute()
        except Exception as exc:  # Redis away: the scrape shows the process's own counters only
            logger.debug("frontier metrics unavailable: %r", exc)
            return
        frontier = GaugeMetricFamily("newscrawl_frontier_requests", "Requests queued, per site.", labels=["site"])
        for site, count in zip(sites, queued):
            frontier.add_metric([site], count)
        yield frontier
        yield GaugeMetricFamily("newscrawl_frontier_leases", "Requests leased by all workers.", value=leases)
        yield GaugeMetricFamily("newscrawl_item_backlog", "Items waiting for the ingester.", value=items + processing)


def serve_metrics(port: int, host: str, collectors: list[Collector]) -> CollectorRegistry:
    """Start the /metrics endpoint in a daemon thread with these collectors; returns its registry."""
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)
    start_http_server(port, addr=host, registry=registry)
    logger.info("metrics on http://%s:%s/metrics", host, port)
    return registry


class MetricsExtension:
    """Scrapy extension: the endpoint of a local crawl or a worker (NotConfigured without a port)."""

    def __init__(self, crawler: Any, port: int, host: str) -> None:
        self.crawler, self.port, self.host = crawler, port, host

    @classmethod
    def from_crawler(cls, crawler: Any) -> MetricsExtension:
        port = crawler.settings.getint("NEWSCRAWL_METRICS_PORT")
        if port <= 0:
            raise NotConfigured
        extension = cls(crawler, port, crawler.settings.get("NEWSCRAWL_METRICS_HOST"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider: Any) -> None:
        collectors: list[Collector] = [StatsCollector(lambda: self.crawler.stats.get_stats().copy())]
        scheduler = getattr(self.crawler.engine, "_slot", None) and self.crawler.engine._slot.scheduler
        keys = getattr(scheduler, "keys", None)
        if keys is not None:  # a worker: its frontier too
            collectors.append(FrontierCollector(scheduler.server, keys))
        try:
            serve_metrics(self.port, self.host, collectors)
        except OSError as exc:  # taken since the command line was read: the crawl goes on, said in one line
            logger.error("no metrics endpoint: cannot listen on %s:%s (%s)", self.host, self.port, exc.strerror or exc)
