"""Re-extract stored articles from the archive with today's parser and article steps.

For each stored article the selection asks for (id order, a batch of ``BATCH`` at a time),
the newest archived response of its URL (``archive_records``: the article's ``url`` or
``fetched_url`` as requested) is read back by offset, parsed in the process pool and sent
through ``crawler.article``'s composition, exactly as a crawl would. Each page is parsed with
its site's template as a crawl's later pages are (``crawler.article.template``): what the
site's crawls learned, kept in the database, with a site profile's pinned template over it
(``--sites``). The pool parses one batch while the next is read from the archive and the
one before is stored (``ParsePool.submit_all``). The new row replaces
the stored one when any field differs; ``article_history`` keeps the old version; the
replaced rows' prev/next links are checked again as ``import`` checks them (a changed link's old
check is dropped; ``crawler.archive.links``). A page
the steps now reject (no longer an article, too short) keeps its stored row and is
counted; so is an article with no archived copy.

Resumable: after each batch its last article id is saved (``reparse_progress``); a reparse
with the same arguments whose run did not finish starts after it. Idempotent: a second
reparse with the same parser finds nothing to change, and leaves the sites' templates as they
were (the pages it re-reads were counted in them when stored; a site with no kept template
learns one from the reparse, once).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crawler.archive import archive_folder
from crawler.archive.links import check_stored_links, former_neighbours
from crawler.archive.warc import Response, read_archived
from crawler.article import ArticleConfig, ArticlePipeline, RunCounts, Tally
from crawler.article.prepare import FetchedPage, parse_fetched
from crawler.article.run import closing_run
from crawler.article.template import parse_paths
from crawler.items import FailedPage, PageItem
from crawler.parsing.template import SiteTemplate
from crawler.pool import ParseCrashed, ParsePool, Submitted
from crawler.storage import ArticleStore, open_database
from crawler.storage.archive import ArchiveIndex, ArchivedResponse
from crawler.storage.reparse import Selection, count_selected, progress, replace_rows, save_progress, stored_rows
from crawler.storage.store import ArticleRow

logger = logging.getLogger(__name__)

BATCH = 100  # articles re-extracted and written per transaction
COMPARED = ("title", "body", "published_at", "modified_at", "authors", "language", "description", "site_name",
            "summary", "prev_url", "next_url", "image_url", "keywords", "free_to_read", "article_uncertain")


@dataclass(slots=True)
class ReparseReport:
    run_id: int
    outcome: str
    selected: int
    counts: RunCounts
    fields: Counter[str] = field(default_factory=Counter)  # "dates changed", "bodies shortened", ...
    resumed_after: int = 0  # article id a killed reparse had reached
    resumed_run: int | None = None  # the killed reparse's run, whose row counts the articles it did
    done_before: int = 0  # selected articles that run did
    parse_paths: dict[str, int] = field(default_factory=dict)  # ParseResult.parse_path -> pages (the template fast path)

    def describe(self) -> str:
        """Like "412 dates changed, 3 bodies shortened, 1 page no longer an article": the noun that
        leads a change's name agrees with its count (it said "1 pages no longer an article")."""
        return ", ".join(f"{n} {_agreeing(what, n)}" for what, n in self.fields.most_common()) or "nothing changed"


# The plural nouns that lead the names of the changes counted in ``ReparseReport.fields``.
_SINGULAR = {"pages": "page", "bodies": "body", "dates": "date"}


def _agreeing(what: str, count: int) -> str:
    noun, _, rest = what.partition(" ")
    return f"{_SINGULAR[noun]} {rest}" if count == 1 and noun in _SINGULAR else what


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _field_changes(old: dict[str, Any], new: ArticleRow) -> list[str]:
    values = new.values()
    changed = []
    for name in COMPARED:
        if name not in values or old.get(name) == values[name]:
            continue
        if name == "body":
            shorter = len(values["body"] or "") < len(old["body"] or "")
            changed.append("bodies shortened" if shorter else "bodies lengthened")
        elif name in ("published_at", "modified_at"):
            changed.append("dates changed")
        else:
            changed.append(f"{name.replace('_', ' ')} changed")
    return sorted(set(changed))


@dataclass(slots=True)
class _Batch:
    """Stored rows whose archived pages the pool is parsing."""

    rows: list[dict[str, Any]]  # the selected rows, in id order
    found: list[dict[str, Any]]  # those with an archived page, in the same order as ``pages``
    pages: list[FetchedPage]
    parsing: Submitted[PageItem | Exception]


