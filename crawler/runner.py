"""Run one crawl in this process: settings, Scrapy's CrawlerProcess, and a summary with an exit code.

``run_crawl(CrawlOptions(...))`` is what the ``crawl`` command and ``make demo`` call.
It starts Twisted's reactor, which cannot be restarted: one crawl per process (tests
run crawls in subprocesses).

Settings come from ``crawler.settings``, then the options' overrides (``--set``),
then the options themselves (database path, output mode). Crawls of a site served
on this machine (the demo, tests) add ``local_site_settings()``; nothing else lowers
the politeness defaults.

The crawl runs under the run locks of its sites (``crawler.lock``): a second run of
the same site into the same database ends at once with ALREADY_RUNNING.

Exit codes: ``crawler.exitcodes`` (also in ``newscrawl crawl --help`` and docs/scheduling.md):
0 success, 1 no article stored (every page failed or was skipped), 2 usage error,
3 partial (articles stored, some pages failed), 4 the crawl could not run (database,
settings or start URLs unusable), 5 already running, 130 interrupted (Ctrl-C / SIGTERM).
"""

from __future__ import annotations

import gc
import logging
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.archive import archive_folder, ensure_writable
from crawler.article.coverage import degraded_fields
from crawler.exitcodes import ExitCode, outcome_code
from crawler.lock import AlreadyRunning, RunLock
from crawler.article.template import parse_paths
from crawler.progress import drop_records_no_handler_takes, install_log_handler
from crawler.storage import ArticleStore, NotANewscrawlDatabase, open_database

logger = logging.getLogger(__name__)

SETTINGS_MODULE = "crawler.settings"
RUN_END_RESERVE = 32 * 1024  # bytes of disk the run lock holds so that a full disk still lets the run record its end

EXIT_OK = ExitCode.SUCCESS
EXIT_NOTHING_STORED = ExitCode.NOTHING_STORED
EXIT_USAGE = ExitCode.USAGE  # click's code for bad options
EXIT_PARTIAL = ExitCode.PARTIAL
EXIT_CANNOT_RUN = ExitCode.COULD_NOT_RUN
EXIT_ALREADY_RUNNING = ExitCode.ALREADY_RUNNING
EXIT_INTERRUPTED = ExitCode.INTERRUPTED


def run_exit_code(outcome: str, *, degraded: list[str]) -> ExitCode:
    """The exit code of a run's outcome; a run that stored articles but whose field coverage
    dropped (``degraded``: "site/field" entries) exits DEGRADED."""
    code = outcome_code(outcome)
    return ExitCode.DEGRADED if degraded and code in (EXIT_OK, EXIT_PARTIAL) else code


def local_site_settings() -> dict[str, Any]:
    """Overrides for crawling a site served on 127.0.0.1 (the demo and the tests).

    The one place that lowers politeness for local servers: no delay, no autothrottle,
    more parallel requests per site, short timeouts, no retries of a dead local server.
    """
    return {
        "ALLOWED_NETWORKS": ["127.0.0.0/8"],  # the address guard refuses loopback unless allowed
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": 10,
        "RETRY_TIMES": 1,
    }


@dataclass(slots=True)
class CrawlOptions:
    start_urls: list[str]
    direction: str | None = None  # None: NEWSCRAWL_DIRECTION
    max_articles: int | None = None  # None: NEWSCRAWL_MAX_ARTICLES
    db_path: str | None = None  # None: NEWSCRAWL_DB_PATH
    allow_domains: list[str] = field(default_factory=list)
    output: str = "plain"  # tty | plain | quiet | json (crawler.progress)
    settings: Mapping[str, Any] = field(default_factory=dict)  # overrides, highest priority
    spider_args: Mapping[str, Any] = field(default_factory=dict)  # more site spider arguments: feeds, sitemaps, site, since, ...
    lock_names: list[str] = field(default_factory=list)  # run locks to hold (default: the start URLs' sites)


@dataclass(slots=True)
class CrawlSummary:
    outcome: str  # success | partial | failed | interrupted | could_not_run | storage_error
    exit_code: int
    db_path: str
    run_id: int | None = None
    finish_reason: str | None = None
    elapsed_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    failed_reasons: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the crawl could not run or finish
    degraded: list[str] = field(default_factory=list)  # "site/field" whose coverage dropped (crawler/article/coverage.py)
    archive_error: str | None = None  # why the WARC archive stopped keeping pages mid-crawl (disk full...)
    parse_paths: dict[str, int] = field(default_factory=dict)  # ParseResult.parse_path -> pages (the template fast path)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def build_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project settings with overrides applied at command-line priority."""
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    if overrides:
        settings.setdict(dict(overrides), priority="cmdline")
    return settings


