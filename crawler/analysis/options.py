"""Options the analyst commands share: ``--db`` and the article filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import click

from crawler import settings as defaults
from crawler.analysis.query import Filters

DEFAULT_DB = defaults.NEWSCRAWL_DB_PATH


class DayOrMoment(click.ParamType):
    """``YYYY-MM-DD`` (a whole day) or an ISO 8601 date and time (a moment; no offset means UTC)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            self.fail(f"{value!r} is not a date: use YYYY-MM-DD or ISO 8601 (2025-03-04T18:30:00+01:00)", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


_DAY = DayOrMoment()


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``, the database every analyst command reads."""
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        envvar=defaults.NEWSCRAWL_DB_ENVVAR,
        show_envvar=True,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The newscrawl database to read.",
    )(function)


def filter_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--site``, ``--since``, ``--until``, ``--language``, ``--author``."""
    options = [
        click.option("--site", "sites", multiple=True, metavar="HOST", help="Only this site (repeatable), e.g. example.com."),
        click.option("--since", type=_DAY, metavar="DATE", help="Published on or after this day (YYYY-MM-DD) or moment (ISO 8601)."),
        click.option("--until", type=_DAY, metavar="DATE", help="Published on or before this day (YYYY-MM-DD) or moment (ISO 8601)."),
        click.option("--language", metavar="CODE", help="Only articles in this language, e.g. en, de."),
        click.option("--author", metavar="NAME", help="Only articles with an author whose name contains NAME."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _instant(value: date, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.max if end else time.min, tzinfo=timezone.utc)


def filters_from(
    sites: tuple[str, ...], since: date | None, until: date | None, language: str | None, author: str | None
) -> Filters:
    if since and until and _instant(since, end=False) > _instant(until, end=True):
        raise click.BadParameter("--since is after --until", param_hint="--since/--until")
    return Filters(sites=tuple(sites), since=since, until=until, language=language, author=author)


SHOWN_QUERY = 60  # characters of a query repeated back in a message


def shown_query(query: str) -> str:
    """The query as a message repeats it: quoted, and cut after SHOWN_QUERY characters with its
    length (a query pasted by mistake, or built by a script, can be a whole page)."""
    if len(query) <= SHOWN_QUERY:
        return repr(query)
    return f"{query[:SHOWN_QUERY]!r}... ({len(query):,} characters)"


def query_error(query: str, error: Exception) -> click.ClickException:
    """``search`` and ``export --query``'s one line for a query that cannot run."""
    reason = str(error)
    reason = reason if len(reason) <= 2 * SHOWN_QUERY else reason[:2 * SHOWN_QUERY] + "..."
    return click.ClickException(f"cannot search for {shown_query(query)}: {reason}")
