"""`newscrawl search` over the fixture database."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.analysis.fixtures import FORMULA_BODY


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["search", *args, "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def titles(db: Path, *args: str) -> list[str]:
    code, output = run(db, *args, "--json")
    assert code == 0, output
    return [hit["title"] for hit in json.loads(output)]


def test_ranked_results_with_snippet_and_summary(analysis_db: Path) -> None:
    code, output = run(analysis_db, "bridge")
    assert code == 0
    assert output.index("Council approves the bridge budget") < output.index("Stadtrat") if "Stadtrat" in output else True
    assert "Summary:" in output and "1 result" in output or "results" in output
    hits = json.loads(run(analysis_db, "bridge", "--json")[1])
    assert hits[0]["title"] == "Council approves the bridge budget"
    assert "**bridge**" in hits[0]["snippet"]
    assert hits[0]["summary"]
    assert hits[0]["authors"] == ["Ada Lovelace"]


def test_title_matches_rank_above_body_matches(analysis_db: Path) -> None:
    # "market" is in the title of the covid article and only in the body of the ferry article.
    assert titles(analysis_db, "market")[0] == "Covid-19 rules end at the market"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bridge OR Brücke"], {"Council approves the bridge budget", "Stadtrat beschließt Brückensanierung"}),
        (["bridge OR Brücke", "--language", "de"], {"Stadtrat beschließt Brückensanierung"}),
        (["bridge OR Brücke", "--site", "river.example"], {"Council approves the bridge budget"}),
        (["council", "--since", "2025-03-05"], {"<script>window.__injected = 1</script> Council ferry vote"}),
        (["council", "--until", "2025-03-03"], {"Council approves the bridge budget"}),
        (["library OR bridge", "--author", "grace"], {"Library opens on Sundays"}),
        (['"river bridge"'], {"Council approves the bridge budget"}),
        (["libr*"], {"Library opens on Sundays"}),
        (["covid-19"], {"Covid-19 rules end at the market"}),
        (["ferry NOT opponents"], set()),
        (["title:ferry"], {"<script>window.__injected = 1</script> Council ferry vote"}),
        (["Brucke"], {"Stadtrat beschließt Brückensanierung"}),  # diacritics folded
    ],
)
def test_filters_and_syntax(analysis_db: Path, args: list[str], expected: set[str]) -> None:
    assert set(titles(analysis_db, *args)) == expected


def test_until_includes_the_whole_day(analysis_db: Path) -> None:
    # Published 2025-03-04T18:30+01:00: inside --until 2025-03-04.
    assert titles(analysis_db, "Brücke", "--until", "2025-03-04") == ["Stadtrat beschließt Brückensanierung"]


@pytest.mark.parametrize("query", ['"bridge', "NOT bridge", "bridge AND", "(bridge", "!!!", "bridge OR OR ferry"])
def test_malformed_query_is_a_message_not_a_traceback(analysis_db: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--db", str(analysis_db)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot search for")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_bad_dates_are_usage_errors(analysis_db: Path) -> None:
    assert run(analysis_db, "bridge", "--since", "March")[0] == 2
    code, output = run(analysis_db, "bridge", "--since", "2025-03-05", "--until", "2025-03-01")
    assert code == 2 and "--since is after --until" in output


def test_csv_output_neutralises_formulas(analysis_db: Path) -> None:
    code, output = run(analysis_db, "covid-19", "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert rows[0]["title"] == "Covid-19 rules end at the market"
    assert rows[0]["summary"].startswith("'" + FORMULA_BODY[:10])


def test_no_results_is_not_an_error(analysis_db: Path) -> None:
    code, output = run(analysis_db, "zeppelin")
    assert code == 0 and "No article matches" in output


def test_json_and_csv_are_exclusive(analysis_db: Path) -> None:
    assert run(analysis_db, "bridge", "--json", "--csv")[0] == 2