# Scrapy components whose own setting switches them off (from_crawler raises NotConfigured) but
# whose modules Scrapy imports all the same: it loads every class of EXTENSIONS_BASE and
# DOWNLOADER_MIDDLEWARES_BASE to merge the lists, even one set to None. aiohttp for the remote
# control, tldextract for cookies: 0.23 and 0.12 s of CPU at every crawl's start. Our metrics
# extension too: prometheus-client, ~8 ms, unless NEWSCRAWL_METRICS_PORT (0: off) is set.
_SWITCHED_OFF = (
    ("REMOTE_CONTROL_ENABLED", "EXTENSIONS_BASE", "scrapy.extensions.remote_control.RemoteControl"),
    ("COOKIES_ENABLED", "DOWNLOADER_MIDDLEWARES_BASE", "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"),
    ("NEWSCRAWL_METRICS_PORT", "EXTENSIONS", "crawler.metrics.MetricsExtension"),  # a port number: 0 is False
)


def leave_out_switched_off(settings: Settings) -> None:
    """Take the components of ``_SWITCHED_OFF`` that the final settings switch off out of Scrapy's
    base lists, so they are never imported; ``-s COOKIES_ENABLED=True`` keeps cookies as before."""
    for flag, base, path in _SWITCHED_OFF:
        if not settings.getbool(flag):
            listed = settings.getdict(base)
            listed.pop(path, None)
            settings.set(base, listed, priority="cmdline")


