"""`newscrawl stats`: what the database holds, per site, language and day, and how the crawls went."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading, unknown_site_message
from crawler.analysis.options import db_option, filter_options, filters_from
from crawler.analysis.report import render_html
from crawler.analysis.stats import collect, render_text
from crawler.archive.summary import describe_archive


@click.command()
@filter_options
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 10_000), help="Days in the per-day chart.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the statistics as a self-contained HTML page with charts.",
)
@db_option
def stats(
    sites: tuple[str, ...],
    since: date | None,
    until: date | None,
    language: str | None,
    author: str | None,
    days: int,
    html_path: Path | None,
    db_path: Path,
) -> None:
    """Articles per site, language and day, field coverage per site, latest runs and failures,
    and the size of the WARC archive.

    \b
    Example:
      newscrawl stats --days 14 --html report.html
    """
    filters = filters_from(sites, since, until, language, author)
    db = open_for_reading(db_path)
    if message := unknown_site_message(db, filters.sites):
        click.echo(message, err=True)
    result = collect(db, filters, days=days)
    click.echo(render_text(result))
    archive = describe_archive(db, db_path)
    click.echo(archive)
    if html_path is not None:
        try:
            html_path.parent.mkdir(parents=True, exist_ok=True)
            html_path.write_text(render_html(result, database=db_path.name, archive=archive.strip().removeprefix("Archive: ")), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {html_path}: {exc.strerror or exc}") from exc
        click.echo(f"\nReport written to {html_path}", err=True)
