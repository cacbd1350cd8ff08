"""The markdown section bench/analyst writes into docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from bench.analyst.measure import RUNS, Query
from crawler.analysis.query import Filters
from crawler.analysis.search import FILTER_WALK, NEWEST_EXACT, RANK_CANDIDATES, RANK_DOCS

FORMATS = ("csv", "jsonl", "parquet")
TARGETS = {  # issue 14
    "p95": 250.0,  # ms at the largest size
    "median": 50.0,
    "p95_ratio": 3.0,  # largest / smallest
    "stats": 2.0,  # s
    "datasette": 1.0,  # s per page
    "size": 1.1,  # upgraded / older layout
    "insert": 0.9,  # current / older layout
}
DATASETTE_TARGET_PAGES = ("articles table page", "search page", "article row page")


@dataclass(slots=True)
class Results:
    sizes: list[int]
    paths: dict[int, Path]
    facts: dict[int, dict]
    queries: list[Query]
    command: str
    latency: dict[int, dict] = field(default_factory=dict)
    memory: dict[int, dict] = field(default_factory=dict)
    commands: dict[int, list] = field(default_factory=dict)
    insert: dict[str, float] = field(default_factory=dict)  # "older" / "current" -> upserts/s
    legacy_schema: int = 0  # the layout "older" means


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def targets(r: Results) -> list[str]:
    small, large = r.sizes[0], r.sizes[-1]
    lat = r.latency[large]
    ratio = lat["p95"] / r.latency[small]["p95"]
    stats = max(s for c, _, s in r.commands[large] if c.startswith("newscrawl stats"))
    pages = [s for c, _, s in r.commands[large] if any(p in c for p in DATASETTE_TARGET_PAGES)]
    size = r.facts[large]["upgraded_bytes"] / r.facts[large]["bytes"]
    insert = r.insert["current_cpu"] / r.insert["older_cpu"]
    rows = [
        ("search p95 / median", f"<= {TARGETS['p95']:.0f} / {TARGETS['median']:.0f} ms",
         f"{lat['p95']:.1f} / {lat['median']:.1f} ms", lat["p95"] <= TARGETS["p95"] and lat["median"] <= TARGETS["median"]),
        (f"search p95 ratio {large:,} / {small:,}", f"<= {TARGETS['p95_ratio']:.0f}x", f"{ratio:.2f}x", ratio <= TARGETS["p95_ratio"]),
        ("`stats` and `stats --html` (slower of the two)", f"<= {TARGETS['stats']:.0f} s", f"{stats:.2f} s", stats <= TARGETS["stats"]),
        ("Datasette: articles page, search page, row page (slowest)", f"<= {TARGETS['datasette']:.0f} s each",
         f"{max(pages):.2f} s", max(pages) <= TARGETS["datasette"]),
        ("database size, upgraded / older layout", f"<= {TARGETS['size']}x", f"{size:.3f}x", size <= TARGETS["size"]),
        ("insert rate (per CPU second), current / older layout", f">= {TARGETS['insert']}x", f"{insert:.2f}x",
         insert >= TARGETS["insert"]),
    ]
    lines = [f"### Targets (issue 14) at {large:,} articles", "", "| measure | target | measured | |", "|---|---|---|---|"]
    lines += [f"| {name} | {goal} | {value} | {_met(ok)} |" for name, goal, value, ok in rows]
    return lines


def report(r: Results) -> str:
    small, large = r.sizes[0], r.sizes[-1]
    lines = [
        "## Analyst commands on generated databases (bench/analyst)",
        "",
        f"Command: `{r.command}`.  ",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, a shared, noisy machine.  ",
        f"Databases: bench/analyst/generate.py (Zipf vocabulary, bodies of {_body_size(r.paths[large])}, 24 sites,"
        " 3 languages), generated in the layout before issue 14 (schema "
        + "/".join(sorted({str(f["schema"]) for f in r.facts.values()})) + ") and upgraded in place:",
        "",
        "| articles | older layout MiB | upgraded MiB | ratio | upgrade s |",
        "|---|---|---|---|---|",
    ]
    for size in r.sizes:
        f = r.facts[size]
        lines.append(f"| {size:,} | {f['bytes'] / 2**20:,.0f} | {f['upgraded_bytes'] / 2**20:,.0f} |"
                     f" {f['upgraded_bytes'] / f['bytes']:.3f}x | {f['upgrade_seconds']} |")
    lines += ["", *targets(r), ""]
    lines += [
        f"### Search latency (top 20 with snippets; {len(r.queries)} queries x {RUNS} timed runs)",
        "",
        f"Relevance ranks by bm25 among at most {RANK_CANDIDATES:,} candidates (the most recently stored matches;"
        f" with filters, sought among the newest {FILTER_WALK:,} matches first), weighing the phrases found in at most"
        f" {RANK_DOCS:,} articles in all (a query of only more common words is listed newest first);"
        f" newest first sorts up to {NEWEST_EXACT:,} matches directly and walks the dates beyond that.",
        "",
        "| | " + " | ".join(f"{s:,} articles" for s in r.sizes) + f" | ratio {large:,} / {small:,} |",
        "|---|" + "---|" * (len(r.sizes) + 1),
    ]
    for key, label in (("median", "median ms"), ("p95", "p95 ms"), ("cpu_median", "median CPU ms"), ("cpu_p95", "p95 CPU ms")):
        values = [r.latency[s][key] for s in r.sizes]
        lines.append(f"| {label} | " + " | ".join(f"{v:.1f}" for v in values) + f" | {values[-1] / values[0]:.1f}x |")
    lines.append("| load average (1 min) | " + " | ".join(f"{r.latency[s]['load']:.1f}" for s in r.sizes) + " | |")
    lines += ["", "Wall time is the target's measure; CPU time (this process only) is what a quiet machine would"
              " show, on a 2-core machine shared by the load average above."]
    lines += ["", "Per query (median ms; matching articles):", "",
              "| query | " + " | ".join(f"{s:,}" for s in r.sizes) + " |", "|---|" + "---|" * len(r.sizes)]
    for query in r.queries:
        cells = [f"{r.latency[s]['per_query'][query.label]:.1f} ({r.latency[s]['matches'][query.label]:,})" for s in r.sizes]
        lines.append(f"| {query.label}: `{query.text}`{_options(query)} | " + " | ".join(cells) + " |")
    lines += ["", "### Insert rate (upserts through ArticleStore, 100 per transaction, into a new database)", "",
              "| layout | upserts per second (wall) | upserts per CPU second |", "|---|---|---|",
              f"| before issue 14 (schema {r.legacy_schema}) | {r.insert['older']:,.0f} | {r.insert['older_cpu']:,.0f} |",
              f"| current | {r.insert['current']:,.0f} | {r.insert['current_cpu']:,.0f} |", "",
              "The median of five interleaved rounds each; the target is judged on CPU time, which the machine's"
              " other work moves less than wall time (by several times on this shared machine)."]
    if r.memory:
        measured = sorted(r.memory)
        lines += ["", "### Export peak memory (`newscrawl export` of every article, child process peak RSS)", "",
                  "| format | " + " | ".join(f"{s:,}: MiB (rows/s)" for s in measured) + " |", "|---|" + "---|" * len(measured)]
        for fmt in FORMATS:
            lines.append(f"| {fmt} | " + " | ".join(f"{r.memory[s][fmt][0]:.0f} ({r.memory[s][fmt][2]:,})" for s in measured) + " |")
    lines += ["", "### Every command once (seconds, exit code)", "",
              "| command | " + " | ".join(f"{s:,}" for s in r.sizes) + " |", "|---|" + "---|" * len(r.sizes)]
    for index, (command, _, _) in enumerate(r.commands[large]):
        cells = [f"{r.commands[s][index][2]:.2f}" + ("" if r.commands[s][index][1] == 0 else f" (exit {r.commands[s][index][1]})")
                 for s in r.sizes]
        lines.append(f"| `{command}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _body_size(path: Path) -> str:
    words, chars = sqlite3.connect(path).execute(
        "SELECT avg(word_count), avg(length(body)) FROM (SELECT word_count, body FROM articles LIMIT 2000)"
    ).fetchone()
    return f"{words:,.0f} words / {chars / 1000:.1f} KB on average"


def _options(query: Query) -> str:
    filters: Filters = query.filters
    parts = []
    if filters.sites:
        parts.append("--site " + " ".join(filters.sites))
    if filters.since:
        parts.append(f"--since {filters.since} --until {filters.until}")
    if filters.language:
        parts.append(f"--language {filters.language}")
    if query.sort != "relevance":
        parts.append(f"--sort {query.sort}")
    return f" `{' '.join(parts)}`" if parts else ""
