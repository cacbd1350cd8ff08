"""A distributed crawl learns and uses site templates as a local crawl does (issue 12 past one machine).

The workers parse, the single writer learns (it sees every page of a site, whichever worker
fetched it), so the template travels through Redis: the ingester publishes each site's learned
template (``<ns>:templates``), every worker parses the site's next pages with it, and a site
profile's pinned template reaches the workers through ``newscrawl enqueue``.

Generated site (bench/template/sites.py, seed 209, as tests/spider/test_site_template.py): no
metadata, and its two oldest pages carry a photo caption under the headline that writes another
day, which a page read alone takes for the date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.template.sites import make_site, path_of
from crawler.article import ArticleConfig, ArticlePipeline, Tally, page_steps
from crawler.article.prepare import FetchedPage, parse_fetched
from crawler.demo.chainsites import ChainSite
from crawler.distributed import templates as shared
from crawler.distributed.ingest import Ingester
from crawler.distributed.keys import RedisKeys
from crawler.distributed.seeding import Seeds, enqueue_seeds
from crawler.distributed.serializer import dumps_item
from crawler.distributed.sites import SiteConfig
from crawler.parse_pool import template_for
from crawler.parsing import SiteTemplate, parse_page
from crawler.runner import build_settings
from crawler.urls import site_key
from tests.distributed.conftest import archive_args
from tests.distributed.test_redis_discovery import ROOT, WORKER, enqueue, query

KEYS = RedisKeys("newscrawl")
SEED = 209


def _caption_site() -> tuple[Any, list[Any]]:
    site = make_site(SEED)
    trapped = [page for page in site.pages[:2] if page.trap == "caption"]
    assert trapped and all(parse_page(p.html, p.url).published_at[:10] != p.truth.day for p in trapped)
    return site, trapped


def _worker_crawler(redis_url: str, **settings: Any) -> Any:
    """A worker's crawler with its spider, as ``newscrawl worker`` builds them (not started)."""
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from scrapy.utils.test import get_crawler

    from crawler.distributed.spider import WorkerSpider

    if not is_reactor_installed():
        install_reactor(build_settings()["TWISTED_REACTOR"])
    crawler = get_crawler(WorkerSpider, {**build_settings().copy_to_dict(), "NEWSCRAWL_REDIS_URL": redis_url,
                                         "TWISTED_REACTOR": None, **settings})  # fmt: skip
    crawler.spider = WorkerSpider.from_crawler(crawler)
    return crawler


def _worker_item(page: Any, hint: SiteTemplate | None) -> Any:
    """What a worker pushes for ``page``: parsed with the hint, through the steps before the writer's."""
    fetched = FetchedPage(body=page.html.encode(), content_type="text/html", fetched_url=page.url,
                          response_url=page.url, http_status=200, fetched_at=None, site=site_key(page.url),
                          template=hint)  # fmt: skip
    config = ArticleConfig.from_settings(build_settings())
    return ArticlePipeline(config, stats=Tally(), steps=page_steps(), rows=False).process(parse_fetched(fetched))


def test_workers_parse_with_the_template_the_ingester_learned_from_every_worker(redis_url, redis_client, tmp_path,
                                                                                monkeypatch):
    site, trapped = _caption_site()
    newer = [page for page in site.pages if page not in trapped]
    redis_client.sadd(KEYS.seeds, newer[-1].url)  # the worker's site (nothing queued: the ingester may stop)
    crawler = _worker_crawler(redis_url)
    hint = template_for(crawler, newer[-1].url)
    assert hint is not None and not hint  # nothing learned yet: an empty hint, so the parse says where fields sit
    items = [_worker_item(page, hint) for page in newer]
    assert all(item.parsed.field_paths for item in items)

    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in items))
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(tmp_path / "news.db")})
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    assert redis_client.hexists(KEYS.templates, site.host)

    monkeypatch.setattr(shared, "REFRESH_SECONDS", 0.0)  # the worker reads the site's entry again at once
    for page in trapped:
        hint = template_for(crawler, page.url)
        assert hint and hint.date, hint
        assert parse_page(page.html, page.url, template=hint).published_at[:10] == page.truth.day


