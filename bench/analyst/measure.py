"""The measurements of bench/analyst: search latency, insert rate, export memory, commands and Datasette pages."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from bench.analyst.generate import rows, vocabulary
from crawler.analysis.query import Filters, fts_expression
from crawler.analysis.search import search
from crawler.storage import ArticleStore, open_database
from crawler.storage.schema import migrate
from crawler.storage.store import ArticleRow

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5  # timed runs per query
INSERT_BATCH = 100  # articles per upsert transaction, as a crawl's store pipeline writes them


@dataclass(frozen=True, slots=True)
class Query:
    label: str
    text: str
    filters: Filters = Filters()
    sort: str = "relevance"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def search_latency(path: Path, queries: list[Query]) -> dict[str, object]:
    """Median and p95 over every timed run of every query, each query's median, and its matches."""
    db = open_database(path, create=False)
    per_query, pooled, cpu, hits = {}, [], [], {}
    for query in queries:
        hits[query.label] = len(search(db, query.text, query.filters, limit=20, sort=query.sort).hits)  # warm-up
        timings = []
        for _ in range(RUNS):
            started, started_cpu = time.perf_counter(), time.process_time()
            search(db, query.text, query.filters, limit=20, sort=query.sort)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        per_query[query.label] = statistics.median(timings)
        pooled.extend(timings)
    matches = {}
    for query in queries:
        condition, params = query.filters.where("a")
        matches[query.label] = db.execute(
            "SELECT count(*) FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? AND {condition}",
            [fts_expression(query.text), *params],
        ).fetchone()[0]
    db.conn.close()
    return {"median": statistics.median(pooled), "p95": percentile(pooled, 0.95), "per_query": per_query,
            "matches": matches, "hits": hits, "cpu_median": statistics.median(cpu), "cpu_p95": percentile(cpu, 0.95),
            "load": os.getloadavg()[0]}


def article_rows(count: int) -> list[ArticleRow]:
    """The first ``count`` generated articles as the store pipeline hands them to ArticleStore."""
    names = ("url", "site", "title", "body", "content_hash", "fetched_at", "published_at", "language",
             "description", "prev_url", "next_url", "word_count", "summary")
    return [
        ArticleRow(**{name: row[name] for name in names}, authors=tuple(json.loads(row["authors"])))
        for row in rows(count, vocabulary())
    ]


def insert_rate(schema: int | None, articles: list[ArticleRow]) -> tuple[float, float]:
    """(upserts per second of wall time, per second of this process's CPU time) through ArticleStore
    into a new database of layout ``schema`` (None: current). SQLite works in this process, so the
    CPU figure is the cost of the writes, whatever else the machine runs."""
    with tempfile.TemporaryDirectory(prefix="bench-insert-") as directory:
        path = Path(directory) / "insert.db"
        db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db, upto=schema)
        store = ArticleStore(db)
        started, started_cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(articles), INSERT_BATCH):
            store.upsert_articles(articles[start : start + INSERT_BATCH])
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        db.conn.close()
    return len(articles) / seconds, len(articles) / cpu


def run_child(arguments: list[str]) -> tuple[int, float, int]:
    """(exit code, seconds, peak RSS in KiB) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(arguments, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        print(process.stderr.read().decode() if process.stderr else "", file=sys.stderr)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss


def export_memory(path: Path, fmt: str) -> tuple[float, float, int]:
    """(peak RSS MiB, seconds, rows/s) of `newscrawl export` of every article."""
    out = path.parent / f"export.{fmt}"
    code, seconds, rss = run_child([sys.executable, "-m", "crawler", "export", "--format", fmt, "-o", str(out), "--db", str(path)])
    assert code == 0, f"export {fmt} of {path} failed"
    out.unlink(missing_ok=True)
    count = sqlite3.connect(path).execute("SELECT count(*) FROM articles").fetchone()[0]
    return rss / 1024, seconds, int(count / seconds)


def command_timings(path: Path, queries: list[Query]) -> list[tuple[str, int, float]]:
    """Every analyst command once on this database: (command, exit code, seconds)."""
    python = [sys.executable, "-m", "crawler"]
    report = path.parent / "report.html"
    commands = [
        ["search", queries[1].text],
        ["search", queries[3].text, "--site", "site05.example", "--since", "2024-01-01", "--json"],
        ["search", queries[3].text, "--sort", "newest"],
        ["show", str(sqlite3.connect(path).execute("SELECT max(id) / 2 FROM articles").fetchone()[0])],
        ["stats"],
        ["stats", "--html", str(report)],
    ]
    results = []
    for command in commands:
        code, seconds, _ = run_child([*python, *command, "--db", str(path)])
        results.append(("newscrawl " + " ".join(command).replace(str(path.parent) + "/", ""), code, seconds))
    return results + serve_timing(path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DATASETTE_PAGES = (  # (label, path under the database)
    ("articles table page (facets, 50 rows)", "/articles"),
    ("search page (what the search box sends)", "/articles?_fts={word}&_nocount=1"),
    ("article row page", "/articles/100"),
    ("timeline (articles per day and site)", "/timeline"),
    ("canned query latest_per_site", "/latest_per_site"),
)


def serve_timing(path: Path) -> list[tuple[str, int, float]]:
    """`newscrawl serve`: time to answer, then each of DATASETTE_PAGES, each timed."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/{path.stem}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--port", str(port), "--db", str(path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    results: list[tuple[str, int, float]] = []
    try:
        code = 1
        while time.perf_counter() - started < 120 and process.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=5).read()
                code = 0
                break
            except OSError:
                time.sleep(0.2)
        results.append(("newscrawl serve: started and answering", code, time.perf_counter() - started))
        for label, page in DATASETTE_PAGES:
            began = time.perf_counter()
            try:
                urllib.request.urlopen(base + page.format(word=vocabulary().word(2_000)), timeout=600).read()
                code = 0
            except OSError:
                code = 1
            results.append((f"newscrawl serve: {label}", code, time.perf_counter() - began))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return results
