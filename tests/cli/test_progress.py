"""The live progress line (on a terminal) and the JSON log format."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crawler.progress import JsonLogFormatter, Progress, ProgressReporter, drop_records_no_handler_takes, snapshot
from tests.pipelines.helpers import make_crawler
from tests.spider.site import PROJECT_ROOT, LocalSite, article_path, chain_pages, crawl_command


def test_snapshot_reads_the_crawl_counters() -> None:
    stats = {
        "newscrawl/pages_fetched": 12,
        "newscrawl/articles_new": 7,
        "newscrawl/articles_updated": 2,
        "newscrawl/articles_unchanged": 1,
        "newscrawl/skipped": 1,
        "newscrawl/failed": 1,
    }
    progress = snapshot(stats, elapsed_seconds=4.0)
    assert progress == Progress(pages_fetched=12, stored=10, skipped=1, errors=1, elapsed_seconds=4.0)
    assert progress.line() == "fetched 12 | stored 10 | skipped 1 | errors 1 | 3.0 pages/s | 0:04"
    assert progress.record()["pages_per_second"] == 3.0
    assert snapshot({}, 0).pages_per_second == 0.0


def test_the_reporter_redraws_one_line_on_a_terminal() -> None:
    crawler = make_crawler(NEWSCRAWL_PROGRESS="tty")
    stream = io.StringIO()
    reporter = ProgressReporter(crawler.stats, mode="tty", interval=1.0, stream=stream)
    crawler.stats.set_value("newscrawl/pages_fetched", 3)
    reporter.report()
    crawler.stats.set_value("newscrawl/pages_fetched", 5)
    reporter.report()
    output = stream.getvalue()
    assert output.count("\r\x1b[K") == 2 and "\n" not in output
    assert output.endswith("fetched 5 | stored 0 | skipped 0 | errors 0 | " + output.split(" | ")[-2] + " | 0:00")


def test_the_reporter_is_off_unless_asked_for() -> None:
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured):
        ProgressReporter.from_crawler(make_crawler(NEWSCRAWL_PROGRESS="off"))


def test_json_log_lines_carry_extra_fields_and_exceptions() -> None:
    record = logging.LogRecord("newscrawl.test", logging.WARNING, __file__, 1, "page %s failed", ("x",), None)
    record.event = "progress"
    record.pages_fetched = 3
    entry = json.loads(JsonLogFormatter().format(record))
    assert entry["message"] == "page x failed" and entry["level"] == "WARNING" and entry["logger"] == "newscrawl.test"
    assert entry["event"] == "progress" and entry["pages_fetched"] == 3 and entry["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(JsonLogFormatter().format(failing))["exception"]


def _read_all(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO once the terminal's last writer is gone
            return
        if not chunk:
            return
        into.append(chunk)


@pytest.mark.slow
@pytest.mark.parametrize(("handler_levels", "log_level", "expected"), [
    ((logging.ERROR,), "INFO", logging.INFO),  # --quiet: Scrapy's log counter still counts INFO
    ((logging.WARNING,), "WARNING", logging.WARNING),
    ((logging.INFO,), "20", logging.INFO),
    ((logging.ERROR, logging.NOTSET), "INFO", logging.DEBUG),  # a handler that takes everything (pytest's)
    ((logging.ERROR,), "DEBUG", logging.DEBUG),
])
def test_scrapys_logger_drops_only_records_no_handler_takes(
    handler_levels: tuple[int, ...], log_level: str, expected: int
) -> None:
    root, scrapy_logger = logging.getLogger(), logging.getLogger("scrapy")
    saved, saved_level = list(root.handlers), scrapy_logger.level
    try:
        root.handlers = [logging.NullHandler(level) for level in handler_levels]
        scrapy_logger.setLevel(logging.DEBUG)  # as Scrapy's DEFAULT_LOGGING leaves it
        drop_records_no_handler_takes(log_level)
        assert scrapy_logger.level == expected
    finally:
        root.handlers, _ = saved, scrapy_logger.setLevel(saved_level)


def test_a_crawl_on_a_terminal_shows_the_live_line_and_the_summary(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    screen: list[bytes] = []
    reader = threading.Thread(target=_read_all, args=(controller, screen), daemon=True)
    reader.start()  # drained while the crawl runs, so a full terminal buffer never blocks it
    with LocalSite(chain_pages(3)) as site:
        process = subprocess.run(
            crawl_command([site.url(article_path(1))], tmp_path / "news.db"),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            timeout=120,
        )
    os.close(terminal)
    reader.join(timeout=10)
    os.close(controller)
    shown = b"".join(screen).decode()
    assert process.returncode == 0, shown[-3000:]
    assert "fetched 3 | stored 3 | skipped 0 | errors 0 |" in shown
    assert "INFO" not in shown  # Scrapy's INFO lines would break the live line
    assert "3 articles stored" in process.stdout
