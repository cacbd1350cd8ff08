"""The Datasette plugin `newscrawl serve` registers.

- Every connection to a served database is ``PRAGMA query_only``: nothing served can
  write, whatever the SQL.
- ``newscrawl_fts(text)``: the user's search text as a safe FTS5 expression (the same
  rules as ``newscrawl search``); text that is not a valid query becomes a search
  for its words, so the canned search never fails on syntax. Datasette's own
  ``escape_fts``, which the table page's search box applies, is replaced by the same
  function, so the box takes OR, NOT, prefix* and title:word too.
- The articles page's search box sends ``_fts`` (``filters_from_request``): the same
  syntax, and a plan that stays fast when a word is in most articles. Datasette's own
  ``?_search=`` asks SQLite to fetch every match's row and sort them by date; with more
  than ``DRIVEN_MATCHES`` matches the clause reads ``+id IN (...)`` instead, so SQLite
  walks the date index newest first and stops at the page's rows.
- A ``body`` cell shows the first words (the row page's template shows the body whole),
  and ``authors`` and ``keywords`` read as lists of names, not JSON.
- ``prev_url`` / ``next_url`` cells link to the neighbour's row when it is stored, and
  ``id`` cells of the analyst views link to the article's row. Link text is escaped:
  scraped text is never rendered as HTML.
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl
from datasette.filters import FilterArguments
from markupsafe import Markup

from crawler.analysis.database import decode_list
from crawler.analysis.query import QueryError, fts_expression
from crawler.urls import canonical_url

NEIGHBOUR_COLUMNS = {"prev_url": "←", "next_url": "→"}
BODY_WORDS = 30  # words of the body a table page shows
DRIVEN_MATCHES = 5_000  # a search with fewer matches fetches them by id; more, walks the date index
ARTICLE_ID_VIEWS = frozenset({"article_summaries", "site_chains"})
_WORDS = re.compile(r"\w+")


def safe_fts(text: str | None) -> str:
    """An FTS5 expression that always parses: the query itself, or a quoted AND of its words."""
    try:
        return fts_expression(text or "")
    except QueryError:
        words = _WORDS.findall(text or "")
        return " ".join(f'"{word}"' for word in words) or '""'


DATASETTE_OWN = frozenset({"_internal", "_memory"})  # Datasette's in-memory databases, which it writes itself


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    if table != "articles" or not request.args.get("_fts"):
        return None
    text = request.args["_fts"]

    async def search_clause() -> FilterArguments:
        matches = await datasette.get_database(database).execute(
            "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            [safe_fts(text), DRIVEN_MATCHES],
        )
        column = "id" if matches.first()[0] < DRIVEN_MATCHES else "+id"  # "+": no rowid lookups from the set
        return FilterArguments(
            [f"{column} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH newscrawl_fts(:fts))"],
            {"fts": text},
            [f'search matches "{text}"'],
            {"search": text},
        )

    return search_clause()


@hookimpl(trylast=True)  # after Datasette's own, so its escape_fts is the one replaced
def prepare_connection(conn: Any, database: str) -> None:
    if database not in DATASETTE_OWN:
        conn.execute("PRAGMA query_only = 1")
    conn.create_function("newscrawl_fts", 1, safe_fts, deterministic=True)
    conn.create_function("escape_fts", 1, safe_fts, deterministic=True)


def first_words(text: str, count: int = BODY_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")



def _row_link(datasette: Any, database: str, article_id: int, text: str) -> Markup:
    href = datasette.urls.row(database, "articles", str(article_id))
    return Markup('<a href="{}">{}</a>').format(href, text)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if column in ("authors", "keywords") and isinstance(value, str) and value.startswith("["):
        return ", ".join(decode_list(value)) or "–"  # Datasette escapes the text
    if table == "articles" and column == "body" and isinstance(value, str):
        return first_words(value)  # the row page's template shows the raw body whole
    if table == "articles" and column in NEIGHBOUR_COLUMNS and isinstance(value, str) and value:

        async def neighbour_link() -> Markup | None:
            # Only the indexed url column: a lookup per cell must never scan the table.
            rows = await datasette.get_database(database).execute(
                "SELECT id, title FROM articles WHERE url IN (?, ?) LIMIT 1", [value, canonical_url(value)]
            )
            row = rows.first()
            if row is None:
                return None  # not stored: Datasette's own rendering (escaped text, http(s) linked)
            arrow = NEIGHBOUR_COLUMNS[column]
            text = f"{arrow} {row['title']}" if column == "prev_url" else f"{row['title']} {arrow}"
            return _row_link(datasette, database, row["id"], text)

        return neighbour_link()
    if table in ARTICLE_ID_VIEWS and column in {"id", "chain_id"} and isinstance(value, int):
        return _row_link(datasette, database, value, str(value))
    return None
