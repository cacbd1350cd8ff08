"""What the attribute cap (crawler/parsing/attributes.py) costs an ordinary page.

    python -m bench.prescan [--data ../shared/datasets] [--repeat 5]

For each aeb-dev page, interleaved in this one process: ``cap_attributes`` on the decoded
text, lxml's parse of the same text, and ``parse_page`` (best of ``--repeat`` runs each, so
the noise of a shared machine is cut down alike). Prints the means per page and the ratios.
The goal: the scan is a small fraction of the parse.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

from bench.quality.datasets import DEFAULT_DATA_DIR, aeb_pages
from crawler.parsing import parse_page
from crawler.parsing.attributes import cap_attributes


def _best(function: Callable[[str], Any], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.prescan", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder holding aeb-dev/")
    parser.add_argument("--repeat", type=int, default=5, help="runs per page and step; the best counts")
    args = parser.parse_args()
    pages = [(page.html(), page.url) for page in aeb_pages(args.data)]
    totals = {"scan": 0.0, "lxml": 0.0, "parse_page": 0.0}
    changed = 0
    for html, url in pages:
        totals["scan"] += _best(cap_attributes, html, args.repeat)
        totals["lxml"] += _best(lxml.html.document_fromstring, html, args.repeat)
        totals["parse_page"] += _best(lambda text: parse_page(text, url), html, max(1, args.repeat // 2))
        changed += cap_attributes(html) is not html
    for name, total in totals.items():
        print(f"{name:11s} {total / len(pages) * 1000:8.3f} ms/page")
    print(f"scan / lxml parse: {totals['scan'] / totals['lxml']:.1%}; scan / parse_page: {totals['scan'] / totals['parse_page']:.1%}")
    print(f"pages the cap changed: {changed} of {len(pages)}")


if __name__ == "__main__":
    main()
