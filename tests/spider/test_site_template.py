"""A crawl learns a site's template from its first pages and corrects the later pages with it.

Generated site (bench/template/sites.py, seed 209): no metadata, and its two oldest pages carry
a photo caption under the headline that writes another day, which a page read alone takes for
the date. Crawled newest first (``--direction prev``), the template is learned from the newer
pages; the oldest are parsed with it and stored with their own date. What was learned is kept
and printed as a site profile by ``newscrawl templates --toml``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.template.sites import make_site, path_of
from crawler.demo.chainsites import ChainSite
from crawler.parsing import parse_page
from tests.spider.site import PROJECT_ROOT, rows, run_crawl_cli

SEED = 209


def test_a_crawl_learns_the_template_and_corrects_the_caption_dates(tmp_path: Path) -> None:
    site = make_site(SEED)
    trapped = [page for page in site.pages[:2] if page.trap == "caption"]
    assert trapped and all(parse_page(p.html, p.url).published_at[:10] != p.truth.day for p in trapped)
    db = tmp_path / "news.db"
    with ChainSite({path_of(page.url): page.html.encode() for page in site.pages}) as server:
        newest = server.url(path_of(site.pages[-1].url))
        result = run_crawl_cli([newest], db, "--direction", "prev")
        urls = {server.url(path_of(page.url)): page for page in site.pages}
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {row["url"]: row for row in rows(db, "SELECT url, published_at FROM articles")}
    assert set(urls) <= set(stored)
    for url, page in urls.items():
        if page in trapped:
            assert stored[url]["published_at"][:10] == page.truth.day, url
    learned = rows(db, "SELECT field, path, pages FROM site_template_paths ORDER BY field, pages DESC")
    assert {row["field"] for row in learned} >= {"title", "date", "author", "body"}
    shown = subprocess.run([sys.executable, "-m", "crawler", "templates", "--toml", "--db", str(db)], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "[sites.127-0-0-1" in shown.stdout and "date = " in shown.stdout, shown.stdout
