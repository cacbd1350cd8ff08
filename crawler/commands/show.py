"""`newscrawl show`: one stored article, readable in a terminal."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import click
import sqlite_utils

from crawler.analysis.formats import FORMATS, as_markdown
from crawler.analysis.database import decode_list, open_for_reading
from crawler.analysis.options import db_option
from crawler.analysis.terminal import printable
from crawler.urls import canonical_url

WRAP = 88  # characters per line of body text
MAX_ROWID = 2**63 - 1  # the largest id SQLite can give a row


def url_candidates(url: str) -> list[str]:
    """The URL as typed, its storage key (tracking parameters out, ...), each with and without a final slash."""
    found: list[str] = []
    for form in (url, canonical_url(url)):
        for variant in (form, form.rstrip("/"), form if form.endswith("/") else form + "/"):
            if variant and variant not in found:
                found.append(variant)
    return found


def find_article(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """The article with this id, or this URL (stored, canonical or, failing those, as fetched)."""
    if key.isdigit():
        if int(key) > MAX_ROWID:  # no row has it, and SQLite cannot even take it as a parameter
            return None
        cursor = db.execute("SELECT * FROM articles WHERE id = ?", [int(key)])
        row = cursor.fetchone()
    else:
        urls = url_candidates(key)
        marks = ", ".join("?" for _ in urls)
        cursor = db.execute(f"SELECT * FROM articles WHERE url IN ({marks}) ORDER BY url = ? DESC LIMIT 1", [*urls, key])
        row = cursor.fetchone()
        if row is None:  # fetched_url has no index: only when the URL is not a storage key
            cursor = db.execute(f"SELECT * FROM articles WHERE fetched_url IN ({marks}) LIMIT 1", urls)
            row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))


def neighbour(db: sqlite_utils.Database, url: str | None) -> tuple[int, str] | None:
    """(id, title) of the stored article at ``url``, if there is one (indexed lookups only)."""
    if not url:
        return None
    urls = url_candidates(url)
    marks = ", ".join("?" for _ in urls)
    row = db.execute(f"SELECT id, title FROM articles WHERE url IN ({marks}) LIMIT 1", urls).fetchone()
    return (row[0], row[1]) if row else None


@click.command()
@click.argument("url_or_id")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="text for a terminal, markdown, or json (the stored row).",
)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@db_option
def show(url_or_id: str, fmt: str, as_json: bool, db_path: Path) -> None:
    """Print one article: title, date, authors, site, keywords, lead image, summary, body, prev/next.

    URL_OR_ID is the article's id (as `search` prints it) or its URL.

    \b
    Example:
      newscrawl show 1
      newscrawl show 1 --format markdown > article.md
      newscrawl show https://news.example/2025/09/11/some-article.html
    """
    db = open_for_reading(db_path)
    article = find_article(db, url_or_id.strip())
    if article is None:
        raise click.ClickException(f"no stored article has the id or URL {url_or_id!r} (try `newscrawl search`)")
    article["authors"] = decode_list(article["authors"])
    article["keywords"] = decode_list(article.get("keywords"))
    if article.get("free_to_read") is not None:
        article["free_to_read"] = bool(article["free_to_read"])
    if "article_uncertain" in article:
        article["article_uncertain"] = bool(article["article_uncertain"])
    if as_json or fmt == "json":
        click.echo(json.dumps(article, ensure_ascii=False, indent=2))
        return
    if fmt == "markdown":
        for key, stored in (("prev", neighbour(db, article["prev_url"])), ("next", neighbour(db, article["next_url"]))):
            if stored and not article.get(f"{key}_title"):
                article[f"{key}_title"] = stored[1]
        click.echo(as_markdown(article), nl=False)
        return
    click.echo(render(article, prev=neighbour(db, article["prev_url"]), next_=neighbour(db, article["next_url"])))


def render(article: dict[str, Any], *, prev: tuple[int, str] | None, next_: tuple[int, str] | None) -> str:
    def field(label: str, value: Any) -> str:
        return f"{label + ':':<11}{printable(str(value))}"

    lines = [click.style(printable(article["title"]), bold=True), ""]
    lines.append(field("Published", article["published_at"] or "(no date)"))
    if article.get("modified_at"):
        lines.append(field("Modified", article["modified_at"]))
    lines.append(field("Authors", ", ".join(article["authors"]) or "(none named)"))
    site = article["site"] + (f" ({article['site_name']})" if article.get("site_name") else "")
    lines.append(field("Site", site))
    lines.append(field("Language", article["language"] or "(unknown)"))
    if article["keywords"]:
        lines.append(field("Keywords", ", ".join(article["keywords"])))
    if article.get("free_to_read") is not None:
        lines.append(field("Access", "free to read" if article["free_to_read"] else "paywall or meter"))
    if article.get("image_url"):
        lines.append(field("Image", article["image_url"]))
    if article.get("article_uncertain"):
        lines.append(field("Detection", "an article by a small margin (maybe a listing, service or documentation page)"))
    lines.append(field("URL", article["url"]))
    lines.append(field("Article", f"#{article['id']}, {article['word_count']} words"))
    if article.get("summary"):
        lines += ["", click.style("Summary", bold=True)]
        lines += textwrap.wrap(printable(article["summary"]), WRAP)
    lines += ["", click.style("Text", bold=True)]
    for paragraph in printable(article["body"]).split("\n\n"):
        lines += textwrap.wrap(paragraph, WRAP) + [""]
    for label, prefix, stored in (("Previous", "prev", prev), ("Next", "next", next_)):
        url = article.get(f"{prefix}_url")
        if not url:
            lines.append(field(label, "(none)"))
            continue
        title = article.get(f"{prefix}_title") or (stored[1] if stored else "")
        where = f"#{stored[0]}" if stored else "not stored"
        lines.append(field(label, f"{title} [{where}] {url}".strip()))
    return "\n".join(lines)
