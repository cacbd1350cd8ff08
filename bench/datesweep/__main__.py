"""``python -m bench.datesweep``: day and instant accuracy of ``parse_page`` on pages whose byline
shows the publication date in CLDR's patterns for each locale (see ``bench.datesweep``).

    python -m bench.datesweep --half fit                  # the locales rules may be written on
    python -m bench.datesweep --half fit --misses 40      # and a sample of their misses
    python -m bench.datesweep --half held --markdown      # the held-out half: report only
    python -m bench.datesweep --locales el,th,fa --misses 20

Day: the published value names the day the page shows (``bench.quality.compare.same_day``).
Instant (only where the page gives a time: the ``time-*`` patterns, and every ``time``/``meta``
markup): within a minute, with the offset when the page gives one (``same_instant``).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

from bench.datesweep import Case, all_locales, cases, half, has_names
from bench.quality.compare import same_day, same_instant
from crawler.parsing import parse_page

Score = tuple[str, str, str, str, str | None, bool, bool | None, float]  # locale, pattern, markup, shown, got, day, instant, ms


def _score(case: Case) -> Score:
    start = time.process_time()
    got = parse_page(case.html, case.url, now=case.now).published_at
    elapsed = (time.process_time() - start) * 1000
    instant = same_instant(case.instant, got) if case.instant else None
    return case.locale, case.pattern, case.markup, case.shown, got, same_day(case.day, got), instant, elapsed


def _share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f} ({sum(values)}/{len(values)})" if values else "n/a"


def _table(rows: list[Score], key, title: str, markdown: bool) -> None:
    groups: dict[str, list[Score]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    print(f"\n{title}")
    header = ("", "day", "instant")
    print("| " + " | ".join(header) + " |\n|---|---|---|" if markdown else f"{'':28} {'day':>18} {'instant':>18}")
    for name in sorted(groups, key=lambda g: (isinstance(g, str) and g.startswith("zz"), g)):
        day = [row[5] for row in groups[name]]
        instant = [row[6] for row in groups[name] if row[6] is not None]
        if markdown:
            print(f"| {name} | {_share(day)} | {_share(instant)} |")
        else:
            print(f"{name:28} {_share(day):>18} {_share(instant):>18}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.datesweep", description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("fit", "held", "all"), default="fit", help="which half of the locales (default fit)")
    parser.add_argument("--locales", default="", help="comma-separated Babel locales instead of a half")
    parser.add_argument("--samples", type=int, default=2, help="moments per locale, pattern and markup")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--misses", type=int, default=0, help="print this many missed text-markup cases")
    parser.add_argument("--by-locale", action="store_true", help="a row per locale (text markup)")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--named-only", action="store_true", help="print misses only of languages dateparser has names for")
    args = parser.parse_args(argv)
    locales = args.locales.split(",") if args.locales else [name for name in all_locales() if args.half == "all" or half(name) == args.half]
    start = time.time()
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(_score, cases(locales, samples=args.samples), chunksize=32))
    print(f"{len(rows)} pages, {len(locales)} locales ({args.locales or args.half}), {time.time() - start:.0f} s; "
          f"parse CPU median {sorted(r[7] for r in rows)[len(rows) // 2]:.2f} ms/page")
    _table(rows, lambda r: r[2], "By markup", args.markdown)
    text = [row for row in rows if row[2] == "text"]
    _table(text, lambda r: "with dateparser names" if has_names(r[0]) else "without (no table to read)", "By language data (text markup)", args.markdown)
    _table(text, lambda r: r[1], "By pattern (text markup: the visible date only)", args.markdown)
    _table([r for r in text if has_names(r[0])], lambda r: r[1], "By pattern (text markup, languages with dateparser names)", args.markdown)
    _table([r for r in rows if r[2] == "nolang"], lambda r: r[1], "By pattern (nolang: the visible date only, no <html lang>)", args.markdown)
    _table([r for r in rows if r[2] in ("time", "meta")], lambda r: r[1], "By pattern (time and meta markups)", args.markdown)
    if args.by_locale:
        _table(text, lambda r: r[0], "By locale (text markup)", args.markdown)
    else:
        worst = defaultdict(list)
        for row in text:
            worst[row[0]].append(row[5])
        ranked = sorted(worst, key=lambda name: sum(worst[name]) / len(worst[name]))
        print("\nLocales with the fewest days right (text markup): " + ", ".join(
            f"{name} {sum(worst[name]) / len(worst[name]):.2f}" for name in ranked[:40]))
    harmed = [row for row in rows if row[2] in ("time", "meta") and (not row[5] or row[6] is False)]
    misses = harmed + [row for row in text if (not row[5] or row[6] is False) and (has_names(row[0]) or not args.named_only)]  # a spoilt machine value first
    for row in misses[: args.misses]:
        print(f"MISS {row[0]:10} {row[1]:20} {row[2]:5} {row[3]!r:60} -> {row[4]}")


if __name__ == "__main__":
    main()
