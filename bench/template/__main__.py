"""Site template learning, per field, with and without learning, on sites with at least five pages.

    python -m bench.template                        # generated sites, report seeds (held out)
    python -m bench.template --seeds 0:12           # the seeds the rules were built on
    python -m bench.template --datasets             # fundus-dev by publisher, wcxb-dev by host: no harm

Without learning every page is parsed alone. With learning the pages of a site are parsed in
order, as a crawl meets them: each page with the template learned from the pages before it
(``crawler.article.sitevotes``, the crawl's own settings), and at the end every page whose fields
were read from other paths than the final template is parsed again with it (the end-of-run
re-check). Scores: title (exact, case and spacing ignored), day, authors (the same set of names),
body (word F1 >= 0.9 counts as right; the mean F1 is given too).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bench.quality.metrics import word_f1
from bench.template.sites import make_sites
from crawler import settings as defaults
from crawler.article.sitevotes import SiteVotes
from crawler.parsing import ParseResult, SiteTemplate, parse_page
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


def _right(case: Case, result: ParseResult) -> dict[str, float | None]:
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


def parse_alone(cases: list[Case]) -> list[ParseResult]:
    return [parse_page(case.html, case.url, now=NOW) for case in cases]


def parse_learning(cases: list[Case], *, min_pages: int, min_share: float) -> tuple[list[ParseResult], SiteTemplate]:
    """A site's pages in order, each with what the pages before it taught, then the re-check."""
    votes = SiteVotes()
    results: list[ParseResult] = []
    used: list[SiteTemplate] = []
    for case in cases:
        template = votes.template(min_pages=min_pages, min_share=min_share)
        result = parse_page(case.html, case.url, now=NOW, template=template)
        if result.is_article:
            votes.observe(result.field_paths)
        results.append(result)
        used.append(template)
    final = votes.template(min_pages=min_pages, min_share=min_share)
    for index, case in enumerate(cases):
        if used[index] != final and needs_recheck(results[index], final):
            results[index] = parse_page(case.html, case.url, now=NOW, template=final)
    return results, final


def needs_recheck(result: ParseResult, template: SiteTemplate) -> bool:
    return result.is_article and any(result.field_paths.get(name) != path for name, path in template.paths().items())


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


def measure(groups: dict[str, list[Case]], *, min_pages: int, min_share: float, show: Callable[[str], None]) -> None:
    alone, learned = Tally(), Tally()
    learned_fields: Counter[str] = Counter()
    changed: list[str] = []
    cpu = {"alone": 0.0, "learning": 0.0}
    for site, cases in groups.items():
        start = time.process_time()
        plain = parse_alone(cases)
        cpu["alone"] += time.process_time() - start
        start = time.process_time()
        taught, final = parse_learning(cases, min_pages=min_pages, min_share=min_share)
        cpu["learning"] += time.process_time() - start
        learned_fields.update(final.paths().keys())
        for case, before, after in zip(cases, plain, taught):
            a, b = _right(case, before), _right(case, after)
            alone.add(a)
            learned.add(b)
            for name in FIELDS:
                if a[name] is not None and b[name] is not None and abs(a[name] - b[name]) > 1e-9:
                    changed.append(f"  {name:8} {a[name]:.2f} -> {b[name]:.2f}  {case.url}")
    pages = sum(len(cases) for cases in groups.values())
    show(f"{len(groups)} sites, {pages} pages; template fields learned: {dict(sorted(learned_fields.items()))}")
    show(f"{'field':8} {'alone':>18} {'with learning':>18}")
    for name in FIELDS:
        show(f"{name:8} {alone.share(name):>18} {learned.share(name):>18}")
    if alone.counted["body"]:
        show(f"body mean word F1: {alone.f1 / alone.counted['body']:.4f} -> {learned.f1 / learned.counted['body']:.4f}")
    show(f"CPU s: alone {cpu['alone']:.2f}, with learning (incl. re-check) {cpu['learning']:.2f} "
         f"({cpu['learning'] / max(cpu['alone'], 1e-9):.2f}x)")
    show(f"{len(changed)} field values changed:")
    for line in changed[:60]:
        show(line)


def generated(seeds: range) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = {}
    for site in make_sites(seeds):
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


def _seeds(text: str) -> range:
    start, _, stop = text.partition(":")
    return range(int(start), int(stop))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=_seeds, default=range(100, 140), help="generated sites, START:STOP")
    parser.add_argument("--datasets", action="store_true", help="fundus-dev and wcxb-dev sites with several pages")
    parser.add_argument("--min-pages", type=int, default=defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES)
    parser.add_argument("--min-share", type=float, default=defaults.NEWSCRAWL_TEMPLATE_MIN_SHARE)
    args = parser.parse_args(list(argv) if argv is not None else None)
    groups = datasets(args.min_pages) if args.datasets else generated(args.seeds)
    measure(groups, min_pages=args.min_pages, min_share=args.min_share, show=print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
