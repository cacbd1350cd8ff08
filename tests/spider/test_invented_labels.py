"""Chains whose labels are words no list knows, crawled from the middle: every template's chain is
followed fully in both directions, no trap is fetched (a related box of two, most read, comment
pagination, tags), and each followed link is verified against its neighbour's page.

One ``newscrawl crawl`` subprocess crawls all the generated sites at once (one start URL each).
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.demo.chainsites import TEMPLATES, ChainSite, article_path, render
from tests.spider.site import rows, run_crawl_cli

pytestmark = pytest.mark.slow

CHAIN = 7
MIDDLE = 3
# Layouts whose chain ends show their one link with structure the page itself can confirm (an
# empty twin slot, the URLs' order and arrows); on the others the end's link is left unread.
ENDS_READ = {"nav-label-noun", "nav-noun-label", "cards-thumbnails", "arrows-only", "next-first-dated", "slug-urls"}


def test_invented_label_chains_are_followed_both_ways_and_verified(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with ExitStack() as stack:
        sites = {template.name: stack.enter_context(ChainSite(render(template, CHAIN))) for template in TEMPLATES}
        starts = [sites[template.name].url(article_path(template, MIDDLE)) for template in TEMPLATES]
        result = run_crawl_cli(starts, db, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    stored = {row["url"]: row for row in rows(db, "SELECT url, prev_url, next_url, prev_check, next_check FROM articles")}
    for template in TEMPLATES:
        site = sites[template.name]
        urls = [site.url(article_path(template, index)) for index in range(CHAIN)]
        assert set(urls) <= set(stored), f"{template.name}: chain not followed fully"
        fetched = [path for path in site.hits if path != "/robots.txt"]
        assert sorted(fetched) == sorted(article_path(template, index) for index in range(CHAIN)), f"{template.name}: {fetched}"
        for index, url in enumerate(urls):
            row = stored[url]
            end = index in (0, CHAIN - 1)
            if not end or template.name in ENDS_READ:
                assert row["prev_url"] == (urls[index - 1] if index else None), (template.name, index)
                assert row["next_url"] == (urls[index + 1] if index + 1 < CHAIN else None), (template.name, index)
            inner = 1 < index < CHAIN - 2 or template.name in ENDS_READ
            if inner:
                assert row["prev_check"] == ("confirmed" if index else None), (template.name, index, row)
                assert row["next_check"] == ("confirmed" if index + 1 < CHAIN else None), (template.name, index, row)
