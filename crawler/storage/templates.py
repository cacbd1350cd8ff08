"""What the site-template step learned, kept between runs (``site_template_paths``, ``template_sites``,
each page's own vote in ``template_pages``, and the fast path's article layouts in ``site_layouts``).

``TemplateStore`` is the one reader and writer of those four tables (schema migrations 18, 19, 21).
The learning itself is in ``crawler.article.template``; the votes' meaning in
``crawler.article.sitevotes``. A layout is kept as the text ``Layout.dumps`` writes
(``crawler.parsing.template``); reading it back, and leaving out one that cannot be, is the
template step's (``crawler.article.template``).
"""

from __future__ import annotations

from collections import Counter
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlite_utils

from crawler.storage.db import transaction


@dataclass(frozen=True, slots=True)
class SitePaths:
    """One site's observed pages, per field pages per element path, and pages per article layout."""

    site: str
    pages: int
    votes: dict[str, Counter[str]]
    updated_at: str | None = None
    layouts: Counter[str] = field(default_factory=Counter)  # a layout's JSON text -> pages read with it
    unvoted: int = 0  # pages counted in ``pages`` with no vote of their own (kept before migration 19)


class TemplateStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def load(self, site: str) -> SitePaths | None:
        """What earlier runs learned of ``site``, or None when it was never observed."""
        found = self.sites(site)
        return found[0] if found else None

    def sites(self, site: str | None = None) -> list[SitePaths]:
        """Every observed site (or the one asked for), by name."""
        where, params = ("WHERE s.site = ?", [site]) if site else ("", [])
        rows = self.db.execute(
            "SELECT s.site, s.pages, s.updated_at, (SELECT count(*) FROM template_pages p WHERE p.site = s.site)"
            f" FROM template_sites s {where} ORDER BY s.site", params)
        return [SitePaths(name, int(pages), self._votes(name), updated, self._layouts(name), max(0, pages - voted))
                for name, pages, updated, voted in rows.fetchall()]

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

    def _layouts(self, site: str) -> Counter[str]:
        rows = self.db.execute("SELECT layout, pages FROM site_layouts WHERE site = ?", [site])
        return Counter({text: int(pages) for text, pages in rows})

    def is_stored(self, page: str) -> bool:
        """Whether an article is stored under this key."""
        return self.db.execute("SELECT 1 FROM articles WHERE url = ?", [page]).fetchone() is not None

    def page_vote(self, site: str, page: str) -> dict[str, str] | None:
        """The field paths ``page`` was counted with in ``site``'s votes, or None when it was not
        (never observed, or observed before votes were kept per page)."""
        row = self.db.execute("SELECT paths FROM template_pages WHERE site = ? AND page = ?", [site, page]).fetchone()
        return json.loads(row[0]) if row else None

    def save(self, sites: Iterable[SitePaths], *, now: str,
             page_votes: Iterable[tuple[str, str, dict[str, str]]] = ()) -> None:
        """Each site's pages, votes and layouts, replacing what was kept, and the (site, page, paths)
        votes of the pages counted in them (one transaction)."""
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
                self.db.execute("DELETE FROM site_layouts WHERE site = ?", [site.site])
                self.db.conn.executemany(
                    "INSERT INTO site_layouts (site, layout, pages) VALUES (?, ?, ?)",
                    [(site.site, text, count) for text, count in site.layouts.items() if count > 0],
                )
