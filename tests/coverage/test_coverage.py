"""Field coverage per site: a field a site stops delivering is caught, against its own history."""

from __future__ import annotations

import pytest

from crawler.article.coverage import CoverageRules, FieldCounts, RunCoverage, SiteHistory, history_of
from crawler.parsing.result import ParseResult
from crawler.storage import open_database
from crawler.storage.coverage import CoverageStore


def _parsed(*, date: bool = True, authors: bool = True, links: bool = True) -> ParseResult:
    return ParseResult(url="https://a.example/x", title="T", body="b",
                       published_at="2025-01-01" if date else None, authors=["Ann"] if authors else [],
                       prev_url="https://a.example/p" if links else None)


def _feed(run: RunCoverage, count: int, *, site: str = "a.example", words: int = 500, **fields: bool) -> list:
    drops = []
    for _ in range(count):
        drops += run.add(site, _parsed(**fields), words)
    return drops


def test_dates_vanishing_mid_run_are_caught_once_and_named():
    run = RunCoverage(lambda site: None, CoverageRules(window=20))
    assert _feed(run, 60) == []
    drops = _feed(run, 20, date=False)
    assert [(drop.site, drop.field) for drop in drops] == [("a.example", "date")]
    assert drops[0].share == 0.0 and drops[0].baseline_share == 1.0 and drops[0].baseline_articles == 60
    assert _feed(run, 40, date=False) == []  # reported once
    assert run.finish() == []


def test_a_site_that_never_had_a_field_is_not_flagged_and_other_sites_are_apart():
    run = RunCoverage(lambda site: None, CoverageRules(window=20))
    _feed(run, 40, authors=False)
    _feed(run, 40, site="b.example")
    assert _feed(run, 20, authors=False) == []
    assert run.shares()["a.example"]["authors"] == 0.0 and run.shares()["b.example"]["authors"] == 1.0


def test_the_first_window_of_a_run_is_judged_against_the_sites_earlier_runs():
    history = SiteHistory(FieldCounts(articles=100, present={"date": 95, "authors": 90, "body": 99, "links": 97}), 500)
    run = RunCoverage(lambda site: history, CoverageRules(window=20))
    drops = _feed(run, 20, words=40)  # bodies shrank to a teaser
    assert [drop.field for drop in drops] == ["body"]


def test_a_short_last_window_counts_when_half_full():
    run = RunCoverage(lambda site: None, CoverageRules(window=20))
    _feed(run, 40)
    _feed(run, 12, links=False)
    assert [drop.field for drop in run.finish()] == ["links"]


def test_each_run_is_stored_and_becomes_the_next_runs_history(tmp_path):
    db = open_database(tmp_path / "news.db")
    db.execute("INSERT INTO runs (id, started_at, spider) VALUES (1, 'x', 'site'), (2, 'y', 'site')")
    store = CoverageStore(db)
    first = RunCoverage(lambda site: history_of(store.history(site, before_run=1)), CoverageRules(window=20))
    _feed(first, 40)
    first.finish()
    store.record(1, first.rows())
    history = history_of(store.history("a.example", before_run=2))
    assert history.counts.articles == 40 and history.counts.share("date") == 1.0 and history.median_words == 500
    second = RunCoverage(lambda site: history_of(store.history(site, before_run=2)), CoverageRules(window=20))
    assert [drop.field for drop in _feed(second, 20, date=False)] == ["date"]
    store.record(2, second.rows())
    assert store.degraded(2) == [("a.example", "date")] and store.degraded(1) == []


# --- end to end: a crawl whose site drops its dates half-way ------------------------------------
def _dates_gone_after(count: int, keep: int) -> dict:
    import re

    from tests.spider.site import Page, chain_pages

    undated = re.compile(rb'<meta property="article:published_time"[^>]*>|"datePublished": "[^"]*", |<time [^>]*>[^<]*</time>')
    pages = {}
    for number, (path, page) in enumerate(chain_pages(count).items()):
        body = re.sub(rb"/2025/03/(\d\d)/", rb"/stories/\1-", page.body)  # no date in the URLs either
        pages[re.sub(r"/2025/03/(\d\d)/", r"/stories/\1-", path)] = Page(undated.sub(b"", body) if number >= keep else body)
    return pages


@pytest.mark.slow  # a crawl in a subprocess
def test_a_site_whose_dates_vanish_mid_crawl_marks_the_run_degraded(tmp_path):
    from click.testing import CliRunner

    from crawler.cli import cli
    from tests.spider.site import LocalSite, rows, run_crawl_cli

    pages = _dates_gone_after(60, keep=40)
    with LocalSite(pages) as site:
        first = min(pages, key=lambda path: int(path.rsplit("-", 1)[1].split(".")[0]))
        result = run_crawl_cli([site.url(first)], tmp_path / "news.db", "--direction", "next")
    assert result.returncode == 6, result.stderr[-3000:]
    assert "field coverage dropped" in result.stderr and ": date in 0% of 20 articles" in result.stderr
    stored = rows(tmp_path / "news.db", "SELECT count(*) AS n, count(published_at) AS dated FROM articles")[0]
    assert stored == {"n": 60, "dated": 40}
    coverage = rows(tmp_path / "news.db", "SELECT articles, dated, degraded FROM run_coverage")
    assert coverage == [{"articles": 60, "dated": 40, "degraded": "date"}]
    shown = CliRunner().invoke(cli, ["runs", "--db", str(tmp_path / "news.db")]).output
    assert "DEGRADED 127.0.0.1:" in shown and ": date" in shown
