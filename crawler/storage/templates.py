"""What the site-template step learned, kept between runs (``site_template_paths``, ``template_sites``,
and each page's own vote in ``template_pages``).

``TemplateStore`` is the one reader and writer of those three tables (schema migrations 18, 19).
The learning itself is in ``crawler.article.template``; the votes' meaning in
``crawler.article.sitevotes``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import json

import sqlite_utils

from crawler.storage.db import transaction


@dataclass(frozen=True, slots=True)
class SitePaths:
    """One site's observed pages and, per field, pages per element path."""

    site: str
    pages: int
    votes: dict[str, Counter[str]]
    updated_at: str | None = None


class TemplateStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def load(self, site: str) -> SitePaths | None:
        """What earlier runs learned of ``site``, or None when it was never observed."""
        row = self.db.execute("SELECT pages, updated_at FROM template_sites WHERE site = ?", [site]).fetchone()
        if row is None:
            return None
        return SitePaths(site, int(row[0]), self._votes(site), row[1])

    def sites(self, site: str | None = None) -> list[SitePaths]:
        """Every observed site (or the one asked for), by name."""
        where, params = ("WHERE site = ?", [site]) if site else ("", [])
        rows = self.db.execute(f"SELECT site, pages, updated_at FROM template_sites {where} ORDER BY site", params)
        return [SitePaths(name, int(pages), self._votes(name), updated) for name, pages, updated in rows.fetchall()]

    def home_url(self, site: str) -> str | None:
        """The site's home page as its stored articles give it (scheme, host and port), or None."""
        row = self.db.execute("SELECT url FROM articles WHERE site = ? ORDER BY id LIMIT 1", [site]).fetchone()
        if row is None:
            return None
        parts = urlsplit(row[0])
        return f"{parts.scheme}://{parts.netloc}/"

    def _votes(self, site: str) -> dict[str, Counter[str]]:
        votes: dict[str, Counter[str]] = {}
        for name, path, pages in self.db.execute(
            "SELECT field, path, pages FROM site_template_paths WHERE site = ?", [site]
        ):
            votes.setdefault(name, Counter())[path] = int(pages)
        return votes

    def page_vote(self, site: str, page: str) -> dict[str, str] | None:
        """The field paths ``page`` was counted with in ``site``'s votes, or None when it was not
        (never observed, or observed before votes were kept per page)."""
        row = self.db.execute("SELECT paths FROM template_pages WHERE site = ? AND page = ?", [site, page]).fetchone()
        return json.loads(row[0]) if row else None

    def save(self, sites: Iterable[SitePaths], *, now: str,
             page_votes: Iterable[tuple[str, str, dict[str, str]]] = ()) -> None:
        """Each site's pages and votes, replacing what was kept, and the (site, page, paths) votes
        of the pages counted in them (one transaction)."""
        with transaction(self.db):
            self.db.conn.executemany(
                "INSERT INTO template_pages (site, page, paths) VALUES (?, ?, ?)"
                " ON CONFLICT(site, page) DO UPDATE SET paths = excluded.paths",
                [(site, page, json.dumps(paths, sort_keys=True)) for site, page, paths in page_votes],
            )
            for site in sites:
                self.db.execute(
                    "INSERT INTO template_sites (site, pages, updated_at) VALUES (?, ?, ?) ON CONFLICT(site)"
                    " DO UPDATE SET pages = excluded.pages, updated_at = excluded.updated_at",
                    [site.site, site.pages, now],
                )
                self.db.execute("DELETE FROM site_template_paths WHERE site = ?", [site.site])
                self.db.conn.executemany(
                    "INSERT INTO site_template_paths (site, field, path, pages) VALUES (?, ?, ?, ?)",
                    [(site.site, name, path, count) for name, counter in site.votes.items() for path, count in counter.items()],
                )
