"""`python -m crawler.demo` (what `make demo` runs): serve the demo site, crawl it, show what was stored.

1. Every demo publisher is served on its own port of 127.0.0.1 (``DemoSite``), on fixed
   ports from ``--port`` upwards so that re-running the demo finds the same URLs and
   updates the same rows.
2. One crawl starts in the middle of every publisher's chain and walks both directions
   into the database (``--db``, default NEWSCRAWL_DB_PATH), with the local-site settings
   of ``crawler.runner.local_site_settings``.
3. It prints the crawl summary, the articles per site with their titles, an example
   full-text search, and a check of the database against ``expected.json`` (every
   article stored once with its title, date, authors and neighbours; no trap page stored).

Exit code: the crawl's (``newscrawl crawl --help``), or 1 when the check finds a difference.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable
from typing import Any

import click

from crawler import settings as defaults
from crawler.commands.crawl import format_summary
from crawler.commands.options import CONTEXT_SETTINGS
from crawler.demo.server import DemoSite
from crawler.runner import CrawlOptions, local_site_settings, run_crawl

TITLES_SHOWN = 5  # titles listed per site
SEARCH_RESULTS = 5


def _query(db: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
    return db.execute(sql, list(params)).fetchall()


def show_stored(db: sqlite3.Connection, site: DemoSite) -> None:
    """Articles per site, oldest first, with a few titles each."""
    click.echo("\nStored articles per site:")
    for publisher in site.publishers:
        prefix = site.base_url(publisher)
        found = _query(
            db,
            "SELECT title, published_at, language FROM articles WHERE url LIKE ? || '%' ORDER BY published_at",
            [prefix],
        )
        languages = ", ".join(sorted({row["language"] or "?" for row in found}))
        click.echo(f"  {publisher:<10} {prefix:<24} {len(found):>3} articles ({languages})")
        for row in found[:TITLES_SHOWN]:
            click.echo(f"      {row['published_at'] or '':<25} {row['title']}")
        if len(found) > TITLES_SHOWN:
            click.echo(f"      ... and {len(found) - TITLES_SHOWN} more")


def _common_term(db: sqlite3.Connection) -> str | None:
    """A long word of the index found in many articles: an example query taken from the data."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.demo_vocab USING fts5vocab(main, 'articles_fts', 'row')")
    row = db.execute(
        "SELECT term FROM temp.demo_vocab WHERE length(term) >= 8 AND term GLOB '[a-z]*' ORDER BY doc DESC, term LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def show_search(db: sqlite3.Connection) -> None:
    term = _common_term(db)
    if term is None:
        click.echo("\nFull-text search: the index is empty.")
        return
    sql = (
        "SELECT a.site, a.title, snippet(articles_fts, 1, '[', ']', '...', 10) AS snippet "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
    )
    click.echo(f"\nFull-text search for {term!r}:\n  {sql}")
    for row in _query(db, sql, [term, SEARCH_RESULTS]):
        click.echo(f"  - [{row['site']}] {row['title']}\n      {row['snippet']}")


def _neighbour(site: DemoSite, publisher: str, path: str | None) -> str | None:
    return site.url(publisher, path) if path else None


def check_against_expected(db: sqlite3.Connection, site: DemoSite) -> list[str]:
    """Differences between the database and the demo's ground truth (empty when all is right)."""
    problems: list[str] = []
    for article in site.articles():
        url = site.url(article["publisher"], article["canonical_path"])
        found = _query(db, "SELECT * FROM articles WHERE url = ?", [url])
        if len(found) != 1:
            problems.append(f"{url}: stored {len(found)} times")
            continue
        row = found[0]
        wanted = {
            "title": article["title"],
            "published_at": article["published_at"],
            "authors": article["authors"],
            "prev_url": _neighbour(site, article["publisher"], article["prev_path"]),
            "next_url": _neighbour(site, article["publisher"], article["next_path"]),
            "body": article["body"],
        }
        got = {**dict(row), "authors": json.loads(row["authors"])}
        problems += [f"{url}: {name} is {got[name]!r}, expected {value!r}" for name, value in wanted.items()
                     if got[name] != value]  # fmt: skip
    for trap in site.expected["traps"]:
        if _query(db, "SELECT 1 FROM articles WHERE url = ?", [site.url(trap["publisher"], trap["path"])]):
            problems.append(f"trap page stored as an article: {trap['path']} ({trap['kind']})")
    return problems


def _open_read_only(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    return db


DEFAULT_PORT = 8101  # the first publisher's port; sites.example.toml's [vars] follow these ports


def start_site(port: int) -> DemoSite:
    """The demo publishers served from ``port`` upwards, or on free ports when one of those is taken."""
    ports = {key: port + offset for offset, key in enumerate(DemoSite().publishers)} if port else {}
    site = DemoSite(ports=ports)
    try:
        return site.start()
    except OSError as exc:
        site.stop()
        if not port:
            raise click.ClickException(f"cannot serve the demo site: {exc}") from None
        last = port + len(ports) - 1
        click.echo(f"Ports {port}-{last} are taken ({exc.strerror or exc}): serving the demo on free ports instead"
                   " (pass their URLs with --var to use sites.example.toml).", err=True)
        return DemoSite().start()


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--db", "db_path", default=defaults.NEWSCRAWL_DB_PATH, envvar=defaults.NEWSCRAWL_DB_ENVVAR, show_envvar=True,
              show_default=True, help="Database to crawl into.")
@click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    help="Port of the first publisher; the others follow (0: any free ports, URLs then differ per run). "
    "Taken ports fall back to free ones.",
)
def main(db_path: str, port: int) -> None:
    """Serve the bundled demo news site on 127.0.0.1, crawl it into SQLite, and show the result.

    \b
    Example:
      python -m crawler.demo --db data/news.db
    """
    site = start_site(port)
    with site:
        click.echo("Demo publishers: " + ", ".join(f"{key} {site.base_url(key)}" for key in site.publishers))
        summary = run_crawl(
            CrawlOptions(
                start_urls=[site.middle_url(key) for key in site.publishers],
                direction="both",
                db_path=db_path,
                output="tty" if sys.stderr.isatty() else "quiet",
                settings=local_site_settings(),
            )
        )
        click.echo(format_summary(summary))
        if summary.outcome == "could_not_run":
            sys.exit(summary.exit_code)
        db = _open_read_only(db_path)
        try:
            show_stored(db, site)
            show_search(db)
            problems = check_against_expected(db, site)
        finally:
            db.close()
    click.echo(f"\nCheck against {len(site.articles())} expected articles and {len(site.expected['traps'])} traps: "
               + ("all correct." if not problems else f"{len(problems)} differences:"))  # fmt: skip
    for problem in problems:
        click.echo(f"  - {problem}")
    sys.exit(summary.exit_code or (1 if problems else 0))


if __name__ == "__main__":
    main()
