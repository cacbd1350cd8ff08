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
  walks the date index newest first and stops at the page's rows; beyond
  ``LOOKUP_MATCHES``, on a page that does not count its rows, each article of that walk
  is looked up in the index (building the set of a million matches would cost more than
  the few dozen look-ups a common word needs). The description says how many articles
  match, up to that bound; the search box also sends ``_nocount`` (Datasette's own count
  of a common word's matches reads a whole index).
- The articles page's facets are ``counted`` (crawler/datasette/facets.py): read from
  ``article_counts``, so they cost the same at a million articles as at a thousand.
- A ``body`` cell shows the first words (the row page's template shows the body whole),
  and ``authors`` and ``keywords`` read as lists of names, not JSON.
- ``prev_url`` / ``next_url`` cells link to the neighbour's row when it is stored, and
  ``id`` cells of the analyst views link to the article's row. Link text is escaped:
  scraped text is never rendered as HTML.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.filters import FilterArguments
from markupsafe import Markup

from crawler.analysis.database import decode_list, unwritable_folder
from crawler.analysis.query import QueryError, fts_expression
from crawler.analysis.terminal import counted
from crawler.datasette.facets import CountedFacet
from crawler.urls import canonical_url

NEIGHBOUR_COLUMNS = {"prev_url": "←", "next_url": "→"}
# Columns that hold a code, shown in words (the stored value stays what filters and SQL use).
IN_WORDS: dict[str, dict[object, str]] = {
    "published_relative": {1: 'yes: the page wrote it relative ("3 hours ago"), published_at counts back from the fetch',
                           0: "no"},
    "free_to_read": {1: "yes", 0: "no: behind a paywall or a meter"},
    "article_uncertain": {1: "yes: an article by a small margin, maybe a listing, service or documentation page", 0: "no"},
    **{column: {"confirmed": "confirmed: that page links back here, and its date fits",
                "wrong_date": "doubtful: that page links back here, but its date puts it on the other side",
                "no_link_back": "unconfirmed: that page does not link back here (a one-way chain, or a wrong guess)",
                "not_article": "wrong: that page is not an article"}
       for column in ("prev_check", "next_check")},
}
BODY_WORDS = 30  # words of the body a table page shows
DRIVEN_MATCHES = 5_000  # a search with fewer matches fetches them by id; more, walks the date index
LOOKUP_MATCHES = 200_000  # beyond this, the walk looks each article up in the index (a page without a count)
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


def _search_condition(matches: int, *, counted: bool) -> str:
    """The articles page's search clause for a query with ``matches`` matches (counted up to
    LOOKUP_MATCHES + 1). Few: the matches' rows by id. More: the date index walked newest
    first, each article checked against the set of matches (which SQLite builds whole,
    about 0.15 us a match). More than LOOKUP_MATCHES, when the page does not count its
    rows: each article of the walk looked up in the index instead (about 150 us, but a word
    in that many articles is found within a few dozen steps)."""
    if matches <= DRIVEN_MATCHES:
        return "id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH newscrawl_fts(:fts))"
    if matches <= LOOKUP_MATCHES or counted:  # "+": no rowid lookups from the set
        return "+id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH newscrawl_fts(:fts))"
    return ("EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH newscrawl_fts(:fts)"
            " AND articles_fts.rowid = articles.id)")


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    if table != "articles" or not request.args.get("_fts"):
        return None
    text = request.args["_fts"]

    async def search_clause() -> FilterArguments:
        matches = await datasette.get_database(database).execute(
            "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            [safe_fts(text), LOOKUP_MATCHES + 1],
        )
        count = matches.first()[0]
        found = counted(count, "article") if count <= LOOKUP_MATCHES else f"more than {LOOKUP_MATCHES:,} articles"
        return FilterArguments([_search_condition(count, counted=not request.args.get("_nocount"))], {"fts": text},
                               [f'search matches "{text}" (in {found} in all)'], {"search": text})

    return search_clause()


@hookimpl
def register_facet_classes() -> list[type]:
    return [CountedFacet]


@hookimpl(trylast=True)  # after Datasette's own, so its escape_fts is the one replaced
def prepare_connection(conn: Any, database: str) -> None:
    if database not in DATASETTE_OWN:
        conn.execute("PRAGMA query_only = 1")
    conn.create_function("newscrawl_fts", 1, safe_fts, deterministic=True)
    conn.create_function("escape_fts", 1, safe_fts, deterministic=True)


def first_words(text: str, count: int = BODY_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")



@functools.cache
def _reader(path: str) -> sqlite3.Connection:
    """A read-only connection to the served database at ``path``, for the look-ups of render_cell
    (immutable when no file can be created beside it: mode=ro would need to create its -shm file)."""
    mode = "immutable=1" if unwritable_folder(path) else "mode=ro"
    return sqlite3.connect(f"file:{quote(path)}?{mode}", uri=True, check_same_thread=False)


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
        # Only the indexed url column: a lookup per cell must never scan the table. Asked on
        # the plugin's own read-only connection, in this thread: a page has two such cells a
        # row, and sending each look-up to Datasette's query threads cost more than the
        # look-up (a 50-row page: 98 hand-offs, 0.2-0.4 s on a busy machine).
        row = _reader(datasette.get_database(database).path).execute(
            "SELECT id, title FROM articles WHERE url IN (?, ?) LIMIT 1", [value, canonical_url(value)]
        ).fetchone()
        if row is None:
            return None  # not stored: Datasette's own rendering (escaped text, http(s) linked)
        arrow = NEIGHBOUR_COLUMNS[column]
        text = f"{arrow} {row[1]}" if column == "prev_url" else f"{row[1]} {arrow}"
        return _row_link(datasette, database, row[0], text)
    if table == "articles" and column in IN_WORDS and isinstance(value, (int, str)):
        return IN_WORDS[column].get(value)
    if table in ARTICLE_ID_VIEWS and column in {"id", "chain_id"} and isinstance(value, int):
        return _row_link(datasette, database, value, str(value))
    return None
