"""The site furniture step: paragraphs that repeat across many pages of one site are furniture.

Single-page rules cannot know that "Kaffeepause? Hier die Kurzfassung" is a call-out, or that
a newsletter box, another article's byline or a most-read list sits inside every article of a
site. Across pages it shows: the article's own paragraphs are new on every page, furniture
comes back. So, per site (``PageItem.site``):

1. Each article's cleaned body is split into paragraphs (blank-line separated); a paragraph's
   key is a digest of its text with case and whitespace ignored. The step counts the pages
   it observed and, per key, the pages the paragraph appeared on (once per page). A page whose
   storage key is already in the database, or whose body repeats one seen in this run, is not
   observed again (its paragraphs were counted when it was first stored).
2. A paragraph is furniture once it appeared on at least NEWSCRAWL_FURNITURE_MIN_PAGES pages
   and on at least NEWSCRAWL_FURNITURE_MIN_SHARE of the site's observed pages (so a quote
   shared by three of five hundred articles stays).
3. Furniture paragraphs are removed from every article body passing through, the page that
   reveals a paragraph as furniture included. A body that would lose every paragraph is left
   as it is (it is a duplicate or a template page, not an article full of furniture); a body
   left too short is skipped with validate's reason. The summary, written before this step
   (with the parse, in the pool), is written again from the shortened body, so no summary
   quotes furniture.
4. What was learned is kept in the database (``site_furniture``: one row per site and
   paragraph seen on two or more pages; ``furniture_sites``: pages observed per site) and
   loaded when a site is first met, so the next run starts from it. Paragraphs seen on one page
   only are not kept: across runs, a block must show up twice within one run to be remembered.
5. Earlier pages: a paragraph becomes furniture only on its Nth page, so articles stored before
   that (earlier in this run, or in earlier runs) still hold it. When the run's rows are
   stored (``close``), the stored articles of the sites seen in this run that contain a
   paragraph learned as furniture in this run are cleaned in place: body, word_count,
   content_hash and summary are rewritten (the full-text index follows by trigger, and
   article_history keeps the version that held the furniture).

The tables are read and written through ``crawler.storage.furniture.FurnitureStore``.

Settings: NEWSCRAWL_FURNITURE_MIN_PAGES (0 switches the step off), NEWSCRAWL_FURNITURE_MIN_SHARE,
NEWSCRAWL_MIN_BODY_CHARS (a body left too short), NEWSCRAWL_SUMMARY_SENTENCES (to rewrite
summaries of cleaned articles).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from crawler.article.clean import word_count
from crawler.article.dedupe import content_hash, content_hash_of_parts, normal_text, storage_url
from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.article.summary import summary_for
from crawler.article.validate import rejection
from crawler.items import FailedPage, PageItem
from crawler.storage import ArticleStore
from crawler.storage.furniture import BodyRewrite, FurnitureStore, SiteBlocks, StoredBlock, StoredBody

logger = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(body: str | None) -> list[str]:
    return [part.strip() for part in _PARAGRAPH_BREAK.split(body or "") if part.strip()]


def block_key(paragraph: str) -> str:
    """Digest of a paragraph with case and whitespace ignored."""
    return _digest(normal_text(paragraph))


def _digest(normal: str) -> str:
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=12).hexdigest()


def keyed_paragraphs(body: str | None) -> list[tuple[str, str]]:
    """(block key, paragraph) for each paragraph of a body: the keys are made once a page."""
    return [(block_key(text), text) for text in paragraphs(body)]


def normal_paragraphs(body: str | None) -> tuple[list[tuple[str, str]], list[str]]:
    """``keyed_paragraphs`` of a body and each paragraph's ``normal_text`` (from which the block keys
    and the body's ``content_hash`` are both made)."""
    texts = paragraphs(body)
    normals = [normal_text(text) for text in texts]
    return [(_digest(normal), text) for normal, text in zip(normals, texts)], normals


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
        self.observe_keyed(keyed_paragraphs(body), now=now)

    def observe_keyed(self, parts: list[tuple[str, str]], *, now: str) -> None:
        """Count one new page of the site, given its ``keyed_paragraphs``."""
        self.pages_seen += 1
        for key, text in dict(parts).items():
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
        return self.furniture_among(keyed_paragraphs(body), min_pages=min_pages, min_share=min_share)

    def furniture_among(self, parts: list[tuple[str, str]], *, min_pages: int, min_share: float) -> set[str]:
        """``furniture_in`` for a body's ``keyed_paragraphs``."""
        return {key for key, _ in parts if self.is_furniture(key, min_pages=min_pages, min_share=min_share)}


def load_site(furniture: FurnitureStore, name: str) -> SiteFurniture:
    """What the database keeps of a site's paragraphs (an empty ``SiteFurniture`` for a new site)."""
    stored = furniture.load(name)
    if stored is None:
        return SiteFurniture()
    blocks = {
        block.block_hash: BlockSeen(block.sample_text, block.pages_seen, block.first_seen_at, block.last_seen_at)
        for block in stored.blocks
    }
    return SiteFurniture(pages_seen=stored.pages_seen, blocks=blocks)


