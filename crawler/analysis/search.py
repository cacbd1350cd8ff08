"""Full-text search over articles: FTS5 matches, filtered, ranked by bm25 or newest first, with snippets.

The cost of a search must not grow with the archive (docs/benchmarks.md, bench/analyst):

- ``relevance``: bm25 is computed only inside a bounded candidate set. When more than
  ``RANK_CANDIDATES`` articles match (after the filters), the most recently stored
  ``RANK_CANDIDATES`` of them are ranked; FTS5 walks its matches newest row first and
  stops there, so a word found in every article costs what a word found in a few
  thousand does. With fewer matches every match is ranked, as plain bm25 would.
- bm25 also counts, once per search, the articles holding each phrase of the query
  (its inverse document frequency), walking the phrase's whole doclist: 9 ms for a word in
  97% of 200,000 articles, 45 ms at a million. So the phrases weighed are bounded:
  each positive phrase's articles are counted up to ``RANK_DOCS`` and the phrases are
  weighed rarest first while their articles add up to at most ``RANK_DOCS``. A phrase
  left out is one bm25 gives little weight anyway (at most log(N / RANK_DOCS - 1): 2.2
  at a million articles, nothing below 2 * RANK_DOCS, where bm25 floors it to 1e-6), and
  the phrases under a ``NOT`` are left out too (the matches do not hold them). The
  candidates are then ranked by bm25 over the weighed phrases alone, which gives every
  candidate the score plain bm25 gives it when no phrase was left out (unless a candidate
  holds a negated phrase: ``a OR b NOT c`` matches a row with ``a`` and ``c``, where plain
  bm25 weighs ``c`` too). When no phrase
  can be weighed (every word of the query is in more than ``RANK_DOCS`` articles) the
  matches are listed newest first (``SearchResult.by_date``).
- ``newest``: newest ``published_at`` first among all matches. Up to ``NEWEST_EXACT``
  matches are sorted directly; a query matching more is common, so the articles are
  walked newest first in blocks of ``WALK_BLOCK`` and each block is asked which of them
  match, until ``limit`` are found.
- Filters (``--site``, ``--since``, ``--until``, ``--language``, ``--author``) are checked
  against the ``articles_search_filter`` index (id, published_at, site, language,
  authors), never against the row, whose columns after the body sit on its overflow
  pages; a date window also bounds the row ids FTS5 walks. A look-up costs about 1.2 us
  a match, and finding ``RANK_CANDIDATES`` among a site's share of a common word's
  matches would walk all of them, so relevance with filters first looks among the newest
  ``FILTER_WALK`` matches only (``SearchResult.walked``), and walks on through every
  match only when fewer than ``limit`` of those pass the filters.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import sqlite_utils

from crawler.analysis.database import decode_list
from crawler.analysis.query import Filters, QueryError, fts_query

TITLE_WEIGHT = 5.0  # bm25 weight of a match in the headline, against 1.0 in the body
SNIPPET_TOKENS = 24  # words of context in a snippet
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters marking a snippet's matches
RANK_CANDIDATES = 2_000  # relevance: bm25 ranks at most this many matches, the most recently stored
RANK_DOCS = 100_000  # relevance: bm25 weighs phrases found in at most this many articles in all (rarest first)
FILTER_WALK = 10_000  # relevance with filters: candidates are sought among this many newest matches first
NEWEST_EXACT = 5_000  # newest: up to this many matches are sorted by date directly
WALK_BLOCK = 2_000  # newest: articles per step of the walk through the dates
PREFIX_WORDS = 64  # a prefix covering more indexed words than this is left to FTS5 as a prefix
SORTS = ("relevance", "newest")
FILTER_INDEX = "articles_search_filter"  # the covering index the filters read (schema migration 12)
_NO_ROWID = (-(2**63), 2**63 - 1)


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
    score: float | None  # bm25, lower is better; None when sorted by date
    snippet: str  # highlighted with MARK_START / MARK_END

    def as_dict(self, *, mark: tuple[str, str] = ("**", "**")) -> dict[str, Any]:
        row = asdict(self)
        row["snippet"] = highlight(self.snippet, *mark)
        return row


@dataclass(slots=True)
class SearchResult:
    hits: list[SearchHit] = field(default_factory=list)
    ranked_among: int | None = None  # relevance: the candidate cap, when more articles matched than it
    by_date: bool = False  # relevance asked, but every phrase is in more than RANK_DOCS articles: newest first
    walked: int | None = None  # relevance with filters: the candidates were sought among this many newest matches


def highlight(snippet: str, start: str, end: str) -> str:
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


@dataclass(frozen=True, slots=True)
class _Matches:
    """One query's SQL pieces: the FTS5 expression, the filter join and condition, the rowid window."""

    expression: str
    phrases: tuple[str, ...]  # the positive phrases (query.FtsQuery)
    negated: bool
    join: str
    condition: str
    params: list[Any]
    low: int
    high: int
    walk: Filters = Filters()  # the filters the walk through the dates applies with an index (sites, dates)

    def select(self, columns: str, tail: str, extra: list[Any]) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {columns} FROM articles_fts {self.join}"
            f" WHERE articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ? AND {self.condition} {tail}"
        )
        return sql, [self.expression, self.low, self.high, *self.params, *extra]


