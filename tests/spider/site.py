"""A small local news site for spider and CLI tests: an HTTP server on 127.0.0.1 and page builders.

``LocalSite`` serves a dict of path -> ``Page`` from a thread and records every request
path, so a test can say what the crawler fetched and what it never touched. The article
builder writes ordinary article markup (JSON-LD, OpenGraph, ``<time>``, a post-navigation
block with "Previous Article" / "Next Article") and the traps a real page carries: comment
paging, a photo gallery "next", related and most-read lists, a section page with pagination.
The text is generated here, one distinct story per article.
"""

from __future__ import annotations

import html
import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from crawler.demo.localserver import LocalServer
from crawler.runner import local_site_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds the server waits before answering


class LocalSite(LocalServer):
    """An HTTP server on 127.0.0.1 (a free port) serving fixed pages; records request paths."""

    def __init__(self, pages: dict[str, Page] | None = None) -> None:
        self.pages: dict[str, Page] = dict(pages or {})
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site.hits.append(self.path)
                page = site.pages.get(self.path) or Page(b"<html><body>not found</body></html>", 404)
                time.sleep(page.delay)
                self.send_response(page.status)
                if page.content_type:
                    self.send_header("Content-Type", page.content_type)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(Handler)

    def article_hits(self) -> list[str]:
        return [path for path in self.hits if path != "/robots.txt"]


# --- page builders ------------------------------------------------------------------------------
_TOPICS = (
    ("harbour", "The harbour authority", "ferry timetables", "dock workers"),
    ("orchard", "The orchard cooperative", "apple harvest", "pickers"),
    ("library", "The city library", "opening hours", "readers"),
    ("railway", "The regional railway", "night trains", "commuters"),
    ("bakery", "The bakers' guild", "flour prices", "apprentices"),
    ("observatory", "The hill observatory", "public viewing nights", "astronomers"),
    ("brewery", "The old brewery", "renovation plans", "neighbours"),
    ("stadium", "The town stadium", "roof repairs", "supporters"),
)


def story(index: int, *, chain: str = "main") -> tuple[str, list[str]]:
    """A headline and four paragraphs, different for every (chain, index)."""
    key, actor, subject, people = _TOPICS[index % len(_TOPICS)]
    number = 100 + index * 7
    title = f"{actor.split(' ', 1)[1].capitalize()} changes {subject} ({chain} report {index})"
    paragraphs = [
        f"{actor} announced on Tuesday that {subject} will change from next month, a decision that "
        f"affects about {number} {people} in the {chain} district, according to the report numbered {index}.",
        f"Officials said the {key} plan had been discussed for {index + 2} weeks before the vote, and that "
        f"the cost of {number * 3} thousand would be shared between the council and local businesses.",
        f"Several {people} told reporters they welcomed the change but asked for clearer information, "
        f"especially about how the {subject} would work during the winter months.",
        f"A follow-up meeting on the {key} is planned for day {index % 28 + 1} of next month, when residents of the "
        f"{chain} district can put their questions directly to the organisers.",
    ]
    return title, paragraphs


def article_path(index: int, *, chain: str = "main") -> str:
    return f"/{chain}/2025/03/{index % 28 + 1:02d}/{_TOPICS[index % len(_TOPICS)][0]}-story-{index}.html"


