"""Options and callbacks shared by the commands that run a crawl or write articles
(`crawl`, `worker`, `ingest`, `import`, `reparse`).

Each checks its values when the command line is read, so a bad value is a usage error
(exit code 2) with a message naming it, before anything is opened or fetched.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import click

from crawler import settings as defaults

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}  # every command line of the project takes -h


def check_networks(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """``--allow-network``: every value must be a network in CIDR form (a bare address is a /32 or /128)."""
    for value in values:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise click.BadParameter(f"not a network in CIDR form: {value!r}") from None
    return values


def check_redis_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """``--redis``: a URL redis-py can connect with (``redis://``, ``rediss://``, ``unix://``; a port
    within 0-65535). Read as given, nothing is asked of the server; it ended ``ingest`` and
    ``enqueue`` in a ValueError traceback."""
    from redis.connection import parse_url

    from crawler.urls import redacted

    try:
        parse_url(value)
    except ValueError as exc:
        raise click.BadParameter(f"{redacted(value)}: {exc}") from None
    return value


def parse_overrides(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    """``--set NAME=VALUE`` (repeatable) -> {NAME: VALUE}.

    A NEWSCRAWL_ name crawler/settings.py does not define (a typo would be ignored) and a
    value a number or true/false setting cannot take (it ended the command in a traceback)
    are usage errors; other Scrapy and extension settings pass as given.
    """
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}")
        overrides[name.strip()] = setting
    if overrides:
        from crawler.runner import build_settings  # ours and Scrapy's defaults

        known = build_settings()
        for name, setting in overrides.items():
            if problem := setting_problem(name, setting, known):
                raise click.BadParameter(problem)
            if hint := unknown_setting_hint(name, known):
                click.echo(f"Warning: --set {hint}", err=True)
    return overrides


def unknown_setting_hint(name: str, known: Mapping[str, Any]) -> str | None:
    """A name no setting of newscrawl or Scrapy has, but close to one: a typo (DOWNLOAD_TIMOUT) that
    nothing would read. Said, not refused: an extension's own setting may be that close (USER_AGENTS)."""
    if name in known:
        return None
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.9)
    if not close:
        return None
    return f"{name} is no setting of newscrawl or Scrapy (did you mean {close[0]}?); passed on as given for an extension"


NON_NEGATIVE_SUFFIXES = ("_TIMEOUT", "_DELAY", "_MAXSIZE", "_WARNSIZE")  # Scrapy settings no negative value fits
# 0 or less: no request is ever sent to a site (the crawl never ends), or no item or request a page
# yields is ever processed (CONCURRENT_ITEMS=0: the start page fetched, nothing stored, "Crawl success")
AT_LEAST_ONE = ("CONCURRENT_REQUESTS_PER_DOMAIN", "CONCURRENT_ITEMS")


def setting_problem(name: str, value: str, known: Mapping[str, Any]) -> str | None:
    """Why ``--set name=value`` cannot work, judged by the setting's default (None when it can)."""
    if name not in known:
        if not name.startswith("NEWSCRAWL_"):
            return None
        close = difflib.get_close_matches(name, [key for key in known if key.startswith("NEWSCRAWL_")], n=1)
        return f"{name} is not a setting of crawler/settings.py" + (f" (did you mean {close[0]}?)" if close else "")
    default = known[name]
    if isinstance(default, bool):
        readable, kind = value.strip() in ("True", "False", "true", "false") or _is_number(value, int), "true or false"
    elif isinstance(default, (int, float)):
        readable, kind = _is_number(value, float), "a number"
        if readable and not math.isfinite(float(value)):  # nan: Twisted's AssertionError traceback; inf: waits forever
            readable, kind = False, "a finite number"
        # Every NEWSCRAWL_ number of crawler/settings.py is a count, a share, a size or seconds, and so is
        # every Scrapy ..._TIMEOUT, ..._DELAY and download size: none takes a negative value (the pool's -3
        # surfaced as "could not run" after Scrapy's start-up; DOWNLOAD_TIMEOUT=-5 as Twisted's AssertionError
        # traceback; DOWNLOAD_MAXSIZE=-1 failed every page as too_large).
        elif readable and float(value) < 0 and (name.startswith("NEWSCRAWL_") or name.endswith(NON_NEGATIVE_SUFFIXES)):
            readable, kind = False, "0 or more"
        # With no request allowed at a time nothing is ever fetched, and the crawl never ends, not even on SIGTERM.
        elif readable and float(value) < 1 and name in AT_LEAST_ONE:
            readable, kind = False, "1 or more"
    else:
        return None
    return None if readable else f"{name} takes {kind}, got {value!r}"


