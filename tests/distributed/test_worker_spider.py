"""The worker spider's requests survive the JSON serializer; site settings are JSON and checked."""

from __future__ import annotations

import pytest
from scrapy.utils.request import request_from_dict

from crawler.distributed import serializer
from crawler.distributed.sites import SiteConfig
from crawler.distributed.spider import WorkerSpider
from crawler.runner import build_settings

BASE = "http://news.test"


def _spider() -> WorkerSpider:
    spider = WorkerSpider(url=[BASE + "/"])  # a plain instance, as enqueue builds it
    spider._configure(build_settings())
    return spider


def _round_trip(spider: WorkerSpider, request):
    return request_from_dict(serializer.loads(serializer.dumps(request.to_dict(spider=spider))), spider=spider)


@pytest.mark.parametrize(
    ("kind", "callback", "meta_kind"),
    [("page", "parse", "start"), ("feed", "parse_feed", "feed"), ("sitemap", "parse_sitemap", "sitemap")],
)
def test_seeds_keep_their_callback_and_meta_through_json(kind, callback, meta_kind):
    spider = _spider()
    back = _round_trip(spider, spider.seed_request(BASE + "/x", kind, "both"))
    assert back.callback.__name__ == callback and back.callback.__self__ is spider
    assert back.errback is not None and back.errback.__self__ is spider
    assert back.meta["kind"] == meta_kind and back.meta["origin"] == "start"
    assert back.dont_filter is True  # a seed enqueued again is fetched again


def test_discovered_requests_go_through_the_shared_duplicate_filter():
    spider = _spider()
    article = _round_trip(spider, spider._request(BASE + "/a.html", "prev"))
    listing = _round_trip(spider, spider._listing_request(BASE + "/page/2", origin="listing:" + BASE + "/"))
    robots = _round_trip(spider, spider.source_request(BASE + "/robots.txt", "robots", origin="listing:/"))
    sitemap = _round_trip(spider, spider.source_request(BASE + "/s.xml", "sitemap", origin="robots:/", depth=2))
    assert article.dont_filter is False and article.meta["direction"] == "prev" and article.callback == spider.parse
    assert listing.meta["kind"] == "listing" and listing.callback == spider.parse and listing.errback == spider.on_error
    assert robots.callback == spider.parse_robots and robots.meta["dont_obey_robotstxt"] is True
    assert sitemap.callback == spider.parse_sitemap and sitemap.meta["depth"] == 2
    assert robots.errback == spider._source_error


def test_an_unknown_seed_kind_is_refused():
    with pytest.raises(ValueError, match="a seed is one of"):
        _spider().seed_request(BASE + "/", "atom", "both")


def test_site_config_round_trip_and_refusals():
    config = SiteConfig(profile="herald", selectors={"title": "p.byline"}, since="2025-03-03",
                        allowed_domains=("cdn.news.test",), direction="prev")  # fmt: skip
    assert SiteConfig.loads(config.dumps()) == config
    for bad in ('["x"]', '{"selectors": {"photo": "img"}}', '{"since": 3}', '{"exec": "x"}',
                '{"allowed_domains": "a.test"}', '{"direction": "sideways"}'):  # fmt: skip
        with pytest.raises(ValueError):
            SiteConfig.loads(bad)


# --- a worker reading what enqueue wrote (a real redis-server) --------------------------------------
def _worker(redis_url: str, **settings) -> WorkerSpider:
    from scrapy.utils.reactor import install_reactor, is_reactor_installed
    from scrapy.utils.test import get_crawler

    if not is_reactor_installed():
        install_reactor(build_settings()["TWISTED_REACTOR"])
    crawler = get_crawler(WorkerSpider, {**build_settings().copy_to_dict(), "NEWSCRAWL_REDIS_URL": redis_url,
                                         "NEWSCRAWL_MAX_LISTING_PAGES": 2, "TWISTED_REACTOR": None, **settings})  # fmt: skip
    return WorkerSpider.from_crawler(crawler)


def test_a_worker_applies_each_sites_enqueued_settings(redis_url, redis_client):
    from crawler.distributed.keys import RedisKeys
    from crawler.distributed.seeding import Seeds, enqueue_seeds

    keys = RedisKeys("newscrawl")
    enqueue_seeds(redis_client, keys, Seeds(pages=[BASE + "/"]), direction="prev",
                  config=SiteConfig(profile="herald", selectors={"title": "p.byline"}, since="2025-03-03",
                                    allowed_domains=("img.example",)))  # fmt: skip
    spider = _worker(redis_url)
    assert spider.selectors_for(BASE + "/a.html") == {"title": "p.byline"}
    assert spider.window_for(BASE + "/a.html").describe() != spider.window_for("http://other.test/").describe()
    assert spider.direction_for(BASE + "/a.html") == "prev" and spider.direction_for("http://other.test/") == "both"
    assert spider.on_site("http://cdn.img.example/x.html")  # the profile's extra domain
    assert not spider.on_site("http://other.test/")
    enqueue_seeds(redis_client, keys, Seeds(feeds=["http://other.test/feed.xml"]), direction="both")
    assert spider.on_site("http://other.test/a.html")  # enqueued while the worker runs: known at once

    # Listings and sources: once per site until the site is enqueued again; the listing budget likewise.
    assert spider._first_time(BASE + "/page/2", set()) and not spider._first_time(BASE + "/page/2", set())
    assert not spider._first_time(BASE + "/", set())  # the seed itself
    assert [spider._take_listing_page(BASE + f"/page/{n}") for n in (2, 3, 4)] == [True, True, False]
    enqueue_seeds(redis_client, keys, Seeds(pages=[BASE + "/"]), direction="both")
    assert spider._first_time(BASE + "/page/2", set()) and spider._take_listing_page(BASE + "/page/2")

    # Settings no enqueue wrote: logged and counted, the site is crawled with the worker's own.
    redis_client.hset(keys.site_configs, "bad.test", '{"selectors": {"photo": "img"}}')
    assert spider.selectors_for("http://bad.test/a.html") == {} and spider.direction_for("http://bad.test/") == "both"
    assert spider.crawler.stats.get_value("newscrawl/redis/bad_site_config") == 1


def test_a_worker_refuses_an_article_budget_it_cannot_keep(redis_url, redis_client):
    from crawler.distributed.keys import RedisKeys
    from crawler.distributed.seeding import Seeds, enqueue_seeds

    enqueue_seeds(redis_client, RedisKeys("newscrawl"), Seeds(pages=[BASE + "/"]), direction="both")
    with pytest.raises(ValueError, match="NEWSCRAWL_MAX_ARTICLES is not supported by workers"):
        _worker(redis_url, NEWSCRAWL_MAX_ARTICLES=5)
