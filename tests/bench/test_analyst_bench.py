"""bench/analyst and bench/summary helpers: the generated database, the query set, the docs section, ROUGE."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.analyst.__main__ import query_set
from bench.analyst.generate import generate, vocabulary
from bench.analyst.markdown import markers, replace_section
from bench.summary.evaluate import rouge
from crawler.analysis.query import fts_expression


def test_generated_database_is_a_linked_searchable_newscrawl_database(tmp_path: Path) -> None:
    path = generate(tmp_path / "bench.db", 60)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [vocabulary().word(1)]).fetchone()[0] > 50
    assert conn.execute("SELECT count(*) FROM articles a JOIN articles n ON n.url = a.next_url AND n.prev_url = a.url").fetchone()[0] == 60 - 24
    words = conn.execute("SELECT avg(word_count) FROM articles").fetchone()[0]
    assert 400 < words < 2000
    generate(tmp_path / "again.db", 60)
    again = sqlite3.connect(tmp_path / "again.db")
    assert again.execute("SELECT group_concat(content_hash) FROM articles").fetchone() == conn.execute(
        "SELECT group_concat(content_hash) FROM articles"
    ).fetchone()  # the same seed gives the same articles


def test_query_set_is_valid_search_syntax() -> None:
    for query in query_set():
        fts_expression(query.text)


def test_replace_section_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nSomeone else's section.\n", encoding="utf-8")
    replace_section("analyst", "first", path)
    replace_section("analyst", "second", path)
    text = path.read_text(encoding="utf-8")
    start, end = markers("analyst")
    assert "Someone else's section." in text and "second" in text and "first" not in text
    assert text.count(start) == 1 and text.count(end) == 1


def test_rouge() -> None:
    assert rouge("the bridge opens", "the bridge opens", 1) == (1.0, 1.0)
    recall, f1 = rouge("the bridge", "the bridge opens today", 1)
    assert recall == 0.5 and round(f1, 3) == round(2 * 1 * 0.5 / 1.5, 3)
    assert rouge("nothing shared", "the bridge", 2) == (0.0, 0.0)
    assert rouge("Die Brücke öffnet", "die brücke", 2)[0] == 1.0


def test_a_stopped_generation_resumes_to_the_same_database(tmp_path: Path) -> None:
    whole = generate(tmp_path / "whole.db", 30)
    part = generate(tmp_path / "part.db", 30)
    conn = sqlite3.connect(part)
    conn.execute("DELETE FROM articles WHERE id > 12")
    conn.commit()
    conn.close()
    generate(part, 30, resume=True)
    digest = "SELECT group_concat(content_hash || url, ',') FROM (SELECT * FROM articles ORDER BY id)"
    assert sqlite3.connect(part).execute(digest).fetchone() == sqlite3.connect(whole).execute(digest).fetchone()
    assert sqlite3.connect(part).execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                         [vocabulary().word(1)]).fetchone()[0] > 25
