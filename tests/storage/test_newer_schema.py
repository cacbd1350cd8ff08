"""A database a newer newscrawl wrote is refused with both versions, by readers and writers alike.

It ended `stats` in "sqlite3.OperationalError: no such table" and `crawl` in "no such column"
tracebacks, or ran on a schema this version does not know."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import SCHEMA_VERSION, NotANewscrawlDatabase, open_database


@pytest.fixture
def newer_db(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    open_database(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP VIEW daily_counts")  # something the newer version changed
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    return path


@pytest.mark.parametrize("create", [True, False])
def test_opening_it_names_both_versions(newer_db: Path, create: bool) -> None:
    with pytest.raises(NotANewscrawlDatabase, match=rf"newer newscrawl \(schema version {SCHEMA_VERSION + 1}; "
                                                    rf"this one knows up to {SCHEMA_VERSION}\)"):
        open_database(newer_db, create=create)


@pytest.mark.parametrize("command", [["stats"], ["reparse"], ["import"]])
def test_commands_refuse_it_without_a_traceback(newer_db: Path, command: list[str]) -> None:
    if command == ["import"]:
        warc = newer_db.with_name("a.warc")
        warc.write_bytes(b"WARC/1.0\r\n")
        command = ["import", str(warc)]
    result = CliRunner().invoke(cli, [*command, "--db", str(newer_db)])
    assert result.exit_code in (1, 4), result.output
    assert "written by a newer newscrawl" in result.output and "Traceback" not in result.output
    assert sqlite3.connect(newer_db).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
