"""import vs parse --batch on the same pages, side by side in one run (ratios, not absolute rates).

    python -m bench.archive.importrate [WARC [CRAWL_DB]]   # default: ../shared/datasets/warc-samples/fundus-dev-pages.warc.gz

Prints: parse_page alone in this process (what `newscrawl parse --batch` does per page, one
core), then `newscrawl import` of the same file into a fresh database (two processes of the
pool), wall time and the CPU of its own process, and the ratio of their page rates. With
CRAWL_DB (the database of the crawl that wrote WARC, its ``warc/`` folder beside it), also
`newscrawl reparse` of a copy of that database and archive, and its ratio to the parse.
"""

from __future__ import annotations

import json
import resource
import shutil
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
          f"{1000 * cpu / len(pages):.1f} CPU ms per page in the import's own process (the pool's workers, children of"
          " the fork server, are not counted)")
    print(f"import / parse --batch: {parse_wall / import_wall:.2f}x")
    if len(sys.argv) > 2:
        crawl_db = Path(sys.argv[2])
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy(crawl_db, f"{folder}/news.db")
            shutil.copytree(crawl_db.parent / "warc", f"{folder}/warc")
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "crawler", "reparse", "--db", f"{folder}/news.db", "--json"],
                                  check=True, capture_output=True, text=True)
            reparse_wall = time.perf_counter() - started
        selected = json.loads(done.stdout.splitlines()[-1])["selected"]
        print(f"newscrawl reparse (start-up included): {selected} articles, {selected / reparse_wall:.1f} articles/s")
        print(f"reparse / parse --batch: {(selected / reparse_wall) / (len(pages) / parse_wall):.2f}x")


if __name__ == "__main__":
    main()
