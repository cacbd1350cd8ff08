"""Rows after whole runs through the article pipeline on generated sites, against their truth: what
a crawl stores when a site changes its template mid-crawl, with the template step's two guards on
and off (``crawler.article.template``: a stale hint's votes dropped; the fast reads a disagreeing
check put in doubt read again at the end of the run).

    python -m bench.template.redesign --seeds 6000:6012 --pages 120                  # redesigned mid-crawl
    python -m bench.template.redesign --seeds 5000:5030 --pages 90 --no-redesign     # no redesign: nothing may move
    python -m bench.template.redesign --seeds 6000:6012 --pages 120 --runs 12        # each site in 12 runs of 10 pages

Each site (``bench/template/sites.py``, redesign ``split`` at ``bench.template.change.change_point``)
is archived page by page and run through ``ArticlePipeline`` in order, as a crawl hands its pages
(the site's template and fast-path layouts with each, the parse path noted), then closed (the
end-of-run re-check reads the archive). With ``--runs K`` each site's pages go through K runs in
turn (a fresh pipeline on the same database each, as a scheduled crawl of K short runs), and the
configuration "guards not kept" reads none of what the guards kept between runs
(``TemplateStore.guards``: as before schema migration 23, each run starts the site's verification
schedule again with its first page checked, and its stale-hint watch from nothing). Reported per
configuration: body word F1, day, title and authors of the stored rows against the truth (a page not
stored scores 0), the hints found stale, the pages read by the fast path (``template``) and verified
(both ways), and the CPU seconds spent in ``parse_page``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from crawler.parsing import parse_page as _parse_page
from crawler.runner import build_settings
from crawler.storage import ArticleStore, open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from crawler.storage.reparse import rows_by_url
from crawler.storage.store import ArticleRow
from crawler.storage.templates import SiteGuards, TemplateStore
from crawler.urls import site_key

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
GUARDS = ("stale", "reread", "kept")  # the template step's guards a configuration may switch off (kept: between runs)


@dataclass(slots=True)
class Parsed:
    """How a configuration's pages were parsed: parse path -> pages, and the CPU seconds in ``parse_page``."""

    paths: Counter[str] = field(default_factory=Counter)
    cpu: float = 0.0


_PARSED = Parsed()  # where ``parse_page`` below counts (``run_site`` gives each site its own)


def parse_page(*args: object, **kwargs: object) -> object:
    start = time.process_time()
    result = _parse_page(*args, **kwargs)  # type: ignore[arg-type]
    _PARSED.cpu += time.process_time() - start
    _PARSED.paths[result.parse_path] += 1
    return result


def archive_and_store(store: ArticleStore, pipeline: ArticlePipeline, db_path: Any, pages: Any, fetched: datetime,
                      *, fast: bool = False) -> dict[str, str | None]:
    """Each page (``url``, ``html``) archived and indexed as a crawl does, then parsed with its site's
    template as it stands (the pipeline's template step; none when learning is off) and its row
    stored, in order. ``fast``: with the template fast path's layouts and verification schedule too,
    as a crawl hands them (``ArticlePipeline.template_for``), the parse path noted
    (``ArticlePipeline.parsed``). Returns each page's storage key (None: not stored)."""
    step = pipeline.step("template")
    book = step.book if step is not None else None  # type: ignore[attr-defined]
    writer = WarcFileWriter(archive_folder(db_path), "test", 10**9)
    keys: dict[str, str | None] = {}
    for page in pages:
        body = page.html.encode()
        written = writer.write(Exchange(page.url, "GET", [], 200, "OK", [("Content-Type", "text/html")], body, fetched))
        ArchiveIndex(store.db).add([ArchivedResponse(None, page.url, page.url, 200, "text/html", fetched.isoformat(),
                                                     written.file, written.offset, written.length, len(body),
                                                     written.payload_digest)])
        site = site_key(page.url)
        template = None if book is None else pipeline.template_for(site) if fast else book.current(site)
        parsed = parse_page(body, page.url, now=fetched, template=template)
        item = PageItem(parsed, page.url, page.url, 200, fetched.isoformat(), site)
        if fast:
            pipeline.parsed(item)
        row = pipeline.process(item)
        keys[page.url] = row.url if isinstance(row, ArticleRow) else None
        if isinstance(row, ArticleRow):
            store.upsert_articles([row])
    writer.close()
    return keys


