"""A failed download is one warning line in our words, not Scrapy's ERROR lines and traceback.

`crawl --quiet` prints errors only; a page that failed is counted in the summary and the
failures table, so Scrapy's "Gave up retrying ... [<twisted.python.failure.Failure ...>]" and
RobotsTxtMiddleware's traceback must not reach it (crawler/download_log.py).
"""

from __future__ import annotations

import logging
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DownloadFailedError
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler import download_log
from crawler.runner import build_settings, local_site_settings

from .crawl import PROJECT_ROOT, scaled, set_options


def _reset_error() -> DownloadFailedError:
    """What Scrapy 2.19 hands RetryMiddleware for a connection reset before any answer."""
    try:
        raise ResponseNeverReceived([Failure(ConnectionLost("non-clean"))])
    except ResponseNeverReceived as twisted_error:
        try:
            raise DownloadFailedError(str(twisted_error)) from twisted_error
        except DownloadFailedError as error:
            return error


class _Records(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Iterator[tuple[_Records, _Records]]:
    """(an errors-only handler, a warnings handler) on the root logger, the filter installed."""
    errors, warnings = _Records(logging.ERROR), _Records(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(errors)
    root.addHandler(warnings)
    download_log.install()
    try:
        yield errors, warnings
    finally:
        root.removeHandler(errors)
        root.removeHandler(warnings)


def _spider(**settings: object) -> Spider:
    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True, **settings})
    crawler.spider = crawler._create_spider("site")
    return crawler.spider


def _give_up(reason: object, *, spider: Spider | None = None) -> None:
    """Scrapy's public ``get_retry_request`` for a request that has used its two retries: it logs
    the give-up record the filter rewrites."""
    request = Request("http://news.test/a.html", meta={"retry_times": 2})
    assert get_retry_request(request, spider=spider or _spider(), reason=reason, max_retry_times=2) is None


def test_scrapys_give_up_line_becomes_a_warning_with_the_reason_code(records: tuple[_Records, _Records]) -> None:
    """The one test of what the filter needs from Scrapy's give-up record: the logger
    ``scrapy.downloadermiddlewares.retry`` and the args ``request``, ``retry_times`` and ``reason``,
    made by Scrapy's own public ``get_retry_request``. A Scrapy that changes them fails here."""
    errors, warnings = records
    _give_up(_reset_error())
    assert errors.records == []
    [record] = warnings.records
    assert record.getMessage() == "gave up on http://news.test/a.html after 3 tries: connection_reset"


def test_a_retried_status_keeps_its_words(records: tuple[_Records, _Records]) -> None:
    _, warnings = records
    _give_up("503 Service Unavailable")
    assert warnings.records[-1].getMessage().endswith("after 3 tries: 503 Service Unavailable")


def test_our_settings_make_giving_up_no_error_without_the_filter() -> None:
    """RETRY_GIVE_UP_LOG_LEVEL (a public Scrapy setting) keeps Scrapy's give-up line out of
    `--quiet` even if a Scrapy upgrade changed the record the filter rewrites; Scrapy's default is ERROR."""
    captured = _Records(logging.DEBUG)
    retry_logger = logging.getLogger(download_log.RETRY_LOGGER)
    installed = [kept for kept in retry_logger.filters if isinstance(kept, download_log.DownloadFailureLines)]
    for kept in installed:  # an earlier test installed it; this one is about Scrapy's own level
        retry_logger.removeFilter(kept)
    retry_logger.addHandler(captured)
    try:
        _give_up("503 Service Unavailable", spider=_spider(RETRY_GIVE_UP_LOG_LEVEL=build_settings()["RETRY_GIVE_UP_LOG_LEVEL"]))
    finally:
        retry_logger.removeHandler(captured)
        for kept in installed:
            retry_logger.addFilter(kept)
    [record] = [record for record in captured.records if "503" in record.getMessage()]
    assert record.levelno == logging.WARNING


def test_robots_txt_error_names_the_robots_url_without_a_traceback(records: tuple[_Records, _Records]) -> None:
    """The one test of what the filter needs from RobotsTxtMiddleware's record (no public setting
    sets its level): the logger ``scrapy.downloadermiddlewares.robotstxt`` and the args ``request``
    and ``f_exception``, logged by Scrapy's own middleware when robots.txt cannot be fetched."""
    errors, warnings = records
    spider = _spider()

    class Engine:  # the download of robots.txt fails with a connection reset
        async def download_async(self, request: Request) -> None:
            raise _reset_error()

    spider.crawler.engine = Engine()  # type: ignore[assignment]
    middleware = RobotsTxtMiddleware.from_crawler(spider.crawler)
    Deferred.fromCoroutine(middleware.robot_parser(Request("http://news.test:8080/2025/a.html")))
    assert errors.records == []
    [record] = warnings.records
    assert record.exc_info is None
    assert record.getMessage().startswith("http://news.test:8080/robots.txt could not be fetched (connection_reset)")


def test_other_records_of_those_loggers_pass_unchanged(records: tuple[_Records, _Records]) -> None:
    errors, _ = records
    logging.getLogger(download_log.RETRY_LOGGER).error("something else: %s", "x")
    assert [record.getMessage() for record in errors.records] == ["something else: x"]


@pytest.fixture
def resetting_port() -> Iterator[int]:
    """A port on 127.0.0.1 whose every connection is answered with a TCP reset (robots.txt too)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(5)


@pytest.mark.slow
def test_quiet_crawl_of_a_resetting_server_prints_only_the_summary(tmp_path: Path, resetting_port: int) -> None:
    url = f"http://127.0.0.1:{resetting_port}/a.html"
    command = [sys.executable, "-m", "crawler", "crawl", url, "--db", str(tmp_path / "news.db"), "--quiet",
               *set_options(local_site_settings())]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=scaled(120))
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stdout == ""
    assert "Failed: connection_reset 1" in result.stderr
    for noise in ("ERROR", "Traceback", "twisted.python.failure", "Gave up retrying"):
        assert noise not in result.stderr, result.stderr[-3000:]
