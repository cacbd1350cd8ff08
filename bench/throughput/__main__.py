"""python -m bench.throughput [--articles N] [--only KIND,...] [--no-write]: see README.md."""

from __future__ import annotations

import argparse
import sys

from bench.throughput.report import cost_notes, section, table, verdicts, write_section
from bench.throughput.run import KINDS, ROOT, load_result, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000, help="article pages on the site (default 20,000)")
    parser.add_argument("--chain-length", type=int, default=250, help="articles per prev/next chain")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent requests of every crawl")
    parser.add_argument("--only", default=",".join(KINDS), help=f"comma-separated subset of {', '.join(KINDS)}")
    parser.add_argument("--set", "-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
                        help="extra setting for the newscrawl crawl (repeatable; the run is then not written to docs)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--keep", action="store_true", help="keep logs and databases in bench/.cache/last-run")
    parser.add_argument("--report-only", action="store_true",
                        help="print (and write, if it was a full run) the last run's figures again without crawling")
    args = parser.parse_args()
    kinds = tuple(kind.strip() for kind in args.only.split(",") if kind.strip())
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown crawl kinds: {', '.join(sorted(unknown))}")
    extra = dict(setting.split("=", 1) for setting in args.settings)
    if args.report_only:
        result = load_result()
        kinds = tuple(result.measures)
    else:
        result = run(articles=args.articles, chain_length=args.chain_length, concurrency=args.concurrency,
                     kinds=kinds, extra_settings=extra, keep=args.keep)
    print()
    print(table(result))
    print("\n".join(verdicts(result)))
    print("\n".join(cost_notes(result)))
    complete = kinds == KINDS and not extra and result.articles >= 20_000
    if args.no_write or not complete:
        print("\n(not written to docs/benchmarks.md: only a full default run is)")
        return
    arguments = [argument for argument in sys.argv[1:] if argument != "--report-only"]
    command = "make bench-throughput" if not arguments else "python -m bench.throughput " + " ".join(arguments)
    write_section(ROOT / "docs" / "benchmarks.md", section(result, command, notes=[]))
    print("\nwritten to docs/benchmarks.md")


if __name__ == "__main__":
    main()
