"""Rewrite the golden expectations from the current parser, for a person to review the diff.

    python -m tests.golden.regenerate                 # every case in cases.json
    python -m tests.golden.regenerate NAME ...        # some cases
    python -m tests.golden.regenerate --add NAME URL page.html "what it covers"

``--add`` stores the page gzipped under pages/ and appends the case to cases.json. Then read
``git diff tests/golden/expected``: every changed value must be a fix, never a regression.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from crawler.parsing import parse_page

HERE = Path(__file__).parent
CASES = HERE / "cases.json"


def load_cases() -> list[dict[str, str]]:
    return json.loads(CASES.read_text(encoding="utf-8"))


def page_bytes(name: str) -> bytes:
    return gzip.decompress((HERE / "pages" / f"{name}.html.gz").read_bytes())


def expected_path(name: str) -> Path:
    return HERE / "expected" / f"{name}.json"


def render(case: dict[str, str]) -> str:
    result = parse_page(page_bytes(case["name"]), case["url"]).to_dict()
    return json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def add_case(name: str, url: str, source: Path, about: str) -> None:
    cases = [case for case in load_cases() if case["name"] != name]
    cases.append({"name": name, "url": url, "about": about})
    (HERE / "pages" / f"{name}.html.gz").write_bytes(gzip.compress(source.read_bytes(), mtime=0))
    CASES.write_text(json.dumps(cases, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="cases to rewrite (default: all)")
    parser.add_argument("--add", nargs=4, metavar=("NAME", "URL", "HTML", "ABOUT"), help="store a new case first")
    args = parser.parse_args(argv)
    if args.add:
        name, url, source, about = args.add
        add_case(name, url, Path(source), about)
        args.names.append(name)
    wanted = set(args.names)
    for case in load_cases():
        if wanted and case["name"] not in wanted:
            continue
        path = expected_path(case["name"])
        text = render(case)
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        path.write_text(text, encoding="utf-8")
        print(f"{'changed' if changed else 'same   '} {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()
