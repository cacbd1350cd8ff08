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
                        allowed_domains=("cdn.news.test",))  # fmt: skip
    assert SiteConfig.loads(config.dumps()) == config
    for bad in ('["x"]', '{"selectors": {"photo": "img"}}', '{"since": 3}', '{"exec": "x"}',
                '{"allowed_domains": "a.test"}'):  # fmt: skip
        with pytest.raises(ValueError):
            SiteConfig.loads(bad)
