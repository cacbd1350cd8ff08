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
    _readme_tour_runs_on(db)


def _readme_tour_runs_on(db: Path) -> None:
    """The README's first steps after `make demo` (stats, search, show ...) work on the demo database."""
    import shlex

    from click.testing import CliRunner

    from crawler.cli import cli

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("`make demo` installs newscrawl into `.venv`", 1)[1].split("```", 2)[1]
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.startswith("newscrawl ")]
    commands = [command for command in commands if command[1] != "serve"]
    assert any(command[1] == "show" for command in commands)
    for command in commands:
        result = CliRunner().invoke(cli, [*command[1:], "--db", str(db)])
        assert result.exit_code == 0, (command, result.output)
        assert result.output.strip(), command
