"""A --site filter that matches nothing says so and names the known sites (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli


@pytest.mark.parametrize("command", [["search", "council"], ["stats"], ["export", "--format", "jsonl"]])
def test_an_unknown_site_is_named_with_the_known_ones(analysis_db: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--site", "www.river", "--db", str(analysis_db)])
    assert result.exit_code == 0, result.output
    assert "No stored article is from the site 'www.river' (did you mean river.example?)" in result.stderr
    assert "Known sites: berg.example, river.example." in result.stderr


def test_a_host_without_its_port_points_to_the_stored_one(analysis_db: Path, tmp_path: Path) -> None:
    from crawler.analysis.database import unknown_site_message
    from crawler.storage import open_database

    db = open_database(analysis_db, create=False)
    assert unknown_site_message(db, ("river.example",)) is None
    db.execute("INSERT INTO article_counts VALUES ('127.0.0.1:8101', 'en', '2025-01-01', 1, 0, 0, 0)")
    try:
        assert "did you mean 127.0.0.1:8101?" in unknown_site_message(db, ("127.0.0.1",))
    finally:
        db.execute("DELETE FROM article_counts WHERE site = '127.0.0.1:8101'")
