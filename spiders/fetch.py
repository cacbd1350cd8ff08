"""The fetch spider: one page through the crawl's downloader and guards, parsed, never stored.

    newscrawl fetch URL

The request goes through every downloader middleware a crawl uses (the address guard,
the scheme guard, robots.txt, redirects, retries, the size limit); no item pipeline
runs. The spider keeps the parse result, or the reason the page could not be had, in
``outcome`` for the command to print.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.download_errors import describe_download_error
from crawler.parse_pool import fetch_time
from crawler.parsing import parse_page


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.outcome: dict[str, Any] = {"error": "no answer"}

    async def start(self) -> Any:  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.parse, errback=self.on_error, dont_filter=True,
                             meta={"handle_httpstatus_all": True})

    def parse(self, response: Response, **kwargs: Any) -> None:
        if not 200 <= response.status < 300:
            self.outcome = {"error": f"HTTP {response.status}", "status": response.status, "url": response.url}
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        result = parse_page(response.body, response.url, content_type=content_type, now=fetch_time(response))
        self.outcome = {"article": result.to_dict(), "status": response.status}

    def on_error(self, failure: Failure) -> None:
        reason, detail = describe_download_error(failure)
        self.outcome = {"error": f"{reason}: {detail}"}
