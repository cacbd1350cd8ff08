"""Site template learning, per field, with and without learning, on sites with at least five pages.

    python -m bench.template                        # generated sites, report seeds (held out)
    python -m bench.template --seeds 0:12           # the seeds the rules were built on
    python -m bench.template --datasets             # fundus-dev by publisher, wcxb-dev by host: no harm
    python -m bench.template --crawl                # real crawls of the generated sites (crawl.py)
    python -m bench.template --seeds 700:740 --pages 30   # larger sites: the template fast path's column

Every column is the product's own composition: each site's pages are archived and run in order
through ``ArticlePipeline`` (the crawl's article steps, its template step with both guards and its
end-of-run re-check from the archive; ``bench.template.redesign.archive_and_store``), one run per
site, and the stored rows are scored. The columns differ by settings only:
- alone: NEWSCRAWL_TEMPLATE_MIN_PAGES=0 (no template learning);
- learning, later: learning, NEWSCRAWL_ARCHIVE=False (the re-check cannot read the earlier pages back)
  and the fast path off (NEWSCRAWL_FAST_PATH_MIN_PAGES=0);
- + end re-check: learning with the archive, the fast path off;
- + fast path: every default (``--fast-*`` options: the fast path's settings); the line under the
  table says how many pages were read which way, and the lines after it which field values (and
  which pages' prev/next links) differ from the third column's.
Scores: title (exact, case and spacing ignored), day, authors (the same set of names), body (word
F1 >= 0.9 counts as right; the mean F1 is given too); a page the run did not store scores wrong.

``parse_learning`` is the template step's learning and the fast path's schedule alone, one page
after the other, no guards and no rows: ``bench.template.change`` counts with it the pages read
before a check catches a change.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from bench.quality.metrics import word_f1
from bench.template.sites import make_sites, seed_range
from crawler import settings as defaults
from crawler.article.recheck import CORRECTED_FIELDS, EarlierPage, agrees, needs_recheck
from crawler.article.sitevotes import SiteVotes
from crawler.article.verifying import VerifySchedule
from crawler.parsing import ParseResult, SiteTemplate, parse_page
from crawler.parsing.fastpath import DISAGREED
from crawler.parsing.names import name_key
from crawler.parsing.titleparts import title_key

FIELDS = ("title", "date", "authors", "body")
NOW = datetime(2026, 1, 1, tzinfo=UTC)
BODY_RIGHT = 0.9


@dataclass(frozen=True, slots=True)
class Case:
    site: str
    url: str
    html: str
    title: str | None
    day: str | None
    authors: tuple[str, ...] | None
    body: str | None


def _right(case: Case, result: Any) -> dict[str, float | None]:
    """Per field: 1/0 (None when the truth does not say); body: its word F1."""
    out: dict[str, float | None] = dict.fromkeys(FIELDS)
    if case.title:
        out["title"] = float(title_key(result.title or "") == title_key(case.title))
    if case.day:
        out["date"] = float((result.published_at or "")[:10] == case.day[:10])
    if case.authors is not None:
        out["authors"] = float({name_key(a) for a in result.authors} == {name_key(a) for a in case.authors})
    if case.body:
        out["body"] = word_f1(case.body, result.body)
    return out


@dataclass(frozen=True, slots=True)
class FastPath:
    """The template fast path's settings (``crawler/settings.py``'s NEWSCRAWL_FAST_PATH_*)."""

    min_pages: int = defaults.NEWSCRAWL_FAST_PATH_MIN_PAGES
    min_share: float = defaults.NEWSCRAWL_FAST_PATH_MIN_SHARE
    verify_every: int = defaults.NEWSCRAWL_FAST_PATH_VERIFY_EVERY
    verify_most: int = defaults.NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY


def parse_learning(cases: list[Case], *, min_pages: int, min_share: float, recheck: bool = True,
                   fast: FastPath | None = None) -> tuple[list[ParseResult], SiteTemplate]:
    """A site's pages in order, each with what the pages before it taught, then (``recheck``) the
    end-of-run re-check as the crawl's template step makes it (``crawler.article.recheck``): a page
    whose fields did not all sit where the template then said, and sit elsewhere than the final
    template says, is parsed again with it and takes the fields the template corrected. ``fast``:
    with the site's confident layouts handed out as the crawl's ``TemplateBook.for_page`` does (its
    verification schedule, ``crawler.article.verifying``)."""
    votes = SiteVotes()
    results: list[ParseResult] = []
    earlier: list[tuple[int, EarlierPage]] = []
    schedule: VerifySchedule | None = None  # from the first page handed the site's layouts
    for index, case in enumerate(cases):
        template = votes.template(min_pages=min_pages, min_share=min_share)
        layouts = votes.confident_layouts(min_pages=fast.min_pages, min_share=fast.min_share) if fast else ()
        if fast and layouts:
            schedule = schedule or VerifySchedule(fast.verify_every, fast.verify_most)
            template = replace(template, layouts=layouts, verify=schedule.next_page())
        result = parse_page(case.html, case.url, now=NOW, template=template)
        if schedule is not None:
            schedule.read(result.parse_path)
        if result.parse_path == DISAGREED:
            votes.distrust()
        if result.is_article:
            if not agrees(result.field_paths, template):
                earlier.append((index, EarlierPage(case.url, case.url, case.url, result.field_paths,
                                                   frozenset(template.paths()))))
            votes.observe(result.field_paths)
        results.append(result)
    final = votes.template(min_pages=min_pages, min_share=min_share)
    for index, page in earlier if recheck and final else ():
        if needs_recheck(page, final):
            again = parse_page(cases[index].html, cases[index].url, now=NOW, template=final)
            taken = {name: getattr(again, name) for name in CORRECTED_FIELDS if name in again.template_changed}
            results[index] = replace(results[index], **taken) if again.is_article and taken else results[index]
    return results, final


@dataclass(slots=True)
class Tally:
    right: Counter[str] = field(default_factory=Counter)
    counted: Counter[str] = field(default_factory=Counter)
    f1: float = 0.0

    def add(self, scores: dict[str, float | None]) -> None:
        for name, value in scores.items():
            if value is None:
                continue
            self.counted[name] += 1
            if name == "body":
                self.f1 += value
                self.right[name] += value >= BODY_RIGHT
            else:
                self.right[name] += value

    def share(self, name: str) -> str:
        return f"{self.right[name] / self.counted[name]:.3f} ({int(self.right[name])}/{self.counted[name]})" if self.counted[name] else "-"


def _settings(name: str, *, min_pages: int, min_share: float, fast: FastPath) -> dict[str, object]:
    """A column's settings (module docstring)."""
    learning = {"NEWSCRAWL_TEMPLATE_MIN_PAGES": min_pages, "NEWSCRAWL_TEMPLATE_MIN_SHARE": min_share}
    no_fast = {"NEWSCRAWL_FAST_PATH_MIN_PAGES": 0}
    return {
        "alone": {"NEWSCRAWL_TEMPLATE_MIN_PAGES": 0},
        "learning": {**learning, **no_fast, "NEWSCRAWL_ARCHIVE": False},
        "re-check": {**learning, **no_fast},
        "fast path": {**learning, "NEWSCRAWL_FAST_PATH_MIN_PAGES": fast.min_pages,
                      "NEWSCRAWL_FAST_PATH_MIN_SHARE": fast.min_share, "NEWSCRAWL_FAST_PATH_VERIFY_EVERY": fast.verify_every,
                      "NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY": fast.verify_most},
    }[name]


