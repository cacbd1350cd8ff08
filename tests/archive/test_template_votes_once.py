"""A page votes once in its site's template, whatever the entry point: a crawl that fetches a stored
page again (--refresh, a feed saying it changed) and a reparse after it replace the page's vote;
they counted it once more (13 pages became 26 on a refetch of a demo site).

Generated site seed 209 (bench/template/sites.py), stored and archived as a crawl does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bench.template.sites import make_site
from crawler.archive.reparse import Reparser
from crawler.article import ArticleConfig, ArticlePipeline, Tally
from crawler.runner import build_settings
from crawler.storage import ArticleStore, open_database
from crawler.storage.reparse import Selection
from crawler.storage.templates import TemplateStore
from crawler.urls import site_key
from tests.pipelines.helpers import archive_and_store

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
ARGUMENTS = {"site": None, "since": None, "run": None}


def _crawl(db_path: Path, pages: list, fetched: datetime = FETCHED) -> None:
    """One crawl run of ``pages``: stored, archived, the run's steps closed (the votes kept)."""
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path)})
    store = ArticleStore(open_database(db_path))
    pipeline = ArticlePipeline(ArticleConfig.from_settings(settings), stats=Tally())
    pipeline.open(store)
    archive_and_store(store, pipeline, db_path, pages, fetched)
    pipeline.close(store)
    store.db.conn.close()


def _totals(votes: dict) -> dict[str, int]:
    return {name: sum(counter.values()) for name, counter in votes.items()}


def _kept(db_path: Path, site: str) -> tuple[int, dict]:
    found = TemplateStore(open_database(db_path)).load(site)
    assert found is not None
    return found.pages, found.votes


def test_a_page_fetched_again_votes_once(tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    pages = make_site(209).pages
    site = site_key(pages[0].url)
    _crawl(db_path, pages)
    first = _kept(db_path, site)
    assert first[0] == len(pages)
    _crawl(db_path, pages[:3], FETCHED.replace(hour=12))  # a later run fetches three stored pages again
    again = _kept(db_path, site)
    assert again[0] == first[0] and _totals(again[1]) == _totals(first[1])  # 11 pages, each field 3 votes more
    # the two oldest pages were parsed before the template (a caption's date under the headline):
    # fetched again they are parsed with it, and their votes move to where the template reads the date
    date_path = first[1]["date"].most_common(1)[0][0]
    assert again[1]["date"][date_path] == first[1]["date"][date_path] + 2 == first[0]


def test_a_reparse_after_a_crawl_keeps_one_vote_a_page(tmp_path: Path) -> None:
    db_path = tmp_path / "news.db"
    pages = make_site(209).pages
    site = site_key(pages[0].url)
    _crawl(db_path, pages[:-2])
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path), "NEWSCRAWL_PARSE_PROCESSES": 1})
    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    _crawl(db_path, pages[-4:], FETCHED.replace(hour=12))  # two pages again, two new ones
    assert _kept(db_path, site)[0] == len(pages)
    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    assert _kept(db_path, site)[0] == len(pages)
    assert sum(sum(counter.values()) for counter in _kept(db_path, site)[1].values()) > 0


def _layouts(db_path: Path, site: str) -> dict[str, int]:
    found = TemplateStore(open_database(db_path)).load(site)
    assert found is not None
    return dict(found.layouts)


def test_votes_kept_before_pages_had_their_own_count_a_refetched_page_once(tmp_path: Path) -> None:
    """Votes kept before schema migration 19 have no page rows: a stored page fetched again was
    counted a second time (its site's pages grew by every refetch); a new page still counts."""
    db_path = tmp_path / "news.db"
    pages = make_site(209).pages
    site = site_key(pages[0].url)
    _crawl(db_path, pages[:-1])
    db = open_database(db_path)
    db.execute("DELETE FROM template_pages")  # what a database that kept votes before migration 19 holds
    db.conn.commit()
    db.conn.close()
    before = _kept(db_path, site)
    _crawl(db_path, pages[-3:], FETCHED.replace(hour=12))  # two stored pages again, one new
    after = _kept(db_path, site)
    assert after[0] == before[0] + 1 == len(pages)
    assert sum(_totals(after[1]).values()) > sum(_totals(before[1]).values())  # the new page voted


def test_a_page_fetched_again_counts_once_in_its_layout(tmp_path: Path) -> None:
    """The fast path's layout counts are kept with the votes: a refetched page takes its layout's
    count back before it counts again."""
    db_path = tmp_path / "news.db"
    pages = make_site(209).pages
    site = site_key(pages[0].url)
    _crawl(db_path, pages)
    first = _layouts(db_path, site)
    assert sum(first.values()) >= len(pages) - 3  # nearly every page has the site's one layout
    _crawl(db_path, pages[-3:], FETCHED.replace(hour=12))
    assert sum(_layouts(db_path, site).values()) == sum(first.values())
