"""`newscrawl crawl` end to end: exit codes, output modes, and `scrapy crawl article` via scrapy.cfg."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.spider.site import (
    PROJECT_ROOT,
    LocalSite,
    article_path,
    chain_pages,
    crawl_command,
    rows,
    run_article_spider,
    run_crawl_cli,
)


@pytest.mark.parametrize(
    "arguments",
    [
        ["crawl"],
        ["crawl", "ftp://news.test/a.html"],
        ["crawl", "not-a-url"],
        ["crawl", "http://news.test/a.html", "--direction", "sideways"],
        ["crawl", "http://news.test/a.html", "--max-articles", "-1"],
        ["crawl", "http://news.test/a.html", "--set", "NO_EQUALS_SIGN"],
        ["crawl", "http://news.test/a.html", "--quiet", "--json-logs"],
    ],
)
def test_bad_usage_exits_2_before_anything_runs(arguments: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [*arguments, "--db", str(tmp_path / "news.db")] if len(arguments) > 1 else arguments)
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "news.db").exists()


def test_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["crawl", "--help"])
    assert result.exit_code == 0
    for code in ("0 ", "1 ", "2 ", "3 ", "4 ", "130"):
        assert f"  {code}" in result.output
    assert "Example:" in result.output


@pytest.mark.slow
def test_a_database_that_cannot_be_opened_exits_4(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are my notes, not a database\n" * 100)
    result = run_crawl_cli(["http://127.0.0.1:9/a.html"], not_a_db)
    assert result.returncode == 4, result.stderr[-3000:]
    assert "could not run" in result.stdout and str(not_a_db) in result.stdout
    assert not_a_db.read_text().startswith("these are my notes")


@pytest.mark.slow
def test_every_page_failing_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalSite() as site:
        result = run_crawl_cli([site.url("/gone.html")], db)
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Failed: http_404 1" in result.stdout
    [run] = rows(db, "SELECT outcome, failed FROM runs")
    assert run == {"outcome": "failed", "failed": 1}


@pytest.mark.slow
def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalSite(chain_pages(2)) as site:
        result = run_crawl_cli([site.url(article_path(0))], db, "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == ""
    assert len(rows(db, "SELECT url FROM articles")) == 2


@pytest.mark.slow
def test_json_logs_are_json_lines_with_progress_and_a_summary(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalSite(chain_pages(3)) as site:
        result = run_crawl_cli([site.url(article_path(1))], db, "--json-logs")
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(record) for record in records)
    progress = [record for record in records if record.get("event") == "progress"]
    assert progress and progress[-1]["pages_fetched"] == 3 and progress[-1]["stored"] == 3
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["event"] == "summary" and summary["outcome"] == "success" and summary["exit_code"] == 0
    assert summary["counts"]["articles_new"] == 3 and summary["run_id"] == 1


def slow_chain() -> dict:
    """Six chained pages; every one but the start page answers after 1.5 s, so a Ctrl-C finds the crawl fetching."""
    pages = chain_pages(6)
    for path, page in pages.items():
        if path != article_path(0):
            page.delay = 1.5
    return pages


@pytest.mark.slow
def test_ctrl_c_stops_gracefully_keeps_what_was_fetched_and_exits_130(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    pages = slow_chain()
    with LocalSite(pages) as site:
        process = subprocess.Popen(
            crawl_command([site.url(article_path(0))], db, "--direction", "next"),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while article_path(1) not in site.hits and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr[-3000:]
    [run] = rows(db, "SELECT outcome, finish_reason, articles_new FROM runs")
    assert run["outcome"] == "interrupted" and run["finish_reason"] == "shutdown"
    assert run["articles_new"] >= 1
    assert site.url(article_path(0)) in {row["url"] for row in rows(db, "SELECT url FROM articles")}
    assert "interrupted" in stdout


@pytest.mark.slow
def test_scrapy_crawl_article_works_from_the_project_root(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with LocalSite(chain_pages(4)) as site:
        result = run_article_spider([site.url(article_path(2))], db, "-a", "direction=prev", "-a", "max_articles=2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert {row["url"] for row in rows(db, "SELECT url FROM articles")} == {
        site.url(article_path(2)),
        site.url(article_path(1)),
    }
    [run] = rows(db, "SELECT outcome, arguments FROM runs")
    assert run["outcome"] == "success"
    assert json.loads(run["arguments"])["direction"] == "prev"


def test_a_crawl_whose_archive_folder_cannot_be_written_stops_before_anything_runs(tmp_path: Path) -> None:
    """It logged an error among Scrapy's lines, crawled on, said 'Crawl success' and kept no page
    for reparse; now one line says where and what to do, with exit 4, before anything is fetched."""
    from click.testing import CliRunner

    from crawler.cli import cli
    from crawler.commands.crawl import format_summary
    from crawler.runner import CrawlSummary

    (tmp_path / "a-file").write_text("not a folder")
    result = CliRunner().invoke(cli, ["crawl", "http://news.test/a.html", "--db", str(tmp_path / "news.db"),
                                      "--set", f"NEWSCRAWL_ARCHIVE_DIR={tmp_path / 'a-file' / 'warc'}"])  # fmt: skip
    assert result.exit_code == 4, result.output
    assert f"cannot write the WARC archive in {tmp_path / 'a-file' / 'warc'}" in result.output
    assert "NEWSCRAWL_ARCHIVE=False" in result.output
    result = CliRunner().invoke(cli, ["crawl", "http://news.test/a.html", "--db", str(tmp_path / "a-file" / "news.db")])
    assert result.exit_code == 4 and f"{tmp_path / 'a-file'} is a file, not a folder" in result.output, result.output
    stopped = CrawlSummary(outcome="success", exit_code=0, db_path="news.db", run_id=1, finish_reason="finished",
                           counts={"pages_fetched": 3, "articles_new": 3, "articles_updated": 0, "articles_unchanged": 0,
                                   "skipped": 0, "failed": 0}, archive_error="[Errno 28] No space left on device")
    assert "Archive: stopped keeping pages: [Errno 28] No space left on device" in format_summary(stopped)


@pytest.mark.parametrize("quiet", [(), ("--quiet",)])
def test_why_a_crawl_could_not_run_is_said_once(tmp_path: Path, quiet: tuple[str, ...]) -> None:
    """The runner logged "the crawl could not run: X" and the command then printed its summary
    "Crawl could not run: X": the same line twice, on stderr twice with --quiet."""
    (tmp_path / "afile").write_text("")
    result = run_crawl_cli(["http://127.0.0.1:9/a.html"], tmp_path / "afile" / "news.db", *quiet)
    assert result.returncode == 4, result.stderr[-3000:]
    said = (result.stdout + result.stderr).lower()
    assert said.count("could not run") == 1 and "afile is a file, not a folder" in said, said[-2000:]


@pytest.mark.slow
def test_a_second_ctrl_c_is_an_interrupted_crawl_not_one_that_could_not_run(tmp_path: Path) -> None:
    """Ctrl-C, then Ctrl-C again while the crawl closes (Scrapy then stops at once): it said "Crawl could
    not run: the crawl did not start" and exit 4, for a crawl that ran and stored pages."""
    import threading

    db = tmp_path / "news.db"
    pages = slow_chain()
    with LocalSite(pages) as site:
        process = subprocess.Popen(crawl_command([site.url(article_path(0))], db, "--direction", "next"),
                                   cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        said: list[str] = []
        closing = threading.Event()

        def read_log() -> None:
            for line in process.stderr:
                said.append(line)
                if "shutting down gracefully" in line:
                    closing.set()

        reader = threading.Thread(target=read_log, daemon=True)
        reader.start()
        deadline = time.monotonic() + 60
        while article_path(1) not in site.hits and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert closing.wait(60), "".join(said)[-3000:]  # the first Ctrl-C is being handled
        process.send_signal(signal.SIGINT)
        stdout = process.stdout.read()
        process.wait(timeout=60)
        reader.join(timeout=10)
    assert process.returncode == 130, stdout + "".join(said)[-3000:]
    assert "could not run" not in stdout and "Crawl interrupted" in stdout, stdout
    assert "next run" in stdout  # what happens to what it had not stored
    assert any("Ctrl-C again stops at once" in line for line in said), "".join(said)[-3000:]  # said at the first
    assert (stdout + "".join(said)).count("stopped at once by a second Ctrl-C") == 1  # it was logged, then said


@pytest.mark.slow
def test_a_run_lock_that_cannot_be_written_is_could_not_run(tmp_path: Path) -> None:
    """On a full disk the lock file's write failed and the crawl ended in a traceback ("the crawl crashed")."""
    from crawler.lock import lock_path

    db = tmp_path / "news.db"
    url = "http://127.0.0.1:9/a.html"
    lock = lock_path(db, "127.0.0.1:9")
    lock.parent.mkdir()
    lock.symlink_to("/dev/full")  # every write fails, as on a full disk
    result = run_crawl_cli([url], db, "--quiet")
    assert result.returncode == 4, result.stderr[-3000:]
    assert "cannot take the run lock beside" in result.stderr
    assert "Traceback" not in result.stderr and "crashed" not in result.stderr
