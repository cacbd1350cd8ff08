"""Scrapy's log lines for a download that failed, as one warning naming the URL and the reason.

A page whose download fails is counted in the run's summary and stored in the failures table
with its reason code (``crawler.download_errors``). Scrapy also logs it, as errors:
RetryMiddleware's "Gave up retrying <GET URL> (failed 3 times): [<twisted.python.failure.Failure
...>]" and, when a site's robots.txt cannot be fetched, RobotsTxtMiddleware's "Error downloading"
with a whole traceback. One page failing is no error of the run, so ``crawl --quiet`` (errors
only) printed lines it promises not to print. ``DownloadFailureLines`` rewrites those two records
as warnings in our words: the URL, the reason code, and what the crawl does about it.

Scrapy's public ``RETRY_GIVE_UP_LOG_LEVEL`` (WARNING in ``crawler.settings``) already keeps the
give-up line out of ``--quiet``; the filter puts it in our words. What the filter reads of each
record (its logger and its args) is tested against Scrapy's own code in
tests/faults/test_download_log.py, so an upgrade that changes them fails there.

``install`` puts it on Scrapy's two loggers (a logger's filter runs before any handler's level
check, so the new level decides who prints it); the ``crawl`` and ``worker`` commands install it
with their output mode; ``scrapy crawl`` keeps Scrapy's own lines.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from crawler.download_errors import download_error_reason

RETRY_LOGGER = "scrapy.downloadermiddlewares.retry"
ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class DownloadFailureLines(logging.Filter):
    """Turns Scrapy's error record for a failed download into one warning line without a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.levelno < logging.WARNING or not isinstance(args, dict) or "request" not in args:
            return True
        if record.name == RETRY_LOGGER and "reason" in args:
            message = f"gave up on {_url(args['request'])} after {args.get('retry_times', '?')} tries: {_reason(args['reason'])}"
        elif record.name == ROBOTS_LOGGER and "f_exception" in args:
            message = (f"{_robots_url(args['request'])} could not be fetched ({_reason(args['f_exception'])}): "
                       "the site's pages are crawled as if it allowed them")  # fmt: skip
        else:
            return True
        record.msg, record.args = message, None
        record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        record.exc_info, record.exc_text = None, None
        return True


def _url(request: Any) -> str:
    return str(getattr(request, "url", request))


def _robots_url(request: Any) -> str:
    """The robots.txt URL of the page whose request waited for it."""
    parts = urlsplit(_url(request))
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def _reason(reason: Any) -> str:
    """The failures table's code for an exception; a retried HTTP status ("503 Service Unavailable") as it is."""
    return download_error_reason(reason) if isinstance(reason, BaseException) else str(reason)


def install() -> None:
    """Put the filter on Scrapy's retry and robots.txt loggers (once)."""
    for name in (RETRY_LOGGER, ROBOTS_LOGGER):
        target = logging.getLogger(name)
        if not any(isinstance(existing, DownloadFailureLines) for existing in target.filters):
            target.addFilter(DownloadFailureLines())
