"""`newscrawl reparse`: re-extract stored articles from the WARC archive with today's parser."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click

from crawler.commands.options import check_since, check_site, parse_overrides, start_pool_early, write_db_option


@click.command()
@write_db_option(help="The database whose articles are re-extracted.")
@click.option("--site", callback=check_site, help="Only this site's articles (host without www.).")
@click.option("--since", metavar="DATE", callback=check_since,
              help="Only articles fetched on or after DATE (YYYY-MM-DD or ISO 8601, as crawl --since).")
@click.option("--run", "run_id", type=click.IntRange(min=1), help="Only articles whose archived copy run N fetched.")
@click.option("--sites", "sites_path", type=click.Path(dir_okay=False),
              help="Site profiles file (TOML): a profile's [template] table is pinned for its sites, as in its crawls.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", callback=parse_overrides,
              help="Override a setting of crawler/settings.py, e.g. NEWSCRAWL_PARSE_PROCESSES (repeatable).")
def reparse(db_path: str, site: str | None, since: datetime | None, run_id: int | None, sites_path: str | None,
            as_json: bool, overrides: dict[str, str]) -> None:
    """Re-extract stored articles from the WARC archive with today's parser and article steps.

    Each selected article's newest archived page is parsed again, with its site's template
    (what the site's crawls learned, a profile's pinned one from --sites over it), and sent
    through the steps a crawl runs; a row that changes is updated in place and
    article_history keeps the old version. Prints what changed per field ("12 dates changed, 3 bodies shortened,
    1 page no longer an article"). A page the steps now reject keeps its stored row.
    Killed, it resumes where it stopped when run again with the same options; run twice,
    the second finds nothing to change. Progress is shown on a terminal.

    \b
    Exit codes: 0 done, 1 no selected article could be re-extracted, 3 some were not in
    the archive, 4 the database (or the --sites file) could not be used, 130 interrupted
    (Ctrl-C or SIGTERM).

    \b
    Example:
      newscrawl reparse --site news.example --since 2025-09-01
      newscrawl reparse --sites sites.toml
    """
    start_pool_early(overrides)
    from crawler.analysis.database import open_for_reading, unknown_site_message
    from crawler.archive.reparse import Reparser
    from crawler.commands.crawl import fast_path_line
    from crawler.analysis.terminal import counted
    from crawler.commands.interrupt import run_to_the_end
    from crawler.profiles import ProfileError, load_profiles, pinned_templates
    from crawler.discovery.dates import isoformat
    from crawler.config import ProjectSettings  # the settings without Scrapy: this command runs no crawl
    from crawler.exitcodes import ExitCode, outcome_code
    from crawler.storage.reparse import Selection, run_exists

    try:
        db = open_for_reading(db_path)  # a missing file is an error here, never a new empty database
    except click.ClickException as exc:
        click.echo(f"Reparse stopped: {exc.message}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    try:
        if message := unknown_site_message(db, (site,) if site else ()):
            raise click.BadParameter(message, param_hint="--site")  # not a recorded reparse of nothing
        if run_id is not None and not run_exists(db, run_id):
            raise click.BadParameter(f"no run {run_id} in {db_path} (`newscrawl runs --db {db_path}` lists them)",
                                     param_hint="--run")
    finally:
        db.conn.close()
    try:
        pinned = pinned_templates(load_profiles(sites_path).values()) if sites_path else {}
    except ProfileError as exc:
        click.echo(f"Reparse stopped: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    settings = ProjectSettings({**overrides, "NEWSCRAWL_DB_PATH": db_path})
    selection = Selection(site=site.lower().removeprefix("www.") if site else None, since=isoformat(since), run_id=run_id)
    arguments = {"site": selection.site, "since": selection.since, "run": run_id}

    def show(done: int, total: int) -> None:
        click.echo(f"\rreparse: {done:,}/{total:,} articles ({100 * done / max(total, 1):.0f}%)", err=True, nl=False)

    try:
        reparser = Reparser(settings, selection, pinned=pinned)
    except ValueError as exc:  # a setting's value out of its range, e.g. NEWSCRAWL_PARSE_PROCESSES=-1
        click.echo(f"Reparse could not run: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    report = run_to_the_end(lambda: reparser.run(arguments=arguments, on_progress=show if sys.stderr.isatty() else None),
                            stopped=f"Reparse stopped: cannot use database {db_path}",
                            interrupted="\nReparse interrupted: run it again with the same options to go on.")
    if sys.stderr.isatty():
        click.echo("", err=True)
    counts = report.counts
    if as_json:
        click.echo(json.dumps({"event": "summary", "run_id": report.run_id, "outcome": report.outcome,
                               "selected": report.selected, "counts": counts.as_dict(), "changes": dict(report.fields),
                               "resumed_after": report.resumed_after, "resumed_run": report.resumed_run,
                               "done_before": report.done_before, "parse_paths": report.parse_paths},
                              sort_keys=True))
    else:
        click.echo(f"Reparse {report.outcome}: {counted(report.selected, 'article')} selected, {counts.articles_updated:,} updated, "
                   f"{counts.articles_unchanged:,} unchanged, {counts.skipped:,} kept as they were, "
                   f"{counts.failed:,} not in the archive.\n"
                   + (f"Resumed where run {report.resumed_run} stopped: it had done {report.done_before:,} of them"
                      " (its own row in `newscrawl runs` counts those).\n" if report.resumed_run else "")
                   + f"Changes: {report.describe()}.\n"
                   + (f"{line}\n" if (line := fast_path_line(report.parse_paths)) else "")
                   + f"Database: {db_path} (run {report.run_id})")
    sys.exit(outcome_code(report.outcome))
