"""Options the analyst commands share: ``--db`` and the article filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from crawler.analysis.query import Filters

DEFAULT_DB = "data/news.db"
_DAY = click.DateTime(formats=["%Y-%m-%d"])


def db_option(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--db PATH``, the database every analyst command reads."""
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The newscrawl database to read.",
    )(function)


def filter_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--site``, ``--since``, ``--until``, ``--language``, ``--author``."""
    options = [
        click.option("--site", "sites", multiple=True, metavar="HOST", help="Only this site (repeatable), e.g. example.com."),
        click.option("--since", type=_DAY, metavar="YYYY-MM-DD", help="Published on or after this day."),
        click.option("--until", type=_DAY, metavar="YYYY-MM-DD", help="Published on or before this day."),
        click.option("--language", metavar="CODE", help="Only articles in this language, e.g. en, de."),
        click.option("--author", metavar="NAME", help="Only articles with an author whose name contains NAME."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def filters_from(
    sites: tuple[str, ...], since: datetime | None, until: datetime | None, language: str | None, author: str | None
) -> Filters:
    if since and until and since > until:
        raise click.BadParameter("--since is after --until", param_hint="--since/--until")
    return Filters(
        sites=tuple(sites),
        since=since.date() if since else None,
        until=until.date() if until else None,
        language=language,
        author=author,
    )
