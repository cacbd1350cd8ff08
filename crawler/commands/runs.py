"""`newscrawl runs`: the latest crawl runs with their counts and outcome."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.analysis.database import open_for_reading
from crawler.analysis.options import db_option
from crawler.storage.state import recent_runs


def _duration(run: dict) -> str:
    from datetime import datetime

    if not run["finished_at"]:
        return "-"
    seconds = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
    return f"{seconds:.0f}s"


def format_runs(runs: list[dict]) -> str:
    header = f"{'run':>4}  {'site':<18} {'started (UTC)':<20} {'took':>5}  {'fetched':>7} {'new':>4} {'upd':>4} " \
             f"{'same':>4} {'304':>4} {'skip':>4} {'fail':>4}  outcome"  # fmt: skip
    lines = [header]
    for run in runs:
        lines.append(
            f"{run['id']:>4}  {str(run['site'] or '-')[:18]:<18} {run['started_at'][:19].replace('T', ' '):<20} "
            f"{_duration(run):>5}  {run['pages_fetched']:>7} {run['articles_new']:>4} {run['articles_updated']:>4} "
            f"{run['articles_unchanged']:>4} {run['not_modified']:>4} {run['skipped']:>4} {run['failed']:>4}  "
            f"{run['outcome']}" + (f" ({run['finish_reason']})" if run["finish_reason"] not in (None, "finished") else "")
            + (f", DEGRADED {run['degraded']}" if run.get("degraded") else "")
        )
    return "\n".join(lines)


@click.command()
@click.option("--site", metavar="KEY", help="Only runs of this site (profile key, or host[:port] of an ad hoc crawl).")
@click.option("--limit", "-n", default=20, show_default=True, type=click.IntRange(1, 10_000), help="How many runs.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per run instead of a table.")
@db_option
def runs(site: str | None, limit: int, as_json: bool, db_path: Path) -> None:
    """The latest crawl runs, newest first: pages fetched, articles new / updated /
    unchanged, not modified (304), skipped, failed, and the outcome. A run whose
    outcome is still "running" is in progress, or was killed (the next run resumes it).
    A run is DEGRADED when a site's share of articles with a date, authors, a body of
    normal length or prev/next links dropped against the site's earlier runs (a
    template change); the site and field are named.

    \b
    Example:
      newscrawl runs --site ledger -n 5
    """
    db = open_for_reading(db_path)
    try:
        found = recent_runs(db, limit=limit, site=site)
    finally:
        db.conn.close()
    if as_json:
        for run in found:
            click.echo(json.dumps(run, sort_keys=True))
    elif found:
        click.echo(format_runs(found))
    else:
        click.echo("No runs recorded" + (f" for site {site!r}." if site else "."))
