"""Facets of the articles page that cost the same at any size (the ``counted`` facet type).

Datasette's column facet counts a column over every row the page's filters keep: an
index scan of the whole table on the unfiltered page (16 ms of CPU at 200,000 articles for
``site``, 80 at a million, so both facets hit ``facet_time_limit_ms`` on a busy machine and
the page showed none), and a scan with a membership test for every search. ``counted``
(metadata: ``"facets": [{"counted": "site"}, {"counted": "language"}]``) answers instead:

- from ``article_counts`` (articles per site, language and day, kept by triggers) when the
  page is the whole table or filtered by ``site`` / ``language`` values only: exact, and
  as fast at a million articles as at a thousand;
- for a search from the box (``_fts``, no other filter) with at most ``SEARCH_FACET_MATCHES``
  matches: the matches' values read from the ``articles_search_filter`` index (exact);
  with more, the facet is skipped and listed among those that timed out (counting the
  matches of a word in most articles would read the whole index);
- anything else: Datasette's own column facet, under its time limit.
"""

from __future__ import annotations

from typing import Any

from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args

from crawler.analysis.search import FILTER_INDEX

COUNTED_COLUMNS = {"site": "site", "language": "language"}  # articles column -> article_counts column
SEARCH_FACET_MATCHES = 10_000  # a search with more matches gets no facet counts
_PAGE_ARGS = frozenset({  # arguments that change how rows show, not which rows
    "_sort", "_sort_desc", "_size", "_next", "_nocount", "_facet_size", "_labels", "_nolabels",
    "_col", "_nocol", "_trace", "_nofacet", "_nosuggest", "_shape", "_json", "_timelimit",
})


def _column_filters(request: Any, *, besides: str = "") -> dict[str, list[str]] | None:
    """The request's ``column=value`` filters on the counted columns, or None when it filters
    any other way (other columns, operators, ``_where``, ``_search``, ``_fts`` unless it is
    ``besides``)."""
    filters: dict[str, list[str]] = {}
    for key in request.args:
        if key.startswith("_facet") or key in _PAGE_ARGS or key == besides:
            continue
        column = key.removesuffix("__exact")
        if column not in COUNTED_COLUMNS:
            return None
        filters.setdefault(column, []).extend(request.args.getlist(key))
    return filters


class CountedFacet(ColumnFacet):
    type = "counted"

    async def suggest(self) -> list[Any]:
        return []

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        if self.table != "articles":
            return await self._as_columns()
        filters = _column_filters(self.request)
        if filters is not None:
            return await self._facets(self._from_counts(filters))
        search = self.request.args.get("_fts")
        if search and _column_filters(self.request, besides="_fts") == {}:
            matches = await self.ds.execute(
                self.database,
                "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH newscrawl_fts(?) LIMIT ?)",
                [search, SEARCH_FACET_MATCHES + 1],
            )
            if matches.first()[0] > SEARCH_FACET_MATCHES:
                return [], [self._column(config["config"]) for config in self.get_configs()]
            return await self._facets(self._from_search(search))
        return await self._as_columns()

    async def _as_columns(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = await super().facet_results()
        return [{**result, "type": "column"} for result in results], timed_out

    @staticmethod
    def _column(config: dict[str, Any]) -> str:
        return config.get("column") or config["simple"]

    def _from_counts(self, filters: dict[str, list[str]]):  # type: ignore[no-untyped-def]
        def query(column: str) -> tuple[str, list[Any]]:
            clauses, params = [], []
            for name, values in filters.items():
                clauses.append(f"{COUNTED_COLUMNS[name]} IN ({', '.join('?' for _ in values)})")
                params += values
            clauses.append(f"{COUNTED_COLUMNS[column]} != ''")  # '' counts the articles without a value
            return (
                f"SELECT {COUNTED_COLUMNS[column]} AS value, sum(articles) AS count FROM article_counts"
                f" WHERE {' AND '.join(clauses)} GROUP BY value ORDER BY count DESC, value LIMIT ?",
                params,
            )

        return query

    def _from_search(self, search: str):  # type: ignore[no-untyped-def]
        def query(column: str) -> tuple[str, list[Any]]:
            return (
                f"SELECT a.{column} AS value, count(*) AS count FROM articles_fts"
                f" JOIN articles AS a INDEXED BY {FILTER_INDEX} ON a.id = articles_fts.rowid"
                f" WHERE articles_fts MATCH newscrawl_fts(?) AND a.{column} IS NOT NULL"
                " GROUP BY value ORDER BY count DESC, value LIMIT ?",
                [search],
            )

        return query

    async def _facets(self, query) -> tuple[list[dict[str, Any]], list[str]]:  # type: ignore[no-untyped-def]
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for source_and_config in self.get_configs():
            column = self._column(source_and_config["config"])
            if column not in COUNTED_COLUMNS:
                timed_out.append(column)
                continue
            sql, params = query(column)
            rows = (await self.ds.execute(self.database, sql, [*params, size + 1])).rows
            values = []
            for row in rows[:size]:
                selected = (column, str(row["value"])) in pairs
                toggle = (
                    path_with_removed_args(self.request, {column: str(row["value"])})
                    if selected
                    else path_with_added_args(self.request, {column: row["value"]})
                )
                values.append({
                    "value": row["value"], "label": row["value"], "count": row["count"],
                    "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)), "selected": selected,
                })
            results.append({
                "name": column, "type": "column", "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_counted": column})),
                "results": values, "truncated": len(rows) > size,
            })
        return results, timed_out

