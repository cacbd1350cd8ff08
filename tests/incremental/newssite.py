"""A local news site with every discovery route, conditional GET and a request log.

``NewsSite`` serves on 127.0.0.1: a home page listing some articles, an RSS feed, a
robots.txt naming a sitemap index, which lists a gzip sitemap, a Google News sitemap
and a broken (truncated) sitemap. Articles come from the spider tests' builders
(tests/spider/site.py). Every response carries an ETag; ``If-None-Match`` with the
current ETag gets a 304. ``hits`` records (path, conditional) for every request.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from crawler.demo.localserver import LocalServer
from tests.spider.site import article_html, article_path, story


@dataclass
class Hit:
    path: str
    conditional: bool


@dataclass
class Entry:
    """One article of the site and where it is announced."""

    index: int
    route: str  # home | feed | sitemap | news | broken | none
    date: str  # ISO 8601, what the feed or sitemap says
    extra_body: str = ""
    prev: int | None = None
    next: int | None = None


@dataclass
class NewsSite:
    entries: list[Entry] = field(default_factory=list)
    latency: float = 0.0
    broken_sitemaps: bool = True  # the index also names a truncated and a missing sitemap
    extra_pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, type), in sitemap-1
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if site.latency:
                    time.sleep(site.latency)
                etag_sent = self.headers.get("If-None-Match")
                site.hits.append(Hit(self.path, etag_sent is not None))
                found = site.page(self.path)
                if found is None:
                    body, kind, status = b"<html><body>not found</body></html>", "text/html", 404
                else:
                    (body, kind), status = found, 200
                etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
                if status == 200 and etag_sent == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = LocalServer(Handler)
        self.base_url = self._server.base_url

    def __enter__(self) -> NewsSite:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    # --- content ---------------------------------------------------------------------------
    def url(self, index: int) -> str:
        return self.base_url + article_path(index)

    def entry(self, index: int) -> Entry:
        return next(entry for entry in self.entries if entry.index == index)

    def _routed(self, route: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.route == route]

    def page(self, path: str) -> tuple[bytes, str] | None:
        path = path.split("?", 1)[0]
        pages = {
            "/": self.home,
            "/robots.txt": self.robots,
            "/feed.xml": lambda: self.feed(self._routed("feed")),
            "/sitemap_index.xml": self.sitemap_index,
            "/sitemap-1.xml.gz": lambda: (gzip.compress(self.urlset(self._routed("sitemap"), self.extra_pages)[0]),
                                          "application/gzip"),
            "/news-sitemap.xml": lambda: self.urlset(self._routed("news"), news=True),
            "/broken-sitemap.xml": self.broken,
        }
        if path in pages:
            return pages[path]()
        if path in self.extra_pages:
            return self.extra_pages[path]
        for entry in self.entries:
            if article_path(entry.index) == path:
                prev_url = self.url(entry.prev) if entry.prev is not None else None
                next_url = self.url(entry.next) if entry.next is not None else None
                body = article_html(entry.index, prev_url=prev_url, next_url=next_url, extra_body=entry.extra_body)
                return body, "text/html; charset=utf-8"
        return None

    def home(self) -> tuple[bytes, str]:
        links = "".join(
            f'<li><a href="{article_path(entry.index)}">{html.escape(story(entry.index)[0])}</a></li>'
            for entry in self._routed("home")
        )
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test Gazette</title>
<link rel="alternate" type="application/rss+xml" title="Test Gazette" href="/feed.xml"></head>
<body><header><nav><a href="/">Home</a> <a href="/about.html">About</a></nav></header>
<main><h1>Latest news</h1><ul class="teasers">{links}</ul></main></body></html>"""
        return page.encode(), "text/html; charset=utf-8"

    def robots(self) -> tuple[bytes, str]:
        return f"User-agent: *\nAllow: /\nSitemap: {self.base_url}/sitemap_index.xml\n".encode(), "text/plain"

    def feed(self, entries: list[Entry]) -> tuple[bytes, str]:
        items = "".join(
            f"<item><title>{html.escape(story(entry.index)[0])}</title><link>{self.url(entry.index)}</link>"
            f"<pubDate>{_rfc822(entry.date)}</pubDate></item>"
            for entry in entries
        )
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test Gazette</title>{items}</channel></rss>'
        return rss.encode(), "application/rss+xml"

    def sitemap_index(self) -> tuple[bytes, str]:
        children = "".join(
            f"<sitemap><loc>{self.base_url}{path}</loc></sitemap>"
            for path in ("/sitemap-1.xml.gz", "/news-sitemap.xml",
                         *(("/broken-sitemap.xml", "/missing-sitemap.xml") if self.broken_sitemaps else ()))
        )  # fmt: skip
        xml = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>'
        return xml.encode(), "application/xml"

    def urlset(self, entries: list[Entry], extra: dict | None = None, *, news: bool = False) -> tuple[bytes, str]:
        def one(entry: Entry) -> str:
            if news:
                return (f"<url><loc>{self.url(entry.index)}</loc><news:news><news:publication>"
                        f"<news:name>Test Gazette</news:name><news:language>en</news:language></news:publication>"
                        f"<news:publication_date>{entry.date}</news:publication_date>"
                        f"<news:title>{html.escape(story(entry.index)[0])}</news:title></news:news></url>")  # fmt: skip
            return f"<url><loc>{self.url(entry.index)}</loc><lastmod>{entry.date}</lastmod></url>"

        xml = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               + "".join(one(entry) for entry in entries)
               + "".join(f"<url><loc>{self.base_url}{path}</loc></url>" for path in extra or {}) + "</urlset>")  # fmt: skip
        return xml.encode(), "application/xml"

    def broken(self) -> tuple[bytes, str]:
        """A sitemap cut off in the middle of its last entry: the entries before the cut still count."""
        body, kind = self.urlset(self._routed("broken"))
        cut = body.rfind(b"<url>")
        return (body[: cut + 20] if cut >= 0 else body[:-20]), kind

    def article_hits(self) -> list[Hit]:
        paths = {article_path(entry.index) for entry in self.entries}
        return [hit for hit in self.hits if hit.path.split("?", 1)[0] in paths]


def _rfc822(iso: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso))