def _counts_from_stats(stats: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    names = ("pages_fetched", "articles_new", "articles_updated", "articles_unchanged", "not_modified", "skipped", "failed")
    counts = {name: int(stats.get(f"newscrawl/{name}", 0)) for name in names}
    reasons: dict[str, dict[str, int]] = {"skipped": {}, "failed": {}}
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "newscrawl" and parts[1] in reasons:
            reasons[parts[1]][parts[2]] = int(value)
    return counts, reasons["skipped"], reasons["failed"]


def _cannot_run(db_path: str, error: str, started: float) -> CrawlSummary:
    logger.debug("the crawl could not run: %s", error)  # the command says it (format_summary), once
    return CrawlSummary(
        outcome="could_not_run",
        exit_code=EXIT_CANNOT_RUN,
        db_path=db_path,
        elapsed_seconds=time.monotonic() - started,
        error=error,
    )


def archive_refusal(settings: Settings, db_path: str) -> str | None:
    """Why a crawl or worker cannot keep its WARC archive (NEWSCRAWL_ARCHIVE on, its folder not writable), or None."""
    if not settings.getbool("NEWSCRAWL_ARCHIVE"):
        return None
    folder = archive_folder(db_path, settings.get("NEWSCRAWL_ARCHIVE_DIR"))
    try:
        ensure_writable(folder)
    except OSError as exc:
        return (f"cannot write the WARC archive in {folder}: {exc.strerror or exc}; give it a writable folder "
                "(--set NEWSCRAWL_ARCHIVE_DIR=PATH) or crawl without keeping pages (--set NEWSCRAWL_ARCHIVE=False)")
    return None


def _close_interrupted_runs(db_path: Path, sites: list[str]) -> None:
    """Under the run locks: earlier runs of these sites left 'running' died; say so."""
    if not db_path.exists():
        return
    db = open_database(db_path)
    try:
        closed = ArticleStore(db).close_interrupted_runs(sites)
    finally:
        db.conn.close()
    if closed:
        logger.warning("%d earlier run(s) of %s ended without closing; marked interrupted", closed, ", ".join(sites))


def _sites_of(options: CrawlOptions) -> list[str]:
    """The sites a crawl writes: what its run locks are named after."""
    from crawler.urls import site_key

    extra = [*options.spider_args.get("feeds", []), *options.spider_args.get("sitemaps", [])]
    return sorted({site_key(url) for url in (*options.start_urls, *extra)})


GC_YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest generation while crawling (Python: 700)


@contextmanager
def _collector_for_a_crawl() -> Iterator[None]:
    """Python's cycle collector, cheaper while the reactor runs: what exists when the crawl starts
    (modules, Scrapy, settings) is frozen out of it (``gc.freeze``), so a full
    collection no longer walks it, and the youngest generation is collected after
    ``GC_YOUNG_THRESHOLD`` allocations instead of 700. A page's objects are freed by reference
    counting either way; the collector only finds cycles. Put back as it was afterwards (tests
    run crawls in one process). No collection before the freeze: it walked the ~75,000 objects
    of the imports to find a few dozen left from them, which the collector finds once unfrozen."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl the start URLs' article chains into the database; block until done."""
    from spiders.site import SiteSpider  # imports Scrapy's spider machinery: only when crawling

    started = time.monotonic()
    overrides: dict[str, Any] = dict(options.settings)
    if options.db_path is not None:
        overrides["NEWSCRAWL_DB_PATH"] = options.db_path
    overrides["NEWSCRAWL_PROGRESS"] = options.output if options.output in ("tty", "json") else "off"
    overrides["LOG_INSTALL_ROOT_HANDLER"] = False  # install_log_handler() decides the output format
    settings = build_settings(overrides)
    leave_out_switched_off(settings)
    db_path = settings.get("NEWSCRAWL_DB_PATH")

    install_log_handler(options.output)
    try:  # fail early, with a clear message, when the database is unusable
        open_database(db_path).conn.close()
    except (NotANewscrawlDatabase, OSError, sqlite3.Error) as exc:
        return _cannot_run(db_path, f"cannot open database {db_path}: {exc}", started)
    if refusal := archive_refusal(settings, db_path):
        return _cannot_run(db_path, refusal, started)

    process = CrawlerProcess(settings)
    drop_records_no_handler_takes(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(SiteSpider)
    errors: list[Any] = []  # twisted Failures of the crawl's start
    spider_args: dict[str, Any] = {"url": list(options.start_urls), "allow_domain": list(options.allow_domains)}
    if options.direction is not None:
        spider_args["direction"] = options.direction
    if options.max_articles is not None:
        spider_args["max_articles"] = options.max_articles
    spider_args.update(options.spider_args)
    lock = RunLock(Path(db_path), options.lock_names or _sites_of(options), reserve=RUN_END_RESERVE)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        logger.error("%s", exc)
        return CrawlSummary(outcome="already_running", exit_code=EXIT_ALREADY_RUNNING, db_path=db_path,
                            elapsed_seconds=time.monotonic() - started, error=str(exc))  # fmt: skip
    except OSError as exc:  # the lock file cannot be made or written: a full disk, a folder that takes no file
        return _cannot_run(db_path, f"cannot take the run lock beside {db_path}: {exc}", started)
    try:
        try:
            _close_interrupted_runs(Path(db_path), lock.names)
        except sqlite3.Error as exc:  # a read-only file or a full disk: nothing can be stored
            return _cannot_run(db_path, f"cannot write to database {db_path}: {exc}", started)
        deferred = process.crawl(crawler, **spider_args)
        deferred.addErrback(lambda failure: errors.append(failure))
        _say_what_the_first_ctrl_c_does(settings.getfloat("DOWNLOAD_TIMEOUT"))  # the crawl installed its reactor
        with _collector_for_a_crawl():
            process.start()
        stats = crawler.stats.get_stats() if crawler.stats else {}
        if stats.get("newscrawl/storage_error") and stats.get("newscrawl/run_id") is not None:
            _close_run_left_open(db_path, stats, lock)
    finally:
        lock.release()

    if any(failure.check(KeyboardInterrupt) for failure in errors):  # Ctrl-C before the crawl was under way
        logger.warning("interrupted while the crawl was starting")
        return CrawlSummary(outcome="interrupted", exit_code=ExitCode.INTERRUPTED, db_path=db_path,
                            finish_reason="shutdown", elapsed_seconds=time.monotonic() - started,
                            counts=_counts_from_stats(stats)[0])
    if not errors and "newscrawl/outcome" not in stats and stats.get("newscrawl/run_id") is not None:
        return _stopped_at_once(stats, db_path, started)
    if errors or "newscrawl/outcome" not in stats:
        why = errors[0].getErrorMessage() or errors[0].type.__name__ if errors else "the crawl did not start"
        return _cannot_run(db_path, why, started)
    counts, skipped, failed = _counts_from_stats(stats)
    outcome, error = stats["newscrawl/outcome"], None
    if stats.get("newscrawl/storage_error"):  # not the site's fault, whatever was stored before: exit 4, not 1 or 3
        outcome = "storage_error"
        error = (f"cannot write to database {db_path}: {stats['newscrawl/storage_error']}; "
                 "the crawl stopped, what it stored before is kept")
        logger.debug("%s", error)  # the command says it (format_summary), once; the store logged the failure
    degraded = degraded_fields(stats)
    return CrawlSummary(
        outcome=outcome,
        exit_code=run_exit_code(outcome, degraded=degraded),
        degraded=degraded,
        error=error,
        db_path=db_path,
        run_id=stats.get("newscrawl/run_id"),
        archive_error=stats.get("newscrawl/archive/error"),
        finish_reason=stats.get("finish_reason"),
        elapsed_seconds=time.monotonic() - started,
        counts=counts,
        skipped_reasons=skipped,
        failed_reasons=failed,
        parse_paths=parse_paths(stats),
    )


def _say_what_the_first_ctrl_c_does(timeout: float) -> None:
    """Once Scrapy's Ctrl-C handler is in place (after the reactor's startup), put a line in front
    of it. Scrapy's first Ctrl-C stops gracefully: the pages being downloaded finish first, and a
    server that never answers holds that for DOWNLOAD_TIMEOUT. Scrapy says so at INFO, which the
    terminal's progress mode (warnings and up) does not print: the user saw nothing for 30 s.
    Cutting those downloads short needs Scrapy's private downloader, and would gain nothing a
    second Ctrl-C does not: the next run fetches again what was not stored."""
    from twisted.internet import reactor

    def say() -> None:
        logger.warning("stopping: the pages being downloaded finish first (at most DOWNLOAD_TIMEOUT, %g s); "
                       "Ctrl-C again stops at once, and the next run fetches what was not stored", timeout)

    def chain() -> None:
        chain_before_sigint(lambda: reactor.callFromThread(say))  # logging from a signal handler could deadlock

    reactor.addSystemEventTrigger("after", "startup", reactor.callLater, 0, chain)  # after Scrapy's own trigger


def chain_before_sigint(first: Callable[[], None]) -> None:
    """SIGINT calls ``first()`` and then the handler in place now, once: a handler that installs
    another (Scrapy's first Ctrl-C does) replaces this one. Nothing is chained to an ignored SIGINT."""
    handler = signal.getsignal(signal.SIGINT)
    if not callable(handler):
        return

    def before(signum: int, frame: FrameType | None) -> None:
        first()
        handler(signum, frame)

    signal.signal(signal.SIGINT, before)


def _close_run_left_open(db_path: str, stats: Mapping[str, Any], lock: RunLock) -> None:
    """The database stopped taking writes, and the store pipeline's write of the run's end may
    have failed with them (a full disk): the row would say 'running' until the next run of the
    site called it 'interrupted'. With the lock's reserved disk space given back, the end is
    written here as ``storage_error``, if the row is still open and the database takes it."""
    run_id = int(stats["newscrawl/run_id"])
    lock.free_reserve()
    counts = _counts_from_stats(stats)[0]
    try:
        db = open_database(db_path)
        try:
            closed = ArticleStore(db).finish_run(
                run_id, finished_at=datetime.now(UTC).isoformat(timespec="seconds"), outcome="storage_error",
                finish_reason="storage_error", counts=counts, if_open=True)  # fmt: skip
        finally:
            db.conn.close()
    except (OSError, sqlite3.Error) as exc:
        logger.error("could not record the end of run %s in %s: %s; the next run of its site marks it interrupted",
                     run_id, db_path, exc)
        return
    if closed:
        logger.info("recorded the end of run %s as storage_error in the space the run lock kept", run_id)


def _stopped_at_once(stats: Mapping[str, Any], db_path: str, started: float) -> CrawlSummary:
    """The crawl ran and was stopped before it could close: a second Ctrl-C (or SIGTERM) while it
    closed makes Scrapy stop at once. It said "Crawl could not run: the crawl did not start", exit 4."""
    run_id = stats["newscrawl/run_id"]
    note = (f"stopped at once by a second Ctrl-C: the pages of the batch being stored were not stored; the next "
            f"run of the site marks run {run_id} interrupted and fetches them again")
    logger.debug("%s", note)  # the command says it (format_summary), once
    return CrawlSummary(outcome="interrupted", exit_code=ExitCode.INTERRUPTED, db_path=db_path, run_id=run_id,
                        finish_reason="forced", error=note, elapsed_seconds=time.monotonic() - started,
                        counts=_counts_from_stats(stats)[0])  # fmt: skip


