"""Run ``newscrawl crawl`` against the fault server in a subprocess and read what it left.

One crawl per process (Twisted's reactor does not restart). The subprocess reports
its peak resident memory, so a test can say that memory stayed bounded.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.runner import local_site_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The CLI, followed by the process's peak RSS as one JSON line on stderr.
_MEASURED_CLI = """
import json, resource, sys
sys.argv[0] = "newscrawl"
from crawler.cli import main
try:
    main()
finally:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(json.dumps({"event": "max_rss_kb", "value": peak}) + "\\n")
"""


def set_options(settings: dict[str, Any]) -> list[str]:
    """``--set NAME=VALUE`` arguments (lists joined by commas, as Scrapy's getlist reads them)."""
    arguments = []
    for name, value in settings.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(map(str, value))
        arguments += ["--set", f"{name}={value}"]
    return arguments


@dataclass
class CrawlRun:
    exit_code: int
    summary: dict[str, Any]
    max_rss_mb: float
    elapsed: float
    stderr: str
    db: Path

    def _rows(self, sql: str) -> list[dict[str, Any]]:
        if not self.db.exists():
            return []
        conn = sqlite3.connect(self.db)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql)]
        finally:
            conn.close()

    def articles(self) -> dict[str, dict[str, Any]]:
        """Stored articles by URL."""
        return {row["url"]: row for row in self._rows("SELECT url, title, body FROM articles")}

    def failures(self) -> dict[str, dict[str, Any]]:
        """Failed and skipped pages by URL (the last record of each)."""
        return {row["url"]: row for row in self._rows("SELECT url, reason, detail FROM failures ORDER BY id")}


def scaled(seconds: float) -> float:
    """``seconds`` stretched by how busy the machine is (the last minute's load per core, from 1 to
    10 times): a time limit that a test's server or page must beat holds at load 18 on two cores as
    on an idle machine, where it stays as written. Never for what a test checks: only for limits
    that a slow machine, not the code, would miss."""
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return seconds * min(10.0, max(1.0, load))


def crawl(
    urls: Sequence[str], db: Path, *options: str, local: bool = True, settings: dict[str, Any] | None = None,
    timeout: float = 300,
) -> CrawlRun:
    """``newscrawl crawl URLS --db DB --json-logs`` with the local-site settings (unless ``local=False``)
    and ``settings`` as ``--set`` overrides on top; ``timeout`` is ``scaled``."""
    overrides = {**(local_site_settings() if local else {}), **(settings or {})}
    command = [
        sys.executable, "-c", _MEASURED_CLI, "crawl", *urls, "--db", str(db), "--json-logs",
        *set_options(overrides), *options,
    ]
    started = time.monotonic()
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=scaled(timeout))
    elapsed = time.monotonic() - started
    summary: dict[str, Any] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{") and '"summary"' in line:
            summary = json.loads(line)
    peak_kb = 0
    for line in result.stderr.splitlines():
        if '"max_rss_kb"' in line:
            peak_kb = json.loads(line)["value"]
    return CrawlRun(result.returncode, summary, peak_kb / 1024, elapsed, result.stderr, db)
