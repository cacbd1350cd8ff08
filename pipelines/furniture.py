"""LearnSiteFurniturePipeline: paragraphs that repeat across many pages of one site are furniture.

Single-page rules cannot know that "Kaffeepause? Hier die Kurzfassung" is a call-out, or that
a newsletter box, another article's byline or a most-read list sits inside every article of a
site. Across pages it shows: the article's own paragraphs are new on every page, furniture
comes back. So, per site (``PageItem.site``):

1. Each article's cleaned body is split into paragraphs (blank-line separated); a paragraph's
   key is a digest of its text with case and whitespace ignored. The pipeline counts the pages
   it observed and, per key, the pages the paragraph appeared on (once per page). A page whose
   storage key is already in the database, or whose body repeats one seen in this run, is not
   observed again (its paragraphs were counted when it was first stored).
2. A paragraph is furniture once it appeared on at least NEWSCRAWL_FURNITURE_MIN_PAGES pages
   and on at least NEWSCRAWL_FURNITURE_MIN_SHARE of the site's observed pages (so a quote
   shared by three of five hundred articles stays).
3. Furniture paragraphs are removed from every article body passing through, the page that
   reveals a paragraph as furniture included. A body that would lose every paragraph is left
   as it is (it is a duplicate or a template page, not an article full of furniture); a body
   left too short is skipped with validate's reason.
4. What was learned is kept in the database (``site_furniture``: one row per site and
   paragraph seen on two or more pages; ``furniture_sites``: pages observed per site) and
   loaded when a site is first met, so the next run starts from it. Paragraphs seen on one page
   only are not kept: across runs, a block must show up twice within one run to be remembered.
5. Earlier pages: a paragraph becomes furniture only on its Nth page, so articles stored before
   that (earlier in this run, or in earlier runs) still hold it. On ``spider_closed`` (sent after
   every pipeline's close_spider, so the store pipeline has written everything) the stored articles of the sites seen in this run
   that contain a paragraph learned as furniture in this run are cleaned in place: body,
   word_count, content_hash and summary are rewritten (the full-text index follows by trigger,
   and article_history keeps the version that held the furniture).

Settings: NEWSCRAWL_DB_PATH, NEWSCRAWL_FURNITURE_MIN_PAGES, NEWSCRAWL_FURNITURE_MIN_SHARE,
NEWSCRAWL_SUMMARY_SENTENCES (to rewrite summaries of cleaned articles).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import PageItem
from crawler.storage import open_database
from crawler.summarize import summarize
from pipelines.clean import word_count
from pipelines.dedupe import content_hash, storage_url
from pipelines.validate import rejection

logger = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


def paragraphs(body: str | None) -> list[str]:
    return [part.strip() for part in _PARAGRAPH_BREAK.split(body or "") if part.strip()]


def block_key(paragraph: str) -> str:
    """Digest of a paragraph with case and whitespace ignored."""
    normal = _WHITESPACE.sub(" ", paragraph).strip().casefold()
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=12).hexdigest()


# Memory: a paragraph seen on one page only is the article's own text unless it repeats
# soon. Such paragraphs are forgotten once SINGLETON_WINDOW pages of the site have gone by
# without a second sighting (checked every PRUNE_EVERY pages), so the learner's memory stays
# flat however long the crawl; they were never saved between runs anyway. A paragraph must
# be on min_share of the pages to be furniture, so one sighting in a window of 1,000 pages
# is far below it, and losing that one count changes nothing.
SINGLETON_WINDOW = 1000  # pages
PRUNE_EVERY = 250  # pages


@dataclass(slots=True)
class BlockSeen:
    sample_text: str
    pages_seen: int
    first_seen_at: str
    last_seen_at: str
    first_page: int = 0  # the site's page count when first seen


@dataclass(slots=True)
class SiteFurniture:
    """What one site's pages have shown so far."""

    pages_seen: int = 0
    blocks: dict[str, BlockSeen] = field(default_factory=dict)

    def observe(self, body: str | None, *, now: str) -> None:
        """Count one new page of the site."""
        self.pages_seen += 1
        for key, text in {block_key(text): text for text in paragraphs(body)}.items():
            seen = self.blocks.get(key)
            if seen is None:
                self.blocks[key] = BlockSeen(text, 1, now, now, self.pages_seen)
            else:
                seen.pages_seen += 1
                seen.last_seen_at = now
        if self.pages_seen % PRUNE_EVERY == 0:
            self.forget_old_singletons()

    def forget_old_singletons(self) -> None:
        """Drop paragraphs seen once, more than SINGLETON_WINDOW pages ago."""
        oldest = self.pages_seen - SINGLETON_WINDOW
        self.blocks = {
            key: seen for key, seen in self.blocks.items() if seen.pages_seen > 1 or seen.first_page > oldest
        }

    def is_furniture(self, key: str, *, min_pages: int, min_share: float) -> bool:
        seen = self.blocks.get(key)
        return (
            seen is not None
            and seen.pages_seen >= min_pages
            and seen.pages_seen >= min_share * self.pages_seen
        )

    def furniture_keys(self, *, min_pages: int, min_share: float) -> set[str]:
        return {key for key in self.blocks if self.is_furniture(key, min_pages=min_pages, min_share=min_share)}

    def furniture_in(self, body: str | None, *, min_pages: int, min_share: float) -> set[str]:
        """The furniture among one body's paragraphs (a lookup per paragraph, not a scan of the site)."""
        keys = {block_key(text) for text in paragraphs(body)}
        return {key for key in keys if self.is_furniture(key, min_pages=min_pages, min_share=min_share)}


