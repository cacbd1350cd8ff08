"""python -m bench.scale [--articles N] [--workers 1,2,4] [--no-write]: see README.md."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys

from bench.scale.run import ScaleMeasure, run
from bench.throughput.report import write_section
from bench.throughput.run import ROOT

SECTION_START = "<!-- bench-scale:start (written by `python -m bench.scale`; edits here are overwritten) -->"
SECTION_END = "<!-- bench-scale:end -->"
TARGETS = {2: 1.8, 4: 3.2}


def table(results: list[ScaleMeasure]) -> str:
    base = results[0].rate if results and results[0].workers == 1 else None
    rows = ["| workers | articles stored | articles/s (10%-90%) | speed-up vs 1 | target | whole run s "
            "| worker CPU s per 1,000 | leases requeued |",
            "|---|---|---|---|---|---|---|---|"]
    for measure in results:
        speedup = measure.rate / base if base else None
        target = TARGETS.get(measure.workers)
        verdict = "" if target is None or speedup is None else (
            f">= {target}x: {'met' if speedup >= target else 'NOT met'}")
        rows.append(f"| {measure.workers} | {measure.articles:,} | {measure.rate:.1f} | "
                    f"{'-' if speedup is None else f'{speedup:.2f}x'} | {verdict or '-'} | "
                    f"{measure.total_seconds:.0f} | {1000 * measure.worker_cpu_seconds / measure.articles:.1f} | "
                    f"{measure.requeued} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chain-length", type=int, default=25)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds the site waits before each answer")
    parser.add_argument("--concurrency", type=int, default=1, help="concurrent requests per worker")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    counts = [int(count) for count in args.workers.split(",")]
    results = run(articles=args.articles, chain_length=args.chain_length, delay=args.delay,
                  concurrency=args.concurrency, counts=counts)
    text = table(results)
    print()
    print(text)
    if args.no_write:
        return
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    command = "make bench-scale" if len(sys.argv) == 1 else "python -m bench.scale " + " ".join(sys.argv[1:])
    section = "\n".join([
        SECTION_START,
        f"Command: `{command}`  ",
        f"Commit {commit.stdout.strip()}; Python {platform.python_version()}.  ",
        f"Site: {args.articles:,} demo-template articles in chains of {args.chain_length}, every answer after "
        f"{args.delay * 1000:.0f} ms; each worker {args.concurrency} concurrent request(s), parsing inline; one "
        "redis-server, one ingester; every process on this one machine.",
        "",
        text,
        SECTION_END,
    ]) + "\n"
    write_section(ROOT / "docs" / "scaling.md", section, start=SECTION_START, end=SECTION_END)
    print("\nwritten to docs/scaling.md")


if __name__ == "__main__":
    main()
