"""`newscrawl enqueue`: put start pages, feeds, sitemaps or site profiles into a shared Redis frontier."""

from __future__ import annotations

import sys

import click
import redis

from crawler import settings as defaults
from crawler.analysis.terminal import counted
from crawler.commands.crawl import _check_urls, _parse_variables
from crawler.commands.options import check_redis_url
from crawler.exitcodes import ExitCode


@click.command()
@click.argument("urls", nargs=-1, callback=_check_urls)
@click.option("--feed", "feeds", multiple=True, metavar="URL", callback=_check_urls,
              help="An RSS/Atom feed whose entries are articles to fetch (repeatable).")
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL", callback=_check_urls,
              help="A sitemap or sitemap index of article pages (repeatable).")
@click.option("--site", "site_keys", multiple=True, metavar="KEY",
              help="Seed this site of the profiles file: its start pages, feeds, sitemaps and settings (repeatable).")
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False), default=defaults.NEWSCRAWL_SITES_PATH,
              show_default=True, help="Site profiles file (TOML; see sites.example.toml).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", callback=_parse_variables,
              help="Value of a ${NAME} placeholder of the profiles file (repeatable).")
@click.option("--allow-domain", "allow_domains", multiple=True, metavar="DOMAIN",
              help="Also follow links to DOMAIN and its subdomains (repeatable).")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (wins over the profile's).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--direction", type=click.Choice(["both", "prev", "next"]), default=defaults.NEWSCRAWL_DIRECTION,
              show_default=True,
              help="Which neighbours to follow from article pages.")
@click.option("--forget-seen", is_flag=True,
              help="Clear the namespace's record of pages already fetched, so whole chains are fetched again.")
@click.option("--redis", "redis_url", default=defaults.NEWSCRAWL_REDIS_URL, show_default=True, callback=check_redis_url,
              help="Redis server holding the frontier.")
@click.option("--namespace", default=defaults.NEWSCRAWL_REDIS_NAMESPACE, show_default=True,
              help="Prefix of the crawl's Redis keys (one crawl per namespace).")
def enqueue(
    urls: tuple[str, ...],
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    site_keys: tuple[str, ...],
    sites_path: str,
    variables: dict[str, str],
    allow_domains: tuple[str, ...],
    since: str | None,
    until: str | None,
    direction: str,
    forget_seen: bool,
    redis_url: str,
    namespace: str,
) -> None:
    """Seed a distributed crawl: queue start pages, feeds, sitemaps or site profiles for the workers.

    Workers (`newscrawl worker`) crawl from these as `newscrawl crawl` does: a home or
    section page is read for its article links, sections, pagination, feeds and its
    site's robots.txt sitemaps; feeds and sitemaps for their entries; articles for their
    prev/next chains. They stay on the sites enqueued in their namespace. --site seeds a
    profile of the profiles file, with its selectors and date window, which every worker
    applies to that site's pages (its pinned template too), and its politeness (delay, concurrency), which holds over
    all workers together (without a profile, the workers' DOWNLOAD_DELAY and
    CONCURRENT_REQUESTS_PER_DOMAIN do). Its limits are the workers' settings.

    Pages fetched before in the namespace are not fetched again (so re-seeding a home page
    crawls only what is new), unless --forget-seen is given. Seeds themselves, and the
    listing pages, feeds and sitemaps found from them, are always read again.

    \b
    Example:
      newscrawl enqueue --redis redis://127.0.0.1:6379/0 https://news.example/ --feed https://news.example/rss
      newscrawl enqueue --redis redis://127.0.0.1:6379/0 --site harbour --sites sites.toml
    """
    from crawler.discovery import DateWindow
    from crawler.distributed.keys import RedisKeys, RedisUnreachable, connect
    from crawler.distributed.seeding import Seeds, enqueue_seeds, profile_policy
    from crawler.urls import redacted
    from crawler.distributed.sites import SiteConfig
    from crawler.sitecrawl import ProfileError, select_profiles

    if bool(urls or feeds or sitemaps) + bool(site_keys) != 1:
        raise click.UsageError("give start URLs, --feed or --sitemap, or --site KEY (not both)")
    try:
        DateWindow.from_text(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    batches = [(Seeds(list(urls), list(feeds), list(sitemaps)),
                SiteConfig(since=since, until=until, allowed_domains=tuple(allow_domains)), None)]  # fmt: skip
    if site_keys:
        try:
            profiles = select_profiles(sites_path, site_keys, all_sites=False, variables=variables)
        except ProfileError as exc:
            click.echo(f"newscrawl enqueue: {exc}", err=True)
            sys.exit(ExitCode.COULD_NOT_RUN)
        batches = [
            (Seeds(list(profile.start_urls), list(profile.feeds), list(profile.sitemaps)),
             SiteConfig(profile=profile.key, selectors=dict(profile.selectors), since=since or profile.since,
                        until=until, allowed_domains=(*profile.allowed_domains, *allow_domains),
                        proxy=profile.proxy, template=dict(profile.template)),
             profile_policy(profile))
            for profile in profiles
        ]  # fmt: skip
    try:
        server = connect(redis_url, timeout=defaults.NEWSCRAWL_REDIS_TIMEOUT)
        keys = RedisKeys(namespace)
        count = 0
        for number, (seeds, config, policy) in enumerate(batches):
            count += enqueue_seeds(server, keys, seeds, direction=direction, config=config, policy=policy,
                                   forget_seen=forget_seen and number == 0)  # fmt: skip
    except RedisUnreachable as exc:
        click.echo(f"newscrawl enqueue: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    except redis.RedisError as exc:
        click.echo(f"newscrawl enqueue: Redis at {redacted(redis_url)} is unreachable or failed: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    for profile in profiles if site_keys else ():
        if profile.languages:
            click.echo(f"note: site {profile.key}'s languages apply to its local crawls only; start the workers "
                       f"with --language {','.join(profile.languages)}", err=True)
    click.echo(f"{counted(count, 'seed')} queued in namespace {namespace!r}")
