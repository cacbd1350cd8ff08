"""Sitemaps: url sets, sitemap indexes, Google News sitemaps, and robots.txt ``Sitemap:`` lines.

``parse_sitemap`` reads a (possibly gzipped, possibly broken) sitemap body into:
- ``entries`` of a ``<urlset>``: loc, lastmod, and from a Google News sitemap
  ``news:publication_date`` and ``news:title``;
- ``sitemaps`` of a ``<sitemapindex>``: child sitemap URLs with their lastmod.
A sitemap that is truncated or malformed still yields the entries before the damage,
and ``error`` says what was wrong, for the caller to record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import lxml.etree

from crawler.discovery.dates import parse_source_date
from crawler.discovery.xmldoc import child_text, local_name, parse_xml

MAX_SITEMAP_ENTRIES = 50_000  # the sitemap protocol's limit per file; more is ignored


@dataclass(slots=True)
class SitemapEntry:
    url: str
    lastmod: datetime | None = None
    news_published: datetime | None = None  # <news:publication_date>
    news_title: str | None = None  # <news:title>

    @property
    def source_date(self) -> datetime | None:
        """The newest date the sitemap gives for this URL."""
        dates = [value for value in (self.lastmod, self.news_published) if value]
        return max(dates) if dates else None


@dataclass(slots=True)
class Sitemap:
    kind: str  # "urlset" | "sitemapindex" | "unknown"
    entries: list[SitemapEntry] = field(default_factory=list)  # pages (urlset)
    sitemaps: list[SitemapEntry] = field(default_factory=list)  # child sitemaps (sitemapindex)
    error: str | None = None


def _child(element: lxml.etree._Element, name: str) -> lxml.etree._Element | None:
    return next((child for child in element if local_name(child) == name), None)


def _read_entry(element: lxml.etree._Element, base_url: str) -> SitemapEntry | None:
    loc = child_text(element, "loc")
    if not loc:
        return None
    url = urljoin(base_url, loc)
    if not url.startswith(("http://", "https://")):
        return None
    entry = SitemapEntry(url=url, lastmod=parse_source_date(child_text(element, "lastmod")))
    news = _child(element, "news")
    if news is not None:
        entry.news_published = parse_source_date(child_text(news, "publication_date"))
        entry.news_title = child_text(news, "title")
    return entry


def parse_sitemap(data: bytes, base_url: str) -> Sitemap:
    """Read a sitemap or sitemap index; see the module docstring."""
    parsed = parse_xml(data)
    if parsed.root is None:
        return Sitemap("unknown", error=parsed.error)
    root = parsed.root
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        return Sitemap("unknown", error=parsed.error or f"not_a_sitemap: root element <{kind}>")
    sitemap = Sitemap(kind, error=parsed.error)
    target = sitemap.entries if kind == "urlset" else sitemap.sitemaps
    wanted = "url" if kind == "urlset" else "sitemap"
    seen: set[str] = set()
    for element in root:
        if local_name(element) != wanted or not parsed.is_complete(element):
            continue
        entry = _read_entry(element, base_url)
        if entry is None or entry.url in seen:
            continue
        if len(target) >= MAX_SITEMAP_ENTRIES:
            sitemap.error = sitemap.error or f"too_many_entries: kept the first {MAX_SITEMAP_ENTRIES}"
            break
        seen.add(entry.url)
        target.append(entry)
    return sitemap


def sitemaps_from_robots(text: str | bytes, base_url: str) -> list[str]:
    """Absolute sitemap URLs from the ``Sitemap:`` lines of a robots.txt (any case, any group)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    urls: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        name, sep, value = line.partition(":")
        if not sep or name.strip().lower() != "sitemap":
            continue
        url = urljoin(base_url, value.strip())
        if url.startswith(("http://", "https://")) and url not in urls:
            urls.append(url)
    return urls
