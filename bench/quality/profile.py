"""Where ``parse_page`` spends its time: CPU milliseconds per page for each field extractor.

    python -m bench.quality.profile [--only aeb,wcxb,fundus] [--all-pages] [--every N] [--cprofile N]

Every step ``parse_document`` calls (and the steps inside loading and the body that are worth
naming) is wrapped, for this process only, in a timer that counts its **exclusive** CPU time:
a step's own time, minus the named steps it calls (the page index, built by whichever
extractor asks first, is its own row). A step is wrapped in every ``crawler`` module that
imported it by name; a function only reached through a container (a tuple of stages) is not. Over the article pages of the sets (``--all-pages``:
every page; ``--every N``: every Nth of them), after a warm-up on three pages, it prints the median and mean ms per page of each
step and its share of the total. ``--cprofile N`` adds cProfile's N costliest functions by
internal time over the same pages.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from bench.quality.datasets import DATASETS, LOADERS

WARM_UP_PAGES = 3
# (module, function name as that module calls it): the rows of the breakdown, in parse order.
STEPS = (
    ("crawler.parsing.document", "cap_attributes"),
    ("crawler.parsing.document", "reopen_early_close"),
    ("crawler.parsing.document", "_read_meta"),
    ("crawler.parsing.document", "_read_jsonld"),
    ("crawler.parsing", "load_document"),  # what is left: decoding and lxml's parse
    ("crawler.parsing.document", "build_index"),
    ("crawler.parsing", "extract_language"),
    ("crawler.parsing", "extract_site_name"),
    ("crawler.parsing", "find_headline"),
    ("crawler.parsing", "site_name_from_title"),
    ("crawler.parsing", "extract_dates"),
    ("crawler.parsing", "extract_authors"),
    ("crawler.parsing.body", "read_blocks"),
    ("crawler.parsing.body", "main_region"),
    ("crawler.parsing.body", "find_payload_body"),
    ("crawler.parsing.body", "embedded_paragraphs"),
    ("crawler.parsing.body", "article_paragraphs"),
    ("crawler.parsing", "read_body"),  # what is left: lines, structured cross-check
    ("crawler.parsing", "payload_fields"),
    ("crawler.parsing.detect", "hard_reason"),
    ("crawler.parsing.detect", "_cheap_signals"),
    ("crawler.parsing", "detect_article"),  # what is left: the costly stages it reaches (held in a tuple, not wrapped)
    ("crawler.parsing.navigation.blocks", "scan"),  # candidate links and the prose span
    ("crawler.parsing.navigation.blocks", "_climbs"),
    ("crawler.parsing.navigation.blocks", "_pair_of"),
    ("crawler.parsing.navigation.blocks", "_cheap_hint"),
    ("crawler.parsing.navigation.blocks", "_single"),
    ("crawler.parsing", "extract_navigation"),  # what is left: scoring, exclusion, the head's rel links
    ("crawler.parsing", "extract_description"),
    ("crawler.parsing", "extract_canonical_url"),
    ("crawler.parsing", "extract_image"),
    ("crawler.parsing", "extract_keywords"),
    ("crawler.parsing", "extract_free_access"),
    ("crawler.parsing.datetext", "_from_words"),  # dateparser, inside dates and authors
)
OTHER = "rest of parse_page"


class _Clock:
    """Exclusive CPU time per step: entering a step pauses the one it was called from."""

    def __init__(self) -> None:
        self.page: dict[str, float] = defaultdict(float)
        self._stack: list[list[Any]] = []  # [name, start, children's time]

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [name, time.process_time(), 0.0]
            self._stack.append(frame)
            try:
                return function(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.process_time() - frame[1]
                self.page[name] += spent - frame[2]
                if self._stack:
                    self._stack[-1][2] += spent

        return timed


def _install(clock: _Clock) -> list[tuple[object, str, object]]:
    """Every step wrapped wherever it is referenced: in its own module and in every ``crawler``
    module that imported it by name (``read_blocks`` is called from the body and from its
    embedded fallback). Returns what to put back."""
    replaced: list[tuple[object, str, object]] = []
    for module_name, attribute in STEPS:
        original = getattr(importlib.import_module(module_name), attribute)
        timed = clock.wrap(attribute, original)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("crawler") and vars(module).get(attribute) is original:
                replaced.append((module, attribute, original))
                setattr(module, attribute, timed)
    return replaced


def _uninstall(replaced: list[tuple[object, str, object]]) -> None:
    for module, attribute, original in reversed(replaced):
        setattr(module, attribute, original)


def _pages(only: list[str], all_pages: bool) -> list[tuple[str, str]]:
    return [
        (page.html(), page.url)
        for name in only
        for page in LOADERS[name]()
        if all_pages or page.truth.is_article
    ]


def breakdown(documents: list[tuple[str, str]]) -> dict[str, list[float]]:
    """ms per page of every step (and of the whole parse, under ``total``), page by page."""
    from crawler.parsing import parse_page

    clock = _Clock()
    replaced = _install(clock)
    try:
        for html, url in documents[:WARM_UP_PAGES]:
            parse_page(html, url)
        rows: dict[str, list[float]] = defaultdict(list)
        for html, url in documents:
            clock.page.clear()
            start = time.process_time()
            parse_page(html, url)
            total = time.process_time() - start
            for _, name in STEPS:
                rows[name].append(clock.page.get(name, 0.0) * 1000)
            rows[OTHER].append((total - sum(clock.page.values())) * 1000)
            rows["total"].append(total * 1000)
    finally:
        _uninstall(replaced)
    return rows


def _print_table(rows: dict[str, list[float]]) -> None:
    total = sum(rows["total"])
    print("| step | median ms | mean ms | share |\n|---|---|---|---|")
    for name, values in rows.items():
        share = sum(values) / total if total else 0.0
        print(f"| {name} | {statistics.median(values):.2f} | {statistics.fmean(values):.2f} | {share:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(DATASETS), help="datasets, comma-separated")
    parser.add_argument("--all-pages", action="store_true", help="every page, not only the articles")
    parser.add_argument("--every", type=int, default=1, metavar="N", help="only every Nth page (a quicker look)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's N costliest functions")
    args = parser.parse_args()
    documents = _pages(args.only.split(","), args.all_pages)[:: args.every]
    print(f"{len(documents)} pages")
    _print_table(breakdown(documents))
    if args.cprofile:
        from crawler.parsing import parse_page

        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(lambda: [parse_page(html, url) for html, url in documents])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
