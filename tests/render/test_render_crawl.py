"""Crawls with --render against a script-built site on 127.0.0.1 (tests/render/site.py).

Chromium is Debian's (/usr/bin/chromium, installed by `make install-chromium`); scrapy-playwright
comes with the test extras. One crawl per test, in a subprocess (tests/faults/crawl.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
import pytest

from tests.faults.crawl import CrawlRun, crawl
from tests.render.site import ScriptSite, paragraphs_of, title_of

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
pytest.importorskip("scrapy_playwright", reason="scrapy-playwright comes with the test extras")
if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


def stats(run: CrawlRun) -> dict[str, int]:
    """The crawl's counting stats, from the JSON log's stats dump."""
    for line in run.stderr.splitlines():
        if "Dumping Scrapy stats" in line:
            return {name: int(value) for name, value in re.findall(r"'([^']+)': (\d+)[,}]", line)}
    raise AssertionError("no stats in the crawl's log")


def test_script_built_chains_are_rendered_and_followed(tmp_path: Path) -> None:
    with ScriptSite(articles=24) as site:
        run = crawl([site.url("/a/12.html")], tmp_path / "news.db", "--render", "auto", timeout=400)
        private = list(site.private_hits)
    assert run.exit_code == 0, run.stderr[-3000:]
    articles = run.articles()
    assert len(articles) == 24
    for k in range(1, 25):
        row = articles[site.url(f"/a/{k}.html")]
        assert row["title"] == title_of(str(k))
        assert row["body"] == "\n\n".join(paragraphs_of(str(k)))
    counted = stats(run)
    assert counted["newscrawl/render/shells"] == 24 and counted["newscrawl/render/pages"] == 24
    assert counted["newscrawl/chain/confirmed"] == 2 * 23  # 23 links between 24 pages, each confirmed both ways
    assert not [name for name in counted if name.startswith("newscrawl/chain/") and not name.endswith("/confirmed")]
    assert private == []


def test_article_only_in_next_data_needs_no_browser(tmp_path: Path) -> None:
    with ScriptSite() as site:
        run = crawl([site.url("/next/story-2.html")], tmp_path / "news.db", "--render", "auto")
    assert run.exit_code == 0, run.stderr[-3000:]
    articles = run.articles()
    assert sorted(articles) == [site.url(f"/next/story-{k}.html") for k in (1, 2, 3)]  # neighbours by slug
    assert articles[site.url("/next/story-2.html")]["body"] == "\n\n".join(paragraphs_of("next-2"))
    counted = stats(run)
    assert "newscrawl/render/requested" not in counted and "playwright/page_count" not in counted


def test_a_page_that_never_finishes_loading_is_read_at_the_time_limit(tmp_path: Path) -> None:
    with ScriptSite() as site:
        run = crawl([site.url("/slow.html")], tmp_path / "news.db", "--render", "always",
                    settings={"NEWSCRAWL_RENDER_TIMEOUT": 3}, timeout=120)  # fmt: skip
    assert run.exit_code == 0, run.stderr[-3000:]
    assert run.articles()[site.url("/slow.html")]["body"] == "\n\n".join(paragraphs_of("slow"))
    assert stats(run)["newscrawl/render/unfinished"] == 1


def test_no_browser_request_reaches_a_private_address(tmp_path: Path) -> None:
    """The site is allowed (127.0.0.1/32); 127.0.0.2 is loopback, refused: by fetch, image, frame,
    WebSocket, beacon, script and a redirect from the allowed site, nothing may reach it."""
    with ScriptSite() as site:
        run = crawl([site.url("/ssrf.html")], tmp_path / "news.db", "--render", "always",
                    settings={"ALLOWED_NETWORKS": "127.0.0.1/32"})  # fmt: skip
        private = list(site.private_hits)
        asked_redirect = "/redirect-private" in site.hits
    assert run.exit_code == 0, run.stderr[-3000:]
    assert run.articles()[site.url("/ssrf.html")]["body"] == "\n\n".join(paragraphs_of("ssrf"))
    assert private == []
    assert asked_redirect  # the redirect was fetched, and its private target refused
    counted = stats(run)
    assert counted["newscrawl/netguard/blocked/loopback"] >= 4


def test_auto_renders_nothing_on_an_ordinary_site(tmp_path: Path) -> None:
    with ScriptSite(articles=6) as site:
        run = crawl([site.url("/plain/3.html")], tmp_path / "news.db", "--render", "auto")
    assert run.exit_code == 0, run.stderr[-3000:]
    assert len(run.articles()) == 6
    counted = stats(run)
    assert "newscrawl/render/requested" not in counted and "playwright/browser_count" not in counted
