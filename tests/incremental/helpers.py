"""Running `newscrawl crawl` against the local news site, and reading the database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.spider.site import PROJECT_ROOT, local_overrides, rows

__all__ = ["PROJECT_ROOT", "crawl", "crawl_command", "rows"]


def crawl_command(db: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "crawl", "--db", str(db), *local_overrides(),
            "--set", "NEWSCRAWL_DB_FLUSH_INTERVAL=0.2", *arguments]  # fmt: skip


def crawl(db: Path, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """One crawl in a subprocess (one reactor per process); output captured."""
    return subprocess.run(crawl_command(db, *arguments), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)


def stored_urls(db: Path) -> list[str]:
    return sorted(row["url"] for row in rows(db, "SELECT url FROM articles"))


def last_run(db: Path) -> dict:
    return rows(db, "SELECT * FROM runs ORDER BY id DESC LIMIT 1")[0]


def paths(urls: Sequence[str], base_url: str) -> list[str]:
    return sorted(url.removeprefix(base_url) for url in urls)
