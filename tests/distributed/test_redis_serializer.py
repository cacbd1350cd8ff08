"""Requests and items survive a round trip through Redis as JSON; pickle is never involved."""

from __future__ import annotations

import json
import pickle

import pytest
from scrapy import Request, Spider
from scrapy.utils.request import request_from_dict

from crawler.distributed import serializer
from crawler.items import FailedPage, PageItem
from crawler.parsing.result import ParseResult


class _Spider(Spider):
    name = "probe"

    def parse(self, response):  # pragma: no cover - only its name is stored
        yield from ()

    def on_error(self, failure):  # pragma: no cover
        yield from ()


def test_request_round_trip_keeps_every_field():
    spider = _Spider()
    request = Request(
        "https://news.example/a.html?x=1",
        callback=spider.parse,
        errback=spider.on_error,
        method="POST",
        body=b"\x00\xffbinary",
        headers={"X-Token": "abc", "Accept": ["text/html", "*/*"]},
        meta={"direction": "prev", "depth": 3, "redirect_urls": ["https://a/"], "$odd": {"k": (1, 2)}},
        priority=-5,
        dont_filter=True,
        cb_kwargs={"page": 2},
    )
    data = serializer.dumps(request.to_dict(spider=spider))
    json.loads(data)  # plain JSON, readable by any client
    back = request_from_dict(serializer.loads(data), spider=spider)
    assert back.url == request.url
    assert back.method == "POST"
    assert back.body == b"\x00\xffbinary"
    assert back.headers.getlist("Accept") == [b"text/html", b"*/*"]
    assert back.headers.get("X-Token") == b"abc"
    assert back.meta == {"direction": "prev", "depth": 3, "redirect_urls": ["https://a/"], "$odd": {"k": [1, 2]}}
    assert back.priority == -5 and back.dont_filter is True
    assert back.callback == spider.parse and back.errback == spider.on_error
    assert back.cb_kwargs == {"page": 2}


def test_unstorable_meta_fails_when_stored_not_when_read():
    with pytest.raises(TypeError, match="set"):
        serializer.dumps(Request("https://news.example/", meta={"tags": {"a"}}).to_dict())


def test_loads_never_unpickles(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("pickle.loads was called")

    monkeypatch.setattr(pickle, "loads", forbidden)
    payload = pickle.dumps({"url": "https://news.example/"})
    with pytest.raises(ValueError):  # a pickle is not JSON: rejected, not executed
        serializer.loads(payload)
    assert serializer.loads(serializer.dumps({"url": "https://news.example/"})) == {"url": "https://news.example/"}


def test_items_round_trip():
    parsed = ParseResult(url="https://news.example/a", is_article=True, title="Tïtle", body="One.\n\nTwo.",
                         authors=["A. Writer"], published_at="2025-09-11T08:30:00+02:00")
    page = PageItem(parsed=parsed, fetched_url="https://news.example/a?utm_source=x",
                    response_url="https://news.example/a", http_status=200,
                    fetched_at="2025-09-12T00:00:00+00:00", site="news.example", notes=["mojibake fixed"])
    failed = FailedPage(url="https://news.example/b", reason="http_404", http_status=404, skipped=False)
    assert serializer.loads_item(serializer.dumps_item(page)) == page
    assert serializer.loads_item(serializer.dumps_item(failed)) == failed


def test_unknown_item_type_is_rejected():
    with pytest.raises(ValueError, match="not a stored newscrawl item"):
        serializer.loads_item(b'{"type": "os.system", "data": {}}')
    with pytest.raises(TypeError):
        serializer.dumps_item({"url": "x"})  # type: ignore[arg-type]
