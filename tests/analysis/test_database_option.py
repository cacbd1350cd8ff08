"""Every analyst command: --db that is missing, not SQLite, or not newscrawl gives a message, never a traceback."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crawler.cli import cli

COMMANDS = [["search", "bridge"], ["show", "1"], ["export"], ["stats"], ["serve", "--port", "1"]]


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "nothing-here.db"


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 10)
    return path


def _empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    return path


def _other_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE birds (name TEXT)")
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_missing, "database file not found"),
        (_text_file, "is not an SQLite database"),
        (_empty_file, "is not an SQLite database"),
        (_other_sqlite, "is not a newscrawl database"),
    ],
    ids=["missing", "text", "empty", "other-sqlite"],
)
def test_bad_database(tmp_path: Path, command: list[str], make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = CliRunner().invoke(cli, [*command, "--db", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    if make is _missing:
        assert not path.exists()  # a reader never creates a database


def test_default_is_data_news_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["stats"])
    assert "data/news.db" in result.output


@pytest.mark.parametrize("name", ["search", "show", "export", "stats", "serve"])
def test_help_ends_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--db" in result.output


def test_newscrawl_db_is_the_default_database(analysis_db: Path, tmp_path: Path) -> None:
    """NEWSCRAWL_DB names the database when --db is not given; --db still wins."""
    env = {"NEWSCRAWL_DB": str(analysis_db)}
    for command in (["stats"], ["search", "bridge"], ["show", "1"], ["export", "--format", "jsonl"]):
        result = CliRunner().invoke(cli, command, env=env)
        assert result.exit_code == 0, (command, result.output)
    missing = CliRunner().invoke(cli, ["stats", "--db", str(tmp_path / "other.db")], env=env)
    assert missing.exit_code == 1 and "other.db" in missing.output
    assert "NEWSCRAWL_DB" in CliRunner().invoke(cli, ["crawl", "--help"]).output


def test_every_command_with_a_database_reads_newscrawl_db() -> None:
    """import and reparse landed with a --db of their own that ignored NEWSCRAWL_DB."""
    ctx = click.Context(cli)
    with_db = [name for name in cli.list_commands(ctx)
               if any(param.name == "db_path" for param in cli.get_command(ctx, name).params)]
    assert {"crawl", "import", "reparse", "stats"} <= set(with_db)
    for name in with_db:
        (param,) = [param for param in cli.get_command(ctx, name).params if param.name == "db_path"]
        assert param.envvar == "NEWSCRAWL_DB", name


def test_reparse_refuses_a_missing_database(tmp_path: Path) -> None:
    """It created an empty database (and its folder) and reported success."""
    result = CliRunner().invoke(cli, ["reparse", "--db", str(tmp_path / "none" / "news.db")])
    assert result.exit_code == 4 and "database file not found" in result.output
    assert not (tmp_path / "none").exists()
    (tmp_path / "junk.db").write_text("not a database")
    junk = CliRunner().invoke(cli, ["reparse", "--db", str(tmp_path / "junk.db")])
    assert junk.exit_code == 4 and "not an SQLite database" in junk.output


def test_reparse_says_when_nothing_could_be_reparsed(analysis_db: Path, tmp_path: Path) -> None:
    """Articles stored without an archive: the outcome is failed and the exit code says so (it was 0);
    a --site no article has is named with the known sites, as a usage error."""
    copy = tmp_path / "news.db"
    shutil.copy(analysis_db, copy)
    env = {"NEWSCRAWL_DB": str(copy)}
    result = CliRunner().invoke(cli, ["reparse", "-s", "NEWSCRAWL_PARSE_PROCESSES=1"], env=env)
    assert result.exit_code == 1, result.output
    assert "Reparse failed" in result.output and "not in the archive" in result.output
    unknown = CliRunner().invoke(cli, ["reparse", "--site", "nosuch.example", "-s", "NEWSCRAWL_PARSE_PROCESSES=1"], env=env)
    assert unknown.exit_code == 2 and "Known sites:" in unknown.output  # a usage error, nothing recorded (a1a8664)
