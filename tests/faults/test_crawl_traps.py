"""Crawler traps through a real crawl: infinite pagination and a calendar that never ends.

Each limit is tested alone, with the others lifted, so each test fails without its
protection (the crawl would run until the subprocess timeout).
"""

from __future__ import annotations

import pytest

from .crawl import CrawlRun, crawl
from .server import FaultServer, Hit

pytestmark = pytest.mark.slow

NO_LIMITS = {"DEPTH_LIMIT": 0, "NEWSCRAWL_MAX_PAGES_PER_SITE": 0, "NEWSCRAWL_MAX_LISTING_PAGES": 0}


def _trap_crawl(server: FaultServer, tmp_path_factory: pytest.TempPathFactory, start: str, **limits: int) -> tuple[CrawlRun, list[Hit]]:
    mark = len(server.hits)
    db = tmp_path_factory.mktemp("trap") / "news.db"
    run = crawl([server.url(start)], db, settings={**NO_LIMITS, **limits}, timeout=180)
    return run, [hit for hit in server.hits_since(mark) if hit.path != "/robots.txt"]


def test_page_budget_stops_infinite_pagination(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _trap_crawl(fault_server, tmp_path_factory, "/paged/1", NEWSCRAWL_MAX_PAGES_PER_SITE=30)
    assert len(hits) == 30
    assert run.summary["counts"]["pages_fetched"] == 30
    assert run.summary["counts"]["articles_new"] > 0  # what came before the limit is kept
    assert run.summary["outcome"] in {"success", "partial"}
    reasons = {failure["reason"] for failure in run.failures().values()}
    assert "page_limit" in reasons, reasons  # the dropped pages say why (they were "ignored")


def test_depth_limit_stops_infinite_pagination(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _trap_crawl(fault_server, tmp_path_factory, "/paged/1", DEPTH_LIMIT=4)
    listing_pages = sorted(int(hit.path.rsplit("/", 1)[-1]) for hit in hits if hit.path.startswith("/paged/"))
    assert listing_pages == [1, 2, 3, 4, 5]  # depths 0..4
    assert run.summary["counts"]["articles_new"] > 0


def test_depth_limit_stops_a_calendar_trap(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    run, hits = _trap_crawl(fault_server, tmp_path_factory, "/calendar/2030/01", DEPTH_LIMIT=3)
    months = sorted(hit.path for hit in hits if hit.path.startswith("/calendar/"))
    assert months == ["/calendar/2030/01", "/calendar/2030/02", "/calendar/2030/03", "/calendar/2030/04"]
    assert len(hits) < 4 * 30  # four months and their day pages, nothing past them
    assert run.exit_code in {1, 3}  # nothing here is an article; the crawl still ends
