"""`reparse` and `import` with and without the kept fast-path layouts, on the same pages, interleaved.

    python -m bench.archive.layoutrate CRAWL_DB [--rounds 3] [--last N]

CRAWL_DB is a crawl's database with its ``warc/`` folder beside it (``python -m bench.throughput
--only newscrawl --keep`` leaves one in bench/.cache/last-run). Each command runs three ways, each
from a fresh copy made before the clock starts:

- ``kept``: the crawl's kept layouts (``site_layouts``) as they are: the pages are read by them from
  the first one;
- ``unkept``: ``site_layouts`` emptied: the layouts are earned again within the run (10 pages of
  each, then read the fast way);
- ``off``: NEWSCRAWL_FAST_PATH_MIN_PAGES=0, every page parsed in full (what both commands did
  before the layouts were kept).

``reparse`` re-extracts every stored article of the copy (``--last N``: the N fetched last, a
scheduled run's few new articles; reparse only); ``import`` reads the crawl's WARC files into a
new database holding only the crawl's template tables (every article new). Each run is
in this process with the parse inline (NEWSCRAWL_PARSE_PROCESSES=1), timed by this process's
CPU time, which a loaded shared machine moves far less than wall time (``--processes 2``: the
command as a user runs it, two pool processes, wall time, start-up included). The three ways run
in a rotated order in each round, after one untimed warm-up run; printed per run: articles per
CPU second (or per second) and the pages read each way, then per way the median over the rounds
and the median of its ratio to ``off`` within a round. The 1-minute load average is printed
before each run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.storage import open_database

WAYS = ("kept", "unkept", "off")
TEMPLATE_TABLES = ("site_template_paths", "template_sites", "template_pages", "site_layouts")


def _settings(way: str) -> list[str]:
    return ["-s", "NEWSCRAWL_FAST_PATH_MIN_PAGES=0"] if way == "off" else []


def _prepared(crawl_db: Path, folder: Path, command: str, way: str) -> list[str]:
    """The copy the run starts from, and the command's arguments."""
    db = folder / "news.db"
    if command == "reparse":
        shutil.copy(crawl_db, db)
        shutil.copytree(crawl_db.parent / "warc", folder / "warc")
        arguments = ["reparse", "--db", str(db)]
    else:
        open_database(db).conn.close()
        with sqlite3.connect(db) as conn:  # a new database, the crawl's template tables copied
            conn.execute("ATTACH ? AS crawl", [str(crawl_db)])
            for table in TEMPLATE_TABLES:
                conn.execute(f"INSERT INTO {table} SELECT * FROM crawl.{table}")
        arguments = ["import", *map(str, sorted((crawl_db.parent / "warc").glob("*.warc.gz"))), "--db", str(db)]
    if way == "unkept":
        with sqlite3.connect(db) as conn:
            conn.execute("DELETE FROM site_layouts")
    return [*arguments, "--json", *_settings(way)]


def _run(crawl_db: Path, command: str, way: str, processes: int, since: str | None = None) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory(prefix="layoutrate-") as scratch:
        arguments = _prepared(crawl_db, Path(scratch), command, way)
        if processes == 1:
            return _in_process(arguments, since)
        if since:
            arguments += ["--since", since]
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "crawler", *arguments, "-s", f"NEWSCRAWL_PARSE_PROCESSES={processes}"],
                              capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise SystemExit(f"{command} ({way}) failed: {done.stderr[-2000:]}")
    summary = json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))
    return wall, summary


def _in_process(arguments: list[str], since: str | None) -> tuple[float, dict]:
    """The command's work in this process, the parse inline: (CPU seconds, a summary like its --json)."""
    from crawler.archive.importer import ImportOptions, Importer
    from crawler.archive.reparse import Reparser
    from crawler.config import ProjectSettings
    from crawler.storage.reparse import Selection

    db = arguments[arguments.index("--db") + 1]
    overrides = {"NEWSCRAWL_DB_PATH": db, "NEWSCRAWL_PARSE_PROCESSES": 1}
    if "NEWSCRAWL_FAST_PATH_MIN_PAGES=0" in arguments:
        overrides["NEWSCRAWL_FAST_PATH_MIN_PAGES"] = 0
    settings = ProjectSettings(overrides)
    started = time.process_time()
    if arguments[0] == "reparse":
        report = Reparser(settings, Selection(since=since)).run(arguments={"site": None, "since": since, "run": None})
        summary = {"selected": report.selected}
    else:
        paths = arguments[1:arguments.index("--db")]
        report = Importer(settings, ImportOptions()).run([(path, path) for path in paths], arguments={})
        summary = {}
    cpu = time.process_time() - started
    return cpu, {**summary, "counts": report.counts.as_dict(), "parse_paths": report.parse_paths}


def _articles(command: str, summary: dict) -> int:
    counts = summary["counts"]
    return summary["selected"] if command == "reparse" else counts["articles_new"]


def _since_of_last(crawl_db: Path, last: int) -> str:
    """The ``fetched_at`` from which the last ``last`` stored articles were fetched (ties may add a few)."""
    with sqlite3.connect(crawl_db) as conn:
        row = conn.execute("SELECT fetched_at FROM articles ORDER BY fetched_at DESC LIMIT 1 OFFSET ?", [last - 1]).fetchone()
    return row[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crawl_db", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=1,
                        help="1: in this process, CPU time (default); 2: the command with two pool processes, wall time")
    parser.add_argument("--last", type=int, default=0, metavar="N", help="reparse only the N articles fetched last")
    args = parser.parse_args()
    since = _since_of_last(args.crawl_db, args.last) if args.last else None
    commands = ("reparse",) if args.last else ("reparse", "import")
    unit = "articles per CPU s" if args.processes == 1 else "articles/s"
    _run(args.crawl_db, "reparse", "kept", args.processes)  # warm-up: imports, the pool's fork server, caches
    rates: dict[tuple[str, str], list[float]] = {}
    ratios: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.rounds):
        for command in commands:
            ways = WAYS[round_number % 3:] + WAYS[:round_number % 3]
            this_round = {}
            for way in ways:
                load = os.getloadavg()[0]
                wall, summary = _run(args.crawl_db, command, way, args.processes, since)
                articles = _articles(command, summary)
                this_round[way] = articles / wall
                rates.setdefault((command, way), []).append(articles / wall)
                print(f"round {round_number + 1} {command:<7} {way:<6} load {load:4.1f}: {articles} articles in "
                      f"{wall:5.1f} s = {articles / wall:6.1f} {unit}; read {summary.get('parse_paths')}", flush=True)
            for way in WAYS:
                ratios.setdefault((command, way), []).append(this_round[way] / this_round["off"])
    print(f"\nmedian over the rounds ({unit}, and the ratio to 'off' within a round):")
    for command in commands:
        for way in WAYS:
            print(f"  {command:<7} {way:<6} {statistics.median(rates[command, way]):6.1f} {unit}  "
                  f"{statistics.median(ratios[command, way]):.3f}x  (ratios {', '.join(f'{r:.3f}' for r in ratios[command, way])})")


if __name__ == "__main__":
    main()
