"""Stopping import and reparse: SIGTERM as Ctrl-C, and Ctrl-C before the work starts, exit 130."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _run_outcomes(db: Path) -> list[str]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return [outcome for (outcome,) in conn.execute("SELECT outcome FROM runs ORDER BY id")]
    except sqlite3.Error:
        return []


def test_sigterm_stops_an_import_as_ctrl_c_does(tmp_path: Path) -> None:
    """It died with 143, its run left 'running' for ever; now the run is closed as interrupted and the
    exit code is 130, as for a crawl (docs/scheduling.md). The import waits on its standard input,
    in the middle of a record (an empty standard input is refused before any run starts)."""
    db = tmp_path / "news.db"
    process = subprocess.Popen([sys.executable, "-m", "crawler", "import", "-", "--db", str(db),
                                "-s", "NEWSCRAWL_PARSE_PROCESSES=1"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=PROJECT_ROOT)
    process.stdin.write("WARC/1.1\r\nWARC-Type: response\r\n")  # and nothing more for now
    process.stdin.flush()
    deadline = time.monotonic() + 60
    while _run_outcomes(db) != ["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Import interrupted" in err and "Traceback" not in err
    assert _run_outcomes(db) == ["interrupted"]


def test_ctrl_c_before_the_work_starts_exits_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """While a command imported its modules or opened the database, Ctrl-C ended in click's
    'Aborted!' with exit code 1, which a cron wrapper reads as 'nothing stored'."""
    import crawler.analysis.database

    def interrupted(path: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(crawler.analysis.database, "open_for_reading", interrupted)
    result = CliRunner().invoke(cli, ["reparse", "--db", str(tmp_path / "news.db")])
    assert result.exit_code == 130 and "Interrupted" in result.output and "Aborted" not in result.output
