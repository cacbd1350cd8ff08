"""`python -m crawler.demo` (what `make demo` runs) end to end, into a temporary database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.spider.site import PROJECT_ROOT, rows

pytestmark = pytest.mark.slow


def test_the_demo_stores_every_expected_article_once_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.demo", "--db", str(db), "--port", "0"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Stored articles per site:" in result.stdout, result.stderr[-3000:]
    assert "Full-text search for" in result.stdout
    assert "all correct." in result.stdout, result.stdout[-5000:]
    assert result.returncode == 0
    [run] = rows(db, "SELECT outcome, articles_new, failed FROM runs")
    assert run["outcome"] == "success" and run["failed"] == 0
    assert run["articles_new"] == rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] >= 36
