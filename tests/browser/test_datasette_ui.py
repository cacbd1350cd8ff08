"""`newscrawl serve` in a real headless browser: Debian's chromium driven by Playwright.

The database is the crawl of the bundled demo site (``python -m crawler.demo``), plus one
article written through the store whose title and body hold a ``<script>``. The test
opens the articles table, searches for a word from a crawled article, opens it, follows
its next link, checks the script is shown as text and never runs, and saves screenshots
to test-artifacts/.

Set-up: ``.ci/run`` installs Debian's ``chromium``; Playwright comes with the test extras
and only drives that browser (``playwright install`` is never needed).
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_TITLE = "<script>window.__injected = 1</script> Zeppelinwerft opens"
SCRIPT_BODY = (
    "The old zeppelinwerft hall opens to visitors this weekend after ten years of repairs. "
    '<img src=x onerror="window.__injected = 2"> <script>window.__injected = 3</script> '
    "Guided tours start every hour and the cafe on the roof serves lunch until three."
)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright comes with the test extras")
if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "news.db"
    crawl = subprocess.run(
        [sys.executable, "-m", "crawler.demo", "--db", str(path), "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    with sqlite3.connect(path) as conn:
        linked = conn.execute(
            "SELECT count(*) FROM articles a JOIN articles n ON n.url = a.next_url"
        ).fetchone()[0]
    assert linked >= 3, f"the demo crawl stored too few linked articles:\n{crawl.stdout[-3000:]}\n{crawl.stderr[-3000:]}"
    db = open_database(path)
    ArticleStore(db).upsert_articles(
        [
            ArticleRow(
                url="http://127.0.0.1/hostile/zeppelinwerft.html", site="hostile.example", title=SCRIPT_TITLE,
                body=SCRIPT_BODY, content_hash="hostile", fetched_at="2025-03-10T12:00:00+00:00",
                published_at="2025-03-10", language="en", summary=SCRIPT_BODY,
            )
        ]
    )
    db.conn.close()
    return path


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--port", str(port), "--db", str(demo_db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"newscrawl serve did not start:\n{process.stdout.read() if process.stdout else ''}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
        yield page
        browser.close()


def _searchable(demo_db: Path) -> tuple[int, str, str, int, str]:
    """(id, title, a distinctive title word, next id, next title) of a crawled article with a stored next one."""
    with sqlite3.connect(demo_db) as conn:
        rows = conn.execute(
            "SELECT a.id, a.title, n.id, n.title FROM articles a JOIN articles n ON n.url = a.next_url ORDER BY a.id"
        ).fetchall()
        for article_id, title, next_id, next_title in rows:
            for word in sorted(re.findall(r"[^\W\d_]{7,}", title), key=len, reverse=True):
                hits = conn.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [f'"{word}"']
                ).fetchone()[0]
                if hits == 1:
                    return article_id, title, word, next_id, next_title
    raise AssertionError("no crawled article has a title word found in no other article")


def test_search_open_article_follow_next_link(page, server: str, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    article_id, title, word, next_id, next_title = _searchable(demo_db)

    page.goto(f"{server}/news/articles")
    assert page.locator("h1").first.inner_text().strip().startswith("articles")
    page.fill("input[name=_fts]", word)
    page.press("input[name=_fts]", "Enter")
    page.wait_for_url(re.compile(r"_fts="))
    assert title in page.locator("table.rows-and-columns").inner_text()
    page.screenshot(path=str(ARTIFACTS / "browser-search.png"), full_page=True)

    page.goto(f"{server}/news/articles/{article_id}")
    assert title in page.content() or title in page.inner_text("body")
    page.click(f"a[href='/news/articles/{next_id}']")
    page.wait_for_url(re.compile(rf"/news/articles/{next_id}$"))
    assert next_title in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "browser-next-article.png"), full_page=True)


def test_stored_script_is_text_and_never_runs(page, server: str, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(demo_db) as conn:
        hostile_id = conn.execute("SELECT id FROM articles WHERE site = 'hostile.example'").fetchone()[0]
    for path in (f"/news/articles/{hostile_id}", "/news/articles?_search=zeppelinwerft", "/news/article_summaries"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__injected") is None, path
        assert "<script>window.__injected = 1</script> Zeppelinwerft opens" in page.inner_text("body"), path
    assert page.dialogs == []
    page.goto(f"{server}/news/articles/{hostile_id}")
    page.screenshot(path=str(ARTIFACTS / "browser-script-as-text.png"), full_page=True)


def test_the_pages_an_analyst_opens(page, server: str, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: articles first, first words not whole bodies, authors as names, column help folded,
    the search box taking OR and prefixes, and a timeline that shows empty days."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{server}/news")
    assert page.locator("h2 + h3 a, .db-table h3 a, h3 a").first.inner_text().strip() == "articles"
    assert "select id, published_at, site, title, summary, url" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "browser-database.png"), full_page=True)

    page.goto(f"{server}/news/articles")
    bodies = page.locator("td.col-body").all_inner_texts()
    assert bodies and all(len(body.split()) <= 31 for body in bodies)
    authors = " ".join(page.locator("td.col-authors").all_inner_texts())
    assert "[" not in authors and '"' not in authors
    assert not page.locator("details.column-help dl").is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser-articles.png"))

    with sqlite3.connect(demo_db) as conn:
        first, second = (row[0] for row in conn.execute(
            "SELECT title FROM articles WHERE site != 'hostile.example' ORDER BY id LIMIT 2"))
    one, other = (max(re.findall(r"[^\W\d_]{6,}", title), key=len) for title in (first, second))
    page.fill("input[name=_fts]", f"{one} OR {other[:5]}*")
    page.press("input[name=_fts]", "Enter")
    page.wait_for_url(re.compile(r"_fts="))
    table = page.locator("table.rows-and-columns").inner_text()
    assert first in table and second in table
    page.screenshot(path=str(ARTIFACTS / "browser-search-syntax.png"))

    page.goto(f"{server}/news/timeline?site=&since=&until=")
    rows = page.locator("table.rows-and-columns tbody tr").all_inner_texts()
    counts = [int(row.split("\t")[1]) for row in rows]
    assert len(rows) >= 2 and sum(counts) > 0
    days = [row.split("\t")[0] for row in rows]
    assert days == sorted(days, reverse=True) and len(set(days)) == len(days)
    page.screenshot(path=str(ARTIFACTS / "browser-timeline.png"))
