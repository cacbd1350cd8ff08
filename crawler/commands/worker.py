"""`newscrawl worker`: crawl from a shared Redis frontier, hand items to the ingester."""

from __future__ import annotations

import json
import sys

import click

from crawler import settings as defaults
from crawler.commands.options import (
    check_networks,
    check_redis_url,
    language_option,
    metrics_port_option,
    parse_overrides,
    with_languages,
    with_metrics_port,
)
from crawler.analysis.terminal import counted


def _summary(summary: object) -> str:
    stats = summary.stats  # type: ignore[attr-defined]
    if summary.error:  # type: ignore[attr-defined]
        started = summary.finish_reason is not None  # type: ignore[attr-defined]
        return f"Worker {'stopped' if started else 'could not run'}: {summary.error}"  # type: ignore[attr-defined]
    return (
        f"Worker stopped ({summary.finish_reason}): "  # type: ignore[attr-defined]
        f"{counted(stats.get('newscrawl/pages_fetched', 0), 'page')} fetched, "
        f"{counted(stats.get('newscrawl/redis/items_pushed', 0), 'item')} pushed, "
        f"{counted(stats.get('newscrawl/redis/acked', 0), 'request')} done, "
        f"{counted(stats.get('newscrawl/redis/requeued', 0), 'expired lease')} handed back."
    )


@click.command()
@click.option("--redis", "redis_url", default=defaults.NEWSCRAWL_REDIS_URL, show_default=True, callback=check_redis_url,
              help="Redis server holding the frontier and the item queue.")
@click.option("--namespace", default=defaults.NEWSCRAWL_REDIS_NAMESPACE, show_default=True,
              help="Prefix of the crawl's Redis keys (one crawl per namespace).")
@click.option("--allow-network", "allow_networks", multiple=True, metavar="CIDR", callback=check_networks,
              help="Allow requests to this non-public network, e.g. 127.0.0.0/8 for a local site (repeatable).")
@click.option("--idle-close", type=click.FloatRange(min=0), default=defaults.NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS,
              show_default=True, help="Stop after the frontier was empty this many seconds (0 = never).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--json-logs", is_flag=True, help="Log as JSON lines on stderr, the summary as JSON on stdout.")
@language_option
@metrics_port_option
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", callback=parse_overrides,
              help="Override a setting of crawler/settings.py for this worker (repeatable).")
def worker(
    redis_url: str,
    namespace: str,
    allow_networks: tuple[str, ...],
    idle_close: float,
    quiet: bool,
    json_logs: bool,
    languages: list[str],
    metrics_port: int,
    overrides: dict[str, str],
) -> None:
    """Crawl article chains from a shared Redis frontier (run any number, on any machine).

    Takes requests from the frontier that `newscrawl enqueue` seeded, fetches and parses
    them, cleans and validates the articles and pushes them to a Redis list, which
    `newscrawl ingest` (the single writer) stores. Each request taken is a lease: if the
    worker dies, the request is handed to another worker after the visibility timeout
    (NEWSCRAWL_REDIS_LEASE_SECONDS). The worker stops by itself when the frontier has
    been empty for --idle-close seconds.

    \b
    Exit codes:
      0    the frontier stayed empty for the idle time
      4    the worker could not run (Redis unreachable, nothing enqueued), or Redis stayed
           unreachable mid-crawl for NEWSCRAWL_REDIS_OUTAGE_SECONDS (retried with back-off)
      130  stopped by Ctrl-C or SIGTERM (its unfinished requests go back to the frontier)

    \b
    Example:
      newscrawl enqueue --redis redis://10.0.0.5:6379/0 https://news.example/2025/09/11/a.html
      newscrawl worker --redis redis://10.0.0.5:6379/0 &
      newscrawl ingest --redis redis://10.0.0.5:6379/0 --db data/news.db
    """
    if quiet and json_logs:
        raise click.UsageError("--quiet and --json-logs exclude each other")
    from crawler.distributed.worker import WorkerOptions, run_worker  # Scrapy only when running

    output = "json" if json_logs else "quiet" if quiet else "plain"
    summary = run_worker(WorkerOptions(
        redis_url=redis_url, namespace=namespace, allow_networks=list(allow_networks),
        idle_close_seconds=idle_close, output=output, settings=with_languages(with_metrics_port(overrides, metrics_port), languages),
    ))
    if output == "json":
        click.echo(json.dumps({"event": "summary", "exit_code": summary.exit_code,
                               "finish_reason": summary.finish_reason, "error": summary.error,
                               "stats": summary.stats}, default=str, sort_keys=True))
    elif output != "quiet" or summary.exit_code:
        click.echo(_summary(summary), err=output == "quiet")
    sys.exit(summary.exit_code)