_NOT_STORED = SimpleNamespace(title=None, published_at=None, authors=(), body=None, prev_url=None, prev_title=None,
                              next_url=None, next_title=None)


def stored_rows(cases: list[Case], settings: dict[str, object]) -> tuple[list[Any], SiteTemplate, Counter[str]]:
    """The site's pages through the product's article pipeline, in one run (module docstring): each
    page's stored row (its title, published_at, authors, body and links; ``_NOT_STORED`` when the run
    stored none), the site's template when the run closed, and how the pages were parsed."""
    from bench.template.redesign import archive_and_store
    from crawler.article import ArticleConfig, ArticlePipeline
    from crawler.article.step import Tally as Stats
    from crawler.article.template import parse_paths
    from crawler.runner import build_settings
    from crawler.storage import ArticleStore, open_database
    from crawler.storage.reparse import rows_by_url
    from crawler.urls import site_key

    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "news.db"
        stats = Stats()
        config = ArticleConfig.from_settings(build_settings({"NEWSCRAWL_DB_PATH": str(db_path), **settings}))
        store = ArticleStore(open_database(db_path))
        pipeline = ArticlePipeline(config, stats=stats)
        pipeline.open(store)
        keys = archive_and_store(store, pipeline, db_path, cases, NOW,
                                 fast=int(settings.get("NEWSCRAWL_FAST_PATH_MIN_PAGES", 1)) > 0)  # type: ignore[call-overload]
        step = pipeline.step("template")
        sites = {site_key(case.url) for case in cases}
        final = SiteTemplate.from_paths({name: path for site in sorted(sites)
                                         for name, path in step.book.current(site).paths().items()}) \
            if step is not None else SiteTemplate()  # type: ignore[attr-defined]
        pipeline.close(store)
        rows = rows_by_url(store.db, [key for key in keys.values() if key])
        store.db.close()
    found = []
    for case in cases:
        row = rows.get(keys.get(case.url) or "")
        found.append(_NOT_STORED if row is None else SimpleNamespace(
            title=row["title"], published_at=row["published_at"], authors=tuple(json.loads(row["authors"])),
            body=row["body"], prev_url=row["prev_url"], prev_title=row["prev_title"], next_url=row["next_url"],
            next_title=row["next_title"]))
    return found, final, Counter(parse_paths(stats))


