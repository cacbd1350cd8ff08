"""Datasette metadata for a newscrawl database: descriptions, facets, full-text search, canned queries.

Built in code because Datasette keys metadata by the database's name, which is the
file's stem (``data/news.db`` is served as ``news``). ``newscrawl serve`` writes it to a
temporary JSON file for Datasette; ``python -m crawler.datasette.metadata NAME`` prints it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

ARTICLE_COLUMNS = {
    "id": "Row id; `newscrawl show ID` prints the article",
    "url": "Canonical URL, tracking parameters stripped: the article's key",
    "site": "Host name without www.",
    "title": "Headline (plain text)",
    "body": "Article text, plain, paragraphs separated by a blank line",
    "published_at": "ISO 8601 publication time, with the page's UTC offset; a day alone when the page shows no time",
    "published_relative": "1 when the page wrote the date relative (\"3 hours ago\") and published_at is the fetch time minus that",
    "modified_at": "ISO 8601 time of the last update the page states",
    "authors": "JSON array of author names",
    "language": "Language code (en, de, fr, ...)",
    "description": "The page's own summary (meta description)",
    "site_name": "Publisher name as the page gives it",
    "prev_url": "URL of the previous article in the site's chain (links to its row when stored)",
    "prev_title": "Headline of the previous article, as the page shows it",
    "next_url": "URL of the next article in the site's chain (links to its row when stored)",
    "next_title": "Headline of the next article, as the page shows it",
    "prev_check": "Whether the crawl verified the prev link on fetching that page: confirmed, wrong_date, no_link_back, not_article; empty: not checked",
    "next_check": "Whether the crawl verified the next link on fetching that page: confirmed, wrong_date, no_link_back, not_article; empty: not checked",
    "word_count": "Words in the body",
    "content_hash": "sha256 of the normalised title and body (identical content is stored once)",
    "fetched_url": "The URL fetched, when it differs from the canonical one",
    "fetched_at": "Last fetch, ISO 8601 UTC",
    "first_seen_at": "First fetch, ISO 8601 UTC",
    "last_seen_at": "Last time a crawl saw the article, ISO 8601 UTC",
    "summary": "Extractive summary: at most three of the article's own sentences (TextRank)",
    "image_url": "The lead image (og:image, JSON-LD image, else the article's first figure)",
    "keywords": "JSON array of the publisher's tags or topics (news_keywords, article:tag, JSON-LD keywords)",
    "free_to_read": "1 free to read, 0 behind a paywall or a meter, as the page declares it; empty when it does not say",
    "article_uncertain": "1 when detection called the page an article by a small margin (a listing, service or documentation page may hide among these); 0 a sure article",
}

RUN_COLUMNS = {
    "started_at": "ISO 8601 UTC",
    "finished_at": "ISO 8601 UTC; empty while running or after a hard kill",
    "arguments": "JSON object of the run's options",
    "outcome": "running | success | partial | failed | interrupted",
    "finish_reason": "Scrapy's close reason",
}

FAILURE_COLUMNS = {
    "reason": "Stable code: http_404, timeout, not_article, no_body, duplicate, ...",
    "detail": "Human-readable detail",
    "http_status": "HTTP status of the response, if there was one",
    "run_id": "The run that recorded the failure",
}

QUERIES = {
    "articles_per_day": {
        "title": "Articles per day",
        "description": "Articles published per day and site (from the daily_counts view), newest first.",
        "sql": "SELECT day, site, articles FROM daily_counts ORDER BY day DESC, site",
    },
    "latest_per_site": {
        "title": "Latest articles per site",
        "description": "The five most recently published articles of every site.",
        "sql": (
            "SELECT a.site, a.id, a.title, a.published_at, a.summary, a.url"
            " FROM (SELECT DISTINCT site FROM articles) AS s"
            " JOIN articles AS a ON a.id IN ("
            "  SELECT id FROM articles WHERE site = s.site ORDER BY published_at DESC, id DESC LIMIT 5)"
            " ORDER BY a.site, a.published_at DESC"
        ),
    },
    "failed_pages": {
        "title": "Failed pages",
        "description": "Pages that produced no article, newest first, with the reason.",
        "sql": (
            "SELECT failed_at, reason, http_status, site, url, detail, run_id FROM failures"
            " ORDER BY id DESC LIMIT 1000"
        ),
    },
    "search_between": {
        "hide_sql": True,
        "title": "Search, with optional date window and site",
        "description": (
            "Full-text search over titles and bodies (the syntax of `newscrawl search`: phrases in quotes,"
            " AND/OR/NOT, prefix*, title:word), best match first among the 2,000 most recently stored"
            " matches, published from :since to :until (YYYY-MM-DD, both days included) on :site."
            " Leave a field blank for no limit."
        ),
        "sql": (
            "SELECT a.id, a.title, a.site, a.published_at,"
            " (SELECT snippet(articles_fts, -1, '[', ']', ' … ', 24) FROM articles_fts"
            "  WHERE articles_fts MATCH newscrawl_fts(:query) AND rowid = c.id) AS snippet, a.url"
            " FROM (SELECT articles_fts.rowid AS id, bm25(articles_fts, 5.0, 1.0) AS score"
            "  FROM articles_fts JOIN articles AS f INDEXED BY articles_search_filter ON f.id = articles_fts.rowid"
            "  WHERE articles_fts MATCH newscrawl_fts(:query)"
            "  AND (:since = '' OR f.published_at >= :since)"
            "  AND (:until = '' OR f.published_at < date(:until, '+1 day'))"
            "  AND (:site = '' OR f.site = :site)"
            "  ORDER BY articles_fts.rowid DESC LIMIT 2000) AS c"
            " JOIN articles AS a ON a.id = c.id ORDER BY c.score, c.id LIMIT 100"
        ),
    },
    "timeline": {
        "hide_sql": True,
        "title": "Timeline: articles per day",
        "description": (
            "Articles published per day, every day from :since to :until shown (empty days as 0), with a bar"
            " and the count per site, for :site. Leave a field blank for no limit (all sites, the first to"
            " the last day). Read from article_counts, which triggers keep exact."
        ),
        "sql": (
            "WITH RECURSIVE counts AS ("
            "  SELECT day, site, sum(articles) AS n FROM article_counts"
            "  WHERE day != '' AND (:site = '' OR site = :site)"
            "  AND (:since = '' OR day >= :since) AND (:until = '' OR day <= :until) GROUP BY day, site),"
            " span AS (SELECT coalesce(nullif(:since, ''), min(day)) AS first,"
            "  coalesce(nullif(:until, ''), max(day)) AS last FROM counts),"
            " days(day) AS (SELECT date(first) FROM span WHERE first IS NOT NULL"
            "  UNION ALL SELECT date(day, '+1 day') FROM days, span WHERE day < span.last),"
            " busiest AS (SELECT max(total) AS most FROM (SELECT sum(n) AS total FROM counts GROUP BY day))"
            " SELECT days.day, coalesce(sum(counts.n), 0) AS articles,"
            " substr('████████████████████████████████████████', 1,"
            "  coalesce(sum(counts.n), 0) * 40 / (SELECT most FROM busiest)) AS chart,"
            " group_concat(counts.site || ': ' || counts.n, ', ') AS per_site"
            " FROM days LEFT JOIN counts ON counts.day = days.day GROUP BY days.day ORDER BY days.day DESC"
        ),
    },
    "coverage": {
        "hide_sql": True,
        "title": "Field coverage per site",
        "description": (
            "Per site: articles, first and last day, and the share of articles with a date, authors,"
            " a previous or next link, and a summary. Read from article_counts."
        ),
        "sql": (
            "SELECT site, sum(articles) AS articles, min(nullif(day, '')) AS first_day, max(nullif(day, '')) AS last_day,"
            " printf('%.0f%%', 100.0 * sum(CASE WHEN day != '' THEN articles ELSE 0 END) / sum(articles)) AS dated,"
            " printf('%.0f%%', 100.0 * sum(with_authors) / sum(articles)) AS authors,"
            " printf('%.0f%%', 100.0 * sum(with_links) / sum(articles)) AS prev_next,"
            " printf('%.0f%%', 100.0 * sum(with_summary) / sum(articles)) AS summary"
            " FROM article_counts GROUP BY site ORDER BY articles DESC, site"
        ),
    },
    "site_chain": {
        "title": "A site's article chain",
        "description": "The site's articles in prev/next order, for one :site (the site_chains view, started from that site only).",
        "sql": (
            "WITH RECURSIVE chain(chain_id, position, id, url, next_url, came_from, longest) AS ("
            " SELECT a.id, 1, a.id, a.url, a.next_url, NULL, (SELECT count(*) FROM articles) FROM articles AS a"
            " WHERE a.site = :site"
            " AND NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.url = a.prev_url)"
            " AND NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.next_url = a.url)"
            " UNION ALL"
            " SELECT c.chain_id, c.position + 1, n.id, n.url, n.next_url, c.id, c.longest"
            " FROM chain AS c JOIN articles AS n INDEXED BY articles_chain_next ON n.url = c.next_url"
            " WHERE n.id <> c.id AND n.id IS NOT c.came_from AND c.position < c.longest"
            " UNION ALL"
            " SELECT c.chain_id, c.position + 1, n.id, n.url, n.next_url, c.id, c.longest"
            " FROM chain AS c JOIN articles AS n INDEXED BY articles_chain_prev ON n.prev_url = c.url"
            " WHERE NOT EXISTS (SELECT 1 FROM articles AS x WHERE x.url = c.next_url)"
            " AND n.id <> c.id AND n.id IS NOT c.came_from AND c.position < c.longest)"
            " SELECT chain.chain_id, chain.position, chain.id, a.title, a.published_at, chain.url"
            " FROM chain JOIN articles AS a ON a.id = chain.id ORDER BY chain.chain_id, chain.position"
        ),
    },
}


def build_metadata(database: str) -> dict[str, Any]:
    """Metadata for a newscrawl database served under the name ``database``."""
    return {
        "title": "newscrawl",
        "description": "News articles crawled by newscrawl. Read-only: nothing served here changes the database.",
        "databases": {
            database: {
                "description": (
                    "Articles, crawl runs and failed pages. Start with the articles table, the timeline or the"
                    " field coverage per site (queries below). Bookkeeping tables are hidden: 'hidden tables'"
                    " at the bottom of this page lists them. Schema: docs/schema.md."
                ),
                "tables": {
                    "articles": {
                        "description": "One row per article, keyed by canonical URL. Search box: full-text over title and body.",
                        "columns": ARTICLE_COLUMNS,
                        "facets": [{"counted": "site"}, {"counted": "language"}],  # crawler/datasette/facets.py
                        "sort_desc": "published_at",
                        "label_column": "title",
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                    },
                    "runs": {"description": "One row per crawl run.", "columns": RUN_COLUMNS, "sort_desc": "id"},
                    "failures": {
                        "description": "Pages that produced no article, with their reason.",
                        "columns": FAILURE_COLUMNS,
                        "facets": ["reason", "site"],
                        "sort_desc": "id",
                    },
                    "article_summaries": {
                        "description": "View: articles with their site and summary, without the body.",
                        "facets": ["site", "language"],
                        "sort_desc": "published_at",
                    },
                    "daily_counts": {"description": "View: articles published per site and day.", "facets": ["site"]},
                    "site_chains": {
                        "description": "View: each site's articles in prev/next order (chain_id = the chain's first article).",
                        "facets": ["site"],
                    },
                    "crawl_state": {
                        "description": "One row per page URL a crawl discovered, with its state; lets a stopped crawl resume.",
                        "facets": ["state", "site"],
                        "hidden": True,
                    },
                    "article_history": {
                        "description": "The previous version of an article each time a crawl replaced it with changed content.",
                        "hidden": True,
                    },
                    "article_counts": {
                        "description": "Articles per site, language and day with their field coverage, kept by triggers.",
                        "hidden": True,
                    },
                    "archive_records": {
                        "description": "Where each fetched response is kept in the WARC archive (issue 13).",
                        "hidden": True,
                    },
                    "site_furniture": {"hidden": True},
                    "furniture_sites": {"hidden": True},
                    "site_template_paths": {"hidden": True},
                    "template_sites": {"hidden": True},
                    "template_pages": {"hidden": True},
                    "site_layouts": {"hidden": True},
                    "site_checks": {"hidden": True},
                    "template_hints": {"hidden": True},
                    "template_rereads": {"hidden": True},
                    "reparse_progress": {
                        "description": "Per `newscrawl reparse` run, the last article it finished: where a stopped reparse resumes.",
                        "hidden": True,
                    },
                    "articles_fts": {"hidden": True},
                    "articles_fts_deferred": {"hidden": True},
                },
                "queries": QUERIES,
            }
        },
    }


if __name__ == "__main__":
    print(json.dumps(build_metadata(sys.argv[1] if len(sys.argv) > 1 else "news"), indent=2))
