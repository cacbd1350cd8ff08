"""The two comparison crawls: the bare ceiling and the "what a user would write" baseline.

Both start at the middle of every chain and follow the previous and next article, each
side keeping its direction (as newscrawl does). Where the next links are comes from the
site's manifest, looked up by URL: the ceiling then measures Scrapy's own cost of
fetching those pages and nothing else, and the baseline is not charged for finding the
links (a hand-written per-site selector costs well under a millisecond), only for
trafilatura and sqlite-utils.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
import sqlite_utils
import trafilatura


def neighbours(manifest_path: str, base_url: str) -> tuple[list[str], dict[str, tuple[str | None, str | None]]]:
    """(start URLs, url -> (prev url, next url)) from a synthetic site's manifest."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    links: dict[str, tuple[str | None, str | None]] = {}
    for chain in manifest["chains"]:
        urls = [base_url + path for path in chain]
        for index, url in enumerate(urls):
            # The chain runs oldest -> newest: "prev" is the older neighbour.
            links[url] = (urls[index - 1] if index else None, urls[index + 1] if index + 1 < len(urls) else None)
    return [base_url + path for path in manifest["middles"]], links


class ChainSpider(scrapy.Spider):
    name = "bench_ceiling"

    def __init__(self, manifest: str, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_page_urls, self.links = neighbours(manifest, base_url)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_page_urls:
            yield scrapy.Request(url, meta={"direction": "both"})

    def follow(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        direction = response.meta["direction"]
        prev_url, next_url = self.links.get(response.url, (None, None))
        for side, url in (("prev", prev_url), ("next", next_url)):
            if url and direction in (side, "both"):
                yield scrapy.Request(url, meta={"direction": side})

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> Iterator[Any]:
        yield from self.follow(response)


class BaselineSpider(ChainSpider):
    name = "bench_baseline"

    def parse(self, response: scrapy.http.Response, **kwargs: Any) -> Iterator[Any]:
        document = trafilatura.bare_extraction(response.text, url=response.url, with_metadata=True)
        if document is not None and document.text:
            yield {"url": response.url, "title": document.title, "author": document.author,
                   "date": document.date, "text": document.text}
        yield from self.follow(response)


class SqliteUtilsPipeline:
    """One upsert per item into a table with an FTS index kept by triggers."""

    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Any) -> SqliteUtilsPipeline:
        return cls(crawler.settings.get("BENCH_DB_PATH"))

    def open_spider(self) -> None:
        self.db = sqlite_utils.Database(self.path)
        self.db["articles"].create({"url": str, "title": str, "author": str, "date": str, "text": str},
                                   pk="url", if_not_exists=True)
        if not self.db["articles"].detect_fts():
            self.db["articles"].enable_fts(["title", "text"], create_triggers=True)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.db["articles"].upsert(item, pk="url")
        return item

    def close_spider(self) -> None:
        self.db.close()