def measure(groups: dict[str, list[Case]], *, min_pages: int, min_share: float, show: Callable[[str], None],
            fast: FastPath | None = None) -> None:
    """Per field: the stored rows with no learning, with learning (later pages only), with learning
    and the re-check, and that with the template fast path (module docstring)."""
    fast = fast or FastPath()
    tallies = {"alone": Tally(), "learning": Tally(), "re-check": Tally(), "fast path": Tally()}
    paths: Counter[str] = Counter()
    learned_fields: Counter[str] = Counter()
    changed: list[str] = []
    changed_fast: list[str] = []
    moved_links: list[str] = []  # pages whose prev/next links or titles differ between the re-check and the fast path
    cpu = dict.fromkeys(tallies, 0.0)
    missing = dict.fromkeys(tallies, 0)
    for site, cases in groups.items():
        runs: dict[str, list[Any]] = {}
        for name in tallies:
            start = time.process_time()
            runs[name], template, read = stored_rows(cases, _settings(name, min_pages=min_pages, min_share=min_share, fast=fast))
            cpu[name] += time.process_time() - start
            missing[name] += sum(row is _NOT_STORED for row in runs[name])
            if name == "fast path":
                paths.update(read)
                learned_fields.update(template.paths().keys())
        for index, case in enumerate(cases):
            scores = {name: _right(case, runs[name][index]) for name in tallies}
            for name, tally in tallies.items():
                tally.add(scores[name])
            a, b, c = scores["alone"], scores["re-check"], scores["fast path"]
            if _links(runs["re-check"][index]) != _links(runs["fast path"][index]):
                moved_links.append(f"  {case.url}")
            for name in FIELDS:
                if a[name] is not None and b[name] is not None and abs(a[name] - b[name]) > 1e-9:
                    changed.append(f"  {name:8} {a[name]:.2f} -> {b[name]:.2f}  {case.url}")
                if b[name] is not None and c[name] is not None and abs(b[name] - c[name]) > 1e-9:
                    changed_fast.append(f"  {name:8} {b[name]:.2f} -> {c[name]:.2f}  {case.url}")
    pages = sum(len(cases) for cases in groups.values())
    show(f"{len(groups)} sites, {pages} pages; template fields learned: {dict(sorted(learned_fields.items()))}; "
         "not stored: " + ", ".join(f"{name} {count}" for name, count in missing.items()))
    show(f"{'field':8} " + " ".join(f"{name:>18}" for name in ("alone", "learning, later", "+ end re-check", "+ fast path")))
    for name in FIELDS:
        show(f"{name:8} " + " ".join(f"{tally.share(name):>18}" for tally in tallies.values()))
    if tallies["alone"].counted["body"]:
        show("body mean word F1: " + " -> ".join(f"{t.f1 / t.counted['body']:.4f}" for t in tallies.values()))
    show(f"CPU s (the whole pipeline and store): alone {cpu['alone']:.2f}, learning {cpu['learning']:.2f}, with the re-check {cpu['re-check']:.2f} "
         f"({cpu['re-check'] / max(cpu['alone'], 1e-9):.2f}x), with the fast path {cpu['fast path']:.2f}")
    show(f"fast path (min pages {fast.min_pages}, share {fast.min_share}, every {fast.verify_every}th to "
         f"{max(fast.verify_every, fast.verify_most)}th verified): "
         + ", ".join(f"{path} {count} ({count / max(pages, 1):.1%})" for path, count in paths.most_common()))
    show(f"{len(changed_fast)} field values differ between the re-check and the fast path columns:")
    for line in changed_fast[:20]:
        show(line)
    show(f"{len(moved_links)} pages' prev/next links or their titles differ between the re-check and the fast path columns:")
    for line in moved_links[:20]:
        show(line)
    show(f"{len(changed)} field values changed (alone -> with the re-check):")
    for line in changed[:60]:
        show(line)


