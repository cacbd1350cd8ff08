"""`newscrawl sites`: the sites of the profiles file, with their last run and article counts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler import settings as defaults
from crawler.analysis.database import open_for_reading
from crawler.analysis.options import db_option
from crawler.exitcodes import ExitCode
from crawler.analysis.terminal import counted
from crawler.profiles import ProfileError, load_profiles, parse_variables
from crawler.storage.state import site_totals


@click.command()
@click.option(
    "--sites",
    "sites_path",
    type=click.Path(dir_okay=False),
    default=defaults.NEWSCRAWL_SITES_PATH,
    show_default=True,
    help="Site profiles file (TOML; see sites.example.toml).",
)
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help="Value of a ${NAME} placeholder.")
@db_option
def sites(sites_path: str, variables: tuple[str, ...], db_path: Path) -> None:
    """List the sites of the profiles file with their entry points, the articles their
    crawls stored, URLs waiting for the next run, and their last run. The file is
    checked as `newscrawl crawl --all-sites` would check it.

    \b
    Example:
      newscrawl sites --sites sites.toml
    """
    try:
        profiles = load_profiles(sites_path, variables=parse_variables(variables))
    except (ProfileError, ValueError) as exc:
        click.echo(f"newscrawl sites: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    db = open_for_reading(db_path) if Path(db_path).exists() else None
    try:
        for profile in profiles.values():
            entries = (f"{len(profile.start_urls)} start, {counted(len(profile.feeds), 'feed')}, "
                       f"{counted(len(profile.sitemaps), 'sitemap')}")
            click.echo(f"{profile.key}  {profile.name}  ({entries})")
            if db is None:
                click.echo("    never crawled (no database yet)")
                continue
            totals = site_totals(db, profile.state_keys)
            last = totals["last_run"]
            click.echo(f"    {counted(totals['articles'], 'article')} stored, {counted(totals['pending'], 'URL')} pending, "
                       f"{totals['failed']} failed")
            if last:
                shared = "" if last["site"] in profile.state_keys else " (with other sites: its counts are theirs too)"
                click.echo(f"    last run {last['id']}{shared}: {last['started_at']}, {last['outcome']}, "
                           f"{last['articles_new']} new, {last['articles_updated']} updated, {last['failed']} failed")  # fmt: skip
            else:
                click.echo("    never crawled")
    finally:
        if db is not None:
            db.conn.close()
