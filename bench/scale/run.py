"""Scale runs through Redis, one ingester each time: the same site crawled by 1, 2 and 4 workers
(``run``), and politeness across workers (``politeness``: the gaps one site sees; ``sites``:
eight polite sites, one worker against four)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.throughput.run import ROOT, synthetic_site
from bench.throughput.server import free_port

IDLE_CLOSE = "3"  # seconds: workers and the ingester stop this long after the frontier empties


@dataclass(slots=True)
class ScaleMeasure:
    workers: int
    articles: int  # stored
    expected: int  # on the site
    steady_seconds: float  # from 10% to 90% of the articles stored
    total_seconds: float  # first process start to the last article stored
    worker_cpu_seconds: float
    requeued: int

    @property
    def rate(self) -> float:
        return 0.8 * self.articles / self.steady_seconds if self.steady_seconds else 0.0


class RedisServer:
    def __init__(self, tmp: Path) -> None:
        self.tmp, self.port = tmp, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not installed: `make bench-scale` installs it")
        self.process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                         "--appendonly", "no", "--dir", str(self.tmp)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("redis-server did not start") from None
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _newscrawl(*args: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


class _Child:
    """A child process whose CPU time is collected when it is reaped (wait4, never poll)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.cpu_seconds: float | None = None

    def reap(self) -> bool:
        if self.cpu_seconds is None:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_seconds = usage.ru_utime + usage.ru_stime
        return self.cpu_seconds is not None

    def wait(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while not self.reap():
            if time.monotonic() > deadline:
                self.process.kill()
                raise SystemExit(f"{self.process.args} did not finish in {timeout:.0f} s")
            time.sleep(0.1)
        return self.cpu_seconds or 0.0


def crawl_with(workers: int, *, redis_url: str, seeds: list[str], expected: int, work: Path,
               concurrency: int, politeness: dict[str, str] | None = None, label: str = "") -> ScaleMeasure:
    """``workers`` workers and one ingester crawl from ``seeds``; ``politeness``: per-site settings
    (shared by all workers); by default none, no cap below what the workers can send."""
    redis.Redis.from_url(redis_url).flushdb()
    name = f"{label}workers-{workers}"
    db, log = work / f"{name}.db", work / f"{name}.log"
    subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url, *seeds],
                   cwd=ROOT, check=True, capture_output=True)
    worker_args = ["worker", "--redis", redis_url, "--idle-close", IDLE_CLOSE, "--allow-network", "127.0.0.0/8",
                   "--json-logs"]
    settings = {"DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency * workers),
                **(politeness or {}), "CONCURRENT_REQUESTS": str(concurrency), "NEWSCRAWL_PARSE_PROCESSES": "1",
                "NEWSCRAWL_MAX_PAGES_PER_SITE": "0", "LOG_LEVEL": "WARNING",
                "NEWSCRAWL_ARCHIVE_DIR": str(db.parent / "warc")}  # every page archived, where the ingester reads
    for setting, value in settings.items():
        worker_args += ["-s", f"{setting}={value}"]
    started = time.monotonic()
    ingest = _Child(_newscrawl("ingest", "--redis", redis_url, "--db", str(db), "--idle-close", IDLE_CLOSE, log=log))
    crawlers = [_Child(_newscrawl(*worker_args, log=work / f"{name}-{index}.out"))
                for index in range(workers)]
    series: list[tuple[float, int]] = []  # (time, articles stored)
    while not all(child.reap() for child in crawlers):
        series.append((time.monotonic(), _count(db)))
        time.sleep(0.2)
    cpu = sum(child.wait(300) for child in crawlers)
    ingest.wait(120)
    series.append((time.monotonic(), _count(db)))
    requeued = 0
    for index in range(workers):
        lines = (work / f"{name}-{index}.out").read_text(errors="replace").strip().splitlines()
        summary = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
        requeued += int(summary.get("stats", {}).get("newscrawl/redis/requeued", 0))
    stored = series[-1][1]
    if stored < 10:
        raise SystemExit(f"{workers} workers stored {stored} of {expected} articles; logs in {work}")

    def reached(share: float) -> float:
        return next(moment for moment, count in series if count >= share * stored)

    return ScaleMeasure(workers=workers, articles=stored, expected=expected,
                        steady_seconds=reached(0.9) - reached(0.1), total_seconds=reached(1.0) - started,
                        worker_cpu_seconds=cpu, requeued=requeued)


