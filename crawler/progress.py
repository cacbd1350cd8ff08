"""What a running crawl shows: a live progress line on a terminal, or JSON log lines.

Output modes (the ``crawl`` command picks one; ``scrapy crawl`` keeps Scrapy's logging):

- ``tty``: one status line on stderr, redrawn in place every NEWSCRAWL_PROGRESS_INTERVAL
  seconds (pages fetched, articles stored, skipped, errors, pages per second); only
  warnings and errors are logged, above the line.
- ``plain``: Scrapy's ordinary log lines (INFO), for pipes and files.
- ``quiet``: errors only.
- ``json``: every log record as one JSON object per line on stderr, and a ``progress``
  record every NEWSCRAWL_PROGRESS_INTERVAL seconds, for scheduled jobs and log shippers.

``ProgressReporter`` is the Scrapy extension that draws the line or emits the records; it
switches itself off unless NEWSCRAWL_PROGRESS is ``tty`` or ``json``.

Settings: NEWSCRAWL_PROGRESS, NEWSCRAWL_PROGRESS_INTERVAL.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from crawler import download_log

logger = logging.getLogger(__name__)

OUTPUT_MODES = ("tty", "plain", "quiet", "json")
LOG_LEVELS = {"tty": logging.WARNING, "plain": logging.INFO, "quiet": logging.ERROR, "json": logging.INFO}
_CLEAR_LINE = "\r\x1b[K"
# LogRecord attributes that are not "extra" fields of a record.
_STANDARD_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@dataclass(frozen=True, slots=True)
class Progress:
    pages_fetched: int
    stored: int
    skipped: int
    errors: int
    elapsed_seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages_fetched / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0

    def line(self) -> str:
        minutes, seconds = divmod(int(self.elapsed_seconds), 60)
        return (
            f"fetched {self.pages_fetched} | stored {self.stored} | skipped {self.skipped} | "
            f"errors {self.errors} | {self.pages_per_second:.1f} pages/s | {minutes}:{seconds:02d}"
        )

    def record(self) -> dict[str, Any]:
        return {**asdict(self), "pages_per_second": round(self.pages_per_second, 2)}


def snapshot(stats: dict[str, Any], elapsed_seconds: float) -> Progress:
    """Progress from a crawler's stats (the counters the spider and the store pipeline keep)."""

    def count(name: str) -> int:
        return int(stats.get(f"newscrawl/{name}", 0))

    return Progress(
        pages_fetched=count("pages_fetched"),
        stored=count("articles_new") + count("articles_updated") + count("articles_unchanged"),
        skipped=count("skipped"),
        errors=count("failed"),
        elapsed_seconds=elapsed_seconds,
    )


class ProgressReporter:
    """Scrapy extension: the live line (``tty``) or periodic progress records (``json``)."""

    def __init__(self, stats: Any, *, mode: str, interval: float, stream: TextIO | None = None) -> None:
        self.stats = stats
        self.mode = mode
        self.interval = interval
        self.stream = stream or sys.stderr
        self._started = time.monotonic()
        self._timer = LoopingCall(self.report)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressReporter:
        mode = crawler.settings.get("NEWSCRAWL_PROGRESS")
        if mode not in ("tty", "json"):
            raise NotConfigured
        reporter = cls(crawler.stats, mode=mode, interval=crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL"))
        crawler.signals.connect(reporter.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def spider_opened(self, spider: Any) -> None:
        self._started = time.monotonic()
        self._timer.start(self.interval, now=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._timer.running:
            self._timer.stop()
        self.report()
        if self.mode == "tty":
            self.stream.write("\n")
            self.stream.flush()

    def report(self) -> None:
        progress = snapshot(self.stats.get_stats(), time.monotonic() - self._started)
        if self.mode == "tty":
            self.stream.write(_CLEAR_LINE + progress.line())
            self.stream.flush()
        else:
            logger.info("progress", extra={"event": "progress", **progress.record()})


class JsonLogFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_RECORD_FIELDS and key not in entry and key != "spider":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _LineClearingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Clears the progress line before a log record so the two never share a line."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(_CLEAR_LINE)
        super().emit(record)


def install_log_handler(mode: str, *, stream: TextIO | None = None) -> logging.Handler:
    """Replace the root logger's handlers with the one the output mode needs; return it."""
    stream = stream or sys.stderr
    handler: logging.Handler
    if mode == "json":
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonLogFormatter())
    elif mode == "tty":
        handler = _LineClearingHandler(stream)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    else:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    handler.setLevel(LOG_LEVELS[mode])
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(LOG_LEVELS[mode])
    logging.captureWarnings(True)  # warnings become log records in the same format
    download_log.install()  # Scrapy's error lines for one failed page: one warning in our words
    return handler


def drop_records_no_handler_takes(log_level: str | int) -> None:
    """Scrapy sets its ``scrapy`` logger to DEBUG (``scrapy.utils.log.DEFAULT_LOGGING``), so every
    page's "Crawled (200)" and "Scraped from" debug lines are made into records that each handler
    then drops. Raise that logger to the lowest level a handler takes: the root's handlers (the
    output mode's, a test's) and Scrapy's log counter, which counts records from ``log_level``
    (LOG_LEVEL) up. What is printed and counted stays the same; a handler taking everything
    (level NOTSET) keeps DEBUG. Call it once Scrapy has configured logging (``CrawlerProcess``)."""
    levels = [handler.level for handler in logging.getLogger().handlers]
    levels.append(_level_number(log_level))
    logging.getLogger("scrapy").setLevel(max(logging.DEBUG, min(levels)))


def _level_number(level: str | int) -> int:
    """LOG_LEVEL as a number: 20, "20" and "INFO" alike; DEBUG for a name logging does not know."""
    if isinstance(level, int) or str(level).isdigit():
        return int(level)
    number = logging.getLevelName(str(level).upper())
    return number if isinstance(number, int) else logging.DEBUG
