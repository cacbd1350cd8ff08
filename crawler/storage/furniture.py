"""What the site-furniture step learned, kept between runs (``site_furniture``, ``furniture_sites``).

``FurnitureStore`` is the one reader and writer of those two tables (schema migration 5)
and of the in-place rewrite of articles stored before a paragraph was known to be
furniture. The learning itself is in ``crawler.article.furniture``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from crawler.storage.db import transaction


@dataclass(frozen=True, slots=True)
class StoredBlock:
    """One paragraph of a site seen on two or more pages."""

    block_hash: str
    sample_text: str
    pages_seen: int
    first_seen_at: str
    last_seen_at: str


@dataclass(frozen=True, slots=True)
class SiteBlocks:
    """What is known of one site: pages observed and its repeated paragraphs."""

    site: str
    pages_seen: int
    blocks: tuple[StoredBlock, ...]


@dataclass(frozen=True, slots=True)
class StoredBody:
    url: str
    title: str
    body: str
    language: str | None


@dataclass(frozen=True, slots=True)
class BodyRewrite:
    """A stored article's text without its furniture."""

    url: str
    body: str
    word_count: int
    content_hash: str
    summary: str | None


class FurnitureStore:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def load(self, site: str) -> SiteBlocks | None:
        """What earlier runs learned of ``site``, or None when it was never observed."""
        row = self.db.execute("SELECT pages_seen FROM furniture_sites WHERE site = ?", [site]).fetchone()
        if row is None:
            return None
        blocks = tuple(
            StoredBlock(key, text, int(pages), first, last)
            for key, text, pages, first, last in self.db.execute(
                "SELECT block_hash, sample_text, pages_seen, first_seen_at, last_seen_at"
                " FROM site_furniture WHERE site = ?",
                [site],
            )
        )
        return SiteBlocks(site, int(row[0]), blocks)

    def save(self, sites: Iterable[SiteBlocks], *, now: str) -> None:
        """Pages observed per site and the paragraphs given (one transaction)."""
        with transaction(self.db):
            for site in sites:
                self.db.execute(
                    "INSERT INTO furniture_sites (site, pages_seen, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(site) DO UPDATE SET pages_seen = excluded.pages_seen, updated_at = excluded.updated_at",
                    [site.site, site.pages_seen, now],
                )
                self.db.conn.executemany(
                    "INSERT INTO site_furniture (site, block_hash, sample_text, pages_seen, first_seen_at, last_seen_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(site, block_hash) DO UPDATE SET"
                    " pages_seen = excluded.pages_seen, last_seen_at = excluded.last_seen_at",
                    [
                        (site.site, block.block_hash, block.sample_text, block.pages_seen, block.first_seen_at,
                         block.last_seen_at)
                        for block in site.blocks
                    ],
                )

    def bodies_containing(self, site: str, samples: list[str]) -> list[StoredBody]:
        """Stored articles of ``site`` whose body holds any of ``samples`` (candidates; the caller decides)."""
        if not samples:
            return []
        condition = " OR ".join("instr(body, ?) > 0" for _ in samples)
        rows = self.db.execute(
            f"SELECT url, title, body, language FROM articles WHERE site = ? AND ({condition})", [site, *samples]
        ).fetchall()
        return [StoredBody(*row) for row in rows]

    def rewrite_bodies(self, rewrites: list[BodyRewrite]) -> int:
        """Replace body, word count, content hash and summary (one transaction); article_history keeps the old."""
        with transaction(self.db):
            self.db.conn.executemany(
                "UPDATE articles SET body = ?, word_count = ?, content_hash = ?, summary = ? WHERE url = ?",
                [(r.body, r.word_count, r.content_hash, r.summary, r.url) for r in rewrites],
            )
        return len(rewrites)
