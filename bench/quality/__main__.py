"""``python -m bench.quality``: extraction quality and speed, newscrawl against the open extractors.

Runs every selected system on the same pages in the same run, prints one table and writes it
into docs/benchmarks.md (its own section; the rest of the file is kept). See README.md here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.quality import report
from bench.quality.datasets import DATASETS, DEFAULT_DATA_DIR, LOADERS, available, present
from bench.quality.process_time import measure_processes
from bench.quality.run import dump_results, evaluate
from bench.quality.scoring import score_system
from bench.quality.systems import ALL_SYSTEMS, OURS, TRAFILATURA
from bench.quality.timing import measure

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder holding aeb-dev/, wcxb-dev/, fundus-dev/")
    parser.add_argument("--limit", type=int, default=0, help="at most N pages per dataset (0 = all)")
    parser.add_argument("--only", help=f"comma-separated datasets to run, from {', '.join(DATASETS)} (default: all present)")
    parser.add_argument(
        "--systems", default=",".join(ALL_SYSTEMS), help=f"comma-separated, from {', '.join(ALL_SYSTEMS)}"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes for the accuracy part")
    parser.add_argument("--no-timing", action="store_true", help="skip both speed measurements")
    parser.add_argument(
        "--process-repeats",
        type=int,
        default=5,
        help="rounds of fresh processes (every system once a round, same order) for the whole-process CPU time;"
        " the ratio is the median of the rounds' paired ratios",
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--dump", type=Path, help="write every page's extractions and scores to this JSONL file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = set(systems) - set(ALL_SYSTEMS)
    if unknown:
        print(f"unknown systems: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    if not available(args.data):
        print(f"datasets not found under {args.data} (expected aeb-dev/ and wcxb-dev/)", file=sys.stderr)
        return 2
    wanted = [name.strip() for name in args.only.split(",") if name.strip()] if args.only else present(args.data)
    missing = set(wanted) - set(present(args.data))
    if missing:
        print(f"datasets not found under {args.data}: {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    pages = []
    for name in DATASETS:
        if name in wanted:
            pages += list(LOADERS[name](args.data))[: args.limit or None]

    started = time.perf_counter()
    results = evaluate(pages, systems, workers=args.workers)
    print(f"accuracy: {len(pages)} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    scores = {name: score_system(name, results) for name in systems}
    if args.dump:
        dump_results(args.dump, results)

    timing = processes = None
    if not args.no_timing and OURS in systems and TRAFILATURA in systems:
        timed = [page for page in pages if page.truth.is_article]
        started = time.perf_counter()
        timing = measure(timed)
        print(f"timing: {timing.pages} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        started = time.perf_counter()
        processes = measure_processes(timed, systems, repeats=args.process_repeats)
        print(f"whole processes: {processes.pages} pages in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    command = "python -m bench.quality" + ("" if argv is None and len(sys.argv) == 1 else " " + " ".join(argv or sys.argv[1:]))
    body_table = report.table(systems, scores, timing, processes)
    found = report.verdicts(scores, timing, processes)
    notes = [f"{name}: {s.errors} pages raised, e.g. {'; '.join(s.error_samples)}" for name, s in scores.items() if s.errors]
    if args.limit or set(wanted) != set(DATASETS) or set(systems) != set(ALL_SYSTEMS):
        notes.append("Partial run (--limit/--only/--systems): not comparable with the full benchmark.")
    print(body_table)
    print()
    print(report.verdict_table(found))
    if not args.no_write:
        report.write_section(DOCS, report.section(command, systems, body_table, found, notes))
        print(f"\nwritten to {DOCS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
