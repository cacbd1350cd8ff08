"""The template step's end-of-run re-check, in process: pages stored before the site's template was
learned are read back from the archive, parsed again with it and their rows corrected.

Generated site seed 209 (bench/template/sites.py) oldest first: its two oldest pages carry a photo
caption under the headline that writes another day, and are stored before five pages agree; one
early page has two linked authors of which a page alone reads the first.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from bench.template.sites import make_site
from crawler.article import ArticleConfig, ArticlePipeline
from crawler.article.recheck import EarlierPage, agrees, needs_recheck
from crawler.article.template import STALE_CORRECTED, STALE_WINDOW, HintRecord
from bench.quality.metrics import word_f1
from crawler.parsing import SiteTemplate, parse_page
from crawler.parsing.fastpath import STATS_PREFIX
from crawler.storage import ArticleStore, open_database
from crawler.storage.reparse import as_article_row, rows_by_url
from tests.pipelines.helpers import archive_and_store, make_crawler

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)


def _crawl(tmp_path: Path, *, archive: bool) -> tuple[ArticleStore, dict, object]:
    """The site's pages through the article steps as a crawl sends them (each parsed with the
    site's template as it stands), archived first; the rows stored; the steps closed."""
    db_path = tmp_path / "news.db"
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=archive)
    config = ArticleConfig.from_settings(crawler.settings)
    store = ArticleStore(open_database(db_path))
    pipeline = ArticlePipeline(config, stats=crawler.stats)
    pipeline.open(store)
    site = make_site(209)
    archive_and_store(store, pipeline, db_path, site.pages, FETCHED)
    pipeline.close(store)
    return store, {page.url: page for page in site.pages}, crawler.stats


def test_the_rows_stored_before_the_template_existed_are_corrected_at_close(tmp_path: Path) -> None:
    """Both caption pages get their own day; the two-author page whose byline links both names
    (a page alone reads the first) gets both from the template's author path."""
    store, pages, stats = _crawl(tmp_path, archive=True)
    rows = rows_by_url(store.db, list(pages))
    assert {url: row["published_at"][:10] for url, row in rows.items()} == {url: p.truth.day for url, p in pages.items()}
    assert {url: tuple(json.loads(row["authors"])) for url, row in rows.items()} == {
        url: p.truth.authors for url, p in pages.items()}
    trapped = {url for url, page in pages.items() if page.trap == "caption"}
    first_five = list(pages)[:5]  # met before five pages agree on any path
    two = {url for url in first_five if len(pages[url].truth.authors) == 2 and len(parse_page(pages[url].html, url).authors) == 1}
    assert len(trapped) == 2 and len(two) == 1
    history = {url for (url,) in store.db.execute("SELECT url FROM article_history")}
    assert history == trapped | two
    assert stats.get_value("newscrawl/template/recheck/corrected") == 3


def test_without_the_archive_nothing_is_re_checked_and_it_is_counted(tmp_path: Path) -> None:
    store, pages, stats = _crawl(tmp_path, archive=False)
    rows = rows_by_url(store.db, list(pages))
    wrong = {url for url, page in pages.items() if rows[url]["published_at"][:10] != page.truth.day}
    assert wrong == {url for url, page in pages.items() if page.trap == "caption"}
    assert stats.get_value("newscrawl/template/recheck/not_archived") >= 2
    assert not stats.get_value("newscrawl/template/recheck/corrected")


def test_a_stored_row_reads_back_as_the_row_written(tmp_path: Path) -> None:
    store, pages, _ = _crawl(tmp_path, archive=False)
    for url, row in rows_by_url(store.db, list(pages)).items():
        article = as_article_row(row)
        assert article.url == url and article.values() == {name: row[name] for name in article.values()}


def test_which_pages_are_kept_and_re_checked() -> None:
    template = SiteTemplate(title="h1.t", date="span.d")
    assert agrees({"title": "h1.t", "date": "span.d"}, template)
    assert not agrees({"title": "h1.t", "date": "figcaption"}, template)
    assert not agrees({"title": "h1.t", "author": "a.au"}, template)  # a field the template leaves open
    page = EarlierPage("u", "u", "u", {"title": "h1.t", "date": "figcaption"}, frozenset({"title"}))
    assert needs_recheck(page, template)  # the date sits elsewhere
    assert not needs_recheck(page, SiteTemplate(title="h1.t"))  # the title was read with that hint
    unhinted = EarlierPage("u", "u", "u", {"title": "h1.t"})
    assert needs_recheck(unhinted, SiteTemplate(title="h1.t"))  # same path, but read without the hint