def run_site(seed: int, *, pages: int, redesign: bool, off: frozenset[str], runs: int = 1,
             parsed: Parsed | None = None) -> tuple[dict[str, float], int]:
    """One site's pages in ``runs`` whole runs with the guards in ``off`` switched off: its scores and
    hints found stale (how its pages were parsed counted into ``parsed``)."""
    global _PARSED
    site = make_site(seed, pages=pages, redesign_at=change_point(seed, pages) if redesign else None)
    saved = template_step.STALE_CORRECTED, template_step.LearnSiteTemplate._note_fast_reads, TemplateStore.guards
    if "stale" in off:
        template_step.STALE_CORRECTED = template_step.STALE_WINDOW + 1  # never reached
    if "reread" in off:
        template_step.LearnSiteTemplate._note_fast_reads = lambda self, item, key: None  # type: ignore[method-assign]
    if "kept" in off:
        TemplateStore.guards = lambda self, name: SiteGuards(name)  # type: ignore[method-assign]
    _PARSED = parsed if parsed is not None else Parsed()
    size = -(-len(site.pages) // max(1, runs))
    tally = Tally()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db_path = Path(folder) / "news.db"
            config = ArticleConfig.from_settings(build_settings({"NEWSCRAWL_DB_PATH": str(db_path)}))
            for start in range(0, len(site.pages), size):
                store = ArticleStore(open_database(db_path))
                pipeline = ArticlePipeline(config, stats=tally)
                pipeline.open(store)
                archive_and_store(store, pipeline, db_path, site.pages[start:start + size], FETCHED, fast=True)
                pipeline.close(store)
                store.db.close()
            store = ArticleStore(open_database(db_path))
            rows = rows_by_url(store.db, [page.url for page in site.pages])
            store.db.close()
    finally:
        template_step.STALE_CORRECTED, template_step.LearnSiteTemplate._note_fast_reads, TemplateStore.guards = saved
        _PARSED = Parsed()
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
    parser.add_argument("--runs", type=int, default=1, help="runs each site's pages are split into, in order")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.getLogger("crawler").setLevel(logging.ERROR)  # stale hints and disagreements are counted here instead
    configurations = {"both guards": frozenset(), "no re-read": frozenset({"reread"}),
                      "no stale hint": frozenset({"stale"}), "neither": frozenset({"stale", "reread"})}
    if args.runs > 1:  # interleaved per site with "both guards", for the paired CPU ratio
        configurations = {"both guards": frozenset(), "guards not kept": frozenset({"kept"})}
    print(f"{len(args.seeds)} sites of {args.pages} pages in {args.runs} run(s), "
          f"{'no redesign' if args.no_redesign else 'redesign split'}")
    print(f"{'':>16} {'body F1':>8} {'day':>6} {'title':>6} {'authors':>8} {'stale':>6} {'fast':>6} {'verified':>9} {'parse CPU s':>12}")
    results: dict[str, list[tuple[dict[str, float], int]]] = {name: [] for name in configurations}
    parsed: dict[str, list[Parsed]] = {name: [] for name in configurations}
    for index, seed in enumerate(args.seeds):
        for name in list(configurations)[::(-1) ** index]:  # the order alternates from site to site
            parsed[name].append(Parsed())
            results[name].append(run_site(seed, pages=args.pages, redesign=not args.no_redesign,
                                          off=configurations[name], runs=args.runs, parsed=parsed[name][-1]))
    for name in configurations:
        means = {key: statistics.mean(scores[key] for scores, _ in results[name]) for key in results[name][0][0]}
        paths = sum((one.paths for one in parsed[name]), Counter())
        total = max(1, sum(paths.values()))
        print(f"{name:>16} {means['body F1']:>8.4f} {means['day']:>6.4f} {means['title']:>6.4f} {means['authors']:>8.4f} "
              f"{sum(stale for _, stale in results[name]):>6} {paths['template'] / total:>6.1%} "
              f"{(paths['verified'] + paths['disagreed']) / total:>9.1%} {sum(one.cpu for one in parsed[name]):>12.2f}")
    if args.runs > 1:
        ratios = [kept.cpu / max(unkept.cpu, 1e-9) for kept, unkept in zip(parsed["both guards"], parsed["guards not kept"])]
        print(f"parse CPU, guards kept / not kept: median of {len(ratios)} paired site ratios {statistics.median(ratios):.3f}"
              f" (range {min(ratios):.3f}-{max(ratios):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
