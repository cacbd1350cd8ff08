"""What an analyst sees in `newscrawl serve` (issue 14): the page they open, the grid, the search box, the timeline.

The ``datasette`` fixture (tests/analysis/conftest.py) serves the fixture database in process.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from datasette.app import Datasette

from crawler.datasette import facets, plugin
from crawler.datasette.templates import DEFAULT_SQL, derived_templates
from tests.analysis.fixtures import ARTICLES



def get(ds: Datasette, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


def rows(ds: Datasette, path: str) -> list[dict[str, Any]]:
    separator = "&" if "?" in path else "?"
    response = get(ds, f"{path}{separator}_shape=objects")
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_articles_first_and_bookkeeping_hidden_but_reachable(datasette: Datasette) -> None:
    visible = get(datasette, "/news").text
    tables = re.findall(r'<h3><a href="/news/(\w+)"', visible)
    assert tables[0] == "articles", tables  # the first table listed
    assert "hidden tables" in visible
    assert set(tables) == {"articles", "runs", "failures", "run_coverage"}, tables  # reparse_progress was listed
    stored = {row["name"] for row in rows(datasette, "/news.json?sql=select+name+from+sqlite_master+where+type='table'")}
    for name in stored - set(tables):
        assert f'href="/news/{name}"' not in visible
        assert get(datasette, f"/news/{name}.json").status_code == 200


def test_the_sql_box_starts_from_a_query_worth_running(datasette: Datasette) -> None:
    page = get(datasette, "/news").text
    assert "order by published_at desc" in page and "select * from" not in page
    assert get(datasette, "/news.json?sql=" + DEFAULT_SQL.replace("\n", " ")).status_code == 200


def test_the_grid_shows_first_words_and_authors_as_names(datasette: Datasette) -> None:
    page = get(datasette, "/news/articles").text
    body = ARTICLES[0][5]
    assert body.split()[0] in page and body not in page  # never the whole body
    assert "Grace Hopper, Ada Lovelace" in page and "[&#34;Grace Hopper&#34;" not in page
    row_page = get(datasette, "/news/articles/1").text
    assert "Residents welcomed the decision" in row_page  # the row page reads the body whole


def test_column_help_is_folded_below_the_table(datasette: Datasette) -> None:
    page = get(datasette, "/news/articles").text
    assert page.index('<table class="rows-and-columns">') < page.index('<details class="column-help">')
    assert set(derived_templates()) == {"table", "database"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bridge OR Brücke", {ARTICLES[0][1], ARTICLES[4][1]}),
        ("ferry NOT opponents", set()),
        ("libr*", {ARTICLES[1][1]}),
        ("title:ferry", {ARTICLES[2][1]}),
        ("covid-19", {ARTICLES[3][1]}),
        ('"river bridge', {ARTICLES[0][1]}),  # not valid syntax: a search for its words
    ],
)
def test_the_search_box_takes_newscrawl_search_syntax(datasette: Datasette, query: str, expected: set[str]) -> None:
    from urllib.parse import quote

    assert {row["title"] for row in rows(datasette, f"/news/articles.json?_fts={quote(query)}")} == expected
    assert {row["title"] for row in rows(datasette, f"/news/articles.json?_search={quote(query)}")} == expected
    assert 'name="_fts"' in get(datasette, "/news/articles").text


def test_search_with_many_matches_walks_the_date_index(datasette: Datasette, monkeypatch) -> None:
    monkeypatch.setattr(plugin, "DRIVEN_MATCHES", 1)
    found = rows(datasette, "/news/articles.json?_fts=the")
    dates = [row["published_at"] for row in found if row["published_at"]]
    assert len(found) >= 4 and dates == sorted(dates, reverse=True)
    sql = get(datasette, "/news/articles.json?_fts=the").json()["query"]["sql"]
    assert "+id IN" in sql


def test_blank_parameters_mean_no_limit(datasette: Datasette) -> None:
    everything = rows(datasette, "/news/search_between.json?query=council&since=&until=&site=")
    assert len(everything) == 2
    assert len(rows(datasette, "/news/search_between.json?query=council&since=2025-03-05&until=&site=")) == 1
    assert rows(datasette, "/news/search_between.json?query=council&since=&until=&site=berg.example") == []


def test_timeline_shows_every_day_empty_ones_too(datasette: Datasette) -> None:
    days = rows(datasette, "/news/timeline.json?site=&since=&until=")
    assert [row["day"] for row in days] == ["2025-03-06", "2025-03-05", "2025-03-04", "2025-03-03"]
    assert sum(row["articles"] for row in days) == 5  # six articles, one undated
    window = rows(datasette, "/news/timeline.json?site=river.example&since=2025-03-01&until=2025-03-07")
    assert len(window) == 7 and window[0]["articles"] == 0 and window[-1]["articles"] == 0
    assert "█" in window[1]["chart"] and "river.example: 1" in window[1]["per_site"]


def test_coverage_per_site(datasette: Datasette) -> None:
    coverage = {row["site"]: row for row in rows(datasette, "/news/coverage.json")}
    assert coverage["river.example"]["articles"] == 4
    assert coverage["river.example"]["authors"] == "75%"
    assert coverage["berg.example"]["dated"] == "50%"


def _facets(ds: Datasette, path: str) -> dict[str, dict[str, int]]:
    response = get(ds, path)
    assert response.status_code == 200, response.text
    return {name: {value["value"]: value["count"] for value in facet["results"]}
            for name, facet in response.json()["facet_results"].items()}


def _column_counts(ds: Datasette, column: str, where: str = "1") -> dict[str, int]:
    sql = f"select {column}, count(*) from articles where {where} and {column} is not null group by {column}"
    return {row[0]: row[1] for row in get(ds, "/news.json?_shape=arrays&sql=" + sql).json()["rows"]}


@pytest.mark.parametrize("path", ["/news/articles.json", "/news/articles.json?site=river.example&_sort=id"])
def test_facets_are_read_from_the_daily_counts(datasette: Datasette, path: str, monkeypatch) -> None:
    where = "site = 'river.example'" if "site=" in path else "1"
    async def scan(self):  # Datasette's own facet over the rows: not wanted here
        raise AssertionError("the articles were counted")

    monkeypatch.setattr(facets.CountedFacet, "_as_columns", scan)
    assert _facets(datasette, path) == {column: _column_counts(datasette, column, where) for column in ("site", "language")}


def test_search_facets_are_exact_up_to_a_bound_and_skipped_beyond(datasette: Datasette, monkeypatch) -> None:
    expected = {column: _column_counts(datasette, column, "id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'the')")
                for column in ("site", "language")}
    assert _facets(datasette, "/news/articles.json?_fts=the") == expected
    monkeypatch.setattr(facets, "SEARCH_FACET_MATCHES", 2)
    assert _facets(datasette, "/news/articles.json?_fts=the") == {}
    page = get(datasette, "/news/articles?_fts=the").text
    assert "Not counted (too many rows to count quickly): site, language" in page
    # Another filter beside the search: Datasette's own facet, over the rows the filters keep.
    assert _facets(datasette, "/news/articles.json?_fts=the&published_at__gte=2025-03-05") == {
        column: _column_counts(datasette, column, "published_at >= '2025-03-05' AND id IN"
                               " (SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'the')")
        for column in ("site", "language")
    }


def test_the_search_box_skips_the_count_and_says_how_many_match(datasette: Datasette, monkeypatch) -> None:
    page = get(datasette, "/news/articles").text
    assert '<input type="hidden" name="_nocount" value="1">' in page
    assert "search matches &#34;council&#34; (in 2 articles in all)" in get(datasette, "/news/articles?_fts=council&_nocount=1").text
    monkeypatch.setattr(plugin, "LOOKUP_MATCHES", 1)
    assert "search matches &#34;council&#34; (in more than 1 articles in all)" in get(datasette, "/news/articles?_fts=council").text


def test_a_search_in_most_articles_looks_each_article_of_the_date_walk_up(datasette: Datasette, monkeypatch) -> None:
    monkeypatch.setattr(plugin, "DRIVEN_MATCHES", 1)
    walked = rows(datasette, "/news/articles.json?_fts=the&_nocount=1")
    monkeypatch.setattr(plugin, "LOOKUP_MATCHES", 1)
    looked_up = get(datasette, "/news/articles.json?_fts=the&_nocount=1&_shape=objects").json()
    assert "EXISTS (SELECT 1 FROM articles_fts" in looked_up["query"]["sql"]
    assert looked_up["rows"] == walked  # the same rows in the same order
    counted = get(datasette, "/news/articles.json?_fts=the").json()  # a counted page keeps the set
    assert "+id IN" in counted["query"]["sql"] and counted["filtered_table_rows_count"] == len(walked)


def test_the_row_page_says_in_words_what_its_codes_mean(datasette: Datasette, tmp_path) -> None:  # noqa: ARG001 (registers the plugin)
    """A reader saw 'published_relative 0', 'free_to_read 1' and 'prev_check confirmed' at the
    foot of the page with nothing to say what they meant. Codes are now words, a check follows
    its link, and a date the page wrote as a date says nothing about being relative."""
    from crawler.datasette.metadata import build_metadata
    from crawler.datasette.templates import write_templates
    from crawler.storage import open_database
    from tests.analysis.fixtures import build_database

    path = build_database(tmp_path / "news.db")
    db = open_database(path)
    db.execute("UPDATE articles SET prev_check = 'confirmed', next_check = 'no_link_back' WHERE id = 2")
    db.conn.commit()
    db.conn.close()
    templates = write_templates(tmp_path / "templates", "news")
    served = Datasette([str(path)], metadata=build_metadata("news"), template_dir=str(templates))
    page = get(served, "/news/articles/2").text
    assert "<dt>published_relative" not in page  # 0: the page wrote a date
    assert "confirmed: that page links back here" in page and "unconfirmed: that page does not link back" in page
    assert page.index("<dt>prev_url") < page.index("<dt>prev_check") < page.index("<dt>next_url") < page.index("<dt>next_check")
    free = [row["id"] for row in rows(served, "/news/articles.json?free_to_read=0")]
    assert free and "no: behind a paywall or a meter" in get(served, f"/news/articles/{free[0]}").text
