"""Every field ``parse_page`` returns on every page of the sets, to prove a speed-up changed nothing.

    python -m bench.quality.snapshot write BEFORE.jsonl [--only aeb,wcxb,fundus] [--generated N --seed S]
    python -m bench.quality.snapshot diff BEFORE.jsonl AFTER.jsonl

``write`` parses every page (articles and the rest) with a fixed fetch time and an empty site
template, so the element paths the template step reads are recorded too, and writes one JSON
line per page: the whole ``ParseResult``. ``diff`` prints each page and field that differs and
exits 1 when any does. Stricter than bench/quality's scores, which see only some fields.
``--generated N`` adds N ``bench.pagegen`` pages of seed ``--seed`` (every page type, made-up
sites no rule was written on).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench.quality.datasets import DATASETS, LOADERS

FETCHED_AT = datetime(2026, 12, 1, tzinfo=UTC)  # fixed: relative dates resolve the same on every run


def _pages(only: list[str], generated: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """(name in the snapshot, HTML, URL) of every page asked for."""
    for name in only:
        for page in LOADERS[name]():
            yield f"{name}/{page.page_id}", page.html(), page.url
    if generated:
        from bench.pagegen import generate

        for made in generate(generated, seed):
            yield f"generated/{made.page_id}", made.html, made.url


def write(out: Path, only: list[str], *, generated: int = 0, seed: int = 1) -> int:
    from crawler.parsing import SiteTemplate, parse_page

    count = 0
    with out.open("w", encoding="utf-8") as file:
        for name, html, url in _pages(only, generated, seed):
            result = parse_page(html, url, now=FETCHED_AT, template=SiteTemplate())
            record = {"page": name, **result.to_dict()}
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
    writing.add_argument("--only", default=",".join(DATASETS), help="datasets, comma-separated ('' for none)")
    writing.add_argument("--generated", type=int, default=0, help="also this many bench.pagegen pages")
    writing.add_argument("--seed", type=int, default=1, help="the generated pages' seed")
    comparing = commands.add_parser("diff", help="the fields that differ between two snapshots")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        only = [name for name in args.only.split(",") if name]
        print(f"{write(args.out, only, generated=args.generated, seed=args.seed)} pages written to {args.out}")
        return
    lines = diff(args.before, args.after)
    print("\n".join(lines) or "no differences")
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
