"""The template step's guards kept between runs: a crawl made of many short runs (a scheduled
incremental crawl) reads and guards a site as one long run does (crawler/article/template.py).
Each run is a fresh pipeline on the same database, fed the site's next pages in order."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.quality.metrics import word_f1
from bench.template.sites import make_site
from crawler.article import ArticleConfig, ArticlePipeline
from crawler.article.template import STALE_WINDOW, parse_paths
from crawler.storage import ArticleStore, open_database
from crawler.storage.reparse import rows_by_url
from tests.pipelines.helpers import archive_and_store, make_crawler

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)


def _runs(db_path: Path, pages: list, size: int) -> tuple[Counter[str], Counter[str]]:
    """The pages in runs of ``size``: how they were read (parse path -> pages), and the run's counts added up."""
    paths: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for start in range(0, len(pages), size):
        crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=True)
        store = ArticleStore(open_database(db_path))
        pipeline = ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats)
        pipeline.open(store)
        archive_and_store(store, pipeline, db_path, pages[start:start + size], FETCHED, fast=True)
        pipeline.close(store)
        store.db.close()
        paths.update(parse_paths(crawler.stats.get_stats()))
        counts.update({key: value for key, value in crawler.stats.get_stats().items() if isinstance(value, int)})
    return paths, counts


def test_a_site_crawled_a_few_pages_a_run_is_verified_as_in_one_run(tmp_path: Path) -> None:
    """Nine runs of ten pages are read exactly as one run of ninety: the verification schedule is
    taken up where the last run left it, not started again from every tenth page with the first
    page checked (which read 9 pages both ways here instead of 3)."""
    site = make_site(7101, pages=90)
    one, _ = _runs(tmp_path / "one.db", site.pages, 90)
    many, _ = _runs(tmp_path / "many.db", site.pages, 10)
    assert one["template"] > 30 and one["verified"] >= 2
    assert many == one


def test_a_redesign_met_a_few_pages_a_run_is_found_stale_and_its_pages_read_again(tmp_path: Path) -> None:
    """A site splits its story into two containers (every old path in place) and is crawled five new
    pages a run, fewer than the stale-hint watch's window: the watch is kept between runs, so the
    hint keeping the old container's third is found stale as in one run, and every page it corrected
    or the fast path read the old way, in that run or the ones before, is read again and right."""
    pages, at, size = 100, 50, 5
    assert size < STALE_WINDOW
    site = make_site(7102, pages=pages, trap_share=0, redesign_at=at)
    db_path = tmp_path / "news.db"
    _, counts = _runs(db_path, site.pages, size)
    assert counts["newscrawl/template/stale/body"] == 1
    truth = {page.url: page.truth.body for page in site.pages}
    rows = rows_by_url(ArticleStore(open_database(db_path)).db, list(truth))
    assert all(word_f1(truth[url], row["body"]) > 0.95 for url, row in rows.items())
