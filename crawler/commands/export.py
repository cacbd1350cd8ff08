"""`newscrawl export`: the articles as CSV, JSON Lines or Parquet, streamed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading, unknown_site_message
from crawler.analysis.export import FORMATS, OutputError, export as run_export
from crawler.analysis.options import db_option, filter_options, filters_from, query_error
from crawler.analysis.query import QueryError
from crawler.analysis.terminal import counted


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (replaced only once the export is complete; a FIFO or device is written to; "
    "a symlink is followed). Default, or -: standard output (not for parquet).",
)
@click.option("--query", metavar="QUERY", help="Only articles matching this full-text query (same syntax as search).")
@filter_options
@db_option
def export(
    fmt: str,
    output: Path | None,
    query: str | None,
    sites: tuple[str, ...],
    since: date | None,
    until: date | None,
    language: str | None,
    author: str | None,
    db_path: Path,
) -> None:
    """Export articles, every column, in id order, in bounded memory.

    CSV cells starting with = + - @ are prefixed with an apostrophe so that
    spreadsheets show them as text instead of running them as formulas. Parquet
    needs pyarrow (pip install 'newscrawl[parquet]').

    \b
    Example:
      newscrawl export --format parquet --site example.com --since 2025-01-01 -o articles.parquet
    """
    if output == Path("-"):
        output = None
    if fmt == "parquet" and output is None:
        raise click.UsageError("parquet is a binary format: give the file to write with -o FILE")
    filters = filters_from(sites, since, until, language, author)
    db = open_for_reading(db_path)
    if message := unknown_site_message(db, filters.sites):
        click.echo(message, err=True)
    try:
        count = run_export(db, fmt, filters, query=query, output=output, stdout=sys.stdout)
    except QueryError as exc:
        raise query_error(query, exc) from exc
    except RuntimeError as exc:  # pyarrow missing
        raise click.ClickException(str(exc)) from exc
    except OutputError as exc:
        raise click.ClickException(f"cannot write there: {exc}") from exc
    except OSError as exc:
        if output is None:
            raise  # standard output: crawler.cli says it cannot write the output
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    if output is not None:
        click.echo(f"{counted(count, 'article')} written to {output}", err=True)
