"""docs/benchmarks.md: the quality section is replaced in place and other sections are kept."""

from __future__ import annotations

from pathlib import Path

from bench.quality.report import SECTION_END, SECTION_START, write_section


def _section(text: str) -> str:
    return f"{SECTION_START}\n{text}\n{SECTION_END}\n"


def test_section_is_appended_then_replaced_and_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Crawl speed\nother helper's table\n", encoding="utf-8")
    write_section(path, _section("first run"))
    path.write_text(path.read_text(encoding="utf-8") + "\n## Storage\nanother table\n", encoding="utf-8")
    write_section(path, _section("second run"))
    text = path.read_text(encoding="utf-8")
    assert "first run" not in text
    assert text.count(SECTION_START) == 1
    assert text.index("## Crawl speed") < text.index("second run") < text.index("## Storage")


def test_missing_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "benchmarks.md"
    write_section(path, _section("table"))
    assert path.read_text(encoding="utf-8").startswith("# Benchmarks\n\n" + SECTION_START)