def test_a_new_ingester_publishes_what_the_database_learned_before(redis_url, redis_client, tmp_path):
    site, trapped = _caption_site()
    db = tmp_path / "news.db"
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db)})
    items = [_worker_item(page, SiteTemplate()) for page in site.pages if page not in trapped]
    redis_client.rpush(KEYS.items, *(dumps_item(item) for item in items))
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    learned = redis_client.hget(KEYS.templates, site.host)
    redis_client.flushdb()  # a new Redis: the database still knows the site
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    assert redis_client.hget(KEYS.templates, site.host) == learned


def test_a_profiles_pinned_template_reaches_the_workers_under_what_was_learned(redis_url, redis_client):
    base = "http://pinned.test"
    redis_client.hset(KEYS.templates, "pinned.test", '{"title": "h1.learned", "date": "p.learned"}')
    enqueue_seeds(redis_client, KEYS, Seeds(pages=[base + "/"]), direction="both",
                  config=SiteConfig(profile="pinned", template={"title": "article h1.pinned"}))
    crawler = _worker_crawler(redis_url)
    assert template_for(crawler, base + "/a.html") == SiteTemplate(title="article h1.pinned", date="p.learned")
    assert template_for(crawler, "http://other.test/a.html") == SiteTemplate()  # no pin off the profile's site
    for bad in ('{"template": {"photo": "img"}}', '{"template": {"title": 3}}', '{"template": "h1"}'):
        with pytest.raises(ValueError):
            SiteConfig.loads(bad)


def test_unreadable_or_unreachable_templates_leave_the_parse_unhinted(redis_url, redis_client, monkeypatch):
    redis_client.hset(KEYS.templates, "bad.test", "not json")
    enqueue_seeds(redis_client, KEYS, Seeds(pages=["http://bad.test/"]), direction="both")
    crawler = _worker_crawler(redis_url)
    assert template_for(crawler, "http://bad.test/a.html") == SiteTemplate()
    assert crawler.stats.get_value("newscrawl/redis/bad_template") == 1
    monkeypatch.setattr(shared, "REFRESH_SECONDS", 0.0)
    book = shared.SharedTemplates(_Down(), KEYS)
    assert book.for_site("down.test") == SiteTemplate()
    crawler.spider._redis, crawler.spider._site_settings = _Down(), {}  # the pin's site config is unreadable too
    assert template_for(crawler, "http://bad.test/b.html") == SiteTemplate()  # a hint missing, never a parse_error


class _Down:
    def hget(self, *args: object) -> None:
        import redis

        raise redis.ConnectionError("down")


@pytest.mark.slow
def test_a_distributed_crawl_learns_the_template_and_the_next_crawl_parses_with_it(redis_url, redis_client, tmp_path):
    """Worker and ingester as processes: the first crawl (newest first) learns the site's template
    into the database and Redis; a later crawl's workers parse the pages with it from the first
    page (stored in a new database: an unchanged body leaves a stored row as it was)."""
    site, trapped = _caption_site()
    db, later = tmp_path / "news.db", tmp_path / "later.db"
    with ChainSite({path_of(page.url): page.html.encode() for page in site.pages}) as server:
        urls = {page.url: server.url(path_of(page.url)) for page in site.pages}
        enqueue(redis_url, urls[site.pages[-1].url], "--direction", "prev")
        _crawl(redis_url, db)
        assert {row[0] for row in query(db, "SELECT field FROM site_template_paths")} >= {"title", "date", "body"}
        host = site_key(urls[site.pages[-1].url])
        assert redis_client.hexists(KEYS.templates, host)
        enqueue(redis_url, *(urls[page.url] for page in trapped), "--direction", "next", "--forget-seen")
        _crawl(redis_url, later)
    stored = dict(query(later, "SELECT url, substr(published_at, 1, 10) FROM articles"))
    assert {page.url: stored.get(urls[page.url]) for page in site.pages} == {
        page.url: page.truth.day for page in site.pages}


