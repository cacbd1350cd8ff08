"""A site changes its template mid-crawl: how many of its pages the template fast path reads the
old way before its verification catches the change, under several verification schedules.

    python -m bench.template.change --seeds 2000:2040 --pages 240
    python -m bench.template.change --seeds 2000:2040 --pages 240 --trap-share 0 --redesign renamed

Each generated site (``bench/template/sites.py``) changes its template at a page drawn from its
seed between a quarter and three quarters of the way (``REDESIGNS``: ``split`` keeps every layout
path in place, so only a verified page can tell; ``renamed`` makes the pages stop confirming).
Its pages are read in order as ``bench.template``'s fast path column reads them
(``parse_learning``: the crawl's learning and ``crawler.article.verifying``'s schedule, one page
after the other, so no page is in flight when a verified one disagrees), once per schedule
(``--schedules``: FIRST:MOST pairs; FIRST:FIRST is a fixed interval). Reported per schedule:
pages verified (the cost), the sites whose change was caught (a disagreement at or after the
change) of those with a page after the change read the fast way (exposed; a site that never earned
a layout is not), and the pages after the change read the fast way before the catch (or to the
site's end): their count at most and in total, and their body word F1 against the truth.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bench.quality.metrics import word_f1
from bench.template.__main__ import Case, FastPath, parse_learning
from bench.template.sites import REDESIGNS, make_site, seed_range
from crawler import settings as defaults
from crawler.parsing.fastpath import DISAGREED, TEMPLATE, VERIFIED


@dataclass(slots=True)
class Outcome:
    """One schedule over all sites."""

    verified: int = 0  # pages read both ways (disagreements included)
    caught: int = 0  # sites whose change a verified page caught
    late: list[int] = field(default_factory=list)  # per caught site: pages after the change read the fast way first
    missed: list[int] = field(default_factory=list)  # per site never caught: pages after the change read the fast way
    f1: list[float] = field(default_factory=list)  # body word F1 of each page read the old way after the change


def change_point(seed: int, pages: int) -> int:
    """Where the site's template changes: drawn from its seed, between a quarter and three quarters."""
    return random.Random(seed * 7919).randint(pages // 4, 3 * pages // 4)


def read_site(cases: list[Case], at: int, fast: FastPath, outcome: Outcome) -> None:
    results, _ = parse_learning(cases, min_pages=defaults.NEWSCRAWL_TEMPLATE_MIN_PAGES,
                                min_share=defaults.NEWSCRAWL_TEMPLATE_MIN_SHARE, recheck=False, fast=fast)
    outcome.verified += sum(result.parse_path in (VERIFIED, DISAGREED) for result in results)
    late = 0
    for case, result in zip(cases[at:], results[at:], strict=True):
        if result.parse_path == DISAGREED:
            outcome.caught += 1
            outcome.late.append(late)
            return
        if result.parse_path == TEMPLATE:
            late += 1
            outcome.f1.append(word_f1(case.body or "", result.body))
    outcome.missed.append(late)


def measure(seeds: range, *, pages: int, trap_share: float, redesign: str, schedules: list[tuple[int, int]],
            show: Callable[[str], None] = print) -> dict[tuple[int, int], Outcome]:
    outcomes = {schedule: Outcome() for schedule in schedules}
    for seed in seeds:
        at = change_point(seed, pages)
        site = make_site(seed, pages=pages, trap_share=trap_share, redesign_at=at, redesign=redesign)
        cases = [Case(site.host, page.url, page.html, page.truth.title, page.truth.day, page.truth.authors,
                      page.truth.body) for page in site.pages]
        for (first, most), outcome in outcomes.items():
            fast = FastPath(verify_every=first, verify_most=most)
            read_site(cases, at, fast, outcome)
    show(f"{len(seeds)} sites of {pages} pages, trap share {trap_share}, redesign {redesign!r} between pages "
         f"{pages // 4} and {3 * pages // 4}")
    show(f"{'schedule':>10} {'verified':>9} {'caught/exposed':>15} {'read the old way after the change':>36} "
         f"{'their body F1':>14}")
    for (first, most), outcome in outcomes.items():
        late = outcome.late + outcome.missed
        exposed = outcome.caught + sum(count > 0 for count in outcome.missed)
        f1 = sum(outcome.f1) / len(outcome.f1) if outcome.f1 else float("nan")
        show(f"{first:>4} to {most:<3} {outcome.verified:>9} {outcome.caught:>7}/{exposed:<7} "
             f"{'at most %d, total %d, mean %.1f' % (max(late), sum(late), sum(late) / len(late)):>36} {f1:>14.3f}")
    return outcomes


def _schedule(text: str) -> tuple[int, int]:
    first, _, most = text.partition(":")
    return int(first), int(most or first)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.template.change", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=seed_range, default=range(2000, 2040), help="generated sites, START:STOP")
    parser.add_argument("--pages", type=int, default=240, help="pages per site")
    parser.add_argument("--trap-share", type=float, default=0.35, help="share of pages carrying a trap")
    parser.add_argument("--redesign", choices=REDESIGNS, default="split")
    default = f"{defaults.NEWSCRAWL_FAST_PATH_VERIFY_EVERY}:{defaults.NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY}"
    parser.add_argument("--schedules", type=_schedule, nargs="+", default=[_schedule("10:10"), _schedule(default)],
                        help="FIRST:MOST verification intervals (FIRST:FIRST: fixed)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.getLogger("crawler").setLevel(logging.ERROR)  # each disagreement is logged: counted here instead
    measure(args.seeds, pages=args.pages, trap_share=args.trap_share, redesign=args.redesign, schedules=args.schedules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
