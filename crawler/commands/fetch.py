"""`newscrawl fetch`: fetch one page the way a crawl would, parse it, print it; nothing is stored."""

from __future__ import annotations

import sys
from typing import Any

import click

from crawler import settings as defaults
from crawler.analysis.formats import FORMATS
from crawler.commands.options import check_networks, parse_overrides

FETCH_SETTINGS: dict[str, Any] = {  # on top of the project settings
    "ITEM_PIPELINES": {},  # nothing stored
    "NEWSCRAWL_ARCHIVE": False,  # nor archived
    "NEWSCRAWL_PARSE_PROCESSES": 1,  # one page: parse inline, no pool
    "LOG_LEVEL": "ERROR",
    "NEWSCRAWL_PROGRESS": "off",
}


@click.command()
@click.argument("url")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True, help="Output format.")
@click.option(
    "--allow-network", "allow_networks", multiple=True, callback=check_networks, metavar="CIDR",
    help="Let the address guard through to this non-public network (repeatable), e.g. 127.0.0.0/8.",
)
@click.option("--set", "overrides", multiple=True, callback=parse_overrides, metavar="NAME=VALUE", help="Override a setting.")
def fetch(url: str, fmt: str, allow_networks: tuple[str, ...], overrides: dict[str, str]) -> None:
    """Fetch one page through the crawl's guards and parser and print it; nothing is stored.

    The request passes the same downloader as `newscrawl crawl` (address guard, robots.txt,
    redirects, retries, size limit). Exits 1 when the page could not be fetched.

    \b
    Example:
      newscrawl fetch https://news.example/2025/09/11/some-article.html
      newscrawl fetch https://news.example/2025/09/11/some-article.html --format markdown
    """
    from scrapy.crawler import CrawlerProcess

    from crawler.commands.parse import render
    from crawler.runner import build_settings
    from spiders.fetch import FetchSpider

    settings = build_settings({
        **FETCH_SETTINGS,
        **overrides,
        "ALLOWED_NETWORKS": [*defaults.ALLOWED_NETWORKS, *allow_networks],
    })
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FetchSpider)
    process.crawl(crawler, url=url)
    process.start()
    outcome = crawler.spider.outcome if crawler.spider else {"error": "the fetch did not start"}
    if "article" not in outcome:
        click.echo(f"Error: cannot fetch {url}: {outcome['error']}", err=True)
        sys.exit(1)
    click.echo(render(outcome["article"], fmt))
