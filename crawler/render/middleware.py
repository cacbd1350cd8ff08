"""RenderMiddleware: which pages the browser renders (``NEWSCRAWL_RENDER``, crawler/render).

A downloader middleware at priority 3, beside the parse pool (5): its ``process_response``
runs after the page was parsed.

- ``always``: every request bound for the spider's ``parse`` (article, listing and start
  pages; never feeds, sitemaps or robots.txt) is marked for the browser before it is sent.
- ``auto``: the page is fetched the cheap way; when its parse found no article and the page
  looks like a script shell (``crawler.parsing.shell.script_shell``), the same request goes
  again to the browser, once, and the shell never reaches the spider (the archive keeps both).
  The parse is the pool's (or, with the pool off, made here and handed on to the spider),
  so an ordinary page costs one dictionary look-up.

Stats: ``newscrawl/render/requested`` (pages sent to the browser), ``newscrawl/render/shells``
(auto: shells found after the cheap path).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from crawler.parse_pool import FETCHED_AT_KEY, PAGE_KEY, _bound_for_parse, parsed_here
from crawler.parsing import load_document
from crawler.parsing.shell import script_shell
from crawler.render import render_mode

logger = logging.getLogger(__name__)

RENDER_KEY = "newscrawl_render"  # request.meta: why the page goes to the browser ("always", "auto: <root>")


def _for_parse(request: Any, spider: Any) -> bool:
    callback = request.callback
    return getattr(callback, "__self__", None) is spider and getattr(callback, "__name__", "") == "parse"


class RenderMiddleware:
    def __init__(self, crawler: Any, mode: str) -> None:
        self.crawler = crawler
        self.mode = mode

    @classmethod
    def from_crawler(cls, crawler: Any) -> RenderMiddleware:
        mode = render_mode(crawler.settings)
        if mode == "never":
            raise NotConfigured  # the default: no message, or Scrapy warns "Disabled ..." on every crawl
        return cls(crawler, mode)

    def process_request(self, request: Any) -> None:
        if self.mode == "always" and not request.meta.get("playwright") and _for_parse(request, self.crawler.spider):
            self._mark(request.meta, "always")

    def process_response(self, request: Any, response: Any) -> Any:
        if self.mode != "auto" or request.meta.get("playwright") or not _bound_for_parse(request, response, self.crawler.spider):
            return response
        found = request.meta.get(PAGE_KEY)
        if found is None:  # the pool is off: parse here, and hand the item on to the spider
            try:
                found = request.meta[PAGE_KEY] = parsed_here(self.crawler, request, response)
            except Exception as exc:  # the spider records it as the page's parse_error
                request.meta[PAGE_KEY] = exc
                return response
        if isinstance(found, Exception) or found.parsed.is_article:
            return response
        try:
            signs = script_shell(load_document(response.body, response.url))
        except ValueError:  # no HTML document in it
            return response
        if signs is None:
            return response
        self.crawler.stats.inc_value("newscrawl/render/shells")
        logger.info("rendering %s: a script shell (%d characters of text, %d script bundles, %s)",
                    response.url, signs.text_chars, signs.bundles, signs.root)  # fmt: skip
        meta = {key: value for key, value in request.meta.items() if key not in (PAGE_KEY, FETCHED_AT_KEY)}
        self._mark(meta, f"auto: {signs.root}")
        return request.replace(url=response.url, meta=meta, dont_filter=True)

    def _mark(self, meta: dict[str, Any], why: str) -> None:
        meta["playwright"] = True
        meta[RENDER_KEY] = why
        self.crawler.stats.inc_value("newscrawl/render/requested")
