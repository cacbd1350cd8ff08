"""`newscrawl ingest`: the single writer that stores the workers' items in SQLite."""

from __future__ import annotations

import json
import sqlite3
import sys
import click
import redis

from crawler import settings as defaults
from crawler.commands.interrupt import calling_on_stop
from crawler.commands.options import (
    check_redis_url,
    metrics_port_option,
    parse_overrides,
    with_metrics_port,
    write_db_option,
)


@click.command()
@click.option("--redis", "redis_url", default=defaults.NEWSCRAWL_REDIS_URL, show_default=True, callback=check_redis_url,
              help="Redis server holding the item queue.")
@write_db_option()
@click.option("--namespace", default=defaults.NEWSCRAWL_REDIS_NAMESPACE, show_default=True,
              help="Prefix of the crawl's Redis keys.")
@click.option("--batch-size", type=click.IntRange(min=1, max=5000), default=defaults.NEWSCRAWL_INGEST_BATCH_SIZE,
              show_default=True, help="Items written per transaction.")
@click.option("--idle-close", type=click.FloatRange(min=0), default=defaults.NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS,
              show_default=True,
              help="Stop after nothing was queued, leased or waiting to be written this many seconds (0 = never).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@metrics_port_option
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", callback=parse_overrides,
              help="Override a setting of crawler/settings.py, e.g. NEWSCRAWL_FURNITURE_MIN_PAGES (repeatable).")
def ingest(
    redis_url: str, db_path: str, namespace: str, batch_size: int, idle_close: float, as_json: bool,
    metrics_port: int, overrides: dict[str, str],
) -> None:
    """Store the workers' articles in SQLite: the one writer of a distributed crawl.

    Drains the Redis item queue in batches (one transaction each), removes paragraphs
    repeated across a site's pages (site furniture, learned here from every worker's
    pages), removes duplicates (same canonical URL, or same text under another URL) and
    upserts the articles, so every article is stored once however often workers fetched
    it. Failed and skipped
    pages go to the failures table; the ingest is one row in the runs table. Only one
    ingester may run per namespace. Stops when the crawl has had nothing queued, leased
    or waiting for --idle-close seconds, or on Ctrl-C / SIGTERM after the current batch.

    If Redis goes away, the ingester retries with back-off for NEWSCRAWL_REDIS_OUTAGE_SECONDS
    (-s to change) and then stops with exit 4; a batch it was writing stays in Redis.

    \b
    Exit codes: 0 stored articles, 1 stored none, 6 stored, but a site's dates, authors,
    bodies or links dropped against its earlier runs (logged with the site and field),
    4 could not run, Redis unreachable, or the
    database stopped taking writes, 130 interrupted.

    \b
    Example:
      newscrawl ingest --redis redis://127.0.0.1:6379/0 --db data/news.db
    """
    from crawler.commands.crawl import fast_path_line
    from crawler.analysis.terminal import counted
    from crawler.distributed.ingest import Ingester, WriterBusy
    from crawler.distributed.keys import RedisKeys, RedisUnreachable, connect_with
    from crawler.storage.db import NotANewscrawlDatabase
    from crawler.runner import build_settings, run_exit_code

    settings = build_settings({**with_metrics_port(overrides, metrics_port), "NEWSCRAWL_DB_PATH": db_path, "NEWSCRAWL_INGEST_BATCH_SIZE": batch_size,
                               "NEWSCRAWL_REDIS_URL": redis_url})
    try:
        server = connect_with(settings)
    except RedisUnreachable as exc:
        click.echo(f"Ingest could not run: {exc}", err=True)
        sys.exit(4)
    ingester = Ingester(server, RedisKeys(namespace), settings=settings)
    if settings.getint("NEWSCRAWL_METRICS_PORT"):
        from crawler.metrics import FrontierCollector, StatsCollector, serve_metrics

        serve_metrics(settings.getint("NEWSCRAWL_METRICS_PORT"), settings["NEWSCRAWL_METRICS_HOST"],
                      [StatsCollector(ingester.stats_view), FrontierCollector(server, RedisKeys(namespace))])

    def stop() -> None:
        ingester.stop_requested = True

    try:
        with calling_on_stop(stop):
            report = ingester.run(idle_close_seconds=idle_close,
                                  arguments={"namespace": namespace, "batch_size": batch_size})
    except WriterBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(4)
    except (RedisUnreachable, redis.RedisError) as exc:
        click.echo(f"Ingest stopped: {_clause(exc)}. Batches already written are intact; a batch being written stays "
                   "in Redis for the next ingester.", err=True)
        sys.exit(4)
    except (NotANewscrawlDatabase, OSError, sqlite3.Error) as exc:  # read-only, disk full, not a database
        click.echo(f"Ingest stopped: cannot write to database {db_path}: {_clause(exc)}. Batches already written are "
                   "intact; the batch being written stays in Redis for the next ingester.", err=True)
        sys.exit(4)
    counts = report.counts
    if as_json:
        click.echo(json.dumps({"event": "summary", "run_id": report.run_id, "outcome": report.outcome,
                               "counts": counts.as_dict(), "reasons": dict(report.reasons),
                               "undecodable": report.undecodable, "degraded": report.degraded,
                               "parse_paths": report.parse_paths, "db_path": db_path}, sort_keys=True))
    else:
        click.echo(
            f"Ingest {report.outcome}: {counted(counts.pages_fetched, 'item')} in "
            f"{counted(report.batches, 'batch', 'batches')}, {counted(counts.stored, 'article')} stored ({counts.articles_new:,} new, {counts.articles_updated:,} updated, "
            f"{counts.articles_unchanged:,} unchanged), {counts.skipped:,} skipped, {counts.failed:,} failed."
            + (f"\n{line}" if (line := fast_path_line(report.parse_paths)) else "")
            + f"\nDatabase: {db_path} (run {report.run_id})"
            + (f"\nDEGRADED: field coverage dropped for {', '.join(report.degraded)}" if report.degraded else "")
        )
    sys.exit(run_exit_code(report.outcome, degraded=report.degraded))


def _clause(exc: BaseException) -> str:
    """An error's text to go before the sentence's own full stop (redis-py's end in one: "Connection refused.")."""
    return str(exc).rstrip(". ")
