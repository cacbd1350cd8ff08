"""The user's search text as FTS5, and the filters as SQL."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.analysis.query import Filters, QueryError, fts_expression, fts_query


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bridge", "bridge"),
        ("bridge budget", "bridge AND budget"),
        ("council (ferry OR bridge)", "council AND ( ferry OR bridge )"),
        ('"city council" AND budget', '"city council" AND budget'),
        ("ferry OR bridge NOT market", "ferry OR bridge NOT market"),
        ("(ferry OR bridge) AND council", "( ferry OR bridge ) AND council"),
        ("bri*", "bri*"),
        ("covid-19", '"covid-19"'),
        ("U.S.", '"U.S."'),
        ("title:ferry", "title : ferry"),
        ("body:covid-19", 'body : "covid-19"'),
        ("and or not", "and AND or AND not"),  # lower case: words, as in FTS5
        ("Brücke", "Brücke"),
        ("o'neil", "\"o'neil\""),
    ],
)
def test_queries_become_fts5(query: str, expected: str) -> None:
    assert fts_expression(query) == expected


@pytest.mark.parametrize(
    ("query", "phrases", "negated"),
    [
        ("bridge budget", ("bridge", "budget"), False),
        ('"city council" OR ferry', ('"city council"', "ferry"), False),
        ("ferry NOT market budget", ("ferry", "budget"), True),  # NOT takes the next term only
        ("council NOT (ferry OR bridge) budget", ("council", "budget"), True),
        ("(council NOT ferry) bridge", ("council", "bridge"), True),
        ("title:bri*", ('title : "bridge"', 'title : "brine"'), False),  # a spelled-out prefix: a phrase a word
        ("zzz*", ("zzz*",), False),  # not spelled out: one phrase
    ],
)
def test_the_positive_phrases_are_listed_for_ranking(query: str, phrases: tuple[str, ...], negated: bool) -> None:
    spelled = {"bri": ["bridge", "brine"]}
    parsed = fts_query(query, expand=spelled.get)
    assert parsed.phrases == phrases
    assert parsed.negated is negated
    assert parsed.expression == fts_expression(query, expand=spelled.get)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"bridge', "never closed"),
        ("NOT bridge", "at the start"),
        ("bridge AND", "ends the query"),
        ("bridge AND OR ferry", "right after AND"),
        ("(bridge", "never closed"),
        ("bridge)", "no opening"),
        ("()", "empty parentheses"),
        ("!!!", "no letters or digits"),
        ('""', "empty phrase"),
    ],
)
def test_malformed_queries_get_a_message(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        fts_expression(query)


ODD_QUERIES = ["a AND (b OR", "x* *", "^bridge", "NEAR(a b)", "a (b) (c)", "(a) b", "a:b:c", "***", "'", "-bridge", "+", "@x", "::", "a\x00b"]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_any_accepted_query_runs_in_fts5(query: str) -> None:
    """Whatever fts_expression returns, SQLite's FTS5 parses it."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, body)")
    try:
        expression = fts_expression(query)
    except QueryError:
        return
    conn.execute("SELECT * FROM t WHERE t MATCH ?", [expression]).fetchall()


QUERY_TOKENS = st.sampled_from(
    ["a", "bc", "é", "19", '"', "(", ")", "*", ":", "-", "+", "^", ".", "'", "\x00", " ", " ",
     "AND", "OR", "NOT", "NEAR", "title:", "body:", "title", "{", "}"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(QUERY_TOKENS, max_size=25).map("".join))
def test_fuzzed_queries_either_run_or_get_a_message(query: str) -> None:
    test_any_accepted_query_runs_in_fts5(query)


def test_no_filter_is_true() -> None:
    assert Filters().where() == ("1", [])


def test_filters_are_parameters_not_sql() -> None:
    condition, params = Filters(
        sites=("www.River.example", "berg.example"),
        since=date(2025, 3, 1),
        until=date(2025, 3, 5),
        language="EN",
        author="50%_off'",
    ).where("a")
    assert "50%" not in condition and "'" not in condition.replace("'\\'", "")
    assert params[:2] == ["river.example", "berg.example"]
    assert params[2:4] == ["2025-03-01", "2025-03-06"]  # until is inclusive: before the next day
    assert params[4:6] == ["en", "en-%"]
    assert params[6] == "%50\\%\\_off'%"
