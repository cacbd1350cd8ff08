"""`newscrawl import`: articles from WARC files (CC-NEWS, other crawlers' archives, newscrawl's own)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import BinaryIO

import click

from crawler.commands.options import check_language_codes, parse_overrides, start_pool_early, write_db_option


@click.command("import")
@click.argument("paths", nargs=-1, required=True)
@write_db_option()
@click.option("--site", "sites", multiple=True, help="Import only this site (host without www.; repeatable).")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD or ISO 8601).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE (YYYY-MM-DD: the whole day).")
@click.option("--language", "languages", multiple=True, callback=check_language_codes,
              help="Only articles in this language, e.g. en (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", callback=parse_overrides,
              help="Override a setting of crawler/settings.py, e.g. NEWSCRAWL_PARSE_PROCESSES (repeatable).")
def import_warc(paths: tuple[str, ...], db_path: str, sites: tuple[str, ...], since: str | None,
                until: str | None, languages: tuple[str, ...], as_json: bool, overrides: dict[str, str]) -> None:
    """Store the articles found in WARC files: files, folders of them, or - for standard input.

    Every response record is parsed and goes through the steps a crawl runs (cleaning,
    validation, site furniture, de-duplication, summary), so an article is stored once
    under its canonical URL. Only articles are stored; other pages, records outside the
    filters and records that cannot be read are counted by reason (reading goes on at the
    file's next record; a truncated end stops only its file, never the import). Files are read as streams: memory stays flat
    whatever their size. The import is one row in the runs table.

    \b
    Exit codes: 0 done (also when the filters leave nothing to store), 1 records were
    tried and none gave an article, 3 articles stored but some records failed or could
    not be read, 4 the database could not be written, 130 interrupted by Ctrl-C or
    SIGTERM (what was stored before is kept).

    \b
    Example:
      newscrawl import CC-NEWS-20250911083000-00042.warc.gz --language en --since 2025-09-01
      newscrawl import - --site news.example < data/warc/newscrawl-run1-00001.warc.gz
    """
    from crawler.archive import WARC_SUFFIXES, warc_files
    from crawler.discovery.dates import DateWindow

    try:
        window = DateWindow.from_text(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None

    for folder in paths:
        if folder != "-" and Path(folder).is_dir() and not any(warc_files([folder])):
            raise click.BadParameter(f"{folder} holds no WARC files ({', '.join(WARC_SUFFIXES)})",
                                     param_hint="PATHS")
    names = list(warc_files(paths))
    missing = [name for name in names if name != "-" and not _readable(name)]
    if missing:
        raise click.BadParameter(f"cannot read {', '.join(missing)} (no such file, or not allowed)",
                                 param_hint="PATHS")
    start_pool_early(overrides)
    from crawler.commands.interrupt import run_to_the_end, sigterm_as_ctrl_c

    with sigterm_as_ctrl_c():  # waiting for the first bytes: SIGTERM ends it as Ctrl-C does (exit 130)
        stdin = _piped_stdin() if "-" in names else None
    from crawler.archive.importer import ImportOptions, Importer
    from crawler.commands.crawl import fast_path_line
    from crawler.analysis.terminal import counted
    from crawler.config import ProjectSettings  # the settings without Scrapy: this command runs no crawl
    from crawler.exitcodes import ExitCode, outcome_code

    settings = ProjectSettings({**overrides, "NEWSCRAWL_DB_PATH": db_path})
    options = ImportOptions(sites=frozenset(s.lower().removeprefix("www.") for s in sites),
                            window=window, languages=frozenset(languages))
    sources = ((name, stdin if name == "-" else name) for name in names)
    arguments = {"paths": list(paths), "sites": sorted(options.sites), "since": since or "", "until": until or "", "languages": sorted(options.languages)}
    try:
        importer = Importer(settings, options)
    except ValueError as exc:  # a setting's value out of its range, e.g. NEWSCRAWL_PARSE_PROCESSES=-1
        click.echo(f"Import could not run: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    report = run_to_the_end(lambda: importer.run(sources, arguments=arguments),
                            stopped=f"Import stopped: cannot write to database {db_path}",
                            interrupted="Import interrupted: what was stored before is kept.")
    counts = report.counts
    if as_json:
        click.echo(json.dumps({"event": "summary", "run_id": report.run_id, "outcome": report.outcome,
                               "records": report.records, "counts": counts.as_dict(),
                               "left_out": dict(report.left_out), "unreadable": dict(report.unreadable),
                               "parse_paths": report.parse_paths, "db_path": db_path}, sort_keys=True))
    else:
        left = ", ".join(f"{reason} {n}" for reason, n in report.left_out.most_common()) or "none"
        bad = ", ".join(f"{reason} {n}" for reason, n in report.unreadable.most_common()) or "none"
        click.echo(f"Import {report.outcome}: {counted(report.records, 'response record')} in "
                   f"{counted(len(names), 'file')}, {counted(counts.stored, 'article')} stored ({counts.articles_new:,} new, {counts.articles_updated:,} updated, "
                   f"{counts.articles_unchanged:,} unchanged), {counts.skipped:,} skipped, {counts.failed:,} failed."
                   f"\nLeft out: {left}. Unreadable: {bad}."
                   + (f"\n{line}" if (line := fast_path_line(report.parse_paths)) else "")
                   + f"\nDatabase: {db_path} (run {report.run_id})")
    sys.exit(outcome_code(report.outcome))


def _piped_stdin() -> BinaryIO:
    """Standard input as a byte stream whose first bytes were looked at: refused (usage error)
    when it is a terminal or empty, before the import starts a run."""
    hint = "pipe a WARC file into it: newscrawl import - < FILE.warc.gz"
    if sys.stdin.isatty():
        raise click.BadParameter(f"- reads standard input, which is a terminal: {hint}", param_hint="PATHS")
    stream = sys.stdin.buffer
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    if not stream.peek(1):  # type: ignore[attr-defined]
        raise click.BadParameter(f"nothing came on standard input: {hint}", param_hint="PATHS")
    return stream


def _readable(name: str) -> bool:
    try:
        with open(name, "rb"):
            return True
    except OSError:
        return False
