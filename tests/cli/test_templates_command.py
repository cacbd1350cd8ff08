"""`newscrawl templates --toml` prints a profile a crawl can start from; an unknown --site says so."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from crawler.parsing.template import Layout
from crawler.storage.templates import SitePaths, TemplateStore


def _database(path: Path) -> Path:
    db = open_database(path)
    ArticleStore(db).upsert_articles([ArticleRow(url="http://127.0.0.1:8103/news/a/", site="127.0.0.1:8103", title="A",
                                                 body="body", content_hash="h", fetched_at="2026-01-01T00:00:00+00:00")])
    TemplateStore(db).save([SitePaths("127.0.0.1:8103", 13, {"title": Counter({"article h1.headline": 13})})],
                           now="2026-01-01T00:00:00+00:00")
    db.conn.close()
    return path


def test_the_profile_starts_at_the_sites_own_scheme_and_port(tmp_path: Path) -> None:
    """start_urls was always https://SITE/: for the demo's sites (http on 127.0.0.1) a profile that
    fetches nothing."""
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["templates", "--toml", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert 'start_urls = ["http://127.0.0.1:8103/"]' in result.output
    assert 'title = "article h1.headline"' in result.output


def test_an_unknown_site_is_named_with_the_known_ones(tmp_path: Path) -> None:
    """It said 'No site template learned yet: crawl at least 5 article pages', as if the site had been crawled."""
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["templates", "--site", "127.0.0.1", "--db", str(db)])
    assert result.exit_code == 2, result.output  # a usage error, as reparse --run 999 (it exited 0)
    assert "No stored article is from the site '127.0.0.1' (did you mean 127.0.0.1:8103?)" in result.output


def test_json_and_toml_together_is_a_usage_error(tmp_path: Path) -> None:
    """It printed JSON and ignored --toml without a word."""
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["templates", "--json", "--toml", "--db", str(db)])
    assert result.exit_code == 2 and "--json and --toml" in result.output, result.output


def test_the_kept_fast_path_layouts_are_shown_and_left_out_of_the_profile(tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    _database(db_path)
    db = open_database(db_path)
    layout = Layout(title="article h1.headline", region="article div.text", date="article time")
    rare = Layout(title="article h1.headline", region="article")
    TemplateStore(db).save([SitePaths("127.0.0.1:8103", 13, {"title": Counter({"article h1.headline": 13})},
                                      layouts=Counter({layout.dumps(): 12, rare.dumps(): 1}))],
                           now="2026-01-01T00:00:00+00:00")
    db.conn.close()
    shown = CliRunner().invoke(cli, ["templates", "--db", str(db_path)])
    assert "region article div.text  [12/13 pages, read the fast way]" in shown.output, shown.output
    assert "region article  [" not in shown.output  # not confident: with --all only
    every = CliRunner().invoke(cli, ["templates", "--all", "--json", "--db", str(db_path)])
    rows = [json.loads(line) for line in every.output.splitlines()]
    assert [(row["layout"], row["pages"], row["confident"]) for row in rows if "layout" in row] == [
        (layout.as_paths(), 12, True), (rare.as_paths(), 1, False)]
    profile = CliRunner().invoke(cli, ["templates", "--toml", "--db", str(db_path)])
    assert "region" not in profile.output and 'title = "article h1.headline"' in profile.output
