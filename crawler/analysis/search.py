"""Full-text search over articles: FTS5 ranked by bm25, with filters and highlighted snippets."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from crawler.analysis.database import decode_list
from crawler.analysis.query import Filters, QueryError, fts_expression

TITLE_WEIGHT = 5.0  # bm25 weight of a match in the headline, against 1.0 in the body
SNIPPET_TOKENS = 24  # words of context in a snippet
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters marking a snippet's matches


@dataclass(slots=True)
class SearchHit:
    id: int
    url: str
    site: str
    title: str
    published_at: str | None
    language: str | None
    authors: list[str]
    summary: str | None
    score: float  # bm25: lower is better
    snippet: str  # highlighted with MARK_START / MARK_END

    def as_dict(self, *, mark: tuple[str, str] = ("**", "**")) -> dict[str, Any]:
        row = asdict(self)
        row["snippet"] = highlight(self.snippet, *mark)
        return row


def highlight(snippet: str, start: str, end: str) -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


def search(db: sqlite_utils.Database, query: str, filters: Filters, *, limit: int = 20) -> list[SearchHit]:
    """The best ``limit`` articles for ``query`` among those ``filters`` keep, best first.

    Raises ``QueryError`` for a query FTS5 cannot run.
    """
    expression = fts_expression(query)
    condition, params = filters.where("a")
    try:
        ranked = db.execute(
            f"""
            SELECT a.id, bm25(articles_fts, ?, 1.0) AS score
            FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid
            WHERE articles_fts MATCH ? AND {condition}
            ORDER BY score, a.id
            LIMIT ?
            """,
            [TITLE_WEIGHT, expression, *params, limit],
        ).fetchall()
        if not ranked:
            return []
        ids = [row[0] for row in ranked]
        # One lookup per hit: FTS5 answers "MATCH ? AND rowid = ?" directly, where
        # "rowid IN (...)" makes it walk every match.
        snippets = {
            article_id: db.execute(
                "SELECT snippet(articles_fts, -1, ?, ?, ' … ', ?) FROM articles_fts"
                " WHERE articles_fts MATCH ? AND rowid = ?",
                [MARK_START, MARK_END, SNIPPET_TOKENS, expression, article_id],
            ).fetchone()[0]
            for article_id in ids
        }
        placeholders = ", ".join("?" for _ in ids)
        rows = {
            row[0]: row
            for row in db.execute(
                "SELECT id, url, site, title, published_at, language, authors, summary"
                f" FROM articles WHERE id IN ({placeholders})",
                ids,
            ).fetchall()
        }
    except sqlite3.OperationalError as exc:
        raise QueryError(f"the search index cannot run {query!r}: {exc}") from exc
    return [
        SearchHit(
            id=article_id,
            url=rows[article_id][1],
            site=rows[article_id][2],
            title=rows[article_id][3],
            published_at=rows[article_id][4],
            language=rows[article_id][5],
            authors=decode_list(rows[article_id][6]),
            summary=rows[article_id][7],
            score=score,
            snippet=snippets.get(article_id, ""),
        )
        for article_id, score in ranked
    ]

