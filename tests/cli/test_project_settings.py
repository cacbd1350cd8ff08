"""`import` and `reparse` read the project settings without Scrapy (crawler/config.py): the same
values as Scrapy's Settings over crawler/settings.py, with the same overrides and conversions."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler import settings as defaults
from crawler.archive.warc import Exchange, WarcFileWriter
from crawler.config import ProjectSettings
from crawler.runner import build_settings
from crawler.storage import open_database
from crawler.storage.archive import ArchivedResponse, ArchiveIndex
from tests.spider.site import article_html

ROOT = Path(__file__).resolve().parents[2]
NAMES = [name for name in dir(defaults) if name.isupper()]
OVERRIDES = {"NEWSCRAWL_PARSE_PROCESSES": "2", "NEWSCRAWL_ARCHIVE": "False", "NEWSCRAWL_LANGUAGES": "de,fr",
             "NEWSCRAWL_ARCHIVE_DIR": "/srv/warc", "DOWNLOAD_MAXSIZE": "1000", "NEWSCRAWL_FURNITURE_MIN_SHARE": "0.5",
             "NEWSCRAWL_NOT_A_SETTING": "1"}


def _read(settings, name: str):
    value = defaults.__dict__.get(name)
    if isinstance(value, bool):
        return settings.getbool(name)
    if isinstance(value, int):
        return settings.getint(name)
    if isinstance(value, float):
        return settings.getfloat(name)
    if isinstance(value, (list, tuple)):
        return settings.getlist(name)
    if isinstance(value, dict):
        return settings.getdict(name)
    return settings.get(name)


@pytest.mark.parametrize("overrides", [{}, OVERRIDES], ids=["defaults", "overrides"])
def test_every_setting_reads_as_scrapys_settings_read_it(overrides):
    ours, scrapys = ProjectSettings(overrides), build_settings(overrides)
    assert {name: _read(ours, name) for name in NAMES} == {name: _read(scrapys, name) for name in NAMES}
    for name in OVERRIDES:
        assert ours[name] == scrapys[name] and ours.get(name, "x") == scrapys.get(name, "x")
    assert ours["UNSET"] is None and ours.get("UNSET", 3) == 3 == scrapys.get("UNSET", 3)


@pytest.mark.parametrize("value", ["yes", "2.5", ""])
def test_a_bad_boolean_is_an_error_naming_the_setting(value):
    with pytest.raises(ValueError, match="NEWSCRAWL_ARCHIVE"):
        ProjectSettings({"NEWSCRAWL_ARCHIVE": value}).getbool("NEWSCRAWL_ARCHIVE")
    with pytest.raises(ValueError):
        build_settings({"NEWSCRAWL_ARCHIVE": value}).getbool("NEWSCRAWL_ARCHIVE")


def test_import_and_reparse_run_without_importing_scrapy(tmp_path):
    """Their main process runs no crawl: Scrapy (and Twisted) are never imported there (most of
    their start-up before); the pool processes import only the parser."""
    warc, db = tmp_path / "warc", tmp_path / "news.db"
    writer, index = WarcFileWriter(warc, "newscrawl-run1", max_bytes=10**9), ArchiveIndex(open_database(db))
    for number in range(2):  # archived as a crawl keeps them, so reparse has pages to read
        url, when = f"http://news.test/a/{number}.html", datetime.now(UTC)
        written = writer.write(Exchange(url, "GET", [], 200, "OK", [("Content-Type", "text/html; charset=utf-8")],
                                        article_html(number), when))
        index.add([ArchivedResponse(None, url, url, 200, "text/html", when.isoformat(timespec="seconds"), written.file,
                                    written.offset, written.length, 1, written.payload_digest)])
    writer.close()
    index.db.conn.close()
    code = (
        "import sys\n"
        "from crawler.cli import cli\n"
        "for args in sys.argv[1:]:\n"
        "    try:\n"
        "        cli(args.split('|'))\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, (args, exit.code)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('scrapy', 'twisted')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, f"import|{warc}|--db|{db}",
                             f"reparse|--db|{db}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_crawl_leaves_out_the_scrapy_components_its_settings_switch_off():
    """Remote control, cookies and the metrics endpoint are off (crawler/settings.py): their modules,
    and aiohttp, tldextract and prometheus-client with them, are not imported; switched on with -s
    they are loaded as before."""
    code = (
        "import sys, json\n"
        "from scrapy.crawler import CrawlerProcess\n"
        "from scrapy.core.downloader.middleware import DownloaderMiddlewareManager\n"
        "from scrapy.extension import ExtensionManager\n"
        "from crawler.runner import build_settings, leave_out_switched_off\n"
        "from spiders.site import SiteSpider\n"
        "settings = build_settings(json.loads(sys.argv[1]))\n"
        "leave_out_switched_off(settings)\n"
        "crawler = CrawlerProcess(settings).create_crawler(SiteSpider)\n"
        "crawler._apply_settings()\n"
        "DownloaderMiddlewareManager.from_crawler(crawler)\n"
        "ExtensionManager.from_crawler(crawler)\n"
        "print(sorted(name for name in ('aiohttp', 'tldextract', 'scrapy.extensions.remote_control',\n"
        "                               'scrapy.downloadermiddlewares.cookies', 'prometheus_client')\n"
        "             if name in sys.modules))\n"
    )
    run = [sys.executable, "-c", code]
    off = subprocess.run([*run, "{}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert off.returncode == 0, off.stderr[-3000:]
    assert off.stdout.strip().splitlines()[-1] == "[]"
    on = subprocess.run([*run, '{"COOKIES_ENABLED": "True"}'], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert on.returncode == 0, on.stderr[-3000:]
    assert on.stdout.strip().splitlines()[-1] == "['scrapy.downloadermiddlewares.cookies', 'tldextract']"
    metrics = subprocess.run([*run, '{"NEWSCRAWL_METRICS_PORT": "9108"}'], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert metrics.returncode == 0, metrics.stderr[-3000:]
    assert metrics.stdout.strip().splitlines()[-1] == "['prometheus_client']"
