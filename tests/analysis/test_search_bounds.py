"""The bounded search of issue 14: candidate caps, newest first, prefix spelling, ISO 8601 windows.

The caps are lowered so the fixture's six articles exercise every path; each result is
checked against a brute-force answer computed with plain SQL.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.analysis import search as search_module
from crawler.analysis.query import Filters, fts_expression
from crawler.analysis.search import prefix_words, search
from crawler.cli import cli
from crawler.storage import open_database


def _all_matches(db, query: str, filters: Filters = Filters()) -> list[tuple[int, float, str | None]]:
    condition, params = filters.where("a")
    return db.execute(
        "SELECT a.id, bm25(articles_fts, 5.0, 1.0), a.published_at FROM articles_fts"
        " JOIN articles AS a ON a.id = articles_fts.rowid"
        f" WHERE articles_fts MATCH ? AND {condition}",
        [fts_expression(query), *params],
    ).fetchall()


def test_relevance_ranks_the_newest_stored_candidates_when_too_many_match(analysis_db: Path, monkeypatch) -> None:
    db = open_database(analysis_db, create=False)
    everything = _all_matches(db, "the")
    assert len(everything) >= 4
    monkeypatch.setattr(search_module, "RANK_CANDIDATES", 3)
    result = search(db, "the", Filters(), limit=2)
    newest_three = sorted(everything, key=lambda row: -row[0])[:3]
    expected = [row[0] for row in sorted(newest_three, key=lambda row: (row[1], row[0]))[:2]]
    assert [hit.id for hit in result.hits] == expected
    assert result.ranked_among == 3
    monkeypatch.setattr(search_module, "RANK_CANDIDATES", 100)
    uncapped = search(db, "the", Filters(), limit=2)
    assert uncapped.ranked_among is None
    assert [hit.id for hit in uncapped.hits] == [row[0] for row in sorted(everything, key=lambda row: (row[1], row[0]))[:2]]


def _bm25(db, expression: str, ids: list[int]) -> dict[int, float]:
    return dict(db.execute(
        "SELECT rowid, bm25(articles_fts, 5.0, 1.0) FROM articles_fts WHERE articles_fts MATCH ?"
        f" AND +rowid IN ({', '.join('?' for _ in ids)})",
        [expression, *ids],
    ).fetchall())


def test_phrases_in_too_many_articles_are_left_out_of_the_ranking(analysis_db: Path, monkeypatch) -> None:
    db = open_database(analysis_db, create=False)
    matched = [row[0] for row in _all_matches(db, "the council")]
    assert len(matched) >= 2 and len(_all_matches(db, "the")) > 2 >= len(_all_matches(db, "council"))
    monkeypatch.setattr(search_module, "RANK_DOCS", 2)  # "the" is in more articles: left out; "council" weighed
    result = search(db, "the council", Filters())
    scores = _bm25(db, "council", matched)  # bm25 over the weighed phrase alone, for the query's matches
    assert [(hit.id, hit.score) for hit in result.hits] == sorted(scores.items(), key=lambda item: (item[1], item[0]))
    assert not result.by_date
    # Only common words: listed newest first, and said so.
    common = search(db, "the", Filters())
    assert common.by_date and all(hit.score is None for hit in common.hits)
    assert [hit.id for hit in common.hits] == [hit.id for hit in search(db, "the", Filters(), sort="newest").hits]
    output = CliRunner().invoke(cli, ["search", "the", "--db", str(analysis_db)]).output
    assert "too common to rank by: these are the newest matches" in output


def test_a_negated_phrase_is_not_counted_and_the_ranking_is_plain_bm25(analysis_db: Path) -> None:
    db = open_database(analysis_db, create=False)
    for query in ("the NOT ferry", "bridge OR market NOT (hall OR ferry)"):
        everything = _all_matches(db, query)  # plain bm25 over the whole expression, NOT included
        expected = sorted(everything, key=lambda row: (row[1], row[0]))
        hits = search(db, query, Filters(), limit=10).hits
        assert [hit.id for hit in hits] == [row[0] for row in expected]
        assert [hit.score for hit in hits] == pytest.approx([row[1] for row in expected], rel=1e-9)


def test_filtered_relevance_looks_among_the_newest_matches_first(analysis_db: Path, monkeypatch) -> None:
    db = open_database(analysis_db, create=False)
    query = "council OR Stadtrat OR Wochenmarkt"  # two river.example matches, then the two newest-stored on berg
    ids = sorted((row[0] for row in _all_matches(db, query)), reverse=True)
    assert len(ids) == 4
    monkeypatch.setattr(search_module, "FILTER_WALK", 2)
    berg = Filters(sites=("berg.example",))
    best = sorted(_all_matches(db, query, berg), key=lambda row: (row[1], row[0]))
    one = search(db, query, berg, limit=1)
    assert [hit.id for hit in one.hits] == [best[0][0]] and one.walked == 2
    # Fewer than the limit pass among the newest two: every match is walked, as without the bound.
    river = Filters(sites=("river.example",))
    expected = [row[0] for row in sorted(_all_matches(db, query, river), key=lambda row: (row[1], row[0]))]
    walked_on = search(db, query, river, limit=1)
    assert [hit.id for hit in walked_on.hits] == expected[:1] and walked_on.walked is None
    assert [hit.id for hit in search(db, query, berg, limit=3).hits] == [row[0] for row in best]


@pytest.mark.parametrize("exact", [100, 1])  # sorted directly; walked through the dates in blocks
def test_newest_first_orders_every_match_by_date(analysis_db: Path, monkeypatch, exact: int) -> None:
    db = open_database(analysis_db, create=False)
    monkeypatch.setattr(search_module, "NEWEST_EXACT", exact)
    monkeypatch.setattr(search_module, "WALK_BLOCK", 2)
    for query, filters in [("the", Filters()), ("the", Filters(sites=("river.example",))), ("council OR Brücke", Filters())]:
        rows = _all_matches(db, query, filters)
        dated = sorted((row for row in rows if row[2]), key=lambda row: (row[2], row[0]), reverse=True)
        undated = sorted((row for row in rows if not row[2]), key=lambda row: -row[0])
        expected = [row[0] for row in dated + undated]
        result = search(db, query, filters, limit=len(expected) + 1, sort="newest")
        assert [hit.id for hit in result.hits] == expected, (query, filters)
        assert all(hit.score is None for hit in result.hits)


def test_prefix_is_spelled_out_as_indexed_words(analysis_db: Path, monkeypatch) -> None:
    db = open_database(analysis_db, create=False)
    assert prefix_words(db, "Libr") == ["library"]
    assert prefix_words(db, "Brü") == ["brucke", "bruckensanierung"]  # folded as the index folds
    assert prefix_words(db, "zzz") == []
    assert fts_expression("title:libr*", expand=lambda p: prefix_words(db, p)) == 'title : ("library")'
    monkeypatch.setattr(search_module, "PREFIX_WORDS", 1)
    assert prefix_words(db, "br") is None  # too many words: FTS5 keeps the prefix
    assert [hit.title for hit in search(db, "libr*", Filters()).hits] == ["Library opens on Sundays"]


def test_search_since_takes_a_day_or_an_iso_moment(analysis_db: Path) -> None:
    def titles(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["search", "council OR Brücke OR library", *args, "--json", "--db", str(analysis_db)])
        assert result.exit_code == 0, result.output
        return sorted(hit["title"] for hit in json.loads(result.output))

    # Library: 2025-03-04T10:00+01:00 = 09:00 UTC; Brücke: 2025-03-04T18:30+01:00.
    by_day = titles("--since", "2025-03-04", "--until", "2025-03-04")
    assert "Library opens on Sundays" in by_day and "Stadtrat beschließt Brückensanierung" in by_day
    assert titles("--since", "2025-03-04T09:30:00Z", "--until", "2025-03-04") == ["Stadtrat beschließt Brückensanierung"]
    assert titles("--since", "2025-03-04T08:59:00+00:00", "--until", "2025-03-04T10:00:00+01:00") == ["Library opens on Sundays"]
    bad = CliRunner().invoke(cli, ["search", "x", "--since", "last tuesday", "--db", str(analysis_db)])
    assert bad.exit_code == 2 and "YYYY-MM-DD or ISO 8601" in bad.output


def test_filters_hold_a_day_or_a_moment() -> None:
    day, moment = Filters(since=date(2025, 3, 4)), Filters(since=datetime(2025, 3, 4, 9, 30, tzinfo=UTC))
    assert day.counts_where() is not None
    assert moment.counts_where() is None  # a time of day needs the articles, not the daily counts
    assert "julianday" in moment.where()[0]


def test_a_huge_query_is_not_echoed_back_whole(tmp_path) -> None:
    from click.testing import CliRunner

    from crawler.cli import cli
    from crawler.storage import open_database

    db = tmp_path / "news.db"
    open_database(db).conn.close()
    for query in ("AND " * 3000, " ".join(f"w{n}" for n in range(2000)), "x" * 5000):
        for command in (["search", query], ["export", "--format", "jsonl", "--query", query]):
            result = CliRunner().invoke(cli, [*command, "--db", str(db)])
            assert len(result.output) < 400, (command[0], len(result.output), result.output[:200])
            assert "characters)" in result.output or not result.output, result.output  # an export of nothing is empty
