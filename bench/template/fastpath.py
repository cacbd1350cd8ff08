"""The template fast path against the full parse, page by page, in one process.

    python -m bench.template.fastpath --seeds 900:940 --pages 30       # generated sites (bench/template/sites.py)
    python -m bench.template.fastpath --bench-site 3000                 # the throughput bench's site (one host, three layouts)

Each site's pages are met in a fixed shuffled order, as a crawl meets them: each page is parsed
with the site's template and layouts as learned from the pages before it (``TemplateBook`` with
the crawl's settings, verification off so that each page is timed once each way), and also
without the layouts (the full parse, with the same template hint). The two parses of a page
alternate which goes first; CPU time is summed per side. Reported: the pages read each way, the
fields that differ between the two results (``parse_path`` and ``field_paths`` aside: a page
read the fast way locates nothing), and parse_page's CPU time fast / full, on all pages and on
the pages read the fast way.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from bench.template.sites import make_sites, seed_range
from crawler import settings as defaults
from crawler.article.template import TemplateBook
from crawler.parsing import ParseResult, parse_page
from crawler.parsing.fastpath import TEMPLATE, differences

NOW = datetime(2026, 1, 1, tzinfo=UTC)
IGNORED = ("parse_path", "field_paths")


def generated_sites(seeds: range, pages: int) -> dict[str, list[tuple[str, str]]]:
    return {site.host: [(page.url, page.html) for page in site.pages] for site in make_sites(seeds, pages=pages)}


def bench_site(articles: int) -> dict[str, list[tuple[str, str]]]:
    """The throughput bench's site (``crawler.demo.generate.build_synthetic_site``, as bench.throughput builds it)."""
    from crawler.demo.generate import build_synthetic_site

    folder = Path(tempfile.mkdtemp(prefix="fastpath-bench-site-"))
    build_synthetic_site(folder, articles, chain_length=250)
    pages = [(f"http://127.0.0.1:8000/{path.relative_to(folder)}", path.read_text(encoding="utf-8"))
             for path in sorted(folder.rglob("*.html"))]
    return {"127.0.0.1:8000": pages}


def _timed(html: str, url: str, template: object) -> tuple[ParseResult, float]:
    start = time.process_time()
    result = parse_page(html, url, now=NOW, template=template)  # type: ignore[arg-type]
    return result, time.process_time() - start


@dataclass(slots=True)
class Found:
    paths: Counter[str] = field(default_factory=Counter)  # parse_path -> pages
    differ: Counter[str] = field(default_factory=Counter)  # field -> pages where the two parses differ
    cpu: dict[str, float] = field(default_factory=lambda: dict.fromkeys(("fast", "full", "fast, fast pages", "full, fast pages"), 0.0))


def measure(sites: dict[str, list[tuple[str, str]]], *, seed: int = 1) -> Found:
    book = TemplateBook(defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES, defaults.NEWSCRAWL_TEMPLATE_MIN_SHARE,
                        defaults.NEWSCRAWL_FAST_PATH_MIN_PAGES, defaults.NEWSCRAWL_FAST_PATH_MIN_SHARE, sys.maxsize)
    rng = random.Random(seed)
    found = Found()
    paths, differ, cpu = found.paths, found.differ, found.cpu
    for site, pages in sites.items():
        order = list(pages)
        rng.shuffle(order)
        for url, html in order:
            hinted = book.for_page(site)
            plain = replace(hinted, layouts=())
            if rng.random() < 0.5:
                fast, fast_cpu = _timed(html, url, hinted)
                full, full_cpu = _timed(html, url, plain)
            else:
                full, full_cpu = _timed(html, url, plain)
                fast, fast_cpu = _timed(html, url, hinted)
            paths[fast.parse_path] += 1
            cpu["fast"] += fast_cpu
            cpu["full"] += full_cpu
            if fast.parse_path == TEMPLATE:
                cpu["fast, fast pages"] += fast_cpu
                cpu["full, fast pages"] += full_cpu
            differ.update(name for name in differences(fast, full) if name not in IGNORED)
            if full.is_article and full.field_paths:
                book.votes(site).observe(full.field_paths)
    return found


def report(found: Found, show: Callable[[str], None] = print) -> None:
    paths, cpu = found.paths, found.cpu
    total = sum(paths.values())
    show(f"{total} pages: " + ", ".join(f"{path} {count} ({count / total:.1%})" for path, count in paths.most_common()))
    show(f"fields that differ between the two parses: {dict(found.differ) or 'none'}")
    fast_pages = paths[TEMPLATE]
    show(f"parse_page CPU, all pages: fast path {cpu['fast'] / total * 1000:.3f} ms, full {cpu['full'] / total * 1000:.3f} ms "
         f"a page: {cpu['fast'] / max(cpu['full'], 1e-9):.3f}x")
    if fast_pages:
        show(f"  the {fast_pages} pages read the fast way: {cpu['fast, fast pages'] / fast_pages * 1000:.3f} ms against "
             f"{cpu['full, fast pages'] / fast_pages * 1000:.3f} ms: {cpu['fast, fast pages'] / max(cpu['full, fast pages'], 1e-9):.3f}x")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template.fastpath", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=seed_range, default=range(900, 940), help="generated sites, START:STOP")
    parser.add_argument("--pages", type=int, default=30, help="pages per generated site")
    parser.add_argument("--bench-site", type=int, default=0, help="instead, the throughput bench's site of this many articles")
    parser.add_argument("--order-seed", type=int, default=1, help="the order the pages are met in")
    args = parser.parse_args(list(argv) if argv is not None else None)
    sites = bench_site(args.bench_site) if args.bench_site else generated_sites(args.seeds, args.pages)
    report(measure(sites, seed=args.order_seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
