"""`newscrawl enqueue`: put start pages into a shared Redis frontier."""

from __future__ import annotations

import sys

import click
import redis

from crawler import settings as defaults
from crawler.commands.crawl import _check_urls


@click.command()
@click.argument("urls", nargs=-1, required=True, callback=_check_urls)
@click.option("--redis", "redis_url", default=defaults.NEWSCRAWL_REDIS_URL, show_default=True,
              help="Redis server holding the frontier.")
@click.option("--namespace", default=defaults.NEWSCRAWL_REDIS_NAMESPACE, show_default=True,
              help="Prefix of the crawl's Redis keys (one crawl per namespace).")
@click.option("--direction", type=click.Choice(["both", "prev", "next"]), default=defaults.NEWSCRAWL_DIRECTION,
              show_default=True, help="Which neighbours to follow from these pages.")
@click.option("--forget-seen", is_flag=True,
              help="Clear the namespace's record of pages already fetched, so whole chains are fetched again.")
def enqueue(urls: tuple[str, ...], redis_url: str, namespace: str, direction: str, forget_seen: bool) -> None:
    """Seed a distributed crawl: queue article pages as start pages for the workers.

    Workers (`newscrawl worker`) stay on the sites of the URLs enqueued in their
    namespace. Pages fetched before in the namespace are not fetched again when a chain
    reaches them (so re-seeding the newest article crawls only what is new), unless
    --forget-seen is given. A start page itself is always fetched.

    \b
    Example:
      newscrawl enqueue --redis redis://127.0.0.1:6379/0 https://news.example/2025/09/11/a.html
    """
    from crawler.distributed.keys import RedisKeys, connect
    from crawler.distributed.seeding import enqueue_seeds

    try:
        server = connect(redis_url)
    except redis.RedisError as exc:
        click.echo(f"cannot reach Redis at {redis_url}: {exc}", err=True)
        sys.exit(4)
    count = enqueue_seeds(server, RedisKeys(namespace), list(urls), direction=direction, forget_seen=forget_seen)
    click.echo(f"{count} start pages queued in namespace {namespace!r}")
