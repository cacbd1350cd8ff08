"""A link that redirects and then fails is a failed attempt of the URL the link named (issue 15, item 1).

Its crawl_state row used to stay `pending` with 0 attempts: the failure was recorded under
the URL the redirect chain ended at, which the crawl state does not track, so every run
fetched it again and exited 3, and NEWSCRAWL_MAX_ATTEMPTS never applied.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.urls import canonical_url

from .crawl import crawl
from .server import FaultServer

pytestmark = pytest.mark.slow

SETTINGS = {"ALLOWED_NETWORKS": ["127.0.0.1/32"], "NEWSCRAWL_MAX_ATTEMPTS": 2, "RETRY_TIMES": 0}


def _state(db: Path) -> dict[str, tuple[str, int, str]]:
    with sqlite3.connect(db) as conn:
        return {url: (state, attempts, reason) for url, state, attempts, reason
                in conn.execute("SELECT url, state, attempts, reason FROM crawl_state")}


def test_a_link_that_redirects_into_a_failure_fails_and_stops_being_retried(fault_server: FaultServer,
                                                                             tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    starts = [fault_server.url("/neighbours/broken"), fault_server.url("/neighbours/blocked")]
    links = {
        fault_server.url("/redirect?to=/status/500"): "http_500",
        fault_server.url("/redirect?to=/loop/a"): "too_many_redirects",
        fault_server.url(f"/redirect?to=http://127.0.0.2:{fault_server.port}/article/internal.html"):
            "blocked_address:loopback",
        fault_server.url("/redirect?to=/redirect?to=/missing"): "http_404",
    }
    links = {canonical_url(url): reason for url, reason in links.items()}
    runs = [crawl(starts, db, settings=SETTINGS) for _ in range(3)]
    state = _state(db)
    for url, reason in links.items():
        assert state.get(url) == ("failed", 2, reason), (url, state)
    assert [run.exit_code for run in runs] == [3, 3, 0], [run.stderr[-2000:] for run in runs]
    with sqlite3.connect(db) as conn:
        recorded = {canonical_url(url): reason for url, reason in conn.execute("SELECT url, reason FROM failures")}
    assert {url: recorded.get(url) for url in links} == links  # recorded under the URL asked for
