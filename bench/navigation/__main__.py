"""Chains of generated sites whose prev/next labels are invented words, crawled from the middle.

    python -m bench.navigation [--articles 9]
    python -m bench.navigation --datasets [--data ../shared/datasets]

Renders every ``crawler.demo.chainsites`` template (nav block in both word orders, labels beside
the links, thumbnail cards, hidden labels, arrows only, labels only, next-first, slug-only URLs;
each page with a related box of two, most read, comment pagination and tags), serves each on
127.0.0.1, and runs one ``newscrawl crawl`` from every site's middle article. Per template it
reports whether the whole chain was stored (both directions followed), how many trap pages were
fetched, how many neighbour rows are right and how many links the crawl confirmed. The target
(issue 12): every chain followed fully, both ways, no trap fetched.

``--datasets`` instead parses every page of aeb-dev, wcxb-dev and fundus-dev (no truth for
prev/next there) and counts the pages with a previous or next link, per set and per evidence,
with the CPU time of ``extract_navigation`` alone (median and mean per page).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from crawler.demo.chainsites import TEMPLATES, ChainSite, article_path, render
from crawler.runner import local_site_settings


def _crawl(starts: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler", "crawl", *starts, "--db", str(db), "--quiet"]
    for name, value in local_site_settings().items():
        command += ["--set", f"{name}={','.join(map(str, value)) if isinstance(value, (list, tuple)) else value}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def datasets(data_dir: Path) -> int:
    """Pages with a prev or next link on the real sets, and what navigation costs."""
    from collections import Counter

    from bench.quality.datasets import aeb_pages, fundus_pages, wcxb_pages
    from crawler.parsing import load_document, parse_document
    from crawler.parsing.navigation import extract_navigation

    times: list[float] = []
    for name, pages in (("aeb-dev", aeb_pages), ("wcxb-dev", wcxb_pages), ("fundus-dev", fundus_pages)):
        counts: Counter[str] = Counter()
        for page in pages(data_dir):
            doc = load_document(page.html(), page.url)
            parsed = parse_document(doc)
            started = time.process_time()
            extract_navigation(doc, is_article=parsed.is_article)
            times.append(time.process_time() - started)
            counts["pages"] += 1
            counts["prev"] += bool(parsed.prev_url)
            counts["next"] += bool(parsed.next_url)
            counts["either"] += bool(parsed.prev_url or parsed.next_url)
            counts.update(f"evidence {kind}" for kind in parsed.nav_evidence)
        print(name, dict(counts))
    print(f"extract_navigation CPU ms/page: median {1000 * statistics.median(times):.2f}, mean {1000 * statistics.mean(times):.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=9, help="articles in each chain (default 9)")
    parser.add_argument("--datasets", action="store_true", help="count prev/next on the real development sets instead")
    parser.add_argument("--data", type=Path, default=None, help="the datasets folder (default ../shared/datasets)")
    args = parser.parse_args()
    if args.datasets:
        from bench.quality.datasets import DEFAULT_DATA_DIR

        return datasets(args.data or DEFAULT_DATA_DIR)
    count, middle = args.articles, args.articles // 2
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        db = Path(folder) / "news.db"
        sites = [(template, stack.enter_context(ChainSite(render(template, count)))) for template in TEMPLATES]
        result = _crawl([site.url(article_path(template, middle)) for template, site in sites], db)
        if result.returncode != 0:
            print(result.stderr[-3000:], file=sys.stderr)
            return 1
        conn = sqlite3.connect(db)
        stored = {url: (prev, nxt, checks) for url, prev, nxt, *checks in conn.execute(
            "SELECT url, prev_url, next_url, prev_check, next_check FROM articles")}  # fmt: skip
        conn.close()
    print(f"{'template':<20} {'stored':>7} {'both ways':>9} {'traps':>5} {'rows right':>10} {'confirmed':>9}")
    full = 0
    for template, site in sites:
        urls = [site.url(article_path(template, index)) for index in range(count)]
        chain = set(article_path(template, index) for index in range(count))
        traps = sum(1 for path in site.hits if path != "/robots.txt" and path not in chain)
        got = [url for url in urls if url in stored]
        both = urls[0] in stored and urls[-1] in stored and len(got) == count
        right = sum(1 for index, url in enumerate(urls) if url in stored and stored[url][:2] == (
            urls[index - 1] if index else None, urls[index + 1] if index + 1 < count else None))  # fmt: skip
        confirmed = sum(check == "confirmed" for url in got for check in stored[url][2])
        full += both and not traps
        print(f"{template.name:<20} {len(got):>3}/{count:<3} {'yes' if both else 'NO':>9} {traps:>5} {right:>6}/{count:<3} "
              f"{confirmed:>4}/{2 * (count - 1)}")  # fmt: skip
    print(f"every chain followed fully, both ways, no trap fetched: {full}/{len(sites)} templates")
    return 0 if full == len(sites) else 1


if __name__ == "__main__":
    raise SystemExit(main())
