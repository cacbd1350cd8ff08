"""The speed tools of bench/quality: the per-step profile and the result snapshot's diff."""

from __future__ import annotations

import json
from pathlib import Path

import crawler.parsing
import crawler.parsing.body
import crawler.parsing.body.embedded
from bench.quality import profile, snapshot

PAGE = (
    "<html><head><title>Rain | Town News</title></head><body><article><h1>Rain all day</h1>"
    + "<p>It rained all day in the town, and the river rose by a metre before the evening came.</p>" * 8
    + '</article><nav><a rel="prev" href="/news/2025/older-story">Previous</a></nav></body></html>'
)


def test_every_step_gets_a_row_and_the_functions_come_back() -> None:
    read_body, read_blocks = crawler.parsing.read_body, crawler.parsing.body.embedded.read_blocks
    rows = profile.breakdown([(PAGE, "https://news.example/news/2025/rain")] * 4)
    assert set(rows) == {name for _, name in profile.STEPS} | {profile.OTHER, "total"}
    assert all(len(values) == 4 for values in rows.values())
    assert rows["read_blocks"][0] > 0 and rows["total"][0] > rows["read_blocks"][0]
    # Exclusive times add up to the whole parse (the rest is its own row).
    assert abs(sum(rows[name][0] for name in rows if name != "total") - rows["total"][0]) < 1e-6
    assert crawler.parsing.read_body is read_body and crawler.parsing.body.embedded.read_blocks is read_blocks


def test_wrapping_reaches_every_module_that_imported_a_step() -> None:
    clock = profile._Clock()
    replaced = profile._install(clock)
    try:
        assert {module.__name__ for module, name, _ in replaced if name == "read_blocks"} >= {
            "crawler.parsing.body",
            "crawler.parsing.body.embedded",
        }
    finally:
        profile._uninstall(replaced)


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def test_the_diff_names_each_changed_field_and_reads_line_separators_as_text(tmp_path: Path) -> None:
    before = _write(tmp_path / "a.jsonl", [{"page": "aeb/1", "title": "A\u2028B", "body": "x"}, {"page": "aeb/2", "title": "T"}])
    same = _write(tmp_path / "b.jsonl", [{"page": "aeb/1", "title": "A\u2028B", "body": "x"}, {"page": "aeb/2", "title": "T"}])
    after = _write(tmp_path / "c.jsonl", [{"page": "aeb/1", "title": "A\u2028B", "body": "y"}, {"page": "aeb/3", "title": "T"}])
    assert snapshot.diff(before, same) == []
    lines = snapshot.diff(before, after)
    assert [line.split(":")[0] for line in lines] == ["aeb/2", "aeb/3", "aeb/1 body"]


def test_write_takes_generated_pages_without_any_dataset(tmp_path: Path) -> None:
    out = tmp_path / "gen.jsonl"
    assert snapshot.write(out, [], generated=3, seed=5) == 3
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [record["page"] for record in records] == [f"generated/gen-5-{n}" for n in range(3)]
    assert all("title" in record and "body" in record for record in records)
