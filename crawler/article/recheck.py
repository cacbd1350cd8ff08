"""The end-of-run re-check: a site's pages stored before its template was learned, parsed again with it.

A site's template is learned only after a few of its pages (``crawler.article.template``), so its
first pages of a run are parsed without a hint for some fields, and an outlier among them (a
caption's date, a teaser's headline) is stored as the page alone read it. As furniture learning
cleans the bodies stored before a paragraph was known, the template step remembers those pages
(``EarlierPage``: the storage key and where each field was read, no HTML) and, when the run's
rows are stored, reads each one whose fields were read elsewhere than the site's final template
says back from the WARC archive (``crawler.storage.archive``), parses it again with the template
and rewrites the stored row where a field the template corrects (title, date, authors, body)
came out differently: body text as the crawl keeps it (cleaned, site furniture out, word count,
hash and summary redone); ``article_history`` keeps the version it replaces.

The same re-check reads again in full, rewriting each of the four fields that comes out
differently whether or not a hint moved it (``EarlierPage.reread``):
- the pages the template fast path read by a site's layouts after their last agreeing
  verification, when a later verified page disagreed (the site may have changed its template in
  between with every layout path in place; ``crawler.article.verifying`` bounds how many);
- the pages a site's field hint corrected before the hint was found stale (it corrected most of
  the site's latest pages: ``crawler.article.template``), read again without it.

Without the archive (NEWSCRAWL_ARCHIVE off, or a page it does not hold) a page is not re-checked
and is counted. Counts: newscrawl/template/recheck/parsed, .../corrected (rows rewritten),
.../not_archived, .../reread (pages read again in full, as above).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from crawler.archive.missing import MissingFiles
from crawler.archive.warc import read_archived
from crawler.article.clean import clean_result, word_count
from crawler.article.dedupe import content_hash
from crawler.article.furniture import load_site, strip_furniture
from crawler.article.step import ArticleConfig, Tally
from crawler.parsing import ParseResult, SiteTemplate, parse_page
from crawler.parsing.template import RESULT_FIELDS, TEMPLATE_FIELDS
from crawler.storage import ArticleStore
from crawler.storage.archive import ArchiveIndex
from crawler.storage.furniture import FurnitureStore
from crawler.storage.reparse import as_article_row, replace_rows, rows_by_url
from crawler.storage.store import ArticleRow

logger = logging.getLogger(__name__)

MAX_EARLIER = 64  # pages remembered per site (a site whose template is never learned stops there)
CORRECTED_FIELDS = tuple(RESULT_FIELDS.values())  # the row's fields a re-check rewrites


@dataclass(frozen=True, slots=True)
class EarlierPage:
    """A stored page whose fields did not all sit where the site's template (as it then was) says."""

    url: str  # storage key
    fetched_url: str
    response_url: str
    paths: dict[str, str]  # field -> where it was read (ParseResult.field_paths)
    hinted: frozenset[str] = frozenset()  # the fields the site's template held when the page was met
    reread: bool = False  # every field read again, rewritten where it differs (``Recheck`` docstring)

    @classmethod
    def read_again(cls, url: str, fetched_url: str, response_url: str) -> EarlierPage:
        """A page to read again in full at the end of the run, every field that differs rewritten:
        a fast read a later check put in doubt, or a page a hint found stale had corrected."""
        return cls(url, fetched_url, response_url, {}, reread=True)


def agrees(paths: dict[str, str], template: SiteTemplate) -> bool:
    """Whether every template field the page located sits where the template says (no field left
    open; the body region, which only the fast path's layouts use, aside)."""
    hinted = template.paths()
    return all(hinted.get(name) == path for name, path in paths.items() if name in TEMPLATE_FIELDS)


def needs_recheck(page: EarlierPage, template: SiteTemplate) -> bool:
    """Whether the template holds a field the page read elsewhere, or one its parse had no hint
    for: the hint may read more from the same element path (every linked author of a byline
    where a page alone took the first)."""
    if page.reread:
        return True
    return any(name not in page.hinted or page.paths.get(name) != path for name, path in template.paths().items())


