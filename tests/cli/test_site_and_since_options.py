"""`--site ''` is a usage error (it selected every site), and `reparse --since` reads the date and
time forms `crawl --since` does, with the same parser (it took YYYY-MM-DD only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow

SITE = "127.0.0.1:8104"


def _database(path: Path) -> Path:
    db = open_database(path)
    ArticleStore(db).upsert_articles([
        ArticleRow(url=f"http://{SITE}/news/{name}/", site=SITE, title=name, body="body", content_hash=name,
                   fetched_at=fetched_at)
        for name, fetched_at in (("early", "2026-01-01T09:00:00+00:00"), ("late", "2026-01-01T11:00:00+00:00"))
    ])
    db.conn.close()
    return path


@pytest.mark.parametrize("command", ["templates", "reparse"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_site_is_a_usage_error(tmp_path: Path, command: str, value: str) -> None:
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, [command, "--site", value, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert "names no site" in result.output


@pytest.mark.parametrize(("since", "selected"), [
    ("2026-01-01", 2),  # a day: from its start
    ("2026-01-01T10:00:00Z", 1),
    ("2026-01-01T12:00:00+02:00", 1),  # 10:00 UTC
    ("2026-01-01 10:30", 1),  # no offset: UTC
    ("Thu, 01 Jan 2026 11:30:00 +0000", 0),  # RFC 822, as feeds write it
])
def test_reparse_since_takes_what_crawl_since_takes(tmp_path: Path, since: str, selected: int) -> None:
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["reparse", "--since", since, "--db", str(db), "--json",
                                      "-s", "NEWSCRAWL_PARSE_PROCESSES=1"])
    summary = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert summary["selected"] == selected, result.output


def test_reparse_since_that_is_no_date_is_a_usage_error(tmp_path: Path) -> None:
    db = _database(tmp_path / "news.db")
    result = CliRunner().invoke(cli, ["reparse", "--since", "last tuesday", "--db", str(db)])
    assert result.exit_code == 2 and "not a date" in result.output, result.output
