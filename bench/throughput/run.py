"""One benchmark run: build (or reuse) the site, serve it, load-test the server, run the crawls."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.throughput.costs import page_costs
from bench.throughput.server import Nginx, load_test

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache"
DEMO_SOURCES = [ROOT / "crawler" / "demo", ROOT / "data" / "demo_site" / "templates", ROOT / "data" / "demo_site" / "content"]
PROBE = "bench.throughput.probe.BenchProbe"
KINDS = ("ceiling", "baseline", "newscrawl")


@dataclass(slots=True)
class Measure:
    kind: str
    pages: int
    seconds: float  # first request to close, measured inside the crawl
    cpu_seconds: float  # user + system of the crawl process (whole life) and its live descendants (a parse pool)
    wall_seconds: float  # the whole process, start-up included
    peak_rss: int  # bytes: the process's own peak, or its process tree's when that was larger
    rss_at: dict[str, int]
    rss_end: int
    stored: int | None  # articles in the database afterwards (None: the crawl stores nothing)
    exit_code: int
    load_average: float = 0.0  # the machine's 1-minute load average at the end of the crawl (2 = both cores busy)
    processes: int = 1  # processes that do the crawl's work (newscrawl: the crawler and its parse pool)

    @property
    def cpu_bound_rate(self) -> float:
        """Pages/s if the crawl had the machine to itself and were limited only by its CPU per page."""
        cores = min(self.processes, len(os.sched_getaffinity(0)))
        return 1000 * cores / self.cpu_per_1000 if self.cpu_per_1000 else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_1000(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for source in DEMO_SOURCES:
        for path in sorted(source.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def synthetic_site(articles: int, chain_length: int, seed: int = 0) -> Path:
    """The site's directory, built from the demo templates unless an identical build is cached."""
    from crawler.demo.generate import build_synthetic_site

    target = CACHE / f"site-{articles}-{chain_length}-{seed}-{_sources_digest()}"
    if not (target / "manifest.json").exists():
        print(f"building a {articles}-article site from the demo templates in {target} ...", flush=True)
        started = time.monotonic()
        build_synthetic_site(target, articles, chain_length=chain_length, seed=seed)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    return target


def _run_measured(kind: str, command: list[str], probe: Path, log: Path) -> tuple[dict[str, Any], float, int, int, float]:
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    if not probe.exists():
        raise SystemExit(f"the {kind} crawl wrote no measurements (exit {process.returncode}); see {log}")
    data = json.loads(probe.read_text(encoding="utf-8"))
    return data, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, process.returncode, wall


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def newscrawl_command(start_urls: list[str], db: Path, probe: Path, marks: str, concurrency: int,
                      extra_settings: dict[str, str]) -> list[str]:
    from crawler import settings as project

    extensions = {**project.EXTENSIONS, PROBE: 0}
    lifted = {  # politeness lifted for the benchmark only
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "NEWSCRAWL_MAX_PAGES_PER_SITE": "0",
        "EXTENSIONS": json.dumps(extensions),
        "BENCH_PROBE_PATH": str(probe),
        "BENCH_PROBE_MARKS": marks,
        **extra_settings,
    }
    command = [sys.executable, "-m", "crawler", "crawl", *start_urls, "--db", str(db), "--quiet",
               "--allow-network", "127.0.0.0/8"]
    for name, value in lifted.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl(kind: str, site: Path, base_url: str, work: Path, *, concurrency: int, mark: int,
          extra_settings: dict[str, str]) -> Measure:
    probe, log, db = work / f"{kind}.probe.json", work / f"{kind}.log", work / f"{kind}.db"
    manifest = site / "manifest.json"
    if kind == "newscrawl":
        middles = json.loads(manifest.read_text(encoding="utf-8"))["middles"]
        command = newscrawl_command([base_url + path for path in middles], db, probe, str(mark),
                                    concurrency, extra_settings)
    else:
        command = [sys.executable, "-m", "bench.throughput.crawl", kind, "--manifest", str(manifest),
                   "--base-url", base_url, "--probe", str(probe), "--marks", str(mark),
                   "--concurrency", str(concurrency)]
        if kind == "baseline":
            command += ["--db", str(db)]
    print(f"crawling with {kind} ...", flush=True)
    data, cpu, peak, code, wall = _run_measured(kind, command, probe, log)
    measure = Measure(
        kind=kind, pages=data["pages"], seconds=data["seconds"], wall_seconds=wall,
        cpu_seconds=cpu + data["descendants_cpu"],
        peak_rss=max(peak, data["peak_tree_rss"]), rss_at=data["rss_at"], rss_end=data["rss_end"],
        stored=_count(db) if db.exists() else None, exit_code=code, load_average=os.getloadavg()[0],
        processes=1 + data.get("descendants", 0),
    )
    print(f"  {measure.pages} pages in {measure.seconds:.1f} s = {measure.pages_per_second:.0f} pages/s, "
          f"{measure.cpu_per_1000:.1f} CPU s per 1,000, stored {measure.stored}, exit {code}", flush=True)
    return measure


@dataclass(slots=True)
class Result:
    articles: int
    chain_length: int
    concurrency: int
    server_rps: float
    measures: dict[str, Measure]
    costs: dict[str, float]  # median ms per page, one core (bench.throughput.costs)


def run(*, articles: int, chain_length: int, concurrency: int, kinds: tuple[str, ...],
        extra_settings: dict[str, str], keep: bool) -> Result:
    site = synthetic_site(articles, chain_length)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    paths = [path for chain in manifest["chains"] for path in chain]
    mark = max(1, articles // 10)
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        work = Path(tmp)
        with Nginx(site, work / "nginx") as server:
            print(f"nginx serving {site} at {server.base_url}; load test ...", flush=True)
            rps = load_test(server.base_url, paths, work)
            print(f"  {rps:.0f} requests/s", flush=True)
            measures = {kind: crawl(kind, site, server.base_url, work, concurrency=concurrency, mark=mark,
                                    extra_settings=extra_settings) for kind in kinds}
        if keep:
            kept = CACHE / "last-run"
            shutil.rmtree(kept, ignore_errors=True)
            shutil.copytree(work, kept, ignore=shutil.ignore_patterns("nginx"))
            print(f"logs and databases kept in {kept}")
    print("measuring what one page costs to parse ...", flush=True)
    result = Result(articles, chain_length, concurrency, rps, measures, page_costs(site))
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "last-result.json").write_text(json.dumps(asdict(result), indent=1), encoding="utf-8")
    return result


def load_result(path: Path = CACHE / "last-result.json") -> Result:
    """The last run's figures, to print or write again without crawling."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["measures"] = {kind: Measure(**measure) for kind, measure in data["measures"].items()}
    return Result(**data)
