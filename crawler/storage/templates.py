"""What the site-template step learned, kept between runs (``site_template_paths``, ``template_sites``,
each page's own vote in ``template_pages``, and the fast path's article layouts in ``site_layouts``),
and the state of its guards (``site_checks``, ``template_hints``, ``template_rereads``: ``SiteGuards``).

``TemplateStore`` is the one reader and writer of those seven tables (schema migrations 18, 19, 21, 23).
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


@dataclass(frozen=True, slots=True)
class KeptHint:
    """What one field's learned hint did to the site's pages it reached (the stale-hint watch)."""

    path: str
    latest: tuple[bool, ...]  # the latest pages, oldest first: corrected (True) or held
    before: int  # pages it reached before those
    before_corrected: int


@dataclass(frozen=True, slots=True)
class KeptPage:
    """A page to read again in full if a later run finds it in doubt."""

    url: str  # storage key
    fetched_url: str
    response_url: str


@dataclass(frozen=True, slots=True)
class SiteGuards:
    """A site's template guards as a run left them (``crawler.article.template``)."""

    site: str
    every: int | None = None  # the fast path's verification interval (None: no schedule kept)
    since: int = 0  # pages handed the site's layouts since the last verified one
    hints: dict[str, KeptHint] = field(default_factory=dict)  # field -> its hint's watch
    rereads: dict[str, tuple[KeptPage, ...]] = field(default_factory=dict)  # 'fast' or a field -> pages, oldest first


FAST_READS = "fast"  # ``SiteGuards.rereads``: the fast reads since the site's last agreeing check


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

    def guards(self, site: str) -> SiteGuards:
        """The site's guards as the last run that met it left them (empty when none were kept)."""
        checks = self.db.execute("SELECT every, since FROM site_checks WHERE site = ?", [site]).fetchone()
        hints = {
            name: KeptHint(path, tuple(mark == "1" for mark in latest), int(before), int(before_corrected))
            for name, path, latest, before, before_corrected in self.db.execute(
                "SELECT field, path, latest, before, before_corrected FROM template_hints WHERE site = ?", [site])
        }
        rereads: dict[str, list[KeptPage]] = {}
        for reason, page, fetched_url, response_url in self.db.execute(
            "SELECT reason, page, fetched_url, response_url FROM template_rereads WHERE site = ? ORDER BY rowid", [site]
        ):
            rereads.setdefault(reason, []).append(KeptPage(page, fetched_url, response_url))
        return SiteGuards(site, int(checks[0]) if checks else None, int(checks[1]) if checks else 0, hints,
                          {reason: tuple(pages) for reason, pages in rereads.items()})

    def save(self, sites: Iterable[SitePaths], *, now: str,
             page_votes: Iterable[tuple[str, str, dict[str, str]]] = (), guards: Iterable[SiteGuards] = ()) -> None:
        """Each site's pages, votes and layouts, replacing what was kept, the (site, page, paths)
        votes of the pages counted in them, and each site's guards in ``guards``, replacing its
        kept ones (one transaction)."""
        with transaction(self.db):
            for kept in guards:
                self._save_guards(kept)
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

    def _save_guards(self, kept: SiteGuards) -> None:
        for table in ("site_checks", "template_hints", "template_rereads"):
            self.db.execute(f"DELETE FROM {table} WHERE site = ?", [kept.site])
        if kept.every is not None:
            self.db.execute("INSERT INTO site_checks (site, every, since) VALUES (?, ?, ?)",
                            [kept.site, kept.every, kept.since])
        self.db.conn.executemany(
            "INSERT INTO template_hints (site, field, path, latest, before, before_corrected) VALUES (?, ?, ?, ?, ?, ?)",
            [(kept.site, name, hint.path, "".join("1" if mark else "0" for mark in hint.latest), hint.before,
              hint.before_corrected) for name, hint in kept.hints.items()],
        )
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO template_rereads (site, reason, page, fetched_url, response_url) VALUES (?, ?, ?, ?, ?)",
            [(kept.site, reason, page.url, page.fetched_url, page.response_url)
             for reason, pages in kept.rereads.items() for page in pages],
        )
