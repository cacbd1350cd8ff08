"""The template fast path's layouts are kept in the database: a later crawl of the same sites reads
their pages by a layout from its first page, stores the rows a crawl without kept layouts stores,
and a kept layout the site no longer fits is caught by the first page its kept verification
schedule checks (or, kept without a schedule, by the first page) and dropped.

The demo's three publishers (13 chained articles each): the first run walks each chain back from
its middle article, the second forward from it, so the second fetches only articles the first never
saw (a scheduled run's new articles). NEWSCRAWL_FAST_PATH_MIN_PAGES is 3 here: a first run of seven
pages a site earns a layout only below the default of 10.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from crawler.demo.server import DemoSite
from crawler.storage.store import ARTICLE_COLUMNS
from tests.spider.site import rows, run_crawl_cli

SETTINGS = ("--set", "NEWSCRAWL_FAST_PATH_MIN_PAGES=3")
SUMMARY = re.compile(r"Template fast path: (\d+) pages? read from (?:its|their) site's layout, (\d+) checked against the full "
                     r"parse \((\d+) disagreed\), (\d+) fell back, (\d+) parsed in full")
COMPARED = ", ".join([name for name in ARTICLE_COLUMNS if name != "fetched_at"] + ["prev_check", "next_check"])


def _paths(output: str) -> dict[str, int]:
    found = SUMMARY.search(output)
    assert found is not None, output[-2000:]
    return dict(zip(("template", "verified", "disagreed", "fallback", "full"), map(int, found.groups())))


def _crawl(site: DemoSite, db: Path, direction: str) -> dict[str, int]:
    result = run_crawl_cli([site.middle_url(key) for key in site.publishers], db, "--direction", direction, *SETTINGS)
    assert result.returncode == 0, result.stderr[-3000:]
    return _paths(result.stdout + result.stderr)


def _articles(db: Path) -> list[dict]:
    return rows(db, f"SELECT {COMPARED} FROM articles ORDER BY url")


def _layouts(db: Path) -> list[dict]:
    return rows(db, "SELECT site, layout, pages FROM site_layouts ORDER BY site, layout")


@pytest.fixture(scope="module")
def demo() -> DemoSite:
    with DemoSite() as site:
        yield site


@pytest.fixture(scope="module")
def first_run(demo: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("first") / "news.db"
    _crawl(demo, db, "prev")
    assert {row["site"] for row in _layouts(db)} == {f"127.0.0.1:{demo.port(key)}" for key in demo.publishers}
    return db


def _copy(db: Path, folder: Path) -> Path:
    shutil.copytree(db.parent, folder)
    return folder / db.name


def _without_kept_layouts(first_run: Path, folder: Path) -> Path:
    db = _copy(first_run, folder)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM site_layouts")
    return db


def test_a_later_run_reads_by_the_kept_layouts_from_its_first_page_and_stores_the_same_rows(
        demo: DemoSite, first_run: Path, tmp_path: Path) -> None:
    kept, unkept = _copy(first_run, tmp_path / "kept"), _without_kept_layouts(first_run, tmp_path / "unkept")
    with_layouts, without = _crawl(demo, kept, "next"), _crawl(demo, unkept, "next")
    # without kept layouts each site's first three pages are parsed in full before one is earned again
    assert without["full"] >= 3 * len(demo.publishers)
    # with them, only the first page of each site whose layout is confident is parsed both ways, and
    # the site's others are read by it (a site whose first run earned no confident layout reads in full)
    assert with_layouts["full"] < without["full"] and with_layouts["disagreed"] == 0
    assert with_layouts["verified"] >= 1
    assert with_layouts["template"] + with_layouts["verified"] > without["template"] + without["verified"]
    assert _articles(kept) == _articles(unkept)


KEPT_SCHEDULES = {
    "due": "UPDATE site_checks SET since = every - 1",  # the kept schedule checks the run's first page
    "none": "DELETE FROM site_checks",  # a database from before schema migration 23: no schedule kept
}


@pytest.mark.parametrize("schedule", sorted(KEPT_SCHEDULES))
def test_a_kept_layout_the_site_no_longer_fits_is_caught_and_dropped(
        demo: DemoSite, first_run: Path, tmp_path: Path, schedule: str) -> None:
    """A kept layout whose body region now holds one paragraph of the story (as after a redesign):
    the first page handed it is read both ways (its kept schedule says a check is due, or no
    schedule was kept), the readings differ, the site's kept layouts are dropped; nothing read by
    it is stored. (Where the paragraph is too short to be taken, the pages fall back to the full
    parse, vote for the layout they show, and the stale one loses its share.) A check the kept
    schedule puts later catches it there, and the pages read by it before are read again at the
    close (tests/pipelines/test_template_runs.py)."""
    stale, unkept = _copy(first_run, tmp_path / "stale"), _without_kept_layouts(first_run, tmp_path / "unkept")
    with sqlite3.connect(stale) as conn:
        conn.execute(KEPT_SCHEDULES[schedule])
        for site, text in conn.execute("SELECT site, layout FROM site_layouts").fetchall():
            layout = json.loads(text)
            layout["region"] += " > p:nth-of-type(2)"
            conn.execute("UPDATE site_layouts SET layout = ? WHERE site = ? AND layout = ?",
                         [json.dumps(layout, sort_keys=True, separators=(",", ":")), site, text])
    paths = _crawl(demo, stale, "next")
    _crawl(demo, unkept, "next")
    assert paths["disagreed"] >= 1
    kept = _layouts(stale)
    for row in kept:
        if "nth-of-type" in row["layout"]:  # still kept: only where no page took it, and no longer confident
            title = json.loads(row["layout"])["title"]
            rivals = sum(other["pages"] for other in kept if json.loads(other["layout"])["title"] == title
                         and other["site"] == row["site"])
            assert row["pages"] < 0.9 * rivals, row
    assert sum("nth-of-type" in row["layout"] for row in kept) < len(demo.publishers)
    assert _articles(stale) == _articles(unkept)
