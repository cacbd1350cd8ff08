"""A search of thousands of ORed terms is refused with a clear message (issue 15, "also seen").

8,000 ORed terms took 83 s on a 200-article database: FTS5 reads a doclist per term,
and the snippet of every hit runs the whole expression again. The query's size is capped
where it is parsed, so search and export --query both refuse it at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.analysis.query import MAX_EXPANDED_WORDS, MAX_QUERY_TERMS, QueryError, fts_expression
from crawler.cli import cli


def ored(count: int) -> str:
    return " OR ".join(f"council{index}" for index in range(count))


def test_the_cap_counts_words_and_phrases_not_operators() -> None:
    assert fts_expression(ored(MAX_QUERY_TERMS))
    assert fts_expression(" ".join(['"city council"'] * MAX_QUERY_TERMS))
    with pytest.raises(QueryError, match=f"{MAX_QUERY_TERMS + 1} search terms"):
        fts_expression(ored(MAX_QUERY_TERMS + 1))


def test_prefixes_are_spelled_out_within_a_budget() -> None:
    """Each prefix may stand for up to 64 indexed words: 64 prefixes must not become a 4,096-word OR."""
    expression = fts_expression(" OR ".join(f"harb{index}*" for index in range(MAX_QUERY_TERMS)),
                                expand=lambda prefix: [f"{prefix}{n}" for n in range(64)])
    assert expression.count('"') // 2 == MAX_EXPANDED_WORDS  # four prefixes spelled out
    assert expression.count("*") == MAX_QUERY_TERMS - MAX_EXPANDED_WORDS // 64  # the rest left to FTS5


@pytest.mark.parametrize("command", [["search"], ["export", "--format", "jsonl", "--query"]])
def test_eight_thousand_ored_terms_are_refused_with_a_clear_message(analysis_db: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, ored(8_000), "--db", str(analysis_db)])
    assert result.exit_code == 1, result.output
    assert f"8000 search terms; at most {MAX_QUERY_TERMS}" in result.output