@contextmanager
def slow_sites(roots: list[Path], *, latency: float, log: Path | None = None) -> Iterator[list[str]]:
    """Serve each root on its own port (one site each), every answer after ``latency``; yields base URLs."""
    ports = [free_port() for _ in roots]
    command = [sys.executable, "-m", "bench.scale.slowserver", *map(str, roots), "--delay", str(latency)]
    for port in ports:
        command += ["--port", str(port)]
    server = subprocess.Popen(command + (["--log", str(log)] if log else []), cwd=ROOT)
    try:
        time.sleep(0.5)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        server.terminate()
        server.wait(timeout=10)


def _middles(site: Path) -> list[str]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))["middles"]


def run(*, articles: int, chain_length: int, delay: float, concurrency: int, counts: list[int],
        redis_url: str, work: Path) -> list[ScaleMeasure]:
    site = synthetic_site(articles, chain_length)
    with slow_sites([site], latency=delay) as (base,):
        seeds = [base + path for path in _middles(site)]
        results = []
        for workers in counts:
            print(f"crawling with {workers} worker(s) ...", flush=True)
            measure = crawl_with(workers, redis_url=redis_url, seeds=seeds, expected=articles,
                                 work=work, concurrency=concurrency)
            print(f"  {measure.articles} articles, {measure.rate:.1f} articles/s", flush=True)
            results.append(measure)
    return results


@dataclass(slots=True)
class GapMeasure:
    workers: int
    delay: float
    requests: int  # at the server, robots.txt included
    gaps: list[float]  # seconds between consecutive requests, in arrival order

    def percentile(self, share: float) -> float:
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def politeness(*, workers: int, articles: int, delay: float, latency: float, redis_url: str, work: Path) -> GapMeasure:
    """``workers`` workers on one site with ``delay`` s between requests: the gaps the server saw."""
    site = synthetic_site(articles, articles // 4, seed=1)
    log = work / "politeness-requests.log"
    with slow_sites([site], latency=latency, log=log) as (base,):
        print(f"{workers} workers on one site with a {delay:g} s delay ...", flush=True)
        crawl_with(workers, redis_url=redis_url, seeds=[base + path for path in _middles(site)], expected=articles,
                   work=work, concurrency=1, politeness={"DOWNLOAD_DELAY": str(delay)}, label="polite-")
    arrivals = sorted(float(line.split()[1]) for line in log.read_text(encoding="utf-8").splitlines())
    return GapMeasure(workers=workers, delay=delay, requests=len(arrivals),
                      gaps=[later - earlier for earlier, later in zip(arrivals, arrivals[1:])])


def sites(*, counts: list[int], sites: int, articles: int, delay: float, latency: float, redis_url: str,
          work: Path) -> list[ScaleMeasure]:
    """``sites`` sites with ``delay`` s between requests to each, crawled by each count of workers."""
    roots = [synthetic_site(articles, 10, seed=10 + number) for number in range(sites)]
    results = []
    with slow_sites(roots, latency=latency) as bases:
        seeds = [base + path for base, root in zip(bases, roots) for path in _middles(root)]
        for workers in counts:
            print(f"{workers} worker(s), {sites} sites, {delay:g} s per site ...", flush=True)
            measure = crawl_with(workers, redis_url=redis_url, seeds=seeds, expected=sites * articles, work=work,
                                 concurrency=1, politeness={"DOWNLOAD_DELAY": str(delay),
                                                            "CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
                                 label=f"sites-{sites}-")
            print(f"  {measure.articles} articles, {measure.rate:.1f} articles/s", flush=True)
            results.append(measure)
    return results


@contextmanager
def bench_redis() -> Iterator[tuple[str, Path]]:
    """A scratch directory and a redis-server in it (no persistence): (url, directory)."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp, RedisServer(Path(tmp)) as server:
        yield server.url, Path(tmp)
