"""The download handler ``auto`` and ``always`` install for http(s) (``crawler.render.RenderAddon``).

Scrapy's own HTTP/1.1 handler for every request, except one marked for the browser
(``request.meta["playwright"]``, set by ``middleware.RenderMiddleware``), which goes to
``handler.RenderDownloadHandler``. That one is created, and Playwright imported (about 0.4 s
of CPU), at the first such request: an ``auto`` crawl of a site that needs no browser loads
nothing of Playwright, starts no driver and no browser.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class RenderingDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.renderer: Any = None  # handler.RenderDownloadHandler, from the first page to render

    async def download_request(self, request: Any) -> Any:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        if self.renderer is None:
            from crawler.render.handler import RenderDownloadHandler  # noqa: PLC0415 - Playwright only when needed

            self.renderer = RenderDownloadHandler(self._crawler)
        return await self.renderer.download_request(request)

    async def close(self) -> None:
        await super().close()
        if self.renderer is not None:
            await self.renderer.close()
