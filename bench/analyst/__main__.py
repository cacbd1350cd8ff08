"""Analyst benchmark: search, statistics and Datasette on generated databases (`make bench-analyst`).

    .venv/bin/python -m bench.analyst [--sizes 20000 200000 1000000] [--data DIR] [--no-write]

1. Generates (once; kept in DIR, default .newscrawl/bench/) a database per size in the
   layout before issue 14 (schema ``LEGACY_SCHEMA``), records its size, then upgrades it in
   place to the current schema (timed) and records the size again. See generate.py.
2. Search latency: a fixed set of queries (words of chosen frequency ranks, AND, OR, NOT,
   phrases, a prefix, filters, newest first) through ``crawler.analysis.search``, the code
   behind ``newscrawl search``; one warm-up and RUNS timed runs each; median and 95th
   percentile over all timed runs, and their ratio between the largest and the smallest.
3. Insert rate: the same articles upserted through ``ArticleStore`` into a database in the
   older layout and one in the current layout, side by side.
4. Export peak memory: ``newscrawl export`` in a child process per format, for sizes up to
   ``EXPORT_MAX`` (an export of a million rows takes minutes per format and is not what
   this benchmark watches); peak RSS from ``wait4``.
5. Every analyst command once on each database (wall time, exit code), Datasette pages
   included.
Results go into their own section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from bench.analyst.generate import PLANTED, generate, vocabulary
from bench.analyst.markdown import replace_section
from bench.analyst.measure import Query, article_rows, command_timings, export_memory, insert_rate, search_latency
from bench.analyst.report import FORMATS, Results, report
from crawler.analysis.query import Filters
from crawler.storage import open_database

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".newscrawl" / "bench"
LEGACY_SCHEMA = 11  # the layout before issue 14's migrations: databases are generated in it, then upgraded
EXPORT_MAX = 200_000  # export memory is measured up to this size
INSERT_ROWS = 2_000  # articles upserted per layout and round in the insert-rate comparison
INSERT_ROUNDS = 5  # rounds per layout, interleaved; the median round counts


def query_set() -> list[Query]:
    """The fixed queries; words are picked by frequency rank in the shared vocabulary."""
    v = vocabulary()
    phrases = list(PLANTED)
    return [
        Query("rare word (rank 20,000)", v.word(20_000)),
        Query("medium word (rank 2,000)", v.word(2_000)),
        Query("common word (rank 200)", v.word(200)),
        Query("very common word (rank 20)", v.word(20)),
        Query("two medium words", f"{v.word(1_500)} {v.word(2_500)}"),
        Query("OR", f"{v.word(3_000)} OR {v.word(4_000)}"),
        Query("NOT", f"{v.word(500)} NOT {v.word(600)}"),
        Query("phrase in 1% of articles", f'"{phrases[0]}"'),
        Query("phrase in 0.02% of articles", f'"{phrases[2]}"'),
        Query("prefix", v.word(1_000)[:4] + "*"),
        Query("medium word, one site", v.word(2_000), Filters(sites=("site03.example",))),
        Query("common word, one month", v.word(200), Filters(since=date(2023, 6, 1), until=date(2023, 6, 30))),
        Query("medium word, language de", v.word(2_000), Filters(language="de")),
        Query("very common word, newest first", v.word(20), sort="newest"),
        Query("medium word, newest first", v.word(2_000), sort="newest"),
        Query("common word, one site, newest first", v.word(200), Filters(sites=("site07.example",)), sort="newest"),
    ]


def database(data: Path, size: int) -> tuple[Path, dict[str, float]]:
    """The database of ``size`` articles, generated once in the older layout and upgraded in place.

    Returns its path and the facts kept beside it: bytes and seconds of the generation in
    the older layout, seconds of the upgrade, bytes after it.
    """
    path = data / f"articles-{size}.db"
    facts_path = data / f"articles-{size}.json"
    facts = json.loads(facts_path.read_text()) if facts_path.exists() and path.exists() else {}
    if not facts:
        print(f"generating {path} ({size:,} articles) ...", file=sys.stderr)
        started = time.perf_counter()
        generate(path, size, schema=LEGACY_SCHEMA, resume=True)  # a stopped generation goes on
        facts = {"schema": LEGACY_SCHEMA, "seconds": round(time.perf_counter() - started), "bytes": path.stat().st_size}
        facts_path.write_text(json.dumps(facts))
    if "upgraded_bytes" not in facts:
        started = time.perf_counter()
        db = open_database(path)  # the migrations the older layout lacks, in place
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        facts.update(upgrade_seconds=round(time.perf_counter() - started, 1), upgraded_bytes=path.stat().st_size)
        facts_path.write_text(json.dumps(facts))
    open_database(path).conn.close()  # a later migration still applies
    return path, facts


def progress(*values: object) -> None:
    """Each result as it comes, on stderr: a failure later does not lose what was measured."""
    print(*values, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="Analyst benchmark: search, statistics and Datasette at three sizes.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--data", type=Path, default=DATA, help="where the generated databases are kept (default %(default)s)")
    parser.add_argument("--export-max", type=int, default=EXPORT_MAX, help="measure export memory up to this size")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    args.data.mkdir(parents=True, exist_ok=True)
    generated = {size: database(args.data, size) for size in sizes}
    results = Results(
        sizes=sizes, paths={s: generated[s][0] for s in sizes}, facts={s: generated[s][1] for s in sizes},
        queries=query_set(), command="python -m bench.analyst " + shlex.join(sys.argv[1:]), legacy_schema=LEGACY_SCHEMA,
    )
    progress("databases", results.facts)
    articles = article_rows(INSERT_ROWS)
    rounds: dict[str, list[tuple[float, float]]] = {"older": [], "current": []}
    for layout, schema in (("older", LEGACY_SCHEMA), ("current", None)) * INSERT_ROUNDS:  # interleaved
        rounds[layout].append(insert_rate(schema, articles))
        progress("insert", layout, *(round(value) for value in rounds[layout][-1]))
    for layout, measured in rounds.items():  # the median round of each
        results.insert[layout] = statistics.median(wall for wall, _ in measured)
        results.insert[f"{layout}_cpu"] = statistics.median(cpu for _, cpu in measured)
    for size in sizes:
        results.latency[size] = search_latency(results.paths[size], results.queries)
        progress("search", size, results.latency[size]["median"], results.latency[size]["p95"])
        results.commands[size] = command_timings(results.paths[size], results.queries)
        progress("commands", size, results.commands[size])
    for size in (s for s in sizes if s <= args.export_max):
        results.memory[size] = {fmt: export_memory(results.paths[size], fmt) for fmt in FORMATS}
        progress("export", size, results.memory[size])
    text = report(results)
    print(text)
    if not args.no_write:
        replace_section("analyst", text)


if __name__ == "__main__":
    main()
