"""The rough edges a new user hit in the trial of issue 14, one test each (the rest sit beside their area's tests)."""

from __future__ import annotations

from crawler.commands.crawl import format_summary
from crawler.runner import CrawlSummary, _counts_from_stats


def test_the_crawl_summary_counts_304_answers() -> None:
    stats = {"newscrawl/pages_fetched": 10, "newscrawl/articles_unchanged": 2, "newscrawl/not_modified": 7}
    counts, _, _ = _counts_from_stats(stats)
    assert counts["not_modified"] == 7
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=3, finish_reason="finished",
                           elapsed_seconds=1.5, counts=counts)
    assert "7 not modified since the last fetch (HTTP 304)" in format_summary(summary)


def test_the_crawl_summary_says_one_page_and_one_article_in_the_singular() -> None:
    """It said "1 pages fetched, 1 articles stored" (session 9's QA)."""
    stats = {"newscrawl/pages_fetched": 1, "newscrawl/articles_new": 1}
    counts, _, _ = _counts_from_stats(stats)
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           elapsed_seconds=0.5, counts=counts, parse_paths={"template": 1, "full": 5})
    text = format_summary(summary)
    assert ": 1 page fetched, 1 article stored (1 new," in text
    assert "Template fast path: 1 page read from its site's layout," in text
    counts["pages_fetched"], counts["articles_new"] = 2, 0
    assert ": 2 pages fetched, 0 articles stored (0 new," in format_summary(summary)


def test_a_blocked_loopback_page_names_the_command_line_option() -> None:
    import asyncio

    import pytest
    from scrapy.http import Request
    from crawler.middlewares.netguard import BlockedAddress, NetGuardMiddleware
    from tests.pipelines.helpers import project_crawler

    middleware = NetGuardMiddleware.from_crawler(project_crawler(settings_dict={"ALLOWED_NETWORKS": []}))
    with pytest.raises(BlockedAddress, match=r"--allow-network 127\.0\.0\.1 \(or the setting ALLOWED_NETWORKS\)"):
        asyncio.run(middleware.process_request(Request("http://127.0.0.1:8000/a.html")))


def test_sites_example_follows_the_demo_ports() -> None:
    import tomllib
    from pathlib import Path

    from crawler.demo.__main__ import DEFAULT_PORT
    from crawler.demo.server import DemoSite

    example = tomllib.loads((Path(__file__).resolve().parents[2] / "sites.example.toml").read_text(encoding="utf-8"))
    expected = {f"demo_{key}": f"http://127.0.0.1:{DEFAULT_PORT + offset}" for offset, key in enumerate(DemoSite().publishers)}
    assert example["vars"] == expected


def test_the_demo_serves_on_free_ports_when_its_ports_are_taken(capsys) -> None:
    import socket

    from crawler.demo.__main__ import start_site

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        site = start_site(port)
        try:
            urls = [site.base_url(key) for key in site.publishers]
            assert all(f":{port}/" not in url and not url.endswith(f":{port}") for url in urls)
        finally:
            site.stop()
    assert "taken" in capsys.readouterr().err


def test_the_package_metadata_builds_without_a_deprecation_banner() -> None:
    """setuptools printed a license deprecation banner three times per install (the TOML-table form)."""
    import warnings
    from pathlib import Path

    import pytest

    setuptools = pytest.importorskip("setuptools")
    if tuple(int(part) for part in setuptools.__version__.split(".")[:2]) < (77, 0):
        pytest.fail("the Makefile installs setuptools>=77 into the venv; this one is older")
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        apply_configuration(Distribution(), Path(__file__).resolve().parents[2] / "pyproject.toml")


def test_a_crawl_stopped_by_a_full_disk_is_said_in_words_once() -> None:
    """It said "Crawl storage_error (storage_error) in 5.6 s" (session 11's QA, a full tmpfs)."""
    counts, _, _ = _counts_from_stats({"newscrawl/pages_fetched": 50})
    summary = CrawlSummary(outcome="storage_error", exit_code=4, db_path="news.db", run_id=1,
                           finish_reason="storage_error", elapsed_seconds=5.6, counts=counts,
                           error="cannot write to database news.db: database or disk is full")
    text = format_summary(summary)
    assert "Crawl storage error in 5.6 s: 50 pages fetched" in text and "storage_error" not in text
    summary.outcome, summary.finish_reason = "success", "finished"
    assert "Crawl success (finished) in 5.6 s" in format_summary(summary)


