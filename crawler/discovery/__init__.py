"""Finding article URLs before fetching them: feeds, sitemaps, listing pages, date windows.

Pure functions over bytes/HTML and URLs; nothing here imports Scrapy, so the spider,
the CLI and the tests share them. The spider decides what to fetch from what these
return (see spiders/ and docs/scheduling.md).
"""

from crawler.discovery.dates import DateWindow, parse_source_date
from crawler.discovery.feeds import Feed, FeedEntry, find_feed_links, looks_like_feed, parse_feed
from crawler.discovery.listing import Link, ListingLinks, classify_link, listing_links
from crawler.discovery.sitemaps import Sitemap, SitemapEntry, parse_sitemap, sitemaps_from_robots

__all__ = [
    "DateWindow",
    "Feed",
    "FeedEntry",
    "Link",
    "ListingLinks",
    "Sitemap",
    "SitemapEntry",
    "classify_link",
    "find_feed_links",
    "listing_links",
    "looks_like_feed",
    "parse_feed",
    "parse_sitemap",
    "parse_source_date",
    "sitemaps_from_robots",
]