def _is_number(value: str, kind: type) -> bool:
    try:
        kind(value)
    except ValueError:
        return False
    return True


def check_site(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--site HOST`` as given (None when not given). An empty value is a usage error: it
    selected every site (``templates --site ''`` listed them all)."""
    if value is not None and not value.strip().lower().removeprefix("www."):
        raise click.BadParameter(f"{value!r} names no site: give a host such as news.example "
                                 "(`newscrawl stats` lists the stored sites)")
    return value


def check_since(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """``--since`` as ``crawl --since`` reads it (``crawler.discovery.dates.parse_bound``, the one
    parser): a day (its start), an ISO 8601 date and time, or an RFC 822 date; aware, in UTC."""
    if value is None:
        return None
    from crawler.discovery.dates import parse_bound

    try:
        return parse_bound(value, end_of_day=False)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def write_db_option(help: str = "SQLite database to write (created if missing).") -> Callable[[Any], Any]:
    """``--db PATH``, the database a command writes: NEWSCRAWL_DB when not given, else the setting's default."""
    return click.option("--db", "db_path", type=click.Path(dir_okay=False), default=defaults.NEWSCRAWL_DB_PATH,
                        envvar=defaults.NEWSCRAWL_DB_ENVVAR, show_envvar=True, show_default=True, help=help)


def check_metrics_port(ctx: click.Context, param: click.Parameter, port: int) -> int:
    """``--metrics-port``: the port must be free on NEWSCRAWL_METRICS_HOST's default address. A busy one
    let the crawl run without its endpoint, after a traceback among Scrapy's lines."""
    import socket

    if port:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the endpoint's server binds
            try:
                probe.bind((defaults.NEWSCRAWL_METRICS_HOST, port))
            except OSError as exc:
                raise click.BadParameter(f"port {port} on {defaults.NEWSCRAWL_METRICS_HOST} is not free "
                                         f"({exc.strerror}); choose another") from None
    return port


metrics_port_option = click.option(
    "--metrics-port", type=click.IntRange(min=0, max=65535), default=0, metavar="PORT", callback=check_metrics_port,
    help="Serve Prometheus metrics on http://NEWSCRAWL_METRICS_HOST:PORT/metrics (docs/scaling.md lists them).",
)


def with_metrics_port(overrides: dict[str, object], port: int) -> dict[str, object]:
    """The settings overrides with NEWSCRAWL_METRICS_PORT from ``--metrics-port`` (0: left as set)."""
    return {**overrides, "NEWSCRAWL_METRICS_PORT": port} if port else overrides


def check_languages(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str]:
    """``--language de,fr``: ISO 639 codes, comma-separated; [] when not given."""
    if not value:
        return []
    from crawler.article.language import wanted_languages

    try:
        return sorted(wanted_languages(value.split(",")))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def check_language_codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """A repeatable ``--language en``: each an ISO 639 code, as ``--language de,fr`` takes them."""
    return tuple(code for value in values for code in check_languages(ctx, param, value))


language_option = click.option(
    "--language", "languages", metavar="CODES", callback=check_languages,
    help="Store only articles in these languages, e.g. de,fr (others are skipped as unwanted_language).",
)


def with_languages(overrides: dict[str, object], languages: list[str]) -> dict[str, object]:
    """The settings overrides with NEWSCRAWL_LANGUAGES from ``--language`` (none: left as set)."""
    return {**overrides, "NEWSCRAWL_LANGUAGES": languages} if languages else overrides


def start_pool_early(overrides: Mapping[str, str]) -> None:
    """Start the parse pool's fork server before a command that parses stored pages (`import`,
    `reparse`) imports the parser and the article steps: the server's own imports of
    the parser then run on another core at the same time (``crawler.pool.start_fork_server``).
    A value of NEWSCRAWL_PARSE_PROCESSES the command will reject starts nothing here."""
    from crawler.pool import pool_size, start_fork_server

    setting = {"NEWSCRAWL_PARSE_PROCESSES": defaults.NEWSCRAWL_PARSE_PROCESSES, **overrides}  # the one default
    try:
        processes = pool_size(int(setting["NEWSCRAWL_PARSE_PROCESSES"]))
    except ValueError:
        return
    start_fork_server(processes)