def article_html(
    index: int,
    *,
    chain: str = "main",
    prev_url: str | None = None,
    next_url: str | None = None,
    extra_body: str = "",
) -> bytes:
    """One article page with post navigation and the usual traps around it."""
    title, paragraphs = story(index, chain=chain)
    day = f"2025-03-{index % 28 + 1:02d}"
    published = f"{day}T08:{index % 60:02d}:00+01:00"
    author = ("Ada Reporter", "Ben Writer", "Chloé Columnist")[index % 3]
    prev_title = story(index - 1, chain=chain)[0] if prev_url else ""
    next_title = story(index + 1, chain=chain)[0] if next_url else ""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published,
        "author": {"@type": "Person", "name": author},
    }
    head_links = "".join(
        f'<link rel="{rel}" href="{html.escape(url)}">' for rel, url in (("prev", prev_url), ("next", next_url)) if url
    )
    navigation = ""
    if prev_url:
        navigation += (
            f'<div class="nav-previous"><a href="{html.escape(prev_url)}" rel="prev">'
            f"<span>Previous Article</span> {html.escape(prev_title)}</a></div>"
        )
    if next_url:
        navigation += (
            f'<div class="nav-next"><a href="{html.escape(next_url)}" rel="next">'
            f"<span>Next Article</span> {html.escape(next_title)}</a></div>"
        )
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | Test Gazette</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="Test Gazette">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{json.dumps(ld)}</script>
{head_links}
</head><body>
<header><a href="/">Test Gazette</a> <nav><a href="/section/local.html">Local</a></nav></header>
<main>
<article>
<h1>{html.escape(title)}</h1>
<p class="byline">By <span class="author">{html.escape(author)}</span>,
<time datetime="{published}">{day}</time></p>
<div class="entry-content">{body}{extra_body}</div>
<div class="share-bar"><a href="https://social.example/share">Share</a></div>
</article>
<nav class="navigation post-navigation" aria-label="Posts">{navigation}</nav>
<figure class="gallery slider"><img src="/img/{index}-1.jpg" alt="">
<a class="gallery-next" href="/{chain}/gallery/{index}/photo-2.html" rel="next">Next photo</a></figure>
<section id="comments" class="comments-area"><h2>3 comments</h2>
<div class="comment">Great news for the district.</div>
<nav class="comment-navigation"><a href="{article_path(index, chain=chain)}?cpage=2#comments" rel="next">Older comments</a>
<a href="/{chain}/comments/{index}/page-2.html" rel="next">Next page of comments</a></nav></section>
<aside class="related-posts"><h2>Related</h2><ul><li><a href="/{chain}/2024/related-{index}.html">Related: an older story</a></li></ul></aside>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/{chain}/2024/popular-{index}.html">Next: the most read story</a></li></ol></aside>
</main>
<footer><a href="/about.html">About</a> &copy; Test Gazette</footer>
</body></html>"""
    return page.encode("utf-8")


def section_html(links: Sequence[str], *, next_page: str | None = None) -> bytes:
    items = "".join(f'<li><a href="{html.escape(url)}">Story {number}</a></li>' for number, url in enumerate(links))
    pager = f'<a class="next page-numbers" rel="next" href="{html.escape(next_page)}">Next page</a>' if next_page else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Local news | Test Gazette</title>"
        f"</head><body><h1>Local news</h1><ul class='post-list'>{items}</ul><nav class='pagination'>{pager}</nav>"
        "</body></html>"
    ).encode("utf-8")


def chain_pages(count: int, *, chain: str = "main", base_url: str = "") -> dict[str, Page]:
    """``count`` articles, oldest first, each linking to its neighbours (absolute URLs when base_url is set)."""
    pages = {}
    for index in range(count):
        prev_url = base_url + article_path(index - 1, chain=chain) if index > 0 else None
        next_url = base_url + article_path(index + 1, chain=chain) if index < count - 1 else None
        pages[article_path(index, chain=chain)] = Page(
            article_html(index, chain=chain, prev_url=prev_url, next_url=next_url)
        )
    return pages


def trap_pages(count: int, *, chain: str = "main") -> dict[str, Page]:
    """Pages the traps of ``chain_pages`` point at; they exist so that following one would succeed."""
    pages: dict[str, Page] = {"/section/local.html": Page(section_html([article_path(0, chain=chain)], next_page="/section/local-2.html"))}
    for index in range(count):
        for path in (
            f"/{chain}/gallery/{index}/photo-2.html",
            f"/{chain}/comments/{index}/page-2.html",
            f"/{chain}/2024/related-{index}.html",
            f"/{chain}/2024/popular-{index}.html",
        ):
            pages[path] = Page(article_html(1000 + index, chain=chain + "-trap"))
    return pages


# --- running crawls -------------------------------------------------------------------------------
def local_overrides() -> list[str]:
    """``--set`` arguments for a crawl of a local server: the one helper the tests use."""
    arguments = []
    for name, value in local_site_settings().items():
        arguments += ["--set", f"{name}={_setting_text(value)}"]
    return arguments


def _setting_text(value: Any) -> str:
    """A setting value as the command line takes it (lists comma-separated)."""
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def crawl_command(urls: Sequence[str], db: Path, *options: str) -> list[str]:
    """The ``newscrawl crawl`` command line for a crawl of local servers."""
    return [sys.executable, "-m", "crawler", "crawl", *urls, "--db", str(db), *local_overrides(), *options]


def run_crawl_cli(urls: Sequence[str], db: Path, *options: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``newscrawl crawl`` in a subprocess (one reactor per process), output captured."""
    command = crawl_command(urls, db, *options)
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)


def run_article_spider(
    urls: Sequence[str], db: Path, *arguments: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl article`` (the chain walker alone, every page fetched each run) in a subprocess."""
    settings = []
    for name, value in {**local_site_settings(), "NEWSCRAWL_DB_PATH": str(db)}.items():
        settings += ["-s", f"{name}={_setting_text(value)}"]
    command = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url={','.join(urls)}", *arguments, *settings]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout)


def rows(db: Path, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()
