"""`newscrawl runs` and `newscrawl sites` on a real database file."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import ArticleStore, open_database
from crawler.storage.state import CrawlState, StateChange
from crawler.storage.store import ArticleRow


def make_db(path):
    db = open_database(path)
    store = ArticleStore(db)
    run = store.start_run(spider="site", started_at="2025-09-01T10:00:00+00:00", arguments={}, site="gazette")
    store.upsert_articles([ArticleRow(url="http://g.example/a-b-c", site="g.example", title="A", body="B",
                                      content_hash="h1", fetched_at="2025-09-01T10:00:05+00:00")])  # fmt: skip
    CrawlState(db).record([StateChange("http://g.example/a-b-c", "gazette", "done"),
                           StateChange("http://g.example/d-e-f", "gazette", "pending")], run_id=run)  # fmt: skip
    store.finish_run(run, finished_at="2025-09-01T10:00:09+00:00", outcome="success", finish_reason="finished",
                     counts={"pages_fetched": 2, "articles_new": 1})  # fmt: skip
    CrawlState(db).finish_run(run, urls_discovered=2, not_modified=0)
    db.conn.close()


def test_runs_table_and_json(tmp_path):
    db = tmp_path / "news.db"
    make_db(db)
    result = CliRunner().invoke(cli, ["runs", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "gazette" in result.output and "success" in result.output and " 9s " in result.output
    as_json = CliRunner().invoke(cli, ["runs", "--db", str(db), "--json", "--site", "gazette"])
    [run] = [json.loads(line) for line in as_json.output.splitlines()]
    assert (run["articles_new"], run["urls_discovered"], run["outcome"]) == (1, 2, "success")
    none = CliRunner().invoke(cli, ["runs", "--db", str(db), "--site", "herald"])
    assert "No runs recorded for site 'herald'" in none.output


def test_sites_lists_profiles_with_counts_and_rejects_a_bad_file(tmp_path):
    db = tmp_path / "news.db"
    make_db(db)
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.gazette]\nname = "Gazette"\nstart_urls = ["http://g.example/"]\n'
                     '[sites.herald]\nfeeds = ["http://h.example/feed.xml"]\n', encoding="utf-8")  # fmt: skip
    result = CliRunner().invoke(cli, ["sites", "--sites", str(sites), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "gazette  Gazette" in result.output
    assert "1 article stored, 1 URL pending, 0 failed" in result.output
    assert "last run 1" in result.output and "never crawled" in result.output
    sites.write_text("[sites.gazette]\nstart_urls = 3\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["sites", "--sites", str(sites), "--db", str(db)])
    assert bad.exit_code == 4 and f"{sites}:2:" in bad.output


def test_a_run_of_several_sites_is_a_run_of_each(tmp_path):
    """After `make demo` (one crawl of three sites' start URLs, recorded under no one site), `runs --site`
    said "No runs recorded" for each and `sites` said "never crawled" beside its 13 stored articles."""
    from crawler.storage.coverage import CoverageRow, CoverageStore

    db_path = tmp_path / "news.db"
    db = open_database(db_path)
    store = ArticleStore(db)
    run = store.start_run(spider="site", started_at="2025-09-01T10:00:00+00:00", arguments={}, site=None)
    store.upsert_articles([ArticleRow(url=f"http://{host}/a-b-c", site=host, title="A", body="B", content_hash=host,
                                      fetched_at="2025-09-01T10:00:05+00:00") for host in ("g.example", "h.example")])
    CrawlState(db).record([StateChange(f"http://{host}/a-b-c", host, "done") for host in ("g.example", "h.example")],
                          run_id=run)
    CoverageStore(db).record(run, [CoverageRow(site="g.example", articles=1), CoverageRow(site="h.example", articles=1)])
    store.finish_run(run, finished_at="2025-09-01T10:00:09+00:00", outcome="success", finish_reason="finished",
                     counts={"pages_fetched": 2, "articles_new": 2})  # fmt: skip
    db.conn.close()
    result = CliRunner().invoke(cli, ["runs", "--db", str(db_path), "--json", "--site", "g.example"])
    assert [json.loads(line)["id"] for line in result.output.splitlines()] == [run], result.output
    assert "No runs recorded" in CliRunner().invoke(cli, ["runs", "--db", str(db_path), "--site", "k.example"]).output
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.gazette]\nstart_urls = ["http://g.example/"]\n', encoding="utf-8")
    listed = CliRunner().invoke(cli, ["sites", "--sites", str(sites), "--db", str(db_path)])
    assert f"last run {run} (with other sites: its counts are theirs too)" in listed.output, listed.output
    assert "never crawled" not in listed.output
