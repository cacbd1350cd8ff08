"""The article spider against a local site: chains walked from the middle, directions, limits, site scope.

Each crawl runs `newscrawl crawl` in a subprocess (Twisted's reactor runs once per process)
against servers started here on 127.0.0.1, and the tests read the database it wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.spider.site import LocalSite, Page, article_html, article_path, chain_pages, rows, run_crawl_cli, story, trap_pages

pytestmark = pytest.mark.slow

CHAIN = 9
MIDDLE = 4


def _site() -> LocalSite:
    site = LocalSite(chain_pages(CHAIN))
    site.pages.update(trap_pages(CHAIN))
    return site


def _stored(db: Path) -> dict[str, dict]:
    return {row["url"]: row for row in rows(db, "SELECT * FROM articles")}


def _article_paths(indexes: range) -> set[str]:
    return {article_path(index) for index in indexes}


def test_both_directions_from_the_middle_store_the_whole_chain_and_no_trap(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with _site() as site:
        result = run_crawl_cli([site.url(article_path(MIDDLE))], db)
        hits = site.article_hits()
    assert result.returncode == 0, result.stderr[-3000:]
    stored = _stored(db)
    assert set(stored) == {site.url(path) for path in _article_paths(range(CHAIN))}
    assert sorted(hits) == sorted(_article_paths(range(CHAIN))), "a trap or a page twice was fetched"
    for index in range(CHAIN):
        row = stored[site.url(article_path(index))]
        assert row["title"] == story(index)[0]
        assert row["body"].startswith(story(index)[1][0])
        assert row["prev_url"] == (site.url(article_path(index - 1)) if index else None)
        assert row["next_url"] == (site.url(article_path(index + 1)) if index < CHAIN - 1 else None)
        assert row["site"] == site.base_url.removeprefix("http://")
    [run] = rows(db, "SELECT * FROM runs")
    assert (run["outcome"], run["articles_new"], run["failed"]) == ("success", CHAIN, 0)
    assert rows(db, "SELECT * FROM failures") == []
    assert "9 articles stored" in result.stdout


@pytest.mark.parametrize(("direction", "expected"), [("prev", range(0, MIDDLE + 1)), ("next", range(MIDDLE, CHAIN))])
def test_one_direction_walks_only_that_side(tmp_path: Path, direction: str, expected: range) -> None:
    db = tmp_path / "news.db"
    with _site() as site:
        result = run_crawl_cli([site.url(article_path(MIDDLE))], db, "--direction", direction)
        hits = site.article_hits()
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(_stored(db)) == {site.url(path) for path in _article_paths(expected)}
    assert set(hits) == _article_paths(expected)


def test_max_articles_stops_fetching_at_the_limit(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with _site() as site:
        result = run_crawl_cli([site.url(article_path(MIDDLE))], db, "--max-articles", "3")
        hits = site.article_hits()
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(_stored(db)) == 3
    assert len(hits) == 3, hits  # never more pages fetched than the budget allows
    assert site.url(article_path(MIDDLE)) in _stored(db)
    [run] = rows(db, "SELECT finish_reason, articles_new FROM runs")
    assert run == {"finish_reason": "max_articles", "articles_new": 3}


def _two_sites() -> tuple[LocalSite, LocalSite]:
    """Site A's last article links (next) to an article on site B (another port of 127.0.0.1)."""
    site_a, site_b = LocalSite(), LocalSite(chain_pages(2, chain="other"))
    site_a.pages.update(chain_pages(3))
    last = article_path(2)
    site_a.pages[last] = Page(
        article_html(2, prev_url=article_path(1), next_url=site_b.url(article_path(0, chain="other")))
    )
    return site_a, site_b


def test_the_crawl_stays_on_the_start_urls_site(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site_a, site_b = _two_sites()
    with site_a, site_b:
        result = run_crawl_cli([site_a.url(article_path(1))], db)
        hits_b = list(site_b.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    assert hits_b == []
    assert {row["site"] for row in _stored(db).values()} == {site_a.base_url.removeprefix("http://")}
    assert len(_stored(db)) == 3


def test_allow_domain_lets_the_chain_continue_onto_another_site(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site_a, site_b = _two_sites()
    with site_a, site_b:
        result = run_crawl_cli([site_a.url(article_path(1))], db, "--allow-domain", "127.0.0.1")
    assert result.returncode == 0, result.stderr[-3000:]
    stored = _stored(db)
    assert site_b.url(article_path(0, chain="other")) in stored
    assert site_b.url(article_path(1, chain="other")) in stored  # ... and B's chain is walked on
    assert len(stored) == 5


def test_several_start_urls_on_several_sites_in_one_crawl(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalSite(chain_pages(3)) as site_a, LocalSite(chain_pages(4, chain="other")) as site_b:
        result = run_crawl_cli([site_a.url(article_path(1)), site_b.url(article_path(2, chain="other"))], db)
    assert result.returncode == 0, result.stderr[-3000:]
    sites = [row["site"] for row in _stored(db).values()]
    assert sorted(sites) == sorted([site_a.base_url[7:]] * 3 + [site_b.base_url[7:]] * 4)
    [run] = rows(db, "SELECT site, arguments FROM runs")
    assert run["site"] is None and site_b.base_url in run["arguments"]
