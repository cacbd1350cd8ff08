"""`newscrawl crawl`: walk article chains from start URLs into the database."""

from __future__ import annotations

import ipaddress
import json
import sys
from typing import Any

import click

from crawler import settings as defaults
from crawler.urls import is_http_url


def _check_urls(ctx: click.Context, param: click.Parameter, urls: tuple[str, ...]) -> tuple[str, ...]:
    bad = [url for url in urls if not is_http_url(url)]
    if bad:
        raise click.BadParameter(f"not an http(s) URL: {', '.join(bad)}")
    return urls


def _check_networks(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise click.BadParameter(f"not a network in CIDR form: {value!r}") from None
    return values


def _parse_overrides(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        overrides[name.strip()] = setting
    return overrides


def _output_mode(quiet: bool, json_logs: bool) -> str:
    if json_logs:
        return "json"
    if quiet:
        return "quiet"
    return "tty" if sys.stderr.isatty() else "plain"


def format_summary(summary: Any) -> str:
    """The few lines a person reads after a crawl."""
    counts = summary.counts
    if summary.outcome == "could_not_run":
        return f"Crawl could not run: {summary.error}"
    stored = counts["articles_new"] + counts["articles_updated"] + counts["articles_unchanged"]
    lines = [
        f"Crawl {summary.outcome} ({summary.finish_reason}) in {summary.elapsed_seconds:.1f} s: "
        f"{counts['pages_fetched']} pages fetched, {stored} articles stored "
        f"({counts['articles_new']} new, {counts['articles_updated']} updated, "
        f"{counts['articles_unchanged']} unchanged), {counts['skipped']} skipped, {counts['failed']} failed.",
    ]
    for label, reasons in (("Skipped", summary.skipped_reasons), ("Failed", summary.failed_reasons)):
        if reasons:
            listed = ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
            lines.append(f"{label}: {listed}")
    lines.append(f"Database: {summary.db_path} (run {summary.run_id}; reasons in the failures table)")
    return "\n".join(lines)


@click.command()
@click.argument("urls", nargs=-1, required=True, callback=_check_urls)
@click.option(
    "--direction",
    type=click.Choice(["both", "prev", "next"]),
    default=defaults.NEWSCRAWL_DIRECTION,
    show_default=True,
    help="Which neighbours to follow from the start pages: older (prev), newer (next) or both.",
)
@click.option(
    "--max-articles",
    type=click.IntRange(min=0),
    default=defaults.NEWSCRAWL_MAX_ARTICLES,
    show_default=True,
    help="Stop after this many article pages (0 = until the chains end).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=defaults.NEWSCRAWL_DB_PATH,
    show_default=True,
    help="SQLite database to write (created if missing).",
)
@click.option(
    "--allow-domain",
    "allow_domains",
    multiple=True,
    metavar="DOMAIN",
    help="Also follow links to DOMAIN and its subdomains (repeatable). By default only the start URLs' sites.",
)
@click.option(
    "--allow-network",
    "allow_networks",
    multiple=True,
    metavar="CIDR",
    callback=_check_networks,
    help="Allow requests to this non-public network, e.g. 127.0.0.0/8 for a site on this machine (repeatable). "
    "Loopback, private and link-local addresses are refused otherwise.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors; the exit code tells the outcome.")
@click.option("--json-logs", is_flag=True, help="Log as JSON lines on stderr and print the summary as JSON on stdout.")
@click.option(
    "--set",
    "-s",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_overrides,
    help="Override a setting of crawler/settings.py for this crawl (repeatable).",
)
def crawl(
    urls: tuple[str, ...],
    direction: str,
    max_articles: int,
    db_path: str,
    allow_domains: tuple[str, ...],
    allow_networks: tuple[str, ...],
    quiet: bool,
    json_logs: bool,
    overrides: dict[str, str],
) -> None:
    """Crawl article pages and their previous/next chains into SQLite.

    Starts at each URL (an article page), follows the site's own previous and next
    article links until each chain ends or --max-articles is reached, and stores every
    article once (re-running updates rows in place). Only the start URLs' sites are
    crawled unless --allow-domain says otherwise. On a terminal a live line shows pages
    fetched, articles stored, skipped, errors and the rate; a summary follows at the end.

    \b
    Exit codes:
      0    success: articles stored, no page failed
      1    no article stored (every page failed or was skipped)
      2    usage error (bad option or URL)
      3    partial: articles stored, some pages failed (reasons in the failures table)
      4    the crawl could not run (database or settings unusable)
      130  interrupted (Ctrl-C or SIGTERM); what was fetched so far is stored

    \b
    Example:
      newscrawl crawl https://news.example/2025/09/11/some-article.html
      newscrawl crawl URL --direction prev --max-articles 50 --db data/news.db --quiet
    """
    if quiet and json_logs:
        raise click.UsageError("--quiet and --json-logs exclude each other")
    from crawler.runner import CrawlOptions, run_crawl  # Scrapy is imported only when a crawl runs

    output = _output_mode(quiet, json_logs)
    if allow_networks:
        overrides = {**overrides, "ALLOWED_NETWORKS": [*defaults.ALLOWED_NETWORKS, *allow_networks]}
    summary = run_crawl(
        CrawlOptions(
            start_urls=list(urls),
            direction=direction,
            max_articles=max_articles,
            db_path=db_path,
            allow_domains=list(allow_domains),
            output=output,
            settings=overrides,
        )
    )
    if output == "json":
        click.echo(json.dumps({"event": "summary", **summary.to_dict()}, sort_keys=True))
    elif output != "quiet":
        click.echo(format_summary(summary))
    elif summary.exit_code != 0:
        click.echo(format_summary(summary), err=True)
    sys.exit(summary.exit_code)
