"""`newscrawl show` by id and by URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.analysis.fixtures import ARTICLES, SCRIPT_TITLE


def show(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["show", *args, "--db", str(db)])


@pytest.mark.parametrize(
    "key",
    ["2", ARTICLES[1][0], ARTICLES[1][0] + "/", f"  {ARTICLES[1][0]} ", ARTICLES[1][0] + "?utm_source=feed#comments"],
)
def test_by_id_or_url(analysis_db: Path, key: str) -> None:
    result = show(analysis_db, key)
    assert result.exit_code == 0, result.output
    output = result.output
    for expected in (
        "Library opens on Sundays",
        "Published: 2025-03-04T10:00:00+01:00",
        "Authors:   Grace Hopper, Ada Lovelace",
        "Site:      river.example",
        "Keywords:  Library, Council",
        "Access:    free to read",
        "Summary",
        "The public library will open on Sundays",
        "Previous:  Council approves the bridge budget [#1]",
        f"Next:      {SCRIPT_TITLE} [#3]",
    ):
        assert expected in output


def test_chain_ends_and_missing_fields(analysis_db: Path) -> None:
    output = show(analysis_db, ARTICLES[5][0]).output
    assert "Published: (no date)" in output
    assert "Authors:   (none named)" in output
    assert "Next:      (none)" in output
    assert "Keywords" not in output and "Access" not in output and "Image" not in output and "Detection" not in output


def test_json(analysis_db: Path) -> None:
    result = show(analysis_db, "1", "--json")
    article = json.loads(result.output)
    assert article["url"] == ARTICLES[0][0]
    assert article["authors"] == ["Ada Lovelace"]
    assert (article["keywords"], article["free_to_read"], article["article_uncertain"]) == (["Bridge", "Council"], False, False)
    assert article["image_url"] == "https://river.example/img/bridge.jpg"
    assert article["summary"]


@pytest.mark.parametrize("key", ["999", "https://nowhere.example/x.html"])
def test_unknown_article_is_a_message(analysis_db: Path, key: str) -> None:
    result = show(analysis_db, key)
    assert result.exit_code == 1
    assert "no stored article has the id or URL" in result.output


def test_formats(analysis_db: Path) -> None:
    assert json.loads(show(analysis_db, "1", "--format", "json").output)["authors"] == ["Ada Lovelace"]
    markdown = show(analysis_db, "3", "--format", "markdown").output
    assert markdown.startswith("# \\<script\\>window.\\_\\_injected = 1\\</script\\> Council ferry vote\n")  # markup escaped
    assert "- **Site:** river.example" in markdown and "The council will vote on a ferry link" in markdown
    linked = show(analysis_db, "2", "--format", "markdown").output
    assert "- Previous: [Council approves the bridge budget](<https://river.example/2025/03/03/bridge-budget.html>)" in linked


def test_an_article_by_a_small_margin_says_so(tmp_path: Path) -> None:
    from crawler.storage import ArticleStore, open_database
    from crawler.storage.store import ArticleRow

    path = tmp_path / "news.db"
    row = ArticleRow(url="http://news.test/restoration", site="news.test", title="Restoration", body="The ferry timetable changes.",
                     content_hash="h1", fetched_at="2025-03-05T10:00:00+00:00", article_uncertain=True)
    ArticleStore(open_database(path)).upsert_articles([row])
    assert "Detection: an article by a small margin" in show(path, "1").output
    assert json.loads(show(path, "1", "--json").output)["article_uncertain"] is True
