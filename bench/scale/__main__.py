"""python -m bench.scale [--parts workers,politeness,sites,seen] [--no-write]: see README.md."""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys

from bench.scale import seen as seen_bench
from bench.scale.run import GapMeasure, ScaleMeasure, bench_redis, politeness, run, sites
from bench.throughput.report import write_section
from bench.throughput.run import ROOT

SECTION_START = "<!-- bench-scale:start (written by `python -m bench.scale`; edits here are overwritten) -->"
SECTION_END = "<!-- bench-scale:end -->"
TARGETS = {2: 1.8, 4: 3.2}
GAP_TARGET = 0.95  # seconds: 5th percentile of the gaps at a site with a 1 s delay, four workers
SITES_TARGET = 3.5  # speed-up of four workers over one on eight polite sites
SITES_CEILING = 8 / 0.25  # pages/s: eight sites, one request each per 0.25 s
BYTES_TARGET = 16  # Redis bytes per requested page at 1,000,000 pages
PARTS = ("workers", "politeness", "sites", "seen")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def table(results: list[ScaleMeasure]) -> str:
    base = results[0].rate if results and results[0].workers == 1 else None
    rows = ["| workers | articles stored | articles/s (10%-90%) | speed-up vs 1 | target | whole run s "
            "| worker CPU s per 1,000 | leases requeued |",
            "|---|---|---|---|---|---|---|---|"]
    for measure in results:
        speedup = measure.rate / base if base else None
        target = TARGETS.get(measure.workers)
        verdict = "" if target is None or speedup is None else f">= {target}x: {_verdict(speedup >= target)}"
        rows.append(f"| {measure.workers} | {measure.articles:,} | {measure.rate:.1f} | "
                    f"{'-' if speedup is None else f'{speedup:.2f}x'} | {verdict or '-'} | "
                    f"{measure.total_seconds:.0f} | {1000 * measure.worker_cpu_seconds / measure.articles:.1f} | "
                    f"{measure.requeued} |")
    return "\n".join(rows)


def targets_table(gaps: GapMeasure | None, polite: list[ScaleMeasure], memory: list[seen_bench.SeenMeasure]) -> str:
    rows = ["| measure | target | measured | verdict |", "|---|---|---|---|"]
    if gaps is not None:
        p5 = gaps.percentile(0.05)
        rows.append(f"| {gaps.workers} workers on one site with a {gaps.delay:g} s delay: gaps between its requests at "
                    f"the server ({gaps.requests} requests, robots.txt included) | p5 >= {GAP_TARGET} s | p5 {p5:.3f} s, "
                    f"min {min(gaps.gaps):.3f} s, median {gaps.percentile(0.5):.3f} s | {_verdict(p5 >= GAP_TARGET)} |")
    if len(polite) >= 2:
        one, many = polite[0], polite[-1]
        speedup = many.rate / one.rate
        reachable = min(many.workers * one.rate, SITES_CEILING)
        rows.append(f"| {many.workers} workers, eight sites, 50 ms latency, 0.25 s per-site delay: speed-up vs one "
                    f"worker | >= {SITES_TARGET}x | {speedup:.2f}x ({one.rate:.1f} -> {many.rate:.1f} articles/s; the "
                    f"delays cap any number of workers at {SITES_CEILING:.0f}/s, so at most "
                    f"{reachable / one.rate:.2f}x here: {many.rate / reachable:.0%} of that reached) "
                    f"| {_verdict(speedup >= SITES_TARGET)} |")
    for measure in memory:
        verdict = "-" if measure.false_positive_rate is None else _verdict(measure.bytes_per_page <= BYTES_TARGET)
        rate = ("exact" if measure.false_positive_rate is None else
                f"false positives {measure.false_positive_rate:.2e} of {measure.probes:,} new pages")
        rows.append(f"| Redis memory per requested page at {measure.pages:,} pages: {measure.design} "
                    f"| <= {BYTES_TARGET} bytes | {measure.bytes_per_page:.1f} bytes ({rate}) | {verdict} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--parts", default=",".join(PARTS), help=f"any of {', '.join(PARTS)}")
    parser.add_argument("--articles", type=int, default=2000, help="articles of the one-site run (workers)")
    parser.add_argument("--chain-length", type=int, default=25)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds the site waits before each answer")
    parser.add_argument("--concurrency", type=int, default=1, help="concurrent requests per worker")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seen-pages", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")
    counts = [int(count) for count in args.workers.split(",")]
    results, gaps, polite, memory = [], None, [], []
    with bench_redis() as (redis_url, work):
        if "workers" in parts:
            results = run(articles=args.articles, chain_length=args.chain_length, delay=args.delay,
                          concurrency=args.concurrency, counts=counts, redis_url=redis_url, work=work)
        if "politeness" in parts:
            gaps = politeness(workers=4, articles=48, delay=1.0, latency=args.delay, redis_url=redis_url, work=work)
        if "sites" in parts:
            polite = sites(counts=[1, 4], sites=8, articles=60, delay=0.25, latency=args.delay, redis_url=redis_url,
                           work=work)
        if "seen" in parts:
            print(f"seen set: {args.seen_pages:,} pages ...", flush=True)
            memory = seen_bench.run(redis_url, pages=args.seen_pages, probes=100_000)
    text = "\n\n".join(part for part in (targets_table(gaps, polite, memory), table(results) if results else "")
                       if part)
    print()
    print(text)
    if args.no_write:
        return
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    command = "make bench-scale" if len(sys.argv) == 1 else "python -m bench.scale " + " ".join(sys.argv[1:])
    section = "\n".join([
        SECTION_START,
        f"Command: `{command}`  ",
        f"Commit {commit.stdout.strip()}; Python {platform.python_version()}; every process on this one machine.  ",
        f"Workers: a site of {args.articles:,} demo-template articles in chains of {args.chain_length}, every answer "
        f"after {args.delay * 1000:.0f} ms; each worker {args.concurrency} concurrent request(s), parsing inline; "
        "one redis-server, one ingester. Politeness: 48 articles on one site (4 workers, 1 s delay); eight sites "
        "of 60 articles each (0.25 s delay, one request of a site at a time), 1 and 4 workers.",
        "",
        text,
        SECTION_END,
    ]) + "\n"
    write_section(ROOT / "docs" / "scaling.md", section, start=SECTION_START, end=SECTION_END)
    print("\nwritten to docs/scaling.md")


if __name__ == "__main__":
    main()
