"""Rows after whole runs through the article pipeline on generated sites, against their truth: what
a crawl stores when a site changes its template mid-crawl, with the template step's two guards on
and off (``crawler.article.template``: a stale hint's votes dropped; the fast reads a disagreeing
check put in doubt read again at the end of the run).

    python -m bench.template.redesign --seeds 6000:6012 --pages 120                  # redesigned mid-crawl
    python -m bench.template.redesign --seeds 5000:5030 --pages 90 --no-redesign     # no redesign: nothing may move

Each site (``bench/template/sites.py``, redesign ``split`` at ``bench.template.change.change_point``)
is archived page by page and run through ``ArticlePipeline`` in order, as a crawl hands its pages
(the site's template and fast-path layouts with each, the parse path noted), then closed (the
end-of-run re-check reads the archive). Reported per configuration: body word F1, day, title and
authors of the stored rows against the truth (a page not stored scores 0), and the hints found stale.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import crawler.article.template as template_step
from bench.quality.metrics import word_f1
from bench.template.change import change_point
from bench.template.sites import make_site, seed_range
from crawler.archive import archive_folder
from crawler.archive.warc import Exchange, WarcFileWriter
from crawler.article import ArticleConfig, ArticlePipeline
from crawler.article.step import Tally
from crawler.items import PageItem
from crawler.parsing import parse_page
from crawler.runner import build_settings
from crawler.storage import ArticleStore, open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from crawler.storage.reparse import rows_by_url
from crawler.urls import site_key

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
GUARDS = ("stale", "reread")  # the template step's guards a configuration may switch off


def archive_and_store(store: ArticleStore, pipeline: ArticlePipeline, db_path: Any, pages: Any, fetched: datetime,
                      *, fast: bool = False) -> None:
    """Each page (``url``, ``html``) archived and indexed as a crawl does, then parsed with its site's
    template as it stands (the pipeline's template step) and its row stored, in order. ``fast``:
    with the template fast path's layouts and verification schedule too, as a crawl hands them
    (``ArticlePipeline.template_for``), the parse path noted (``ArticlePipeline.parsed``)."""
    book = pipeline.step("template").book  # type: ignore[union-attr]
    writer = WarcFileWriter(archive_folder(db_path), "test", 10**9)
    for page in pages:
        body = page.html.encode()
        written = writer.write(Exchange(page.url, "GET", [], 200, "OK", [("Content-Type", "text/html")], body, fetched))
        ArchiveIndex(store.db).add([ArchivedResponse(None, page.url, page.url, 200, "text/html", fetched.isoformat(),
                                                     written.file, written.offset, written.length, len(body),
                                                     written.payload_digest)])
        site = site_key(page.url)
        parsed = parse_page(body, page.url, now=fetched, template=pipeline.template_for(site) if fast else book.current(site))
        item = PageItem(parsed, page.url, page.url, 200, fetched.isoformat(), site)
        if fast:
            pipeline.parsed(item)
        row = pipeline.process(item)
        store.upsert_articles([row])  # type: ignore[list-item]
    writer.close()


def run_site(seed: int, *, pages: int, redesign: bool, off: frozenset[str]) -> tuple[dict[str, float], int]:
    """One site's whole run with the guards in ``off`` switched off: its scores and hints found stale."""
    site = make_site(seed, pages=pages, redesign_at=change_point(seed, pages) if redesign else None)
    saved = template_step.STALE_CORRECTED, template_step.LearnSiteTemplate._note_fast_reads
    if "stale" in off:
        template_step.STALE_CORRECTED = template_step.STALE_WINDOW + 1  # never reached
    if "reread" in off:
        template_step.LearnSiteTemplate._note_fast_reads = lambda self, item, key: None  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "news.db"
            tally = Tally()
            config = ArticleConfig.from_settings(build_settings({"NEWSCRAWL_DB_PATH": str(db_path)}))
            store = ArticleStore(open_database(db_path))
            pipeline = ArticlePipeline(config, stats=tally)
            pipeline.open(store)
            archive_and_store(store, pipeline, db_path, site.pages, FETCHED, fast=True)
            pipeline.close(store)
            rows = rows_by_url(store.db, [page.url for page in site.pages])
            store.db.close()
    finally:
        template_step.STALE_CORRECTED, template_step.LearnSiteTemplate._note_fast_reads = saved
    scores: dict[str, list[float]] = {"body F1": [], "day": [], "title": [], "authors": []}
    for page in site.pages:
        row = rows.get(page.url)
        scores["body F1"].append(word_f1(page.truth.body, row["body"]) if row else 0.0)
        scores["day"].append(float(bool(row) and row["published_at"][:10] == page.truth.day))
        scores["title"].append(float(bool(row) and row["title"] == page.truth.title))
        scores["authors"].append(float(bool(row) and tuple(json.loads(row["authors"])) == tuple(page.truth.authors)))
    stale = sum(count for key, count in tally.items() if key.startswith("newscrawl/template/stale/"))
    return {name: statistics.mean(values) for name, values in scores.items()}, stale


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template.redesign", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=seed_range, default=range(6000, 6012), help="generated sites, START:STOP")
    parser.add_argument("--pages", type=int, default=120, help="pages per site")
    parser.add_argument("--no-redesign", action="store_true", help="sites that keep their template")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.getLogger("crawler").setLevel(logging.ERROR)  # stale hints and disagreements are counted here instead
    configurations = {"both guards": frozenset(), "no re-read": frozenset({"reread"}),
                      "no stale hint": frozenset({"stale"}), "neither": frozenset(GUARDS)}
    print(f"{len(args.seeds)} sites of {args.pages} pages, {'no redesign' if args.no_redesign else 'redesign split'}")
    print(f"{'':>14} {'body F1':>8} {'day':>6} {'title':>6} {'authors':>8} {'stale':>6}")
    for name, off in configurations.items():
        results = [run_site(seed, pages=args.pages, redesign=not args.no_redesign, off=off) for seed in args.seeds]
        means = {field: statistics.mean(scores[field] for scores, _ in results) for field in results[0][0]}
        print(f"{name:>14} {means['body F1']:>8.4f} {means['day']:>6.4f} {means['title']:>6.4f} "
              f"{means['authors']:>8.4f} {sum(stale for _, stale in results):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
