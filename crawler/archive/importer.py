"""Articles from WARC files: each response record parsed and sent through the article steps a crawl runs.

``Importer.run(sources)`` reads the response records of each source (a file, or a binary
stream such as standard input) one at a time and, a batch of ``BATCH`` at a time, parses
them in the process pool (``crawler.pool``), runs ``crawler.article``'s composition
(cleaning, validation, site furniture, de-duplication, summary, row) and stores the batch
with a ``RunWriter``. The pool parses one batch while this process reads the next and runs
the writer steps and the store of the one before (``ParsePool.submit_all``): memory holds
two batches, whatever the file's size. The import is one run record (spider ``import``).

Each stored article's prev/next links are checked as a crawl checks a followed link
(``crawler.chaincheck``) when the neighbour's row is stored too: the article stored second of
the two settles the link (both ways when the neighbour links back), whatever the order of
the records; a link whose neighbour is not in the files (nor stored before) stays unchecked.

A page of a site the database learned of (its crawls' template votes) is parsed with its site's
template as a crawl's later pages are (``ArticlePipeline.template_for``, with the fast path's
confident layouts; its pages then add to the site's votes), a page of any other site alone, as
``parse`` does; how each was read is counted (``ArticlePipeline.parsed``).

What is kept: records with a 2xx status and an HTML (or undeclared) content type, on the
``sites`` asked for; after parsing, articles published inside ``since``/``until`` (a page
without a date is left out when a window is given; bounds as crawl's `--since`, a bare day the whole day) in
the ``languages`` asked for. Each
record crosses to the pool once: the parse and the first article steps run there together
(``crawler.article.prepare``).
Everything else is counted by reason (``skipped``); a record that cannot be read is a
failure with its reason (``warc_truncated``, ``warc_not_warc``, ...), never the end of the
import: the next source is read.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from crawler.archive.links import check_stored_links
from crawler.archive.warc import Response, Unreadable, read_responses
from crawler.discovery.dates import DateWindow
from crawler.article import ArticleConfig, ArticlePipeline, RunCounts, RunWriter, Tally
from crawler.article.language import primary
from crawler.article.prepare import FetchedPage, parse_fetched
from crawler.article.run import closing_run
from crawler.article.template import parse_paths
from crawler.items import FailedPage, PageItem
from crawler.pool import ParseCrashed, ParsePool, Submitted
from crawler.storage import ArticleStore, open_database
from crawler.urls import is_http_url, site_key

logger = logging.getLogger(__name__)

BATCH = 100  # records parsed and stored together (memory holds two batches: one in the pool, one being read)
HTML_TYPES = ("text/html", "application/xhtml+xml")
WHOLE_FILE = frozenset({"not_warc", "not_record_gzip", "empty"})  # unreadable reasons that refuse a whole file


@dataclass(frozen=True, slots=True)
class ImportOptions:
    sites: frozenset[str] = frozenset()  # site keys; empty = every site
    window: DateWindow = DateWindow()  # publication dates, inclusive (a bare day: the whole day), as crawl's --since
    languages: frozenset[str] = frozenset()  # primary subtags ("en", ``language.primary``); empty = every language


@dataclass(slots=True)
class ImportReport:
    run_id: int
    outcome: str
    counts: RunCounts
    records: int = 0
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> records not imported
    unreadable: Counter[str] = field(default_factory=Counter)  # reason -> records or file ends not read
    parse_paths: dict[str, int] = field(default_factory=dict)  # ParseResult.parse_path -> pages (the template fast path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Importer:
    def __init__(self, settings: Any, options: ImportOptions) -> None:
        self.config = ArticleConfig.from_settings(settings)
        self.options = options
        self.pool = ParsePool.from_settings(settings)
        self.max_body = settings.getint("DOWNLOAD_MAXSIZE")
        self.stats = Tally()
        self.left_out: Counter[str] = Counter()
        self.unreadable: Counter[str] = Counter()
        self.records = 0
        self.parsing: tuple[list[FetchedPage], Submitted[PageItem | Exception]] | None = None  # the batch in the pool

    def run(self, sources: Iterable[tuple[str, str | BinaryIO]], *, arguments: dict[str, Any]) -> ImportReport:
        """Import every (name, file or stream) in order; returns what the import did."""
        store = ArticleStore(open_database(self.config.db_path))
        steps = ArticlePipeline(self.config, stats=self.stats)
        steps.open(store)
        writer = RunWriter(store, run_id=store.start_run(spider="import", started_at=_now(), arguments=arguments),
                           stats=self.stats)
        try:
            with closing_run(store, steps, writer.run_id, writer.counts, db_path=self.config.db_path) as closed:
                for name, source in sources:
                    self._import(name, source, steps, writer)
                self._store(steps, writer)
                writer.flush()  # the failures of records read after the last batch
        finally:
            self.pool.close()
            store.db.conn.close()
        return ImportReport(run_id=writer.run_id, outcome=closed.outcome, counts=writer.counts, records=self.records,
                            left_out=self.left_out, unreadable=self.unreadable, parse_paths=parse_paths(self.stats))

    def _import(self, name: str, source: str | BinaryIO, steps: ArticlePipeline, writer: RunWriter) -> None:
        batch: list[Response] = []
        for record in read_responses(source, max_body=self.max_body):
            if isinstance(record, Unreadable) and record.reason == "too_large":
                self.records += 1  # a video, an archive, a bomb: passed over like the crawl's DOWNLOAD_MAXSIZE
                self.left_out["too_large"] += 1
                logger.info("%s: %s", name, record.detail)
                continue
            if isinstance(record, Unreadable):
                self.unreadable[record.reason] += 1
                if record.reason in WHOLE_FILE:
                    logger.warning("%s: %s", name, record.detail)
                else:
                    logger.warning("%s: a record could not be read (%s): %s", name, record.reason, record.detail)
                writer.add(FailedPage(url=name, reason=f"warc_{record.reason}", detail=record.detail,
                                      failed_at=_now()))
                continue
            self.records += 1
            if self._kept(record):
                batch.append(record)
            if len(batch) >= BATCH:
                self._hand_over(batch, steps, writer)
                batch = []
        self._hand_over(batch, steps, writer)

    def _kept(self, record: Response) -> bool:
        """Worth parsing: an http(s) URL of a site asked for, a 2xx status, HTML."""
        mime = (record.content_type or "").split(";")[0].strip().lower()
        if not is_http_url(record.url):
            reason = "not_http_url"
        elif self.options.sites and site_key(record.url) not in self.options.sites:
            reason = "other_site"
        elif not 200 <= record.status < 300:
            reason = f"http_{record.status}"
        elif mime and mime not in HTML_TYPES:
            reason = "not_html"
        else:
            return True
        self.left_out[reason] += 1
        return False

    def _hand_over(self, batch: list[Response], steps: ArticlePipeline, writer: RunWriter) -> None:
        """Start parsing ``batch`` in the pool, then store the batch handed over before it."""
        if not batch:
            return
        pages = [FetchedPage(body=r.body, content_type=r.content_type, fetched_url=r.url, response_url=r.url,
                             http_status=r.status, fetched_at=r.fetched_at, site=(site := site_key(r.url)),
                             template=steps.template_for(site, new_sites=False)) for r in batch]
        parsing = self.pool.submit_all(parse_fetched, [(page, steps.pool_steps) for page in pages], what="parsing")
        self._store(steps, writer)
        self.parsing = (pages, parsing)

    def _store(self, steps: ArticlePipeline, writer: RunWriter) -> None:
        """The batch in the pool, once parsed, through the writer steps and into the database."""
        if self.parsing is None:
            return
        (pages, parsing), self.parsing = self.parsing, None
        found = parsing.results()
        items: list[PageItem | FailedPage] = []
        for page, result in zip(pages, found):
            writer.counts.pages_fetched += 1
            if isinstance(result, (Exception, ParseCrashed)):
                items.append(page.parse_error(result))
                continue
            steps.parsed(result)
            if self._in_window(result.parsed):
                items.append(result)
        for outcome in steps.process_batch(items, self.pool):
            writer.add(outcome)
        check_stored_links(writer.flush().articles, writer.store)
        writer.store.record_counts(writer.run_id, writer.counts.as_dict())

    def _in_window(self, parsed: Any) -> bool:
        """The publication date and language filters (the parse is needed to know them)."""
        reason = None
        window = self.options.window
        if not window.is_open and window.contains_text(parsed.published_at) is None:
            reason = "no_date"
        elif DateWindow(since=window.since).contains_text(parsed.published_at) is False:
            reason = "before_since"
        elif DateWindow(until=window.until).contains_text(parsed.published_at) is False:
            reason = "after_until"
        elif self.options.languages and primary(parsed.language or "") not in self.options.languages:
            reason = "other_language"
        if reason is not None:
            self.left_out[reason] += 1
            return False
        return True

