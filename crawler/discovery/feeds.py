"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: their entries, and feeds linked from a page.

``parse_feed`` returns every entry's link, title and dates; fields per format, in the
order tried:
- link: Atom ``<link rel="alternate">`` (or a link without rel), then ``<link>`` text
  (RSS), then ``rdf:about`` (RDF), then ``<guid isPermaLink="true">`` or a guid that is a URL;
- published: ``published``, ``pubDate``, ``dc:date``, ``issued``;
- updated: ``updated``, ``modified``, ``dcterms:modified``, ``lastBuildDate`` is never used
  (it dates the feed, not the entry).
``find_feed_links`` reads ``<link rel="alternate" type="application/rss+xml|atom+xml|rdf+xml">``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from crawler.discovery.dates import parse_source_date
from crawler.discovery.xmldoc import child_text, local_name, parse_xml

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
    "application/x.atom+xml",
    "application/x-rss+xml",
)
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_PUBLISHED = ("published", "pubdate", "date", "issued", "created")
_UPDATED = ("updated", "modified")


@dataclass(slots=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None

    @property
    def source_date(self) -> datetime | None:
        """The newest date the feed gives for this entry."""
        dates = [value for value in (self.published, self.updated) if value]
        return max(dates) if dates else None


@dataclass(slots=True)
class Feed:
    kind: str  # "rss" | "atom" | "rdf" | "unknown"
    entries: list[FeedEntry] = field(default_factory=list)
    title: str | None = None
    error: str | None = None  # why the feed was (partly) unreadable


def looks_like_feed(data: bytes) -> bool:
    """Cheap sniff of a body's first bytes: is it an RSS/Atom/RDF document?"""
    head = data[:2048].lower()
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf", b"<rdf "))


def _entry_link(entry: lxml.etree._Element, base_url: str) -> str | None:
    links = [child for child in entry if local_name(child) == "link"]
    for child in links:  # Atom: href attribute, rel alternate or absent
        href = child.get("href")
        if href and child.get("rel", "alternate") == "alternate":
            return urljoin(base_url, href.strip())
    for child in links:  # RSS / RDF: element text
        text = (child.text or "").strip()
        if text:
            return urljoin(base_url, text)
    about = entry.get(_RDF_ABOUT)
    if about:
        return urljoin(base_url, about.strip())
    for child in entry:
        if local_name(child) == "guid":
            text = (child.text or "").strip()
            permalink = child.get("isPermaLink", "true").lower() == "true"
            if text.startswith(("http://", "https://")) and permalink:
                return text
    return None


def _entries(root: lxml.etree._Element) -> list[lxml.etree._Element]:
    return [element for element in root.iter() if local_name(element) in ("item", "entry")]


def _feed_kind(root: lxml.etree._Element) -> str:
    name = local_name(root)
    return {"rss": "rss", "feed": "atom", "rdf": "rdf"}.get(name, "unknown")


def _feed_title(root: lxml.etree._Element) -> str | None:
    channel = next((child for child in root if local_name(child) == "channel"), root)
    return child_text(channel, "title")


def parse_feed(data: bytes, base_url: str) -> Feed:
    """Entries of an RSS, RDF or Atom document; ``error`` says what was wrong with it."""
    parsed = parse_xml(data)
    if parsed.root is None:
        return Feed("unknown", error=parsed.error)
    root = parsed.root
    kind = _feed_kind(root)
    feed = Feed(kind, title=_feed_title(root), error=parsed.error)
    if kind == "unknown":
        feed.error = feed.error or f"not_a_feed: root element <{local_name(root)}>"
        return feed
    seen: set[str] = set()
    for element in _entries(root):
        if not parsed.is_complete(element):
            continue  # cut off by a truncated document: its fields may be half-written
        url = _entry_link(element, base_url)
        if not url or not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        feed.entries.append(
            FeedEntry(
                url=url,
                title=child_text(element, "title"),
                published=parse_source_date(child_text(element, *_PUBLISHED)),
                updated=parse_source_date(child_text(element, *_UPDATED)),
            )
        )
    return feed


def find_feed_links(html: str | bytes, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page declares with ``<link rel="alternate">``, in page order."""
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return []
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = tree.xpath("string(//base/@href)").strip() or base_url
    base = urljoin(base_url, base)
    urls: list[str] = []
    for link in tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            url = urljoin(base, href)
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
    return urls
