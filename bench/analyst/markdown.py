"""This benchmark's own section of docs/benchmarks.md, between markers; the rest of the file is kept."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- bench-{name}:start (written by `python -m bench.{name}`; edits here are overwritten) -->",
        f"<!-- bench-{name}:end -->",
    )


def replace_section(name: str, body: str, path: Path = DOCS) -> None:
    """Put ``body`` between the ``name`` markers of ``path``, appending the section if it is new."""
    start_marker, end_marker = markers(name)
    text = f"{start_marker}\n{body.rstrip()}\n{end_marker}\n"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start, end = current.find(start_marker), current.find(end_marker)
    if start != -1 and end > start:
        rest = current[end + len(end_marker) :].lstrip("\n")
        updated = current[:start] + text + ("\n" + rest if rest else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")
