"""import vs parse --batch on the same pages, side by side in one run (ratios, not absolute rates).

    python -m bench.archive.importrate [WARC]   # default: ../shared/datasets/warc-samples/fundus-dev-pages.warc.gz

Prints: parse_page alone in this process (what `newscrawl parse --batch` does per page, one
core), then `newscrawl import` of the same file into a fresh database (two processes of the
pool), wall time and CPU of the process tree, and the ratio of their page rates.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.archive.warc import Response, read_responses
from crawler.parsing import parse_page

DEFAULT = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "warc-samples" / "fundus-dev-pages.warc.gz"


def main() -> None:
    warc = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    pages = [r for r in read_responses(warc) if isinstance(r, Response)]
    started = time.perf_counter()
    for page in pages:
        parse_page(page.body, page.url, content_type=page.content_type, now=page.fetched_at)
    parse_wall = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crawler", "import", str(warc), "--db", f"{folder}/news.db", "--json"],
                       check=True, capture_output=True)
        import_wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{len(pages)} pages of {warc.name}")
    print(f"parse_page alone, one process: {len(pages) / parse_wall:.1f} pages/s")
    print(f"newscrawl import (start-up included): {len(pages) / import_wall:.1f} articles/s, "
          f"{1000 * cpu / len(pages):.1f} CPU ms per page")
    print(f"import / parse --batch: {parse_wall / import_wall:.2f}x")


if __name__ == "__main__":
    main()