def strip_furniture(body: str | None, furniture: set[str]) -> tuple[str | None, int]:
    """(body without its furniture paragraphs, paragraphs removed). A body that is all furniture is kept."""
    parts = paragraphs(body)
    kept = [text for text in parts if block_key(text) not in furniture]
    if not kept or len(kept) == len(parts):
        return body, 0
    return "\n\n".join(kept), len(parts) - len(kept)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LearnSiteFurniturePipeline:
    def __init__(
        self,
        stats: Any,
        *,
        db_path: str,
        min_pages: int,
        min_share: float,
        min_body_chars: int,
        summary_sentences: int,
    ) -> None:
        self.stats = stats
        self.db_path = db_path
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_body_chars = min_body_chars
        self.summary_sentences = summary_sentences
        self.db: Any = None
        self.sites: dict[str, SiteFurniture] = {}
        self._known_at_start: dict[str, set[str]] = {}  # site -> furniture keys loaded from the database
        self._bodies_seen: set[str] = set()  # content hashes observed in this run

    @classmethod
    def from_crawler(cls, crawler: Any) -> LearnSiteFurniturePipeline:
        pipeline = cls.configured(crawler.settings, crawler.stats)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @classmethod
    def configured(cls, settings: Any, stats: Any) -> LearnSiteFurniturePipeline:
        """The pipeline as the settings ask for it (also the distributed ingester's, which has no crawler)."""
        min_pages = settings.getint("NEWSCRAWL_FURNITURE_MIN_PAGES")
        if min_pages <= 0:
            raise NotConfigured("NEWSCRAWL_FURNITURE_MIN_PAGES is 0: no furniture learning")
        return cls(
            stats,
            db_path=settings.get("NEWSCRAWL_DB_PATH"),
            min_pages=min_pages,
            min_share=settings.getfloat("NEWSCRAWL_FURNITURE_MIN_SHARE"),
            min_body_chars=settings.getint("NEWSCRAWL_MIN_BODY_CHARS"),
            summary_sentences=settings.getint("NEWSCRAWL_SUMMARY_SENTENCES"),
        )

    # --- lifecycle ------------------------------------------------------------------------------
    def open_spider(self) -> None:
        self.db = open_database(self.db_path)

    def spider_closed(self) -> None:
        """Keep what was learned and clean the articles stored before it was learned."""
        if self.db is None:
            return
        try:
            self._save()
            self._clean_stored()
        finally:
            self.db.conn.close()
            self.db = None

    # --- items -------------------------------------------------------------------------------------
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        site = self._site(item.site)
        if self._is_new_page(item):
            site.observe(item.parsed.body, now=item.fetched_at)
            self.stats.inc_value("newscrawl/furniture/pages_observed")
        furniture = site.furniture_in(item.parsed.body, min_pages=self.min_pages, min_share=self.min_share)
        body, removed = strip_furniture(item.parsed.body, furniture)
        if not removed:
            return item
        item.parsed = replace(item.parsed, body=body)
        item.word_count = word_count(body)
        item.notes.append(f"site furniture: {removed} repeated paragraph(s) removed")
        self.stats.inc_value("newscrawl/furniture/paragraphs_removed", removed)
        self.stats.inc_value("newscrawl/furniture/pages_cleaned")
        found = rejection(item.parsed, min_body_chars=self.min_body_chars)
        if found is not None:
            return item.skipped(*found)
        return item

    def _is_new_page(self, item: PageItem) -> bool:
        digest = content_hash(item.parsed.title, item.parsed.body)
        if digest in self._bodies_seen:
            return False
        self._bodies_seen.add(digest)
        key = storage_url(item.response_url, item.parsed.canonical_url)
        return self.db is None or self.db.execute("SELECT 1 FROM articles WHERE url = ?", [key]).fetchone() is None

    def _site(self, name: str) -> SiteFurniture:
        site = self.sites.get(name)
        if site is None:
            site = self.sites[name] = self._load(name)
            self._known_at_start[name] = site.furniture_keys(min_pages=self.min_pages, min_share=self.min_share)
        return site

    # --- database ----------------------------------------------------------------------------------
    def _load(self, name: str) -> SiteFurniture:
        site = SiteFurniture()
        if self.db is None:
            return site
        row = self.db.execute("SELECT pages_seen FROM furniture_sites WHERE site = ?", [name]).fetchone()
        if row is None:
            return site
        site.pages_seen = int(row[0])
        for key, text, pages, first, last in self.db.execute(
            "SELECT block_hash, sample_text, pages_seen, first_seen_at, last_seen_at FROM site_furniture WHERE site = ?",
            [name],
        ):
            site.blocks[key] = BlockSeen(text, int(pages), first, last)
        return site

    def _save(self) -> None:
        now = _now()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for name, site in self.sites.items():
                self.db.execute(
                    "INSERT INTO furniture_sites (site, pages_seen, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(site) DO UPDATE SET pages_seen = excluded.pages_seen, updated_at = excluded.updated_at",
                    [name, site.pages_seen, now],
                )
                for key, seen in site.blocks.items():
                    if seen.pages_seen < 2:
                        continue
                    self.db.execute(
                        "INSERT INTO site_furniture (site, block_hash, sample_text, pages_seen, first_seen_at, last_seen_at)"
                        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(site, block_hash) DO UPDATE SET"
                        " pages_seen = excluded.pages_seen, last_seen_at = excluded.last_seen_at",
                        [name, key, seen.sample_text, seen.pages_seen, seen.first_seen_at, seen.last_seen_at],
                    )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _clean_stored(self) -> None:
        """Rewrite stored articles holding a paragraph that became furniture in this run."""
        for name, site in self.sites.items():
            furniture = site.furniture_keys(min_pages=self.min_pages, min_share=self.min_share)
            learned = furniture - self._known_at_start.get(name, set())
            if not learned:
                continue
            samples = [site.blocks[key].sample_text for key in learned]
            cleaned = self._clean_site(name, furniture, samples)
            self.stats.inc_value("newscrawl/furniture/stored_cleaned", cleaned)
            if cleaned:
                logger.info("site furniture: %s stored article(s) of %s cleaned", cleaned, name)

    def _clean_site(self, name: str, furniture: set[str], samples: list[str]) -> int:
        # instr() on each learned paragraph's text finds the candidates; the keys decide.
        condition = " OR ".join("instr(body, ?) > 0" for _ in samples)
        rows = self.db.execute(
            f"SELECT url, title, body, language FROM articles WHERE site = ? AND ({condition})", [name, *samples]
        ).fetchall()
        updates = []
        for url, title, body, language in rows:
            new_body, removed = strip_furniture(body, furniture)
            if removed:
                summary = (
                    summarize(new_body, language, max_sentences=self.summary_sentences)
                    if self.summary_sentences > 0
                    else None
                )
                updates.append([new_body, word_count(new_body), content_hash(title, new_body), summary, url])
        if not updates:
            return 0
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for values in updates:
                self.db.execute(
                    "UPDATE articles SET body = ?, word_count = ?, content_hash = ?, summary = ? WHERE url = ?", values
                )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return len(updates)