def strip_furniture(
    body: str | None, furniture: set[str], parts: list[tuple[str, str]] | None = None
) -> tuple[str | None, int]:
    """(body without its furniture paragraphs, paragraphs removed). A body that is all furniture is
    kept. ``parts``: the body's ``keyed_paragraphs``, when the caller has them."""
    if parts is None:
        parts = keyed_paragraphs(body)
    kept = [text for key, text in parts if key not in furniture]
    if not kept or len(kept) == len(parts):
        return body, 0
    return "\n\n".join(kept), len(parts) - len(kept)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class LearnSiteFurniture(ArticleStep):
    """Paragraphs repeated across a site's pages are learned and removed (see the module docstring)."""

    name = "furniture"
    writer = True

    def __init__(self, *, min_pages: int, min_share: float, min_body_chars: int, summary_sentences: int) -> None:
        self.min_pages = min_pages
        self.min_share = min_share
        self.min_body_chars = min_body_chars
        self.summary_sentences = summary_sentences
        self.store: ArticleStore | None = None
        self.sites: dict[str, SiteFurniture] = {}
        self._known_at_start: dict[str, set[str]] = {}  # site -> furniture keys loaded from the database
        self._bodies_seen: set[str] = set()  # content hashes observed in this run

    @classmethod
    def configured(cls, config: ArticleConfig) -> LearnSiteFurniture | None:
        if config.furniture_min_pages <= 0:
            return None  # NEWSCRAWL_FURNITURE_MIN_PAGES 0: no furniture learning
        return cls(
            min_pages=config.furniture_min_pages,
            min_share=config.furniture_min_share,
            min_body_chars=config.min_body_chars,
            summary_sentences=config.summary_sentences,
        )

    # --- lifecycle ------------------------------------------------------------------------------
    def open(self, store: ArticleStore | None) -> None:
        self.store = store

    def close(self, store: ArticleStore | None, tally: Tally) -> None:
        """Keep what was learned and clean the articles stored before it was learned."""
        self.store = None
        if store is None:
            return
        furniture = FurnitureStore(store.db)
        furniture.save((self._to_store(name, site) for name, site in self.sites.items()), now=_now())
        self._clean_stored(furniture, tally)

    # --- items -------------------------------------------------------------------------------------
    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        site = self._site(item.site)
        parts, normals = normal_paragraphs(item.parsed.body)
        if self._is_new_page(item, normals):
            site.observe_keyed(parts, now=item.fetched_at)
            tally.inc_value("newscrawl/furniture/pages_observed")
        furniture = site.furniture_among(parts, min_pages=self.min_pages, min_share=self.min_share)
        body, removed = strip_furniture(item.parsed.body, furniture, parts)
        if not removed:
            return item
        item.parsed = replace(item.parsed, body=body)
        item.content_hash = None  # _is_new_page's digest was of the body before
        item.word_count = word_count(body)
        item.notes.append(f"site furniture: {removed} repeated paragraph(s) removed")
        tally.inc_value("newscrawl/furniture/paragraphs_removed", removed)
        tally.inc_value("newscrawl/furniture/pages_cleaned")
        found = rejection(item.parsed, min_body_chars=self.min_body_chars)
        if found is not None:
            return item.skipped(*found)
        if self.summary_sentences > 0:
            item.summary = summary_for(item, max_sentences=self.summary_sentences)
        return item

    def _is_new_page(self, item: PageItem, normals: list[str]) -> bool:
        """Whether the page's body was not seen before (in this run, or stored); the body's content
        hash (made from its paragraphs' ``normals``) is kept on the item (``Deduplicate`` needs it
        too, unless this step changes the body)."""
        digest = item.content_hash = content_hash_of_parts(item.parsed.title, normals)
        if digest in self._bodies_seen:
            return False
        self._bodies_seen.add(digest)
        key = storage_url(item.response_url, item.parsed.canonical_url)
        return self.store is None or self.store.existing_hash(key) is None

    def _site(self, name: str) -> SiteFurniture:
        site = self.sites.get(name)
        if site is None:
            site = self.sites[name] = self._load(name)
            self._known_at_start[name] = site.furniture_keys(min_pages=self.min_pages, min_share=self.min_share)
        return site

    # --- what the database keeps ---------------------------------------------------------------
    def _load(self, name: str) -> SiteFurniture:
        return load_site(FurnitureStore(self.store.db), name) if self.store is not None else SiteFurniture()

    @staticmethod
    def _to_store(name: str, site: SiteFurniture) -> SiteBlocks:
        """Pages seen, and the paragraphs seen on two or more pages (a single sighting is not kept)."""
        blocks = tuple(
            StoredBlock(key, seen.sample_text, seen.pages_seen, seen.first_seen_at, seen.last_seen_at)
            for key, seen in site.blocks.items()
            if seen.pages_seen >= 2
        )
        return SiteBlocks(name, site.pages_seen, blocks)

    def _clean_stored(self, furniture: FurnitureStore, tally: Tally) -> None:
        """Rewrite stored articles holding a paragraph that became furniture in this run."""
        for name, site in self.sites.items():
            keys = site.furniture_keys(min_pages=self.min_pages, min_share=self.min_share)
            learned = keys - self._known_at_start.get(name, set())
            if not learned:
                continue
            samples = [site.blocks[key].sample_text for key in learned]
            rewrites = [
                rewrite for stored in furniture.bodies_containing(name, samples)
                if (rewrite := self._without(stored, keys)) is not None
            ]  # fmt: skip
            cleaned = furniture.rewrite_bodies(rewrites) if rewrites else 0
            tally.inc_value("newscrawl/furniture/stored_cleaned", cleaned)
            if cleaned:
                logger.info("site furniture: %s stored article(s) of %s cleaned", cleaned, name)

    def _without(self, stored: StoredBody, furniture: set[str]) -> BodyRewrite | None:
        body, removed = strip_furniture(stored.body, furniture)
        if not removed or body is None:
            return None
        from crawler.summarize import summarize  # numpy: only when a stored article is cleaned

        summary = (
            summarize(body, stored.language, max_sentences=self.summary_sentences)
            if self.summary_sentences > 0
            else None
        )
        return BodyRewrite(stored.url, body, word_count(body), content_hash(stored.title, body), summary)