def _fetch_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Recheck:
    """Re-parses one run's earlier pages with their sites' final templates (see the module docstring)."""

    def __init__(self, store: ArticleStore, config: ArticleConfig, tally: Tally) -> None:
        self.store = store
        self.config = config
        self.tally = tally
        self.index = ArchiveIndex(store.db)
        self.files = MissingFiles(Path(config.archive_dir)) if config.archive_dir else None
        # pages read again in full whose parse a learned hint corrected, with the fields it corrected:
        # the template step remembers them for that hint (a hint found stale later reads them again)
        self.hint_corrected: list[tuple[EarlierPage, tuple[str, ...]]] = []

    def run(self, site: str, template: SiteTemplate, pages: Iterable[EarlierPage]) -> int:
        """Rows of ``site`` rewritten."""
        due = [page for page in pages if needs_recheck(page, template)]
        if not due:
            return 0
        stored = rows_by_url(self.store.db, [page.url for page in due])
        changes = []
        for page in due:
            old = stored.get(page.url)
            parsed = self._parse(page, template) if old is not None else None
            if old is None or parsed is None:
                continue
            new = self._corrected(as_article_row(old), parsed, every_field=page.reread)
            if new is not None:
                changes.append((old, new))
        if self.files is not None:
            for line in self.files.lines(f"of {site} not re-checked with its template, kept as stored (a worker's "
                                         "folder not collected yet? `newscrawl reparse` corrects them once it is)"):
                logger.warning("site template re-check: %s", line)
        if not changes:
            return 0
        written = replace_rows(self.store.db, changes, now=datetime.now(UTC).isoformat(timespec="seconds"))
        self.tally.inc_value("newscrawl/template/recheck/corrected", written)
        logger.info("site template: %s stored article(s) of %s corrected", written, site)
        return written

    def _parse(self, page: EarlierPage, template: SiteTemplate) -> ParseResult | None:
        archived = self.index.latest([page.fetched_url, page.response_url, page.url]) if self.files is not None else None
        response = read_archived(self.config.archive_dir, archived.file, archived.offset, archived.length) \
            if archived is not None and self.files is not None and self.files.has(archived.file) else None
        if response is None:
            self.tally.inc_value("newscrawl/template/recheck/not_archived")
            return None
        self.tally.inc_value("newscrawl/template/recheck/parsed")
        try:
            parsed = parse_page(response.body, response.url, content_type=response.content_type,
                                now=_fetch_time(archived.fetched_at), template=template)
        except Exception as exc:  # a parser bug must not lose what was stored
            logger.warning("site template re-check: parser failed on %s: %r", response.url, exc)
            return None
        if page.reread:
            self.tally.inc_value("newscrawl/template/recheck/reread")
            if parsed.template_changed:
                self.hint_corrected.append((page, tuple(parsed.template_changed)))
        return clean_result(parsed)[0] if parsed.is_article and (parsed.template_changed or page.reread) else None

    def _corrected(self, row: ArticleRow, parsed: ParseResult, *, every_field: bool = False) -> ArticleRow | None:
        """The row with the template's fields as the re-parse reads them (with ``every_field``, all four:
        a page read the fast way); None when none differs."""
        changed = set(CORRECTED_FIELDS if every_field else parsed.template_changed)
        values: dict[str, object] = {}
        if "title" in changed and parsed.title and parsed.title != row.title:
            values["title"] = parsed.title
        if "published_at" in changed and parsed.published_at and parsed.published_at != row.published_at:
            values["published_at"] = parsed.published_at
            values["published_relative"] = parsed.published_relative
        if "authors" in changed and parsed.authors and tuple(parsed.authors) != row.authors:
            values["authors"] = tuple(parsed.authors)
        if "body" in changed and parsed.body:
            body = self._without_furniture(row.site, parsed.body)
            if body and body != row.body and len(body) >= self.config.min_body_chars:
                values.update(body=body, word_count=word_count(body), summary=self._summary(body, row.language))
        if not values:
            return None
        new = replace(row, **values)  # type: ignore[arg-type]
        return replace(new, content_hash=content_hash(new.title, new.body))

    def _without_furniture(self, site: str, body: str) -> str | None:
        if self.config.furniture_min_pages <= 0:
            return body
        known = load_site(FurnitureStore(self.store.db), site)
        keys = known.furniture_in(body, min_pages=self.config.furniture_min_pages,
                                  min_share=self.config.furniture_min_share)
        return strip_furniture(body, keys)[0]

    def _summary(self, body: str, language: str | None) -> str | None:
        from crawler.summarize import summarize  # numpy: only when a re-read body is stored

        sentences = self.config.summary_sentences
        return summarize(body, language, max_sentences=sentences) if sentences > 0 else None
