"""`newscrawl search`: full-text search over the stored articles."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading, unknown_site_message
from crawler.analysis.export import safe_cell
from crawler.analysis.options import db_option, filter_options, filters_from, query_error, shown_query
from crawler.analysis.query import QueryError
from crawler.analysis.search import RANK_DOCS, SORTS, SearchHit, SearchResult, highlight, search as run_search
from crawler.analysis.terminal import counted, printable

_HIGHLIGHT = tuple(click.style("|", fg="yellow", bold=True).split("|"))
CSV_COLUMNS = ("id", "score", "published_at", "site", "language", "title", "authors", "url", "snippet", "summary")


@click.command()
@click.argument("query")
@filter_options
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Results shown.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="relevance",
    show_default=True,
    help="relevance: best bm25 match first; newest: latest published first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the results as CSV.")
@db_option
def search(
    query: str,
    sites: tuple[str, ...],
    since: date | None,
    until: date | None,
    language: str | None,
    author: str | None,
    limit: int,
    sort: str,
    as_json: bool,
    as_csv: bool,
    db_path: Path,
) -> None:
    """Search the articles' titles and bodies, best match first (bm25) or newest first.

    QUERY is full-text search syntax: words (all must match), "exact phrases",
    AND / OR / NOT in capitals, parentheses, prefix* and title:word or body:word,
    at most 64 words and phrases. Matches in the title count more than matches in the
    body. When more than 2,000 articles match, relevance ranks the 2,000 most recently
    stored of them (--sort newest orders all matches by date); with filters it looks
    among the 10,000 most recently stored matches first. Words found in more than
    100,000 articles carry no weight in the ranking; a query of only such words lists
    its matches newest first.

    \b
    Example:
      newscrawl search '"city council" AND budget' --site example.com --since 2025-01-01
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    filters = filters_from(sites, since, until, language, author)
    db = open_for_reading(db_path)
    if message := unknown_site_message(db, filters.sites):
        click.echo(message, err=True)
    try:
        result = run_search(db, query, filters, limit=limit, sort=sort)
    except QueryError as exc:
        raise query_error(query, exc) from exc
    hits = result.hits
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
    elif as_csv:
        _write_csv(hits)
    else:
        _print_hits(query, result)


def _write_csv(hits: list[SearchHit]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        row = hit.as_dict()
        row["authors"] = json.dumps(row["authors"], ensure_ascii=False)
        writer.writerow([safe_cell(row[name]) for name in CSV_COLUMNS])


def _print_hits(query: str, result: SearchResult) -> None:
    hits = result.hits
    if not hits:
        click.echo(f"No article matches {shown_query(query)}.")
        return
    for rank, hit in enumerate(hits, start=1):
        byline = " · ".join(filter(None, [hit.site, hit.published_at, ", ".join(hit.authors), hit.language]))
        click.echo(click.style(f"{rank}. {printable(hit.title)}", bold=True) + f"  [#{hit.id}]")
        click.echo(f"   {printable(byline)}")
        click.echo(f"   {printable(hit.url)}")
        snippet = " ".join(printable(hit.snippet).split())
        click.echo("   " + highlight(snippet, *_HIGHLIGHT))  # click.echo drops the colour off a terminal
        if hit.summary:
            click.echo(f"   Summary: {printable(hit.summary)}")
        click.echo()
    click.echo(f"{counted(len(hits), 'result')}. `newscrawl show ID` prints an article.")
    if result.by_date:
        click.echo(
            f"Every word of the query is in more than {RANK_DOCS:,} articles, too common to rank by: these are"
            " the newest matches (add a rarer word to rank by relevance)."
        )
    elif result.walked:
        click.echo(
            f"More than {result.walked:,} articles match: these are the best of those the filters keep among the"
            f" {result.walked:,} most recently stored (--sort newest lists all matches by date)."
        )
    elif result.ranked_among:
        click.echo(
            f"More than {result.ranked_among:,} articles match: these are the best of the {result.ranked_among:,}"
            " most recently stored (--sort newest lists all matches by date; add words or filters to narrow)."
        )

