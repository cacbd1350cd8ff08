"""Datasette with the newscrawl metadata and plugin, in process (the browser test runs the real server)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from crawler.commands.serve import datasette_arguments
from crawler.datasette import plugin
from crawler.datasette.metadata import QUERIES, build_metadata
from crawler.storage import open_database
from tests.analysis.fixtures import ARTICLES, SCRIPT_TITLE



def get(ds: Datasette, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


def test_served_under_the_file_name(datasette: Datasette) -> None:
    assert get(datasette, "/news/articles.json").status_code == 200


def test_full_text_search_and_facets(datasette: Datasette) -> None:
    data = get(datasette, "/news/articles.json?_search=ferry&_shape=objects").json()
    assert [row["title"] for row in data["rows"]] == [SCRIPT_TITLE]
    facets = get(datasette, "/news/articles.json").json()["facet_results"]
    assert {"site", "language"} <= set(facets)


def test_descriptions_come_from_metadata(datasette: Datasette) -> None:
    page = get(datasette, "/news/articles").text
    assert "One row per article" in page


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_queries_run(datasette: Datasette, name: str) -> None:
    params = {"search_between": "?query=bridge&since=2025-01-01&until=2025-12-31&site=", "site_chain": "?site=river.example"}
    response = get(datasette, f"/news/{name}.json{params.get(name, '')}&_shape=objects".replace(".json&", ".json?"))
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert rows


def test_search_canned_query_window_and_bad_syntax(datasette: Datasette) -> None:
    def titles(query: str, since: str, until: str) -> list[str]:
        path = f"/news/search_between.json?query={query}&since={since}&until={until}&site=&_shape=objects"
        return [row["title"] for row in get(datasette, path).json()["rows"]]

    assert titles("bridge", "2025-03-04", "2025-03-31") == []
    assert titles("bridge", "2025-03-03", "2025-03-03") == [ARTICLES[0][1]]
    assert titles("%22bridge", "2025-03-01", "2025-03-31") == [ARTICLES[0][1]]  # unclosed quote: still a search


def test_prev_next_link_to_the_neighbour_row_and_escape_text(datasette: Datasette) -> None:
    page = get(datasette, "/news/articles/2").text
    assert '<a href="/news/articles/1">← Council approves the bridge budget</a>' in page
    assert '<a href="/news/articles/3">&lt;script&gt;window.__injected = 1&lt;/script&gt; Council ferry vote →</a>' in page
    assert "<script>window.__injected" not in page


def test_article_row_page_reads_top_down(datasette: Datasette) -> None:
    page = get(datasette, "/news/articles/2").text
    assert '<dl class="newscrawl-article">' in page
    names = ("title", "published_at", "keywords", "free_to_read", "summary", "prev_url", "body")
    order = [page.index(f"<dt>{name}</dt>") for name in names]
    assert order == sorted(order)
    table_page = get(datasette, "/news/articles").text
    assert "newscrawl-article" not in table_page


def test_every_article_column_is_described_and_the_image_shown(datasette: Datasette, tmp_path: Path) -> None:
    columns = [row[1] for row in open_database(tmp_path / "fresh.db").execute("PRAGMA table_info(articles)")]
    described = build_metadata("news")["databases"]["news"]["tables"]["articles"]["columns"]
    assert [name for name in columns if name not in described] == []
    assert "https://river.example/img/bridge.jpg" in get(datasette, "/news/articles/1").text


def test_views_link_ids_to_articles(datasette: Datasette) -> None:
    page = get(datasette, "/news/site_chains").text
    assert '<a href="/news/articles/1">1</a>' in page


def test_served_connections_cannot_write(analysis_db: Path) -> None:
    conn = sqlite3.connect(analysis_db)
    plugin.prepare_connection(conn, "news")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM articles")
    assert conn.execute("SELECT newscrawl_fts('covid-19 AND')").fetchone()[0] == '"covid" "19" "AND"'


def test_serve_arguments_bind_loopback_read_only(analysis_db: Path, tmp_path: Path) -> None:
    paths = {"metadata_path": tmp_path / "m.json", "template_dir": tmp_path}
    args = datasette_arguments(analysis_db, port=8123, immutable=False, **paths)
    assert args[:2] == ["serve", str(analysis_db)]
    assert args[args.index("--host") + 1] == "127.0.0.1" and "--immutable" not in args
    assert "--immutable" in datasette_arguments(analysis_db, port=1, immutable=True, **paths)


def test_metadata_is_json(analysis_db: Path) -> None:
    metadata = json.loads(json.dumps(build_metadata("news")))
    assert metadata["databases"]["news"]["tables"]["articles"]["fts_table"] == "articles_fts"


def test_serve_on_a_taken_port_is_a_message(analysis_db: Path) -> None:
    import socket

    from click.testing import CliRunner

    from crawler.cli import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port), "--db", str(analysis_db)])
    assert result.exit_code == 1 and f"port {port} on 127.0.0.1 is not free" in result.output