def _fold(text: str) -> str:
    """Text as the index stores its words: lower case, diacritics removed (unicode61 remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def prefix_words(db: sqlite_utils.Database, prefix: str) -> list[str] | None:
    """The indexed words that start with ``prefix`` (None when there are more than ``PREFIX_WORDS``).

    Read one word at a time from fts5vocab's ``instance`` table: each step seeks to the next
    word and stops at its first occurrence, so a step costs a seek in each segment of the
    index. The ``row`` table would count every word's documents on the way, a walk through
    the doclists of all the words listed (a prefix covering a word in most articles: 18 ms
    at 200,000 articles against 1.7 ms this way). ``term > ?`` is not handed to fts5vocab
    (SQLite would scan from the first word), so the next step asks for ``>= word + U+0001``.
    """
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_fts_instances USING fts5vocab(main, 'articles_fts', 'instance')"
    )
    start = _fold(prefix)
    end = start + "\U0010ffff"
    words: list[str] = []
    while len(words) <= PREFIX_WORDS:
        row = db.execute(
            "SELECT term FROM temp.articles_fts_instances WHERE term >= ? AND term < ? LIMIT 1", [start, end]
        ).fetchone()
        if row is None:
            break
        words.append(row[0])
        start = row[0] + "\x01"  # the tokenizer keeps no control characters: nothing sorts between
    return words if len(words) <= PREFIX_WORDS else None


def _matches(db: sqlite_utils.Database, query: str, filters: Filters) -> _Matches | None:
    """The pieces for ``query`` under ``filters``; None when the date window holds no article."""
    parsed = fts_query(query, expand=lambda prefix: prefix_words(db, prefix))
    condition, params = filters.where("a")
    join = f"JOIN articles AS a INDEXED BY {FILTER_INDEX} ON a.id = articles_fts.rowid" if params else ""
    low, high = _NO_ROWID
    walk = Filters(sites=filters.sites, since=filters.since, until=filters.until)
    if filters.since is not None or filters.until is not None:
        # The window's rows, found through the date index, bound the row ids FTS5 walks.
        window, window_params = walk.where("a")
        low, high = db.execute(f"SELECT min(id), max(id) FROM articles AS a WHERE {window}", window_params).fetchone()
        if low is None:
            return None
    return _Matches(parsed.expression, parsed.phrases, parsed.negated, join, condition if params else "1", params, low, high, walk)


def search(
    db: sqlite_utils.Database, query: str, filters: Filters, *, limit: int = 20, sort: str = "relevance"
) -> SearchResult:
    """The first ``limit`` articles for ``query`` among those ``filters`` keep, in ``sort`` order.

    Raises ``QueryError`` for a query FTS5 cannot run.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
    try:
        matches = _matches(db, query, filters)
        if matches is None:
            return SearchResult()
        weighed = _weighed_phrases(db, matches.phrases) if sort == "relevance" else []
        if sort == "newest" or not weighed:
            result = SearchResult([(article_id, None) for article_id in _newest(db, matches, limit)])
            result.by_date = sort == "relevance"
        else:
            result = _ranked(db, matches, weighed, limit)
        return replace(result, hits=_hits(db, matches.expression, result.hits))
    except sqlite3.OperationalError as exc:
        raise QueryError(f"the search index cannot run {query!r}: {exc}") from exc


