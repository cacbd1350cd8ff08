"""The article_counts table's trigger statements (schema migration 13): what an article adds and takes away.

One row per (site, language, day) holds the number of articles and how many of them have
authors, a previous or next link, and a summary. ``count_in(row)`` adds article ``row``
(``new`` or ``old`` in a trigger), ``count_out(row)`` takes it away and drops a group left
empty. ``crawler.analysis.stats`` and the Datasette timeline read the table. Migration 13
builds its triggers and its backfill from these: changing what is counted is a new
migration that drops and recreates the triggers, never an edit here alone.
"""

from __future__ import annotations

# article_counts: the group an article counts in, and what it counts for (0 or 1 each).
COUNT_KEY = {
    "site": "{row}.site",
    "language": "coalesce({row}.language, '')",
    "day": "coalesce(substr({row}.published_at, 1, 10), '')",
}
COUNT_FLAGS = {
    "with_authors": "(coalesce({row}.authors, '[]') NOT IN ('[]', ''))",
    "with_links": "({row}.prev_url IS NOT NULL OR {row}.next_url IS NOT NULL)",
    "with_summary": "(coalesce({row}.summary, '') != '')",
}


def count_in(row: str) -> str:
    """The statement adding article ``row`` (``new`` or ``old``) to article_counts."""
    values = [value.format(row=row) for value in (*COUNT_KEY.values(), "1", *COUNT_FLAGS.values())]
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name in ("articles", *COUNT_FLAGS))
    return (
        f"INSERT INTO article_counts ({', '.join([*COUNT_KEY, 'articles', *COUNT_FLAGS])})"
        f" VALUES ({', '.join(values)}) ON CONFLICT ({', '.join(COUNT_KEY)}) DO UPDATE SET {updates};"
    )


def count_out(row: str) -> str:
    """The statements taking article ``row`` out of article_counts (a group left empty goes)."""
    key = " AND ".join(f"{name} = {value.format(row=row)}" for name, value in COUNT_KEY.items())
    updates = ", ".join(f"{name} = {name} - {value.format(row=row)}" for name, value in COUNT_FLAGS.items())
    return (
        f"UPDATE article_counts SET articles = articles - 1, {updates} WHERE {key};"
        f" DELETE FROM article_counts WHERE {key} AND articles <= 0;"
    )