def _links(result: Any) -> tuple[str | None, ...]:
    return result.prev_url, result.prev_title, result.next_url, result.next_title


def generated(seeds: range, pages: int = 8) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for site in make_sites(seeds, pages=pages):
        groups[site.host] = [
            Case(site.host, page.url, page.html, page.truth.title, page.truth.day, page.truth.authors, page.truth.body)
            for page in site.pages
        ]
    return groups


def datasets(min_group: int) -> dict[str, list[Case]]:
    """fundus-dev grouped by publisher, wcxb-dev articles by host: groups of ``min_group`` pages or more."""
    from bench.quality.datasets import fundus_pages, wcxb_pages

    groups: dict[str, list[Case]] = defaultdict(list)
    for page in fundus_pages():
        publisher = page.page_id.rsplit("_", 3)[0]
        authors = tuple(page.truth.author) if isinstance(page.truth.author, (list, tuple)) else None
        groups[f"fundus:{publisher}"].append(
            Case(publisher, page.url, page.html(), page.truth.title, page.truth.published, authors, page.truth.body))
    for page in wcxb_pages():
        if page.truth.is_article:
            host = urlsplit(page.url).hostname or ""
            groups[f"wcxb:{host}"].append(
                Case(host, page.url, page.html(), page.truth.title, page.truth.published, None, page.truth.body))
    return {name: cases for name, cases in groups.items() if len(cases) >= min_group}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=seed_range, default=range(100, 140), help="generated sites, START:STOP")
    parser.add_argument("--datasets", action="store_true", help="fundus-dev and wcxb-dev sites with several pages")
    parser.add_argument("--crawl", action="store_true", help="real crawls of the generated sites, learning on and off")
    parser.add_argument("--min-pages", type=int, default=defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES)
    parser.add_argument("--min-share", type=float, default=defaults.NEWSCRAWL_TEMPLATE_MIN_SHARE)
    parser.add_argument("--pages", type=int, default=8, help="pages per generated site")
    parser.add_argument("--fast-min-pages", type=int, default=defaults.NEWSCRAWL_FAST_PATH_MIN_PAGES)
    parser.add_argument("--fast-min-share", type=float, default=defaults.NEWSCRAWL_FAST_PATH_MIN_SHARE)
    parser.add_argument("--fast-verify-every", type=int, default=defaults.NEWSCRAWL_FAST_PATH_VERIFY_EVERY)
    parser.add_argument("--fast-verify-max-every", type=int, default=defaults.NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.crawl:
        from bench.template.crawl import measure_crawls

        return measure_crawls(args.seeds, print)
    groups = datasets(args.min_pages) if args.datasets else generated(args.seeds, args.pages)
    fast = FastPath(args.fast_min_pages, args.fast_min_share, max(1, args.fast_verify_every), args.fast_verify_max_every)
    measure(groups, min_pages=args.min_pages, min_share=args.min_share, show=print, fast=fast)
    return 0


if __name__ == "__main__":
    sys.exit(main())