def _ranked(db: sqlite_utils.Database, matches: _Matches, weighed: list[str], limit: int) -> SearchResult:
    """Relevance: bm25 over ``weighed``; with filters, among the newest FILTER_WALK matches first."""

    def rank(within: _Matches) -> SearchResult:
        if len(weighed) == len(within.phrases) and not within.negated:
            return _relevance(db, within, limit)  # bm25 over the whole expression: one pass
        return _relevance_of(db, within, weighed, limit)

    if matches.params:
        sql, params = replace(matches, join="", condition="1", params=[]).select(
            "articles_fts.rowid", "ORDER BY articles_fts.rowid DESC LIMIT 1 OFFSET ?", [FILTER_WALK - 1]
        )
        floor = db.execute(sql, params).fetchone()
        if floor is not None:  # more than FILTER_WALK matches: the newest FILTER_WALK first
            result = rank(replace(matches, low=max(matches.low, floor[0])))
            if len(result.hits) >= limit:
                return replace(result, walked=FILTER_WALK)
    return rank(matches)


def _relevance(db: sqlite_utils.Database, matches: _Matches, limit: int) -> SearchResult:
    """bm25 over the newest-stored ``cap`` matches (all of them when fewer), in one pass of FTS5."""
    cap = max(RANK_CANDIDATES, limit)
    sql, params = matches.select(
        "articles_fts.rowid AS id, bm25(articles_fts, ?, 1.0) AS score", "ORDER BY articles_fts.rowid DESC LIMIT ?", [cap + 1]
    )
    candidates = db.execute(sql, [TITLE_WEIGHT, *params]).fetchall()
    capped = len(candidates) > cap
    best = sorted(candidates[:cap], key=lambda row: (row[1], row[0]))[:limit]
    return SearchResult([(row[0], row[1]) for row in best], ranked_among=cap if capped else None)


def _weighed_phrases(db: sqlite_utils.Database, phrases: tuple[str, ...]) -> list[str]:
    """The phrases bm25 weighs: rarest first while their articles add up to at most RANK_DOCS
    (each counted up to RANK_DOCS + 1: a stop after that many rows of its doclist)."""
    counts = []
    for position, phrase in enumerate(phrases):
        count = db.execute(
            "SELECT count(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            [phrase, RANK_DOCS + 1],
        ).fetchone()[0]
        counts.append((count, position, phrase))
    weighed, total = [], 0
    for count, position, phrase in sorted(counts):
        if total + count > RANK_DOCS:
            break
        total += count
        weighed.append((position, phrase))
    return [phrase for _, phrase in sorted(weighed)]  # in the query's order


def _relevance_of(db: sqlite_utils.Database, matches: _Matches, phrases: list[str], limit: int) -> SearchResult:
    """bm25 over ``phrases`` (some of the query's) for the newest-stored ``cap`` matches of the
    whole query: the candidates first, without bm25, then one FTS5 pass over the weighed
    phrases inside the candidates' row range. A candidate holding none of them scores 0."""
    cap = max(RANK_CANDIDATES, limit)
    sql, params = matches.select("articles_fts.rowid", "ORDER BY articles_fts.rowid DESC LIMIT ?", [cap + 1])
    ids = [row[0] for row in db.execute(sql, params)]
    capped = len(ids) > cap
    ids = ids[:cap]
    if not ids:
        return SearchResult()
    scores = dict(
        db.execute(
            "SELECT rowid, bm25(articles_fts, ?, 1.0) FROM articles_fts WHERE articles_fts MATCH ?"
            " AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))",
            [TITLE_WEIGHT, " OR ".join(f"({phrase})" for phrase in phrases), min(ids), max(ids), json.dumps(ids)],
        ).fetchall()
    )
    best = sorted(ids, key=lambda article_id: (scores.get(article_id, 0.0), article_id))[:limit]
    return SearchResult([(article_id, scores.get(article_id, 0.0)) for article_id in best], ranked_among=cap if capped else None)


