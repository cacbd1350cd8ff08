"""`newscrawl crawl`: walk article chains from start URLs into the database."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any

import click

from crawler import settings as defaults
from crawler.commands.options import (
    check_networks,
    language_option,
    metrics_port_option,
    parse_overrides,
    with_languages,
    with_metrics_port,
    write_db_option,
)
from crawler.analysis.terminal import counted
from crawler.exitcodes import ExitCode
from crawler.urls import url_problem


def _check_urls(ctx: click.Context, param: click.Parameter, urls: tuple[str, ...]) -> tuple[str, ...]:
    problems = [problem for problem in map(url_problem, urls) if problem]
    if problems:
        raise click.BadParameter("; ".join(problems))
    return urls


def _output_mode(quiet: bool, json_logs: bool) -> str:
    if json_logs:
        return "json"
    if quiet:
        return "quiet"
    return "tty" if sys.stderr.isatty() else "plain"


def format_summary(summary: Any) -> str:
    """The few lines a person reads after a crawl."""
    counts = summary.counts
    if summary.outcome in ("could_not_run", "already_running"):
        return f"Crawl {summary.outcome.replace('_', ' ')}: {summary.error}"
    stored = counts["articles_new"] + counts["articles_updated"] + counts["articles_unchanged"]
    lines = [f"Crawl stopped: {summary.error}"] if summary.outcome in ("storage_error", "interrupted") and summary.error \
        else []
    # "Crawl storage error in 5.6 s", not "Crawl storage_error (storage_error)": the reason only where it adds one
    why = "" if summary.finish_reason == summary.outcome else f" ({summary.finish_reason})"
    lines += [
        f"Crawl {summary.outcome.replace('_', ' ')}{why} in {summary.elapsed_seconds:.1f} s: "
        f"{counted(counts['pages_fetched'], 'page')} fetched, {counted(stored, 'article')} stored "
        f"({counts['articles_new']:,} new, {counts['articles_updated']:,} updated, "
        f"{counts['articles_unchanged']:,} unchanged), {counts.get('not_modified', 0):,} not modified since the last"
        f" fetch (HTTP 304), {counts['skipped']:,} skipped, {counts['failed']:,} failed.",
    ]
    for label, reasons in (("Skipped", summary.skipped_reasons), ("Failed", summary.failed_reasons)):
        if reasons:
            listed = ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
            lines.append(f"{label}: {listed}")
    if line := fast_path_line(getattr(summary, "parse_paths", {})):
        lines.append(line)
    if getattr(summary, "archive_error", None):
        lines.append(f"Archive: stopped keeping pages: {summary.archive_error} (the pages fetched after that are not "
                     "in the WARC archive; reparse cannot read them)")
    where = "; reasons in the failures table" if counts["failed"] or counts["skipped"] else ""
    lines.append(f"Database: {summary.db_path} (run {summary.run_id}{where})")
    return "\n".join(lines)


def fast_path_line(paths: dict[str, int]) -> str | None:
    """How many pages the site template fast path read (crawler/parsing/fastpath.py); None when none had a layout to try."""
    tried = sum(count for path, count in paths.items() if path != "full")
    if not tried:
        return None
    template = paths.get("template", 0)
    return (f"Template fast path: {counted(template, 'page')} read from {'its' if template == 1 else 'their'} "
            f"site's layout, "
            f"{paths.get('verified', 0)} checked against the full parse ({paths.get('disagreed', 0)} disagreed), "
            f"{paths.get('fallback', 0)} fell back, {paths.get('full', 0)} parsed in full.")


def _parse_variables(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    from crawler.profiles import parse_variables

    try:
        return parse_variables(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _site_child_args(params: dict[str, Any]) -> list[str]:
    """The options every per-site process of --all-sites gets (all but the site choice)."""
    args = ["--sites", params["sites_path"], "--db", params["db_path"], "--direction", params["direction"],
            "--max-articles", str(params["max_articles"])]  # fmt: skip
    for option, key in (("--allow-domain", "allow_domains"), ("--allow-network", "allow_networks")):
        for value in params.get(key, ()):
            args += [option, value]
    for name, value in {**params["variables"]}.items():
        args += ["--var", f"{name}={value}"]
    for name, value in params["overrides"].items():
        args += ["--set", f"{name}={value}"]
    for option in ("since", "until"):
        if params[option]:
            args += [f"--{option}", params[option]]
    if params.get("languages"):
        args += ["--language", ",".join(params["languages"])]
    if params.get("render"):
        args += ["--render", params["render"]]
    if params.get("metrics_port"):
        args += ["--metrics-port", str(params["metrics_port"])]
    args += [flag for flag, on in (("--refresh", params["refresh"]), ("--quiet", params["quiet"]),
                                   ("--json-logs", params["json_logs"])) if on]  # fmt: skip
    return args


def _check_render(overrides: dict[str, Any]) -> None:
    """Exit 4 with what is missing when rendering is asked for and cannot run here."""
    from crawler.render import RenderError, missing_requirement, render_mode
    from crawler.runner import build_settings

    settings = build_settings(overrides)
    try:
        problem = missing_requirement(settings) if render_mode(settings) != "never" else None
    except RenderError as exc:
        problem = str(exc)
    if problem:
        click.echo(f"newscrawl crawl: {problem}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)


@click.command()
@click.argument("urls", nargs=-1, callback=_check_urls)
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
@write_db_option()
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
    callback=check_networks,
    help="Allow requests to this non-public network, e.g. 127.0.0.0/8 for a site on this machine (repeatable). "
    "Loopback, private and link-local addresses are refused otherwise.",
)
@click.option("--site", "site_keys", multiple=True, metavar="KEY", help="Crawl this site of the profiles file (repeatable).")
@click.option("--all-sites", is_flag=True, help="Crawl every site of the profiles file, one after another.")
@click.option(
    "--sites",
    "sites_path",
    type=click.Path(dir_okay=False),
    default=defaults.NEWSCRAWL_SITES_PATH,
    show_default=True,
    help="Site profiles file (TOML; see sites.example.toml).",
)
@click.option(
    "--var",
    "variables",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_variables,
    help="Value of a ${NAME} placeholder of the profiles file (repeatable; wins over its [vars]).",
)
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE (YYYY-MM-DD or ISO 8601).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--refresh", is_flag=True, help="Fetch stored articles again (conditional requests) instead of skipping them.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors; the exit code tells the outcome.")
@click.option("--json-logs", is_flag=True, help="Log as JSON lines on stderr and print the summary as JSON on stdout.")
@click.option(
    "--render",
    type=click.Choice(["never", "auto", "always"]),
    default=None,
    help="Render pages in Chromium: auto = only pages that look like a script shell after the ordinary fetch "
    "found no article; always = every article and listing page (default: the site profile's render, else "
    f"{defaults.NEWSCRAWL_RENDER}). Needs pip install 'newscrawl[render]' and Debian's chromium.",
)
@language_option
@metrics_port_option
@click.option(
    "--set",
    "-s",
    "overrides",
    multiple=True,
    metavar="NAME=VALUE",
    callback=parse_overrides,
    help="Override a setting of crawler/settings.py for this crawl (repeatable).",
)
def crawl(
    urls: tuple[str, ...],
    direction: str,
    max_articles: int,
    db_path: str,
    allow_domains: tuple[str, ...],
    allow_networks: tuple[str, ...],
    site_keys: tuple[str, ...],
    all_sites: bool,
    sites_path: str,
    variables: dict[str, str],
    since: str | None,
    until: str | None,
    refresh: bool,
    quiet: bool,
    json_logs: bool,
    render: str | None,
    languages: list[str],
    metrics_port: int,
    overrides: dict[str, str],
) -> None:
    """Crawl article pages and their previous/next chains into SQLite.

    Starts at each URL, follows the site's own previous and next article links until
    each chain ends or --max-articles is reached, and stores every article once. A URL
    that is a home or section page is a listing: its article links, sections, feeds
    and its site's robots.txt sitemaps are followed too. --site KEY / --all-sites crawl
    the sites of a profiles file (--sites) instead of URLs. Re-runs are incremental:
    stored articles are not fetched again unless --refresh, or a feed or sitemap says
    they changed. A killed run is resumed by the next one. Only the start URLs' sites
    are crawled unless --allow-domain says otherwise. --language de,fr stores only articles
    in those languages. --render auto renders pages that need JavaScript in Chromium (see
    README, "Pages that need JavaScript"). On a terminal a live line shows
    pages fetched, articles stored, skipped, errors and the rate; a summary follows.

    \b
    Exit codes:
      0    success: articles stored, no page failed
      1    no article stored (every page failed or was skipped)
      2    usage error (bad option or URL)
      3    partial: articles stored, some pages failed (reasons in the failures table)
      4    the crawl could not run or finish: settings, profiles file or database unusable,
           or the database stopped taking writes (disk full, read-only, I/O error)
      5    already running: another run of the same site and database holds its lock
      6    degraded: a site's dates, authors, bodies or links dropped against its earlier
           runs (the log and `newscrawl runs` name the site and field)
      130  interrupted (Ctrl-C or SIGTERM); what was fetched so far is stored

    \b
    Example:
      newscrawl crawl https://news.example/2025/09/11/some-article.html
      newscrawl crawl URL --direction prev --max-articles 50 --db data/news.db --quiet
      newscrawl crawl https://news.example/ --since 2025-09-01
      newscrawl crawl --all-sites --sites sites.toml --quiet
    """
    if quiet and json_logs:
        raise click.UsageError("--quiet and --json-logs exclude each other")
    from crawler.runner import CrawlOptions, run_crawl  # Scrapy is imported only when a crawl runs

    if bool(urls) + bool(site_keys or all_sites) != 1:
        raise click.UsageError("give start URLs, or --site KEY / --all-sites (not both)")
    from crawler.discovery import DateWindow

    try:
        DateWindow.from_text(since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--since/--until") from None
    output = _output_mode(quiet, json_logs)
    spider_args: dict[str, Any] = {name: value for name, value in (("since", since), ("until", until)) if value}
    if refresh:
        spider_args["refresh"] = "1"
    overrides = with_languages(with_metrics_port(overrides, metrics_port), languages)
    if allow_networks:
        overrides = {**overrides, "ALLOWED_NETWORKS": [*defaults.ALLOWED_NETWORKS, *allow_networks]}
    if render:
        overrides = {**overrides, "NEWSCRAWL_RENDER": render}
    options = CrawlOptions(
            start_urls=list(urls),
            direction=direction,
            max_articles=max_articles,
            db_path=db_path,
            allow_domains=list(allow_domains),
            output=output,
            settings=overrides,
            spider_args=spider_args,
        )
    if site_keys or all_sites:
        from crawler.sitecrawl import ProfileError, profile_options, run_sites_in_subprocesses, select_profiles

        try:
            profiles = select_profiles(sites_path, site_keys, all_sites=all_sites, variables=variables)
        except ProfileError as exc:
            click.echo(f"newscrawl crawl: {exc}", err=True)
            sys.exit(ExitCode.COULD_NOT_RUN)
        if len(profiles) > 1:
            from crawler.commands.interrupt import sigterm_as_ctrl_c

            child_args = _site_child_args(click.get_current_context().params)
            with sigterm_as_ctrl_c():  # a systemd stop: the running site's crawl ends as on Ctrl-C, no other starts
                code = run_sites_in_subprocesses([profile.key for profile in profiles], child_args)
            sys.exit(code)
        options = profile_options(profiles[0], options)
    _check_render(options.settings)
    try:
        summary = run_crawl(options)
    except Exception as exc:  # a crash is no verdict on the site: exit 4, not Python's 1 (= nothing stored)
        traceback.print_exc()
        click.echo(f"newscrawl crawl: the crawl crashed: {type(exc).__name__}: {exc}", err=True)
        sys.exit(ExitCode.COULD_NOT_RUN)
    if output == "json":
        click.echo(json.dumps({"event": "summary", **summary.to_dict()}, sort_keys=True))
    elif output != "quiet":
        click.echo(format_summary(summary))
    elif summary.exit_code != 0:
        click.echo(format_summary(summary), err=True)
    sys.exit(summary.exit_code)
