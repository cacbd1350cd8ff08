"""What a database holds: articles per site, language and day, field coverage, runs, failures.

``collect`` reads the ``article_counts`` table (articles per site, language and day with
their field coverage, kept by triggers), so its cost follows the number of sites and days,
not of articles. Filters it cannot answer by day (``--author``, a time of day in
``--since``/``--until``) read the articles instead. ``render_text`` prints it for a terminal
with bar charts; crawler.analysis.report renders it as an HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlite_utils

from crawler.analysis.query import Filters
from crawler.analysis.terminal import counted
from crawler.storage.state import DEGRADED_SQL

BAR_WIDTH = 40  # characters of the longest bar in the terminal
COVERAGE_FIELDS = ("date", "authors", "prev/next", "summary")


@dataclass(slots=True)
class SiteCoverage:
    site: str
    articles: int
    first_published: str | None  # day, YYYY-MM-DD
    last_published: str | None
    shares: dict[str, float]  # field name -> share of articles that have it (0..1)


@dataclass(slots=True)
class Stats:
    articles: int
    per_site: list[tuple[str, int]]
    per_language: list[tuple[str, int]]
    per_day: list[tuple[str, int]]  # the ``days`` days up to the newest article, empty days as 0, oldest first
    undated: int
    coverage: list[SiteCoverage]
    runs: list[dict[str, object]] = field(default_factory=list)
    failure_reasons: list[tuple[str, int]] = field(default_factory=list)
    failures: list[dict[str, object]] = field(default_factory=list)


# One row per (site, language): articles, first and last day, then the coverage sums in
# COVERAGE_FIELDS order; one per day: (day, articles). From article_counts, or from the
# articles themselves when the filters need them.
_GROUPS_FROM_COUNTS = (
    "SELECT site, CASE language WHEN '' THEN '(unknown)' ELSE language END, sum(articles),"
    " min(nullif(day, '')), max(nullif(day, '')), sum(CASE WHEN day != '' THEN articles ELSE 0 END),"
    " sum(with_authors), sum(with_links), sum(with_summary)"
    " FROM article_counts AS c WHERE {condition} GROUP BY site, language"
)
_DAYS_FROM_COUNTS = (
    "SELECT day, sum(articles) FROM article_counts AS c WHERE {condition} AND day != ''"
    " AND day >= (SELECT date(max(day), ?) FROM article_counts AS c WHERE {condition} AND day != '')"
    " GROUP BY day ORDER BY day"
)
_GROUPS_FROM_ARTICLES = (
    "SELECT site, coalesce(language, '(unknown)'), count(*), min(substr(published_at, 1, 10)),"
    " max(substr(published_at, 1, 10)), sum(published_at IS NOT NULL), sum(authors NOT IN ('[]', '')),"
    " sum(prev_url IS NOT NULL OR next_url IS NOT NULL), sum(coalesce(summary, '') != '')"
    " FROM articles AS a WHERE {condition} GROUP BY site, 2"
)
_DAYS_FROM_ARTICLES = (
    "SELECT day, n FROM (SELECT substr(published_at, 1, 10) AS day, count(*) AS n FROM articles AS a"
    " WHERE {condition} AND published_at IS NOT NULL GROUP BY day ORDER BY day DESC LIMIT ?) ORDER BY day"
)


def collect(db: sqlite_utils.Database, filters: Filters, *, days: int = 30, latest: int = 5) -> Stats:
    counted = filters.counts_where("c")
    if counted is not None:
        condition, params = counted
        groups = db.execute(_GROUPS_FROM_COUNTS.format(condition=condition), params).fetchall()
        day_rows = db.execute(
            _DAYS_FROM_COUNTS.format(condition=condition), [*params, f"-{days - 1} days", *params]
        ).fetchall()
    else:
        # One pass over the articles, grouped by site and language: the columns read here
        # sit after the body in each row, so every extra scan would read every body again.
        condition, params = filters.where("a")
        groups = db.execute(_GROUPS_FROM_ARTICLES.format(condition=condition), params).fetchall()
        day_rows = db.execute(_DAYS_FROM_ARTICLES.format(condition=condition), [*params, days]).fetchall()
    coverage = _site_coverage(groups)
    languages: dict[str, int] = {}
    for _, language, count, *_ in groups:
        languages[language] = languages.get(language, 0) + count
    total = sum(site.articles for site in coverage)
    dated = sum(group[5] or 0 for group in groups)
    return Stats(
        articles=total,
        per_site=[(site.site, site.articles) for site in coverage],
        per_language=sorted(languages.items(), key=lambda item: (-item[1], item[0])),
        per_day=calendar(day_rows, days),
        undated=total - dated,
        coverage=coverage,
        runs=_dicts(
            db,
            "SELECT id, started_at, finished_at, spider, site, outcome, pages_fetched, articles_new,"
            f" articles_updated, articles_unchanged, skipped, failed, {DEGRADED_SQL} FROM runs ORDER BY id DESC LIMIT ?",
            [latest],
        ),
        failure_reasons=db.execute(
            "SELECT reason, count(*) FROM failures GROUP BY reason ORDER BY 2 DESC, 1"
        ).fetchall(),
        failures=_dicts(
            db,
            "SELECT failed_at, reason, http_status, url, detail FROM failures ORDER BY id DESC LIMIT ?",
            [latest * 2],
        ),
    )


def calendar(day_rows: list[tuple[str, int]], days: int) -> list[tuple[str, int]]:
    """The ``days`` calendar days ending at the newest day with articles, oldest first, 0 on empty days.

    A day that is not a calendar date (a page's malformed date) is left out of the chart.
    """
    counts: dict[date, int] = {}
    for text, count in day_rows:
        try:
            day = date.fromisoformat(text)
        except (TypeError, ValueError):
            continue
        counts[day] = counts.get(day, 0) + count
    if not counts:
        return []
    newest = max(counts)
    return [
        ((newest - timedelta(days=back)).isoformat(), counts.get(newest - timedelta(days=back), 0))
        for back in range(days - 1, -1, -1)
    ]


def _site_coverage(groups: list[tuple]) -> list[SiteCoverage]:
    """Per-site totals from the (site, language) groups, largest site first."""
    sums: dict[str, list] = {}
    for site, _, count, first, last, *present in groups:
        if site not in sums:
            sums[site] = [0, first, last, [0] * len(present)]
        entry = sums[site]
        entry[0] += count
        entry[1] = min(filter(None, (entry[1], first)), default=None)
        entry[2] = max(filter(None, (entry[2], last)), default=None)
        entry[3] = [a + (b or 0) for a, b in zip(entry[3], present)]
    coverage = [
        SiteCoverage(
            site=site,
            articles=count,
            first_published=first,
            last_published=last,
            shares={name: value / count for name, value in zip(COVERAGE_FIELDS, present)},
        )
        for site, (count, first, last, present) in sums.items()
    ]
    return sorted(coverage, key=lambda site: (-site.articles, site.site))


def _dicts(db: sqlite_utils.Database, sql: str, params: list[object]) -> list[dict[str, object]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def bars(pairs: list[tuple[str, int]], *, width: int = BAR_WIDTH) -> list[str]:
    """One line per pair: label, a bar of block characters scaled to the largest value, the value."""
    if not pairs:
        return ["  (none)"]
    label_width = max(len(str(label)) for label, _ in pairs)
    largest = max(value for _, value in pairs) or 1
    lines = []
    for label, value in pairs:
        eighths = round(value * width * 8 / largest)
        bar = "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]
        lines.append(f"  {str(label):<{label_width}}  {bar} {value}")
    return lines


def per_day_title(stats: Stats) -> str:
    if not stats.per_day:
        return "Articles per day"
    shown = sum(count for _, count in stats.per_day)
    within = "" if shown == stats.articles - stats.undated else f": {shown:,} of the {stats.articles:,} articles"
    return (f"Articles per day (the {len(stats.per_day)} days up to {stats.per_day[-1][0]}, the newest article's"
            f"{within})")


def headline(stats: Stats) -> str:
    """"39 articles on 3 sites (0 without a date)", each noun agreeing with its count."""
    return (f"{counted(stats.articles, 'article')} on {counted(len(stats.per_site), 'site')}"
            f" ({stats.undated} without a date)")


def render_text(stats: Stats) -> str:
    lines = [headline(stats), ""]
    lines += ["Articles per site", *bars(stats.per_site), ""]
    lines += ["Articles per language", *bars(stats.per_language), ""]
    lines += [per_day_title(stats), *bars(stats.per_day), ""]
    lines.append("Field coverage per site (share of articles with the field)")
    header = f"  {'site':<28} {'articles':>8}  " + "  ".join(f"{name:>9}" for name in COVERAGE_FIELDS)
    lines.append(header)
    for site in stats.coverage:
        shares = "  ".join(f"{site.shares[name]:>9.0%}" for name in COVERAGE_FIELDS)
        lines.append(f"  {site.site:<28} {site.articles:>8}  {shares}")
    lines += ["", "Latest runs"]
    for run in stats.runs or []:
        lines.append(
            f"  #{run['id']} {run['started_at']} {run['spider']} {run['outcome']}:"
            f" {run['pages_fetched']} pages, {run['articles_new']} new, {run['articles_updated']} updated,"
            f" {run['articles_unchanged']} unchanged, {run['skipped']} skipped, {run['failed']} failed"
            + (f"; DEGRADED {run['degraded']}" if run.get("degraded") else "")
        )
    if not stats.runs:
        lines.append("  (none)")
    lines += ["", "Failures by reason", *bars(stats.failure_reasons), "", "Latest failures"]
    for failure in stats.failures:
        status = f" HTTP {failure['http_status']}" if failure["http_status"] else ""
        lines.append(f"  {failure['failed_at']} {failure['reason']}{status} {failure['url']}")
    if not stats.failures:
        lines.append("  (none)")
    return "\n".join(lines)