def _crawl(redis_url: str, db: Path) -> None:
    ingest = subprocess.Popen([sys.executable, "-m", "crawler", "ingest", "--redis", redis_url, "--db", str(db),
                               "--idle-close", "3"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)  # fmt: skip
    worker = subprocess.run([sys.executable, "-m", "crawler", "worker", "--redis", redis_url, *WORKER,
                             *archive_args(db)], cwd=ROOT, capture_output=True, text=True, timeout=240)  # fmt: skip
    assert worker.returncode == 0, worker.stderr[-3000:]
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, err[-3000:]


def _kept_layout(db: Path, site: str) -> Any:
    """A confident layout kept for ``site`` in the database, as a crawl of its pages leaves it."""
    from collections import Counter

    from crawler.parsing.template import Layout
    from crawler.storage import open_database
    from crawler.storage.templates import SitePaths, TemplateStore

    layout = Layout(title="article h1.hl", region="article div.text", date="article time")
    store = TemplateStore(open_database(db))
    store.save([SitePaths(site, 12, {"title": Counter({layout.title: 12})}, layouts=Counter({layout.dumps(): 12}))],
               now="2026-01-01T00:00:00+00:00")
    store.db.conn.close()
    return layout


def test_the_workers_read_by_the_layouts_the_database_kept_and_a_disagreement_drops_them(redis_url, redis_client,
                                                                                          tmp_path, monkeypatch):
    site, _ = _caption_site()
    db = tmp_path / "news.db"
    layout = _kept_layout(db, site.host)
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db)})
    Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05, arguments={})
    assert shared.loads_layouts(redis_client.hget(KEYS.layouts, site.host), "test") == (layout,)

    redis_client.sadd(KEYS.seeds, site.pages[-1].url)
    crawler = _worker_crawler(redis_url, NEWSCRAWL_FAST_PATH_VERIFY_EVERY=3)
    handed = [template_for(crawler, page.url) for page in site.pages[:4]]
    assert [(hint.layouts, hint.verify) for hint in handed] == [((layout,), True), ((layout,), False),
                                                                  ((layout,), False), ((layout,), True)]
    assert template_for(_worker_crawler(redis_url, NEWSCRAWL_FAST_PATH_MIN_PAGES=0), site.pages[0].url).layouts == ()

    # a page read both ways disagreed: the worker leaves the layouts, its item tells the ingester to drop them
    from crawler.parse_pool import note_parse_path

    disagreed = _worker_item(site.pages[-1], handed[0])
    disagreed.parsed.parse_path = "disagreed"
    note_parse_path(crawler, disagreed)
    assert template_for(crawler, site.pages[0].url).layouts == ()
    redis_client.rpush(KEYS.items, dumps_item(disagreed))
    report = Ingester(redis_client, KEYS, settings=settings).run(idle_close_seconds=0.2, poll_seconds=0.05,
                                                                 arguments={})
    assert report.parse_paths == {"disagreed": 1}  # how the workers read the pages, in the ingest run's summary
    assert not redis_client.hexists(KEYS.layouts, site.host)
    assert (layout.dumps(),) not in query(db, "SELECT layout FROM site_layouts")  # the page's own may be there


def test_unreadable_layouts_in_redis_leave_the_parse_in_full(redis_url, redis_client):
    redis_client.hset(KEYS.layouts, "bad.test", '[{"title": "h1"}]')
    enqueue_seeds(redis_client, KEYS, Seeds(pages=["http://bad.test/"]), direction="both")
    crawler = _worker_crawler(redis_url)
    assert template_for(crawler, "http://bad.test/a.html").layouts == ()
    assert crawler.stats.get_value("newscrawl/redis/bad_template") == 1