class Reparser:
    def __init__(self, settings: Any, selection: Selection, *, pinned: dict[str, SiteTemplate] | None = None) -> None:
        """``pinned``: site key -> the template a site profile pins (``--sites``), as a crawl of it uses."""
        self.config = ArticleConfig.from_settings(settings)
        self.folder = archive_folder(self.config.db_path, settings.get("NEWSCRAWL_ARCHIVE_DIR"))
        self.selection = selection
        self.pinned = pinned or {}
        self.pool = ParsePool.from_settings(settings)
        self.stats = Tally()
        self._missing: set[str] = set()  # WARC files the index names and the folder lacks
        self._missing_folder_said = False  # the whole folder is gone: said once, not once per file

    def run(self, *, arguments: dict[str, Any], on_progress: Callable[[int, int], None] | None = None) -> ReparseReport:
        store = ArticleStore(open_database(self.config.db_path))
        index = ArchiveIndex(store.db)
        resumed_run, after = progress(store.db, arguments)
        run_id = store.start_run(spider="reparse", started_at=_now(), arguments=arguments)
        report = ReparseReport(run_id=run_id, outcome="running", selected=count_selected(store.db, self.selection),
                               counts=RunCounts(), resumed_after=after, resumed_run=resumed_run)
        steps = ArticlePipeline(self.config, stats=self.stats)
        steps.open(store)
        done = report.done_before = report.selected - count_selected(store.db, self.selection, after_id=after)
        parsing: _Batch | None = None
        try:
            with closing_run(store, steps, run_id, report.counts, db_path=self.config.db_path) as closed:
                while True:  # the pool parses one batch while the next is read and the one before is stored
                    rows = stored_rows(store.db, self.selection, after_id=after, limit=BATCH)
                    following = self._hand_over(rows, index, steps, report) if rows else None
                    if parsing is not None:
                        self._store(parsing, store, steps, report)
                        save_progress(store.db, run_id, parsing.rows[-1]["id"])
                        store.record_counts(run_id, report.counts.as_dict())
                        done += len(parsing.rows)
                        if on_progress is not None:
                            on_progress(done, report.selected)
                    if following is None:
                        break
                    parsing, after = following, rows[-1]["id"]
        finally:
            self.pool.close()
            store.db.conn.close()
        report.outcome = closed.outcome
        report.parse_paths = parse_paths(self.stats)
        return report

    def _hand_over(self, rows: list[dict[str, Any]], index: ArchiveIndex, steps: ArticlePipeline,
                   report: ReparseReport) -> _Batch:
        """Read the rows' newest archived pages and start parsing them in the pool."""
        found, pages = [], []
        for row in rows:
            archived = index.latest([row["url"], row["fetched_url"]], run_id=self.selection.run_id)
            response = self._read(archived) if archived is not None else None
            if archived is None or response is None:
                report.counts.failed += 1
                report.fields["not in the archive"] += 1
                continue
            found.append(row)
            pages.append(FetchedPage(body=response.body, content_type=response.content_type,
                                     fetched_url=archived.request_url, response_url=response.url,
                                     http_status=response.status, site=row["site"],
                                     fetched_at=response.fetched_at or datetime.fromisoformat(archived.fetched_at),
                                     template=steps.template_for(row["site"], self.pinned.get(row["site"]))))
        parsing = self.pool.submit_all(parse_fetched, [(page, steps.pool_steps) for page in pages], what="re-parsing")
        return _Batch(rows, found, pages, parsing)

    def _store(self, batch: _Batch, store: ArticleStore, steps: ArticlePipeline, report: ReparseReport) -> None:
        """The batch's parses through the writer steps; the rows that change replaced,
        and their prev/next links checked again against the stored neighbours (old and new)."""
        items: list[PageItem | FailedPage] = []
        for page, result in zip(batch.pages, batch.parsing.results()):
            report.counts.pages_fetched += 1
            items.append(page.parse_error(result) if isinstance(result, (Exception, ParseCrashed)) else result)
            steps.parsed(items[-1])
        changed = []
        for row, outcome in zip(batch.found, steps.process_batch(items, self.pool)):
            if isinstance(outcome, FailedPage):
                report.counts.skipped += 1
                report.fields["pages no longer an article" if outcome.reason == "not_article"
                              else f"pages now {outcome.reason}"] += 1
                continue
            if not isinstance(outcome, ArticleRow) or outcome.url != row["url"]:
                report.counts.skipped += 1
                report.fields["stored under another URL now (kept)"] += 1
                continue
            fields = _field_changes(row, outcome)
            if fields:
                changed.append((row, outcome))
                report.fields.update(fields)
                report.counts.articles_updated += 1
            else:
                report.counts.articles_unchanged += 1
        if changed:
            replace_rows(store.db, changed, now=_now())
            check_stored_links([*(new for _, new in changed), *former_neighbours(store, changed)], store)

    def _read(self, archived: ArchivedResponse) -> Response | None:
        """The archived page; None when it cannot be read (a WARC file deleted or moved from the
        folder is logged once and not opened again)."""
        if archived.file in self._missing:
            return None
        if not (self.folder / archived.file).is_file():
            self._missing.add(archived.file)
            if not self._missing_folder_said:
                self._missing_folder_said = not self.folder.is_dir()
                if self._missing_folder_said:
                    logger.warning("the WARC archive folder %s does not exist (moved or deleted?): no article can be "
                                   "re-extracted; if it moved, add --set NEWSCRAWL_ARCHIVE_DIR=ITS_NEW_PLACE", self.folder)
                else:
                    logger.warning("%s is not in the archive folder (deleted or moved?): its pages are counted as not "
                                   "in the archive", self.folder / archived.file)
            return None
        return read_archived(self.folder, archived.file, archived.offset, archived.length)
