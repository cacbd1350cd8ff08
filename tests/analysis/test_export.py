"""`newscrawl export`: formats, filters, formula neutralising, atomic files, bounded memory."""

from __future__ import annotations

import csv
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.analysis.export import PARQUET_BATCH_ROWS, export, safe_cell
from crawler.analysis.query import Filters
from crawler.cli import cli
from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from tests.analysis.fixtures import ARTICLES, FORMULA_BODY

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402


def invoke(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["export", *args, "--db", str(db)])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        (-2, -2),
        (None, None),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_csv_to_stdout_all_columns_formulas_neutralised(analysis_db: Path) -> None:
    result = invoke(analysis_db)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines(keepends=True)))
    assert len(rows) == len(ARTICLES)
    assert {"id", "url", "title", "body", "summary", "authors", "prev_url", "next_url"} <= set(rows[0])
    market = next(r for r in rows if r["title"].startswith("Covid-19"))
    assert market["body"].startswith("'" + FORMULA_BODY)
    assert json.loads(rows[1]["authors"]) == ["Grace Hopper", "Ada Lovelace"]
    assert (json.loads(rows[1]["keywords"]), rows[1]["free_to_read"], rows[2]["free_to_read"]) == (["Library", "Council"], "1", "")


def test_jsonl_lists_and_booleans(analysis_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert invoke(analysis_db, "--format", "jsonl", "-o", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["keywords"], r["free_to_read"], r["image_url"]) for r in records[:3]] == [
        (["Bridge", "Council"], False, "https://river.example/img/bridge.jpg"),
        (["Library", "Council"], True, None),
        ([], None, None),
    ]


def test_jsonl_with_filters(analysis_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = invoke(analysis_db, "--format", "jsonl", "--language", "de", "-o", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["title"] for r in records] == [ARTICLES[4][1], ARTICLES[5][1]]
    assert records[0]["authors"] == ["Erika Mustermann"]
    assert records[0]["body"] == ARTICLES[4][5]  # JSON keeps text exactly; no apostrophes added
    assert "2 articles written" in result.output
    one = invoke(analysis_db, "--format", "jsonl", "--language", "de", "--author", "Mustermann", "-o", str(out))
    assert "1 article written to" in one.output, one.output  # it said "1 articles written"


def test_parquet_with_query(analysis_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result = invoke(analysis_db, "--format", "parquet", "--query", "bridge OR Brücke", "-o", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert sorted(table.column("title").to_pylist()) == sorted([ARTICLES[0][1], ARTICLES[4][1]])
    assert table.schema.field("authors").type == pa.list_(pa.string())
    assert table.schema.field("word_count").type == pa.int64()
    assert table.schema.field("keywords").type == pa.list_(pa.string())
    assert table.schema.field("free_to_read").type == pa.bool_()
    assert sorted(table.column("free_to_read").to_pylist(), key=str) == [False, None]


def test_parquet_needs_a_file(analysis_db: Path) -> None:
    result = invoke(analysis_db, "--format", "parquet")
    assert result.exit_code == 2 and "-o FILE" in result.output


def test_malformed_query_leaves_no_file(analysis_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = invoke(analysis_db, "--query", '"unclosed', "-o", str(out))
    assert result.exit_code == 1 and "cannot search for" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_previous_file(analysis_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous export", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("crawler.analysis.export.write_csv", broken)
    result = invoke(analysis_db, "-o", str(out))
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert out.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def _database_of(path: Path, count: int) -> Path:
    db = open_database(path)
    body = "Word " * 400
    ArticleStore(db).upsert_articles(
        ArticleRow(url=f"https://bulk.example/{i}", site="bulk.example", title=f"Article {i}", body=body,
                   content_hash=str(i), fetched_at="2025-03-10T12:00:00+00:00")
        for i in range(count)
    )
    db.conn.close()
    return path


BULK_SIZES = (PARQUET_BATCH_ROWS, PARQUET_BATCH_ROWS * 6)


@pytest.fixture(scope="module")
def bulk_databases(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    directory = tmp_path_factory.mktemp("bulk")
    return [_database_of(directory / f"{count}.db", count) for count in BULK_SIZES]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_memory_does_not_grow_with_rows(bulk_databases: list[Path], tmp_path: Path, fmt: str) -> None:
    """Streaming: six times the rows, about the same peak of Python allocations."""
    peaks = []
    for path in bulk_databases:
        db = open_database(path, create=False)
        tracemalloc.start()
        count = export(db, fmt, Filters(), output=tmp_path / f"{path.stem}.{fmt}")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        db.conn.close()
        assert count == int(path.stem)
    assert peaks[1] < peaks[0] * 1.5, peaks
