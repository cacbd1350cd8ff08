"""A demo publisher's feed, sitemaps and robots.txt, for discovery crawls.

Feeds and sitemaps need absolute URLs but the demo ports are random: these files are
written with the placeholder origin ``ORIGIN`` (``http://demo.invalid``), and the demo
server puts its own origin in its place when it serves ``.xml`` and ``.txt`` files.

Per publisher: ``/robots.txt`` (allow all, ``Sitemap:`` line), ``/sitemap.xml`` (a sitemap
index) over ``/sitemap-articles.xml`` (``lastmod`` = modified or published) and
``/sitemap-pages.xml`` (home, sections, static pages), an optional Google News sitemap, and
one feed (RSS 2.0 or Atom, newest articles first) that every HTML page links with
``<link rel="alternate">``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import jinja2

from crawler.demo import dates
from crawler.demo.content import Article, Publisher
from crawler.demo.render import RenderedPage

ORIGIN = "http://demo.invalid"  # replaced by the serving origin (crawler.demo.server)
FEED_SIZE = 10  # newest articles in a feed


def robots_txt(*, sitemap: bool) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if sitemap:
        lines.append(f"Sitemap: {ORIGIN}/sitemap.xml")
    return "\n".join(lines) + "\n"


def _moment(value: datetime | date, zone: ZoneInfo) -> datetime:
    """A feed needs a full time: a day alone becomes midnight in the publisher's zone."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0, 0), tzinfo=zone)


def _entry(article: Article, zone: ZoneInfo) -> dict[str, object]:
    published = _moment(article.published, zone)
    updated = _moment(article.modified or article.published, zone)
    return {
        "title": article.title,
        "url": ORIGIN + article.path,
        "description": article.description,
        "authors": article.authors,
        "section": article.section,
        "rfc822": format_datetime(published),
        "published": published.isoformat(timespec="seconds"),
        "updated": updated.isoformat(timespec="seconds"),
        "lastmod": dates.iso(article.modified or article.published),
        "news_date": dates.iso(article.published),
    }


def render_feeds(env: jinja2.Environment, publisher: Publisher, articles: list[Article]
                 ) -> list[RenderedPage]:
    """The feed and sitemaps of one publisher (root-relative paths, placeholder origin)."""
    zone = ZoneInfo(publisher.timezone)
    entries = [_entry(a, zone) for a in articles]
    newest = list(reversed(entries))
    listing_paths = ["/"] + [publisher.urls["section"].format(section=key)
                             for key in publisher.sections] + [p.path for p in publisher.pages]
    latest = max(_moment(a.modified or a.published, zone) for a in articles)
    context = {"publisher": publisher, "origin": ORIGIN, "feed_url": ORIGIN + publisher.feed,
               "updated": latest.isoformat(timespec="seconds"), "last_build": format_datetime(latest)}
    sitemaps = ["/sitemap-articles.xml", "/sitemap-pages.xml"]
    if publisher.news_sitemap:
        sitemaps.append(publisher.news_sitemap)
    files = {
        publisher.feed: (f"feeds/{publisher.feed_format}.xml", {"entries": newest[:FEED_SIZE]}),
        "/sitemap.xml": ("feeds/sitemap-index.xml", {"sitemaps": sitemaps}),
        "/sitemap-articles.xml": ("feeds/sitemap.xml", {"urls": [
            {"loc": e["url"], "lastmod": e["lastmod"]} for e in entries]}),
        "/sitemap-pages.xml": ("feeds/sitemap.xml", {"urls": [
            {"loc": ORIGIN + path, "lastmod": None} for path in listing_paths]}),
    }
    if publisher.news_sitemap:
        files[publisher.news_sitemap] = ("feeds/news-sitemap.xml", {"entries": entries})
    pages = []
    for path, (template, extra) in files.items():
        text = env.get_template(template).render(**context, **extra)
        pages.append(RenderedPage(path, "feed", text.encode("utf-8")))
    pages.append(RenderedPage("/robots.txt", "robots", robots_txt(sitemap=True).encode("utf-8")))
    return pages
