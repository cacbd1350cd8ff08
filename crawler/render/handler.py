"""The browser download handler: scrapy-playwright's, with the crawl's guard and limits.

Requests whose meta has ``playwright`` set (``middleware.RenderMiddleware`` decides) are
rendered in Chromium: ``download.RenderingDownloadHandler`` creates this handler at the first
of them and hands it those requests only (every other request takes Scrapy's own HTTP/1.1
path, as without rendering). On top of scrapy-playwright (whose ``PLAYWRIGHT_*`` settings are
derived from ours in ``crawler.render.playwright_settings``):

- every request the page makes is checked by ``guard.BrowserGuard`` and, when allowed, fetched
  without following redirects and handed to the page, so each redirect hop is checked again;
  images, fonts and media are refused, WebSockets are closed and service workers blocked;
  ``window.open`` does nothing (no popup), and a popup opened another way has its requests refused
  (the context's route) and is closed;
- at most NEWSCRAWL_RENDER_CONCURRENCY pages render at once;
- each render waits for the load event and then NEWSCRAWL_RENDER_IDLE seconds of network quiet,
  at most NEWSCRAWL_RENDER_TIMEOUT in all: a page still loading then is read as it stands
  (``newscrawl/render/unfinished``); one that gives nothing by twice that fails as ``render_timeout``;
- Playwright's driver and Chromium start at the first page to render (an ``auto`` crawl that
  renders nothing imports and starts neither);
- a browser context serves NEWSCRAWL_RENDER_CONTEXT_PAGES pages, then the next one opens and
  the old one closes once its last page is done (memory stays bounded);
- the rendered response carries ``X-Newscrawl-Rendered: chromium`` (kept in the WARC archive).

Stats: ``newscrawl/render/pages``, ``.../unfinished``, ``.../failed``, ``.../contexts``,
``newscrawl/render/refused/<why>`` (``type:image``, ``address:loopback``, ...), and a refused
address also counts in ``newscrawl/netguard/blocked`` like any other.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.headers import use_scrapy_headers

from crawler.download_errors import RequestDropped
from crawler.middlewares.netguard import AddressPolicy, NetGuardMiddleware
from crawler.render.guard import BrowserGuard

logger = logging.getLogger(__name__)

RENDERED_HEADER = "X-Newscrawl-Rendered"
EVERY_NETWORK = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))  # NEWSCRAWL_NETGUARD_ENABLED off
CONTEXT_PREFIX = "newscrawl-render-"


class RenderFailed(RequestDropped):
    """A page the browser could not render (never retried: a render costs a second of CPU)."""

    reason = "render_error"


class RenderDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)  # its PLAYWRIGHT_* settings come from ours (crawler.render.playwright_settings)
        settings = crawler.settings
        timeout = settings.getfloat("NEWSCRAWL_RENDER_TIMEOUT")
        self.render_timeout = timeout
        self.idle = settings.getfloat("NEWSCRAWL_RENDER_IDLE")
        self.context_pages = max(1, settings.getint("NEWSCRAWL_RENDER_CONTEXT_PAGES"))
        self.slots = asyncio.Semaphore(max(1, settings.getint("NEWSCRAWL_RENDER_CONCURRENCY")))
        self.context_kwargs = {"user_agent": settings.get("USER_AGENT"), "service_workers": "block", "java_script_enabled": True}
        policy = AddressPolicy.from_settings(settings)
        guarded = settings.getbool("NEWSCRAWL_NETGUARD_ENABLED")
        self.guard = BrowserGuard(policy if guarded else AddressPolicy(EVERY_NETWORK), NetGuardMiddleware(crawler, policy).resolve,
                                  frozenset(settings.getlist("NEWSCRAWL_RENDER_BLOCKED_TYPES")))  # fmt: skip
        self.driver_lock = asyncio.Lock()
        self.generation = 0
        self.used: Counter[str] = Counter()  # pages begun per context
        self.active: Counter[str] = Counter()  # pages rendering per context

    # --- Playwright's driver: started at the first render (this handler is created then) ------
    async def _start_driver(self) -> None:
        async with self.driver_lock:
            if getattr(self, "browser_provider", None) is None:
                await self._launch()

    # --- contexts ---------------------------------------------------------------------------
    def _context_for(self, request: Any) -> str:
        name = f"{CONTEXT_PREFIX}{self.generation}"
        if self.used[name] >= self.context_pages:
            self.generation += 1
            name = f"{CONTEXT_PREFIX}{self.generation}"
        self.used[name] += 1
        self.active[name] += 1
        request.meta["playwright_context"] = name
        request.meta["playwright_context_kwargs"] = self.context_kwargs
        request.meta["playwright_page_init_callback"] = _init_page
        request.meta["playwright_page_goto_kwargs"] = {"wait_until": "domcontentloaded"}  # the load event: _apply_page_methods
        return name

    async def _release(self, name: str) -> None:
        self.active[name] -= 1
        if name != f"{CONTEXT_PREFIX}{self.generation}" and self.active[name] <= 0:
            self.used.pop(name, None)
            self.active.pop(name, None)
            wrapper = self.context_wrappers.get(name)
            if wrapper is not None:
                await wrapper.context.close()  # scrapy-playwright's close callback forgets it
                self.stats.inc_value("newscrawl/render/contexts_closed")

    async def _create_browser_context(self, name: str, context_kwargs: dict | None, spider: Any = None) -> Any:
        """scrapy-playwright's context, with a route of its own: a page's route (the guard, below)
        answers the page's requests, frames' and workers' included; what reaches the context's
        route is nobody's page's (a popup's, above all), and none of it leaves the browser."""
        wrapper = await super()._create_browser_context(name, context_kwargs, spider)
        await wrapper.context.add_init_script(NO_POPUPS)  # every page and frame of the context
        await wrapper.context.route("**", self._refuse_outside_page)
        await wrapper.context.route_web_socket("**", lambda socket: None)
        return wrapper

    async def _refuse_outside_page(self, route: Any, browser_request: Any) -> None:
        self.stats.inc_value("newscrawl/render/refused/outside_page")
        try:
            await route.abort("blockedbyclient")
        except PlaywrightError:
            pass  # the popup is closed already

    # --- one render -------------------------------------------------------------------------
    async def _download_request(self, request: Any, spider: Any = None) -> Any:
        async with self.slots:
            await self._start_driver()
            await self._maybe_launch_browser()  # a browser's start (seconds on a busy machine) is no page's time
            name = self._context_for(request)
            try:
                response = await asyncio.wait_for(super()._download_request(request, spider), 2 * self.render_timeout + self.idle)
            except TimeoutError:
                self.stats.inc_value("newscrawl/render/failed")
                raise RenderFailed(f"the browser gave nothing in {2 * self.render_timeout:.0f} s", reason="render_timeout") from None
            except PlaywrightError as exc:
                self.stats.inc_value("newscrawl/render/failed")
                why = "render_timeout" if isinstance(exc, PlaywrightTimeout) else "render_error"
                raise RenderFailed(f"the browser could not render the page: {exc.message.splitlines()[0]}", reason=why) from exc
            finally:
                await self._release(name)
        self.stats.inc_value("newscrawl/render/pages")
        response.headers[RENDERED_HEADER] = "chromium"
        return response

    async def _apply_page_methods(self, page: Any, request: Any, spider: Any) -> None:
        """After navigation: wait for the load event, then for the network to go quiet, within the time limit."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.render_timeout
        try:
            await page.wait_for_load_state("load", timeout=self.render_timeout * 1000)
        except PlaywrightTimeout:
            self.stats.inc_value("newscrawl/render/unfinished")
        remaining = min(self.idle, deadline - loop.time())
        if remaining > 0:
            try:
                await page.wait_for_load_state("networkidle", timeout=remaining * 1000)
            except PlaywrightTimeout:
                pass  # still fetching: read the page as it stands
        await super()._apply_page_methods(page, request, spider)

    # --- every request the page makes ---------------------------------------------------------
    def _make_request_handler(self, context_name: str, method: str, url: str, headers: Any, body: Any, encoding: str,
                              spider: Any, initial_request_done: asyncio.Event) -> Any:  # fmt: skip
        async def guarded(route: Any, browser_request: Any) -> None:
            why = await self.guard.refusal(browser_request.url, browser_request.resource_type)
            if why is not None:
                self._refused(browser_request.url, why)
                await route.abort("blockedbyclient")
                return
            try:
                final = await use_scrapy_headers(browser_type_name="chromium", playwright_request=browser_request,
                                                 scrapy_request_data={"method": method, "url": url, "headers": headers,
                                                                      "body": body, "encoding": encoding})  # fmt: skip
                answer = await route.fetch(headers=final, max_redirects=0, timeout=self.render_timeout * 1000)
                await route.fulfill(response=answer)
            except PlaywrightError as exc:
                logger.debug("browser request %s failed: %s", browser_request.url, exc)
                try:
                    await route.abort("failed")
                except PlaywrightError:
                    pass  # the page is gone already

        return guarded

    def _refused(self, url: str, why: str) -> None:
        self.stats.inc_value(f"newscrawl/render/refused/{why}")
        if why.startswith("address:"):
            reason = why.removeprefix("address:")
            self.stats.inc_value("newscrawl/netguard/blocked")
            self.stats.inc_value(f"newscrawl/netguard/blocked/{reason}")
            logger.warning("Blocked a browser request to a non-public address: %s (%s)", url, reason)


# In every page and frame of a context, before their own scripts: no popup is opened (a popup's first
# request reached the server past the context's route in about one render in four of a page opening a thousand)
NO_POPUPS = "window.open = function () { return null; };"


async def _init_page(page: Any, request: Any) -> None:
    """No WebSocket leaves the page (a route with no server connection is never opened), and a
    popup opened despite the context's ``NO_POPUPS`` is closed at once, its requests refused by the
    context's route."""
    await page.route_web_socket("**", lambda socket: None)
    page.on("popup", _close_popup)


async def _close_popup(popup: Any) -> None:
    try:
        await popup.close()
    except PlaywrightError:
        pass  # closed with its context already

