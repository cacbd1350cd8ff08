"""Every field ``parse_page`` returns on every page of the sets, to prove a speed-up changed nothing.

    python -m bench.quality.snapshot write BEFORE.jsonl [--only aeb,wcxb,fundus]
    python -m bench.quality.snapshot diff BEFORE.jsonl AFTER.jsonl

``write`` parses every page (articles and the rest) with a fixed fetch time and an empty site
template, so the element paths the template step reads are recorded too, and writes one JSON
line per page: the whole ``ParseResult``. ``diff`` prints each page and field that differs and
exits 1 when any does. Stricter than bench/quality's scores, which see only some fields.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.quality.datasets import DATASETS, LOADERS

FETCHED_AT = datetime(2026, 12, 1, tzinfo=UTC)  # fixed: relative dates resolve the same on every run


def write(out: Path, only: list[str]) -> int:
    from crawler.parsing import SiteTemplate, parse_page

    count = 0
    with out.open("w", encoding="utf-8") as file:
        for name in only:
            for page in LOADERS[name]():
                result = parse_page(page.html(), page.url, now=FETCHED_AT, template=SiteTemplate())
                record = {"page": f"{name}/{page.page_id}", **result.to_dict()}
                file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    return count


def _read(path: Path) -> dict[str, dict[str, object]]:
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line)  # not splitlines: U+2028 is text
    return {record.pop("page"): record for record in records}


def diff(before: Path, after: Path) -> list[str]:
    """One line per page and field that differs (a page present on one side only included)."""
    old, new = _read(before), _read(after)
    lines = [f"{page}: only in {before if page in old else after}" for page in sorted(old.keys() ^ new.keys())]
    for page in sorted(old.keys() & new.keys()):
        for key in sorted(old[page].keys() | new[page].keys()):
            if old[page].get(key) != new[page].get(key):
                lines.append(f"{page} {key}: {str(old[page].get(key))[:120]!r} -> {str(new[page].get(key))[:120]!r}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.snapshot", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    writing = commands.add_parser("write", help="parse every page, one JSON line each")
    writing.add_argument("out", type=Path)
    writing.add_argument("--only", default=",".join(DATASETS), help="datasets, comma-separated")
    comparing = commands.add_parser("diff", help="the fields that differ between two snapshots")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        print(f"{write(args.out, args.only.split(','))} pages written to {args.out}")
        return
    lines = diff(args.before, args.after)
    print("\n".join(lines) or "no differences")
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
