"""The project deploys to Scrapyd with its standard tools, and a scheduled job stores articles.

A Scrapyd instance runs on 127.0.0.1 (a free port) from a temporary directory; the
project's egg is built by `scrapyd-deploy --build-egg` (setup.py + pyproject.toml) and
uploaded through Scrapyd's addversion.json; the job crawls a local news site into a
database given by an absolute path (the NEWSCRAWL_DB_PATH setting of the job).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.incremental.helpers import PROJECT_ROOT, rows
from tests.incremental.newssite import Entry, NewsSite

requests = pytest.importorskip("requests")
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def scrapyd(tmp_path: Path):
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\nmax_proc = 1\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    log = (home / "scrapyd.out").open("w")
    process = subprocess.Popen([str(BIN / "scrapyd"), "--nodaemon"], cwd=home, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{url}/daemonstatus.json", timeout=2).json().get("status") == "ok"
        except (requests.RequestException, ValueError):
            return process.poll() is not None  # stop waiting if it died
    try:
        wait_for(up, 60, "scrapyd to start")
        assert process.poll() is None, (home / "scrapyd.out").read_text()
        yield url, home
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_deployed_job_stores_articles(scrapyd, tmp_path):
    url, home = scrapyd
    egg = tmp_path / "newscrawl.egg"
    build = subprocess.run([str(BIN / "scrapyd-deploy"), f"--build-egg={egg}"], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert build.returncode == 0 and egg.exists(), build.stderr[-2000:]
    with egg.open("rb") as handle:
        added = requests.post(f"{url}/addversion.json", data={"project": "newscrawl", "version": "1"},
                              files={"egg": handle}, timeout=60).json()  # fmt: skip
    assert added["status"] == "ok" and added["spiders"] >= 2, added
    spiders = requests.get(f"{url}/listspiders.json", params={"project": "newscrawl"}, timeout=30).json()
    assert {"article", "site"} <= set(spiders["spiders"]), spiders

    db = (tmp_path / "jobs" / "news.db").resolve()
    entries = [Entry(index, "home", f"2025-03-{index + 1:02d}T08:00:00+00:00") for index in range(4)]
    with NewsSite(entries, broken_sitemaps=False) as site:
        settings = [f"NEWSCRAWL_DB_PATH={db}", "ALLOWED_NETWORKS=127.0.0.0/8", "DOWNLOAD_DELAY=0",
                    "AUTOTHROTTLE_ENABLED=False"]  # fmt: skip
        job = requests.post(f"{url}/schedule.json", data={"project": "newscrawl", "spider": "site",
                            "url": site.base_url + "/", "setting": settings}, timeout=30).json()  # fmt: skip
        assert job["status"] == "ok", job

        def finished() -> bool:
            jobs = requests.get(f"{url}/listjobs.json", params={"project": "newscrawl"}, timeout=30).json()
            return any(entry["id"] == job["jobid"] for entry in jobs.get("finished", []))

        wait_for(finished, 180, "the Scrapyd job to finish")
    log = next((home / "logs").rglob(f"{job['jobid']}.log"), None)
    detail = log.read_text()[-3000:] if log else "no job log"
    stored = sorted(row["url"] for row in rows(db, "SELECT url FROM articles")) if db.exists() else []
    assert stored == sorted(site.url(index) for index in range(4)), detail
    [run] = rows(db, "SELECT spider, outcome, articles_new FROM runs")
    assert run == {"spider": "site", "outcome": "success", "articles_new": 4}