def _newest(db: sqlite_utils.Database, matches: _Matches, limit: int) -> list[int]:
    """Newest first. Up to NEWEST_EXACT matches (before the filters) are sorted by their dates
    from the filter index; a query matching more is common enough to walk the dates for."""
    sql, params = replace(matches, join="", condition="1", params=[]).select(
        "articles_fts.rowid", "ORDER BY articles_fts.rowid DESC LIMIT ?", [NEWEST_EXACT + 1]
    )
    ids = [row[0] for row in db.execute(sql, params)]
    dated = replace(matches, join=f"JOIN articles AS a INDEXED BY {FILTER_INDEX} ON a.id = articles_fts.rowid")
    if len(ids) > NEWEST_EXACT:
        return _walk_dates(db, dated, limit)
    if not ids:
        return []
    found = db.execute(
        f"SELECT a.id, a.published_at FROM articles AS a INDEXED BY {FILTER_INDEX}"
        f" WHERE a.id IN ({', '.join('?' for _ in ids)}) AND {matches.condition}",
        [*ids, *matches.params],
    ).fetchall()
    found.sort(key=lambda row: (row[1] is not None, row[1] or "", row[0]), reverse=True)  # undated last
    return [row[0] for row in found[:limit]]


def _walk_dates(db: sqlite_utils.Database, matches: _Matches, limit: int) -> list[int]:
    """Newest first through a date index (a site's own when one site is asked for), a block at a
    time, keeping the block's matches."""
    chosen: list[int] = []
    after: tuple[str, int] | None = None
    window_condition, window_params = matches.walk.where("a")
    # One site: its (site, published_at) index is in date order. Several: the date index, each
    # row's site checked (the site index would sort all their rows for every block).
    index = "" if len(matches.walk.sites) == 1 else "INDEXED BY articles_published"
    while len(chosen) < limit:
        bound = "AND (a.published_at, a.id) < (?, ?)" if after else ""
        block = db.execute(
            f"SELECT a.id, a.published_at FROM articles AS a {index}"
            f" WHERE a.published_at IS NOT NULL AND {window_condition} {bound}"
            " ORDER BY a.published_at DESC, a.id DESC LIMIT ?",
            [*window_params, *(after or ()), WALK_BLOCK],
        ).fetchall()
        if not block:
            break
        ids = [row[0] for row in block]
        window = replace(matches, low=max(matches.low, min(ids)), high=min(matches.high, max(ids)))
        sql, params = window.select("articles_fts.rowid", "", [])
        hit = {row[0] for row in db.execute(sql, params)}
        chosen += [article_id for article_id in ids if article_id in hit][: limit - len(chosen)]
        after = (block[-1][1], block[-1][0])
    if len(chosen) < limit:  # the dated articles are exhausted: undated matches come last
        undated = replace(matches, condition=f"{matches.condition} AND a.published_at IS NULL")
        sql, params = undated.select("articles_fts.rowid", "ORDER BY articles_fts.rowid DESC LIMIT ?", [limit - len(chosen)])
        chosen += [row[0] for row in db.execute(sql, params)]
    return chosen


def _hits(db: sqlite_utils.Database, expression: str, ranked: list[tuple[int, float | None]]) -> list[SearchHit]:
    if not ranked:
        return []
    ids = [article_id for article_id, _ in ranked]
    # One pass over the hits' rowid range: FTS5 walks only the matches inside it and
    # computes a snippet only for the rows kept (a lookup per hit would evaluate a
    # prefix query once per hit).
    placeholders = ", ".join("?" for _ in ids)
    snippets = dict(
        db.execute(
            "SELECT rowid, snippet(articles_fts, -1, ?, ?, ' … ', ?) FROM articles_fts"
            f" WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? AND rowid IN ({placeholders})",
            [MARK_START, MARK_END, SNIPPET_TOKENS, expression, min(ids), max(ids), *ids],
        ).fetchall()
    )
    rows = {
        row[0]: row
        for row in db.execute(
            "SELECT id, url, site, title, published_at, language, authors, summary"
            f" FROM articles WHERE id IN ({placeholders})",
            ids,
        ).fetchall()
    }
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
