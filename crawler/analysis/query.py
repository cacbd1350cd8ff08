"""Filters shared by search, export and stats, and the full-text query a user types.

``Filters`` becomes one parameterised SQL condition over ``articles AS a``. The user's
search text becomes an FTS5 expression through ``fts_expression``: quoted phrases,
``AND`` / ``OR`` / ``NOT`` (upper case, as in FTS5; words side by side must all
match), parentheses, ``word*`` prefixes
and ``title:`` / ``body:`` column filters pass through; any other word is quoted, so
``covid-19`` or ``U.S.`` search for those words instead of failing as FTS5 syntax; and
a query that cannot mean anything (an unclosed quote, an operator with nothing on one
side, unbalanced parentheses) raises ``QueryError`` with a message for the user, and so
does one of more than ``MAX_QUERY_TERMS`` words and phrases: FTS5 reads a doclist per
term and the snippet of every hit runs the expression again, so 8,000 ORed terms took
83 s on a 200-article database.

A prefix ``word*`` can be spelled out as the index's own words (``expand``): FTS5 merges a
prefix's word lists in memory, the whole archive's worth, each time the query runs,
while an OR of the words streams and stops at the first results wanted.

``fts_query`` also lists the query's positive phrases (every word, spelled-out prefix word
and quoted phrase not under a ``NOT``), which search ranks by (bm25 weighs each phrase).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

MAX_QUERY_TERMS = 64  # words and phrases in one query; operators and parentheses do not count
MAX_EXPANDED_WORDS = 256  # words all of a query's prefixes may be spelled out as; further prefixes stay prefixes
OPERATORS = frozenset({"AND", "OR", "NOT"})
FTS5_KEYWORDS = OPERATORS | {"NEAR"}  # quoted when they are a search word (NEAR groups are not offered)
COLUMNS = ("title", "body")  # the columns of articles_fts a query may name
_BAREWORD = re.compile(r"[^\W]+", re.UNICODE)  # FTS5 barewords: letters, digits, underscore, non-ASCII
_WORD_CHAR = re.compile(r"\w")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # control characters are spaces in a query
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"\*?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')


class QueryError(ValueError):
    """A search query that cannot be run; the message is for the user."""


@dataclass(frozen=True, slots=True)
class FtsQuery:
    expression: str  # the FTS5 MATCH expression
    phrases: tuple[str, ...]  # the positive phrases, each an FTS5 expression of its own
    negated: bool  # some phrase is under a NOT (bm25 over the expression weighs it too)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles a command looks at.

    ``since`` / ``until`` are days (inclusive, compared with the day ``published_at``
    writes) or, as aware datetimes, moments (compared as instants, offsets applied).
    """

    sites: tuple[str, ...] = ()
    since: date | None = None  # a datetime is a moment, a date a whole day
    until: date | None = None
    language: str | None = None
    author: str | None = None

    @property
    def site_keys(self) -> list[str]:
        return [site.lower().removeprefix("www.") for site in self.sites]

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition (``1`` when nothing is filtered) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.sites:
            clauses.append(f"{alias}.site IN ({', '.join('?' for _ in self.sites)})")
            params.extend(self.site_keys)
        if isinstance(self.since, datetime):
            # The day range narrows through the index (a page's offset moves its day by at
            # most one); julianday() compares the instants.
            clauses.append(f"{alias}.published_at >= ? AND julianday({alias}.published_at) >= julianday(?)")
            params += [(self.since.date() - timedelta(days=1)).isoformat(), self.since.isoformat()]
        elif self.since is not None:
            clauses.append(f"{alias}.published_at >= ?")
            params.append(self.since.isoformat())
        if isinstance(self.until, datetime):
            clauses.append(f"{alias}.published_at < ? AND julianday({alias}.published_at) <= julianday(?)")
            params += [(self.until.date() + timedelta(days=2)).isoformat(), self.until.isoformat()]
        elif self.until is not None:
            # "2025-03-05T23:00+01:00" < "2025-03-06": the whole last day is in.
            clauses.append(f"{alias}.published_at < ?")
            params.append((self.until + timedelta(days=1)).isoformat())
        if self.language:
            clauses.append(f"({alias}.language = ? OR {alias}.language LIKE ?)")
            language = self.language.lower()
            params.extend([language, f"{language}-%"])
        if self.author:
            clauses.append(
                f"CASE WHEN json_valid({alias}.authors) THEN EXISTS ("
                f"SELECT 1 FROM json_each({alias}.authors) WHERE value LIKE ? ESCAPE '\\') ELSE 0 END"
            )
            params.append(f"%{_escape_like(self.author)}%")
        return (" AND ".join(clauses) or "1"), params

    def counts_where(self, alias: str = "c") -> tuple[str, list[Any]] | None:
        """The condition over ``article_counts`` (site, language, day), or None when these
        filters need the articles themselves (an author, a time of day)."""
        if self.author or isinstance(self.since, datetime) or isinstance(self.until, datetime):
            return None
        clauses: list[str] = []
        params: list[Any] = []
        if self.sites:
            clauses.append(f"{alias}.site IN ({', '.join('?' for _ in self.sites)})")
            params.extend(self.site_keys)
        if self.since is not None:
            clauses.append(f"{alias}.day >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            clauses.append(f"{alias}.day != '' AND {alias}.day <= ?")
            params.append(self.until.isoformat())
        if self.language:
            clauses.append(f"({alias}.language = ? OR {alias}.language LIKE ?)")
            params.extend([self.language.lower(), f"{self.language.lower()}-%"])
        return (" AND ".join(clauses) or "1"), params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(slots=True)
class _Parser:
    """Turns the user's tokens into an FTS5 expression, checking the grammar on the way."""

    query: str
    parts: list[str] = field(default_factory=list)
    depth: int = 0
    expect_term: bool = True  # at the start, after an operator and after "("
    last_operator: str | None = None
    terms: int = 0
    phrases: list[str] = field(default_factory=list)  # the positive ones
    negated_groups: list[bool] = field(default_factory=lambda: [False])  # per open parenthesis: under a NOT
    negated: bool = False

    def _negating(self) -> bool:
        """The next term or group is under a NOT (FTS5's NOT binds tighter than AND and OR)."""
        return self.last_operator == "NOT" or self.negated_groups[-1]

    def _implicit_and(self) -> None:
        # FTS5 accepts "a b" but not "a (b OR c)": every implied AND is written out.
        if not self.expect_term:
            self.parts.append("AND")

    def term(self, text: str, phrases: list[str]) -> None:
        self.terms += 1
        if self._negating():
            self.negated = True
        else:
            self.phrases.extend(phrases)
        self._implicit_and()
        self.parts.append(text)
        self.expect_term = False
        self.last_operator = None

    def operator(self, word: str) -> None:
        if self.expect_term:
            where = "at the start" if not self.parts else f"right after {self.parts[-1]}"
            raise QueryError(f"{word} needs a search term on both sides, but it comes {where}")
        self.parts.append(word)
        self.expect_term = True
        self.last_operator = word

    def open(self) -> None:
        self.negated_groups.append(self._negating())
        self._implicit_and()
        self.parts.append("(")
        self.depth += 1
        self.expect_term = True
        self.last_operator = None

    def close(self) -> None:
        if self.depth == 0:
            raise QueryError("a closing parenthesis ')' has no opening '('")
        if self.expect_term:
            raise QueryError("empty parentheses or an operator before ')'")
        self.parts.append(")")
        self.negated_groups.pop()
        self.depth -= 1

    def finish(self) -> str:
        if self.depth:
            raise QueryError("a parenthesis '(' is never closed")
        if self.last_operator:
            raise QueryError(f"{self.last_operator} needs a search term on both sides, but it ends the query")
        if not self.parts:
            raise QueryError("the query is empty")
        if self.terms > MAX_QUERY_TERMS:
            raise QueryError(f"the query has {self.terms} search terms; at most {MAX_QUERY_TERMS} are searched "
                             "at once (split it into several searches)")
        return " ".join(self.parts)


Expand = Callable[[str], "list[str] | None"]  # a prefix -> the indexed words it covers, or None to keep it


def _word(token: str, expand: Expand | None = None) -> tuple[str, list[str]]:
    """One search word as FTS5 text: a bareword, a prefix (spelled out when ``expand`` can),
    a column filter, or a quoted phrase; and its phrases (a spelled-out prefix's words)."""
    column = None
    if ":" in token:
        head, _, rest = token.partition(":")
        if head.lower() in COLUMNS and rest:
            column, token = head.lower(), rest
    prefix = token.endswith("*") and len(token) > 1
    core = token[:-1] if prefix else token
    if not _WORD_CHAR.search(core):
        raise QueryError(f"{token!r} has no letters or digits to search for")
    bare = _BAREWORD.fullmatch(core) and core not in FTS5_KEYWORDS
    text = core if bare else '"' + core.replace('"', '""') + '"'
    words = expand(core) if prefix and bare and expand else None
    if words:
        quoted = ['"' + word.replace('"', '""') + '"' for word in words]
        text = "(" + " OR ".join(quoted) + ")"
    else:
        text += "*" if prefix else ""
        quoted = [text]
    if column:
        return f"{column} : {text}", [f"{column} : {phrase}" for phrase in quoted]
    return text, quoted


def _budgeted(expand: Expand) -> Expand:
    """``expand`` spelling out at most MAX_EXPANDED_WORDS words over one query (64 prefixes of
    64 words each would be the 4,096-term OR that MAX_QUERY_TERMS keeps out)."""
    left = MAX_EXPANDED_WORDS

    def within(prefix: str) -> list[str] | None:
        nonlocal left
        words = expand(prefix)
        if not words or len(words) > left:
            return None
        left -= len(words)
        return words

    return within


def fts_expression(query: str, *, expand: Expand | None = None) -> str:
    """The FTS5 MATCH expression for a user's query, or ``QueryError``."""
    return fts_query(query, expand=expand).expression


def fts_query(query: str, *, expand: Expand | None = None) -> FtsQuery:
    """The FTS5 MATCH expression for a user's query and its positive phrases, or ``QueryError``."""
    expand = _budgeted(expand) if expand else None
    query = _CONTROL.sub(" ", query)
    if query.count('"') % 2:
        raise QueryError('a quotation mark (") is never closed')
    parser = _Parser(query)
    position = 0
    stripped = query.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None:  # pragma: no cover - the token pattern accepts any non-space run
            raise QueryError(f"cannot read the query from {stripped[position:]!r}")
        position = match.end()
        if match["phrase"]:
            phrase = match["phrase"]
            if not _WORD_CHAR.search(phrase):
                raise QueryError("an empty phrase \"\" has nothing to search for")
            parser.term(phrase, [phrase])
        elif match["open"]:
            parser.open()
        elif match["close"]:
            parser.close()
        elif match["word"] in OPERATORS:
            parser.operator(match["word"])
        else:
            parser.term(*_word(match["word"], expand))
    return FtsQuery(parser.finish(), tuple(parser.phrases), parser.negated)
