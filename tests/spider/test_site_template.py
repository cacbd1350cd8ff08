"""A crawl learns a site's template from its first pages and corrects the later pages with it.

Generated site (bench/template/sites.py, seed 209): no metadata, and its two oldest pages carry
a photo caption under the headline that writes another day, which a page read alone takes for
the date. Crawled newest first (``--direction prev``), the template is learned from the newer
pages; the oldest are parsed with it and stored with their own date. What was learned is kept
and printed as a site profile by ``newscrawl templates --toml``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

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
    assert '[sites."127.0.0.1:' in shown.stdout and "date = " in shown.stdout, shown.stdout


def _caption_site() -> tuple[Any, list[Any]]:
    site = make_site(SEED)
    trapped = [page for page in site.pages[:2] if page.trap == "caption"]
    assert trapped and all(parse_page(p.html, p.url).published_at[:10] != p.truth.day for p in trapped)
    return site, trapped


def _stored_days(db: Path) -> dict[str, str]:
    return {row["url"]: (row["published_at"] or "")[:10] for row in rows(db, "SELECT url, published_at FROM articles")}


@pytest.mark.slow
def test_earlier_pages_are_corrected_at_the_end_and_a_printed_profile_pins_the_template(tmp_path: Path) -> None:
    """Oldest first, the two trapped pages are stored before the site's template exists; the
    end-of-run re-check reads them back from the archive, parses them with the template and
    corrects their rows (article_history keeps what they held). Then the profile
    ``templates --toml`` prints, pinned in a sites.toml, gives a crawl with learning off
    (NEWSCRAWL_TEMPLATE_MIN_PAGES=0) the right dates from the first page."""
    site, trapped = _caption_site()
    learned_db, pinned_db = tmp_path / "learned.db", tmp_path / "pinned.db"
    with ChainSite({path_of(page.url): page.html.encode() for page in site.pages}) as server:
        oldest = server.url(path_of(site.pages[0].url))
        urls = {page.url: server.url(path_of(page.url)) for page in site.pages}
        learned = run_crawl_cli([oldest], learned_db, "--direction", "next")
        assert learned.returncode == 0, learned.stderr[-3000:]
        shown = subprocess.run([sys.executable, "-m", "crawler", "templates", "--toml", "--db", str(learned_db)],
                               cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
        home = f'start_urls = ["{server.url("/")}"]'
        assert shown.returncode == 0 and home in shown.stdout, shown.stdout
        key = json.loads(shown.stdout.split("[sites.", 1)[1].split("]", 1)[0])  # the site key, quoted
        sites = tmp_path / "sites.toml"
        sites.write_text(shown.stdout.replace(home, f'start_urls = ["{oldest}"]'), encoding="utf-8")
        pinned = run_crawl_cli([], pinned_db, "--sites", str(sites), "--site", key, "--direction", "next",
                               "--set", "NEWSCRAWL_TEMPLATE_MIN_PAGES=0")
    assert pinned.returncode == 0, pinned.stderr[-3000:]
    assert {urls[p.url] for p in trapped} <= {row["url"] for row in rows(learned_db, "SELECT url FROM article_history")}
    for db in (learned_db, pinned_db):
        stored = _stored_days(db)
        assert {page.url: stored.get(urls[page.url]) for page in site.pages} == {
            page.url: page.truth.day for page in site.pages}, db
