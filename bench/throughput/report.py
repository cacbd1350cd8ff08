"""The throughput table, the verdicts against issue 7's targets, and docs/benchmarks.md."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

from bench.throughput.run import ROOT, Result

SECTION_START = "<!-- bench-throughput:start (written by `python -m bench.throughput`; edits here are overwritten) -->"
SECTION_END = "<!-- bench-throughput:end -->"
LABELS = {
    "ceiling": "bare Scrapy (ceiling)",
    "baseline": "Scrapy + trafilatura + sqlite-utils (baseline)",
    "newscrawl": "newscrawl crawl, all pipelines",
}
TARGET_VS_BASELINE = 1.5
TARGET_VS_CEILING = 0.2
STRETCH_VS_CEILING = 0.3
RSS_GROWTH_LIMIT = 1.2


def _mb(value: int) -> str:
    return f"{value / 1e6:.0f}"


def table(result: Result) -> str:
    mark = str(max(1, result.articles // 10))
    rows = [
        f"| crawl | pages | articles stored | pages/s | CPU s per 1,000 pages | peak MB | RSS MB at {int(mark):,} pages "
        f"| RSS MB at end | end / {int(mark):,} | load avg | CPU-bound pages/s on an idle machine |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, measure in result.measures.items():
        early = measure.rss_at.get(mark)
        growth = f"{measure.rss_end / early:.2f}" if early else "n/a"
        rows.append(
            f"| {LABELS[kind]} | {measure.pages:,} | {'-' if measure.stored is None else f'{measure.stored:,}'} "
            f"| {measure.pages_per_second:.0f} | {measure.cpu_per_1000:.1f} | {_mb(measure.peak_rss)} "
            f"| {_mb(early) if early else 'n/a'} | {_mb(measure.rss_end)} | {growth} | {measure.load_average:.1f} "
            f"| {measure.cpu_bound_rate:.0f} ({min(measure.processes, _cpus())} core{'s' if measure.processes > 1 else ''}) |"
        )
    return "\n".join(rows)


def verdicts(result: Result) -> list[str]:
    found = result.measures
    lines = []
    ours = found.get("newscrawl")
    ceiling, baseline = found.get("ceiling"), found.get("baseline")
    if ours and baseline:
        ratio = ours.pages_per_second / baseline.pages_per_second
        bound = ours.cpu_bound_rate / baseline.cpu_bound_rate
        met = "met" if ratio >= TARGET_VS_BASELINE else "NOT met"
        lines.append(f"- newscrawl / baseline = **{ratio:.2f}x** measured (target >= {TARGET_VS_BASELINE}x: {met}); "
                     f"{bound:.2f}x on the CPU-bound estimate")
    if ours and ceiling:
        ratio = ours.pages_per_second / ceiling.pages_per_second
        bound = ours.cpu_bound_rate / ceiling.cpu_bound_rate
        met = "met" if ratio >= TARGET_VS_CEILING else "NOT met"
        stretch = "met" if ratio >= STRETCH_VS_CEILING else "not met"
        lines.append(f"- newscrawl / ceiling = **{ratio:.2f}x** measured (target >= {TARGET_VS_CEILING}x: {met}; "
                     f"stretch {STRETCH_VS_CEILING}x: {stretch}); {bound:.2f}x on the CPU-bound estimate")
    if ours:
        early = ours.rss_at.get(str(max(1, result.articles // 10)))
        if early:
            growth = ours.rss_end / early
            met = "met" if growth <= RSS_GROWTH_LIMIT else "NOT met"
            lines.append(f"- newscrawl RSS at the end / at {result.articles // 10:,} pages = **{growth:.2f}** "
                         f"(target <= {RSS_GROWTH_LIMIT}: {met})")
        if ours.stored is not None and ours.stored != result.articles:
            lines.append(f"- newscrawl stored {ours.stored:,} of {result.articles:,} articles: see its log")
    if ceiling:
        lines.append(f"- the server alone: nginx answered **{result.server_rps:,.0f} requests/s** under wrk "
                     f"(32 connections), {result.server_rps / ceiling.pages_per_second:.1f}x the ceiling crawl's rate")
    return lines


def cost_notes(result: Result) -> list[str]:
    """What one page costs, to read the ratios against."""
    costs = result.costs
    notes = [
        f"- One page, one core, median over {300} of the site's pages in this run: newscrawl's `parse_page` "
        f"**{costs['parse_page']:.1f} ms**, trafilatura `bare_extraction` with metadata (the baseline's "
        f"extraction) **{costs['bare_extraction']:.1f} ms**, newscrawl's cleaning {costs['clean_result']:.1f} ms.",
    ]
    ceiling, ours = result.measures.get("ceiling"), result.measures.get("newscrawl")
    if ceiling:
        notes.append(
            f"- The ceiling spends {ceiling.cpu_per_1000 / 1000 * 1000:.1f} ms of CPU per page on fetching alone; "
            f"a crawl that also parses every page on this machine's {_cpus()} cores cannot exceed about "
            f"{_cpus() * 1000 / (costs['parse_page'] + ceiling.cpu_per_1000):.0f} pages/s with this parser."
        )
    if ours and ours.stored is not None and ours.stored < result.articles:
        notes.append(
            f"- newscrawl reached {ours.pages:,} of the {result.articles:,} pages: a chain ends where the parser "
            "finds no previous/next link on a page (see the crawl's failures and the parser's navigation tests)."
        )
    return notes


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def section(result: Result, command: str, notes: list[str]) -> str:
    import scrapy
    import trafilatura

    parts = [
        SECTION_START,
        "## Throughput on one machine (bench/throughput)",
        "",
        f"Command: `{command}`  ",
        f"Commit {_commit()}; Python {platform.python_version()}; Scrapy {scrapy.__version__}; "
        f"trafilatura {trafilatura.__version__}; {_cpus()} CPUs.  ",
        f"Site: {result.articles:,} article pages rendered from the demo templates, chains of "
        f"{result.chain_length}, served by nginx on 127.0.0.1; every crawl starts at the middle of each chain "
        f"and walks both ways; {result.concurrency} concurrent requests, politeness lifted. "
        "pages/s counts from the first request to the close; CPU is the whole process (start-up included) "
        "with its children; RSS includes child processes; load avg is the machine's 1-minute load average "
        "when the crawl ended (this machine has 2 cores and is shared: above 2, other work competed, and a crawl "
        "running in more processes gets a larger share of a busy machine). The CPU-bound estimate divides the "
        "cores a crawl can use (its processes, at most the machine's) by its CPU time per page: the rate on an "
        "idle machine if CPU were the only limit.",
        "",
        table(result),
        "",
        *verdicts(result),
    ]
    notes = [*cost_notes(result), *notes]
    if notes:
        parts += ["", *notes]
    parts.append(SECTION_END)
    return "\n".join(parts) + "\n"


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def write_section(path: Path, text: str, *, start: str = SECTION_START, end: str = SECTION_END) -> None:
    """Replace the section between ``start`` and ``end`` in ``path``, keeping everything else in the file."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    begin, finish = current.find(start), current.find(end)
    if begin != -1 and finish > begin:
        rest = current[finish + len(end):].lstrip("\n")
        updated = current[:begin] + text + ("\n" + rest if rest else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")