def test_the_summary_points_to_the_failures_table_only_when_it_holds_something() -> None:
    """It said "(run 1; reasons in the failures table)" after a run that failed and skipped nothing (session 12's QA)."""
    counts, _, _ = _counts_from_stats({"newscrawl/pages_fetched": 3, "newscrawl/articles_new": 3})
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           elapsed_seconds=0.5, counts=counts)
    assert format_summary(summary).endswith("Database: news.db (run 1)")
    counts["failed"] = 1
    assert format_summary(summary).endswith("Database: news.db (run 1; reasons in the failures table)")


def test_the_default_settings_disable_no_component_with_a_warning(caplog) -> None:
    """With the render middleware switched off by default (NEWSCRAWL_RENDER = "never"), Scrapy logged
    "WARNING: Disabled crawler.render.middleware.RenderMiddleware: ..." in every crawl, the one line
    a terminal user saw above the progress line (session 12's QA)."""
    import logging

    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.core.spidermw import SpiderMiddlewareManager

    from tests.pipelines.helpers import project_crawler

    crawler = project_crawler()
    with caplog.at_level(logging.WARNING):
        for manager in (DownloaderMiddlewareManager, SpiderMiddlewareManager):
            manager.from_crawler(crawler)
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []


def test_the_first_ctrl_c_is_said_before_scrapys_handler_runs() -> None:
    """Scrapy's first Ctrl-C waits for the pages being downloaded (up to DOWNLOAD_TIMEOUT) and says so
    only at INFO, which the terminal's progress mode does not print (session 12's QA: 28 s of silence
    against a server that never answers). The runner chains its own line in front of Scrapy's handler."""
    import signal

    from crawler.runner import chain_before_sigint

    calls: list[str] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append("scrapy"))
    try:
        chain_before_sigint(lambda: calls.append("said"))
        signal.raise_signal(signal.SIGINT)
        assert calls == ["said", "scrapy"]
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        chain_before_sigint(lambda: calls.append("said"))  # an ignored Ctrl-C stays ignored
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_dependency_the_virtualenv_lacks_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    """After a `git pull` that adds a dependency (convertdate, threadpoolctl), every command of an
    older virtualenv ended in a ModuleNotFoundError traceback (session 12's QA, `python -m crawler.demo.scheduled`)."""
    import pytest

    from crawler import cli
    from crawler.exitcodes import ExitCode

    def missing(name: str) -> None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    import signal

    ctrl_c = signal.getsignal(signal.SIGINT)  # main() ignores Ctrl-C once the command has ended
    try:
        monkeypatch.setattr(cli, "cli", lambda: missing("deflate"))  # a dependency in pyproject.toml
        with pytest.raises(SystemExit) as stopped:
            cli.main()
        assert stopped.value.code == ExitCode.COULD_NOT_RUN
        error = capsys.readouterr().err
        assert "needs the Python package 'deflate'" in error and "make install" in error and "Traceback" not in error
        monkeypatch.setattr(cli, "cli", lambda: missing("not_a_dependency"))  # a bug of ours stays a traceback
        with pytest.raises(ModuleNotFoundError):
            cli.main()
    finally:
        signal.signal(signal.SIGINT, ctrl_c)


def test_the_crawl_summary_writes_large_counts_with_thousands_separators() -> None:
    """It said "3,000 pages fetched, 3,000 articles stored (1469 new, ... 1531 unchanged)" (session 13's QA);
    import, reparse and ingest print their counts the same way."""
    stats = {"newscrawl/pages_fetched": 3000, "newscrawl/articles_new": 1469, "newscrawl/articles_unchanged": 1531,
             "newscrawl/not_modified": 1200, "newscrawl/skipped": 1001}
    counts, _, _ = _counts_from_stats(stats)
    summary = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           elapsed_seconds=9.0, counts=counts)
    text = format_summary(summary)
    assert "(1,469 new, 0 updated, 1,531 unchanged), 1,200 not modified" in text and "1,001 skipped" in text, text
