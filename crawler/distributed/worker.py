"""Run one worker process: the site crawl's spider on the shared frontier, items to Redis.

The worker uses the project settings with these changes: the scheduler is
``LeasedRedisScheduler``, the spider is ``WorkerSpider``, and of the article steps only
those before the first that needs the database or every page of a site run here
(``pipelines.article.PageStepsPipeline``), followed by ``PushItemsPipeline``. The other
steps (furniture learning, de-duplication, the summary) and storage belong to the single
writer, ``newscrawl ingest``; so does the WARC archive's index: a worker writes its own WARC
files and hands their index rows to the ingester through Redis
(``crawler.distributed.archive.WorkerArchiveMiddleware`` in place of the crawl's
``ArchiveMiddleware``). Politeness moves to Redis: DOWNLOAD_DELAY and
CONCURRENT_REQUESTS_PER_DOMAIN become the sites' shared policy
(NEWSCRAWL_REDIS_SITE_DELAY / _CONCURRENCY, unless those are set), held over all
workers by the frontier and ``SharedPolitenessMiddleware``; the local per-process delay,
per-site limit and AutoThrottle (whose adaptive delay is per process) are turned off.

Exit codes: 0 the frontier stayed empty for the idle time (or the crawl finished),
4 the worker could not run (Redis unreachable, nothing enqueued, bad settings) or Redis
stayed unreachable for NEWSCRAWL_REDIS_OUTAGE_SECONDS mid-crawl (its leases expire and go
to other workers), 130 stopped by a signal (its unfinished requests are handed back to
the frontier).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.distributed.keys import RedisUnreachable, connect_with
from crawler.progress import install_log_handler
from crawler.runner import EXIT_CANNOT_RUN, EXIT_INTERRUPTED, EXIT_OK, archive_refusal, build_settings

logger = logging.getLogger(__name__)

SCHEDULER = "crawler.distributed.scheduler.LeasedRedisScheduler"
PUSH_PIPELINE = "crawler.distributed.pipeline.PushItemsPipeline"
PUSH_ORDER = 900  # after every pipeline the worker keeps
POLITENESS = "crawler.distributed.politeness.SharedPolitenessMiddleware"
POLITENESS_ORDER = 950  # the last downloader middleware before the download handler: turns are taken on sending
ARTICLE_PIPELINE = "pipelines.article.ArticleStepsPipeline"
PAGE_PIPELINE = "pipelines.article.PageStepsPipeline"  # the worker's share of the article steps
ARCHIVE = "crawler.middlewares.archive.ArchiveMiddleware"
WORKER_ARCHIVE = "crawler.distributed.archive.WorkerArchiveMiddleware"  # index rows through Redis, no database
# Pipelines that need the database or one view of each site: they run in the ingester, not in workers.
INGESTER_PIPELINES = frozenset({ARTICLE_PIPELINE, "pipelines.store.StoreArticlesPipeline"})


@dataclass(slots=True)
class WorkerOptions:
    redis_url: str
    namespace: str | None = None  # None: NEWSCRAWL_REDIS_NAMESPACE
    allow_networks: list[str] = field(default_factory=list)
    idle_close_seconds: float | None = None  # None: NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS
    output: str = "plain"  # plain | quiet | json (crawler.progress log format)
    settings: Mapping[str, Any] = field(default_factory=dict)  # overrides, highest priority


@dataclass(slots=True)
class WorkerSummary:
    exit_code: int
    finish_reason: str | None
    stats: dict[str, Any]
    error: str | None = None


def worker_settings(options: WorkerOptions) -> Settings:
    overrides: dict[str, Any] = dict(options.settings)
    overrides["NEWSCRAWL_REDIS_URL"] = options.redis_url
    if options.namespace is not None:
        overrides["NEWSCRAWL_REDIS_NAMESPACE"] = options.namespace
    if options.idle_close_seconds is not None:
        overrides["NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS"] = options.idle_close_seconds
    overrides["SCHEDULER"] = SCHEDULER
    settings = build_settings(overrides)
    local = settings.getdict("ITEM_PIPELINES")
    pipelines = {path: order for path, order in local.items() if path not in INGESTER_PIPELINES}
    pipelines[PAGE_PIPELINE] = local[ARTICLE_PIPELINE]
    pipelines[PUSH_PIPELINE] = PUSH_ORDER
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    _share_politeness(settings)
    _archive_through_redis(settings)
    if options.allow_networks:
        networks = [*settings.getlist("ALLOWED_NETWORKS"), *options.allow_networks]
        settings.set("ALLOWED_NETWORKS", networks, priority="cmdline")
    return settings


def _share_politeness(settings: Settings) -> None:
    """Per-site delay and concurrency are kept in Redis for all workers; the local ones go."""
    if settings.get("NEWSCRAWL_REDIS_SITE_DELAY") is None:
        settings.set("NEWSCRAWL_REDIS_SITE_DELAY", settings.getfloat("DOWNLOAD_DELAY"), priority="cmdline")
    if settings.get("NEWSCRAWL_REDIS_SITE_CONCURRENCY") is None:
        settings.set("NEWSCRAWL_REDIS_SITE_CONCURRENCY", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                     priority="cmdline")
    settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", settings.getint("CONCURRENT_REQUESTS"), priority="cmdline")
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares[POLITENESS] = POLITENESS_ORDER
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")


def _archive_through_redis(settings: Settings) -> None:
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    order = middlewares.pop(ARCHIVE, None)
    if order is not None:
        middlewares[WORKER_ARCHIVE] = order
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")


def _redis_refusal(settings: Settings) -> str | None:
    """Why the worker cannot reach its Redis (unreachable, or not a Redis URL), or None. Asked
    before Scrapy starts: a dead Redis was one line after Scrapy's dozen start-up lines."""
    try:
        connect_with(settings).close()
    except (RedisUnreachable, ValueError) as exc:
        return str(exc)
    return None


def run_worker(options: WorkerOptions) -> WorkerSummary:
    """Crawl from the shared frontier until it stays empty; block until done."""
    from crawler.distributed.scheduler import REDIS_UNREACHABLE
    from crawler.distributed.spider import WorkerSpider  # Scrapy's spider machinery: only when running

    install_log_handler(options.output)
    settings = worker_settings(options)
    if refusal := archive_refusal(settings, settings.get("NEWSCRAWL_DB_PATH")) or _redis_refusal(settings):
        logger.debug("the worker could not run: %s", refusal)  # the command prints it (its summary), once
        return WorkerSummary(EXIT_CANNOT_RUN, None, {}, refusal)
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(WorkerSpider)
    errors: list[str] = []
    deferred = process.crawl(crawler)
    deferred.addErrback(lambda failure: errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()}"))
    process.start()
    try:
        stats = crawler.stats.get_stats()
    except RuntimeError:  # the crawl never started: Scrapy sets the stats only then
        stats = {}
    reason = stats.get("finish_reason")
    if errors or reason is None:
        error = errors[0] if errors else "the worker did not start"
        logger.debug("the worker could not run: %s", error)  # the command prints it (its summary), once
        return WorkerSummary(EXIT_CANNOT_RUN, reason, stats, error)
    if reason == REDIS_UNREACHABLE:
        return WorkerSummary(EXIT_CANNOT_RUN, reason, stats, f"Redis was unreachable for "
                             f"{settings.getfloat('NEWSCRAWL_REDIS_OUTAGE_SECONDS'):g} s: the worker stopped")
    code = EXIT_INTERRUPTED if reason in ("shutdown", "cancelled") else EXIT_OK
    return WorkerSummary(code, reason, stats)