def _crawl_then_lose_archive(tmp_path: Path, caplog, lose) -> tuple[object, list[str]]:
    """As ``_crawl``, but the archive is lost (``lose``) before the steps close: what a distributed
    crawl's ingester meets when the workers' per-machine folders are not collected yet."""
    import logging

    from crawler.archive import archive_folder

    db_path = tmp_path / "news.db"
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=True)
    store = ArticleStore(open_database(db_path))
    pipeline = ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats)
    pipeline.open(store)
    archive_and_store(store, pipeline, db_path, make_site(209).pages, FETCHED)
    lose(archive_folder(db_path))
    with caplog.at_level(logging.INFO):
        pipeline.close(store)
    return crawler.stats, [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_missing_archive_folder_is_one_line_with_the_count(tmp_path: Path, caplog) -> None:
    """It logged one "cannot read FILE: No such file" line per page (up to 64 per site)."""
    import shutil

    stats, said = _crawl_then_lose_archive(tmp_path, caplog, shutil.rmtree)
    missing = stats.get_value("newscrawl/template/recheck/not_archived")
    assert missing >= 2
    assert len(said) == 1, said
    assert "does not exist" in said[0] and f"{missing} page" in said[0] and "harbour209.example" in said[0]


def test_a_missing_archive_file_is_one_line_with_the_count(tmp_path: Path, caplog) -> None:
    def lose_files(folder: Path) -> None:
        for file in folder.iterdir():
            file.unlink()

    stats, said = _crawl_then_lose_archive(tmp_path, caplog, lose_files)
    missing = stats.get_value("newscrawl/template/recheck/not_archived")
    assert len(said) == 1, said
    assert "not in the archive folder" in said[0] and f"{missing} page" in said[0]


def test_the_pages_read_the_old_way_before_a_check_caught_a_template_change_are_read_again(tmp_path: Path) -> None:
    """A site changes its template mid-crawl with every layout path in place (``split``: the story's
    last two thirds move to a container of their own). Its fast reads keep only the first third until
    a verified page disagrees, and the full parses too while the learned body hint takes the old
    container's third (the page then votes for that path, so the hint would re-earn itself): the hint
    is found stale after it corrected most of the latest pages, and at close every page read the old
    way is read again in full and its row corrected. The generic parse reads every page whole."""
    pages, at = 120, 45
    site = make_site(2001, pages=pages, trap_share=0, redesign_at=at)
    db_path = tmp_path / "news.db"
    crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=True, NEWSCRAWL_FURNITURE_MIN_PAGES=0)
    config = ArticleConfig.from_settings(crawler.settings)
    store = ArticleStore(open_database(db_path))
    pipeline = ArticlePipeline(config, stats=crawler.stats)
    pipeline.open(store)
    archive_and_store(store, pipeline, db_path, site.pages, FETCHED, fast=True)
    paths = dict(crawler.stats.get_stats())
    assert paths.get(STATS_PREFIX + "disagreed", 0) >= 1 and paths.get(STATS_PREFIX + "template", 0) > 0
    before = rows_by_url(store.db, [page.url for page in site.pages[at:]])
    short = {url for url, row in before.items() if word_f1(pages_truth(site)[url], row["body"]) < 0.9}
    assert short  # read the old way before the check caught the change
    pipeline.close(store)
    after = rows_by_url(store.db, [page.url for page in site.pages])
    truth = pages_truth(site)
    assert all(word_f1(truth[url], row["body"]) > 0.95 for url, row in after.items())
    assert crawler.stats.get_value("newscrawl/template/recheck/reread") >= len(short)
    assert crawler.stats.get_value("newscrawl/template/recheck/corrected") >= len(short)
    history = {url for (url,) in store.db.execute("SELECT url FROM article_history")}
    assert short <= history
    assert crawler.stats.get_value("newscrawl/template/stale/body") == 1


def test_a_template_kept_from_before_a_redesign_is_found_stale_in_the_next_run(tmp_path: Path) -> None:
    """The site's first run ends before its redesign; the second meets only new pages, parsed from
    the first with the kept template, whose body hint keeps the old container's third on every
    page: found stale after a few, its votes dropped (the database keeps none for it), and the
    run's pages read again without it."""
    pages, at = 100, 50
    site = make_site(2002, pages=pages, trap_share=0, redesign_at=at)
    db_path = tmp_path / "news.db"
    for run in (site.pages[:at], site.pages[at:]):
        crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=True)
        store = ArticleStore(open_database(db_path))
        pipeline = ArticlePipeline(ArticleConfig.from_settings(crawler.settings), stats=crawler.stats)
        pipeline.open(store)
        archive_and_store(store, pipeline, db_path, run, FETCHED, fast=True)
        pipeline.close(store)
    assert crawler.stats.get_value("newscrawl/template/stale/body") == 1
    truth = pages_truth(site)
    rows = rows_by_url(store.db, list(truth))
    assert all(word_f1(truth[url], row["body"]) > 0.95 for url, row in rows.items())


def test_a_hint_that_corrects_outliers_only_is_never_stale(tmp_path: Path) -> None:
    """Sites with the usual traps (captions' dates, teasers' headlines, readers' letters under a short
    story, on a third of the pages) and no template change: their hints correct outliers, never most
    pages, so none is left out."""
    corrected = 0
    for seed in range(300, 306):
        db_path = tmp_path / f"{seed}.db"
        crawler = make_crawler(NEWSCRAWL_DB_PATH=str(db_path), NEWSCRAWL_ARCHIVE=True)
        config = ArticleConfig.from_settings(crawler.settings)
        store = ArticleStore(open_database(db_path))
        pipeline = ArticlePipeline(config, stats=crawler.stats)
        pipeline.open(store)
        archive_and_store(store, pipeline, db_path, make_site(seed, pages=60).pages, FETCHED, fast=True)
        pipeline.close(store)
        counts = crawler.stats.get_stats()
        assert not [key for key in counts if key.startswith("newscrawl/template/stale/")], seed
        corrected += sum(value for key, value in counts.items() if key.startswith("newscrawl/template/corrected/"))
    assert corrected >= 6  # the hints did correct outliers


def pages_truth(site) -> dict[str, str]:
    return {page.url: page.truth.body for page in site.pages}


def test_a_hint_is_stale_when_it_held_before_and_corrects_most_pages_now() -> None:
    changed = HintRecord("div.story")
    assert not any(changed.add(False) for _ in range(20))  # held on every page
    assert [changed.add(True) for _ in range(STALE_CORRECTED)][-1]  # then corrects six in a row
    steady = HintRecord("h1.t")  # corrects two pages in five all along: the site's outliers, never stale
    assert not any(steady.add(index % 5 < 2) for index in range(200))
    fresh = HintRecord("div.story")  # a kept template that corrects every page of a new run from the first
    assert [fresh.add(True) for _ in range(STALE_WINDOW)] == [False] * (STALE_WINDOW - 1) + [True]
