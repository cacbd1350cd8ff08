"""Site template learning measured end to end: real crawls of generated sites, learning on and off.

Each generated site (``bench.template.sites``) is served on its own port (so it is its own site
to the crawler), and one ``newscrawl crawl`` starts from the middle page of every site and
follows the chains both ways, as a user would; the parse pool, the template step, its end-of-run
re-check from the WARC archive and the store all run as in production. The same crawl runs with
learning off (NEWSCRAWL_TEMPLATE_MIN_PAGES=0), and with learning on but no archive
(NEWSCRAWL_ARCHIVE=False: later pages get the template, earlier ones are not re-checked). The
stored rows are scored per field against the sites' truth; a page not stored counts as wrong.

    python -m bench.template --crawl --seeds 100:140
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

from bench.template.sites import make_sites, path_of
from crawler.demo.chainsites import ChainSite
from crawler.runner import local_site_settings

RUNS = {  # without the archive the end-of-run re-check cannot read the earlier pages back
    "learning off": {"NEWSCRAWL_TEMPLATE_MIN_PAGES": "0"},
    "on, no archive": {"NEWSCRAWL_ARCHIVE": "False"},
    "learning on": {},
}


def _crawl(starts: list[str], db: Path, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler", "crawl", *starts, "--db", str(db), "--direction", "both"]
    for name, value in {**local_site_settings(), **settings}.items():
        command += ["--set", f"{name}={','.join(map(str, value)) if isinstance(value, (list, tuple)) else value}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800)


def _stored(db: Path) -> dict[str, SimpleNamespace]:
    conn = sqlite3.connect(db)
    try:
        return {url: SimpleNamespace(title=title, published_at=published, authors=json.loads(authors or "[]"), body=body)
                for url, title, published, authors, body in conn.execute(
                    "SELECT url, title, published_at, authors, body FROM articles")}  # fmt: skip
    finally:
        conn.close()


def _counter(stderr: str, name: str) -> str:
    for line in stderr.splitlines():
        if f"'{name}'" in line:
            return line.split(":", 1)[1].strip().rstrip(",")
    return "0"


def measure_crawls(seeds: range, show: Callable[[str], None]) -> int:
    from bench.template.__main__ import FIELDS, Case, Tally, _right

    sites = make_sites(seeds)
    tallies = {name: Tally() for name in RUNS}
    missing = dict.fromkeys(RUNS, 0)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        served = [(site, stack.enter_context(ChainSite({path_of(p.url): p.html.encode() for p in site.pages})))
                  for site in sites]
        starts = [server.url(path_of(site.pages[len(site.pages) // 2].url)) for site, server in served]
        for name, settings in RUNS.items():
            db = Path(folder) / f"{name.replace(' ', '-')}.db"
            result = _crawl(starts, db, settings)
            if result.returncode != 0:
                show(result.stderr[-3000:])
                return 1
            stored = _stored(db)
            for site, server in served:
                for page in site.pages:
                    case = Case(site.host, page.url, "", page.truth.title, page.truth.day, page.truth.authors,
                                page.truth.body)
                    row = stored.get(server.url(path_of(page.url)))
                    if row is None:
                        missing[name] += 1
                        row = SimpleNamespace(title=None, published_at=None, authors=[], body=None)
                    tallies[name].add(_right(case, row))  # type: ignore[arg-type]
            if name == "learning on":
                show("learning on: " + ", ".join(f"{key} {_counter(result.stderr, key)}" for key in (
                    "newscrawl/template/pages_observed", "newscrawl/template/sites_learned",
                    "newscrawl/template/recheck/parsed", "newscrawl/template/recheck/corrected")))  # fmt: skip
    pages = sum(len(site.pages) for site in sites)
    show(f"{len(sites)} sites, {pages} pages crawled from each site's middle page, both ways; "
         f"not stored: " + ", ".join(f"{name} {count}" for name, count in missing.items()))
    show(f"{'field':8} " + " ".join(f"{name:>18}" for name in RUNS))
    for field in FIELDS:
        show(f"{field:8} " + " ".join(f"{tally.share(field):>18}" for tally in tallies.values()))
    show("body mean word F1: " + " -> ".join(f"{t.f1 / max(t.counted['body'], 1):.4f}" for t in tallies.values()))
    return 0
