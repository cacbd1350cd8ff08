"""Rendering pages that need JavaScript: Chromium through scrapy-playwright, only when asked.

``NEWSCRAWL_RENDER`` (``--render``, a site profile's ``render``) decides:

- ``never`` (the default): no browser; nothing of this package runs beyond this add-on's check;
- ``auto``: every page is fetched the cheap way first; one whose parse found no article and
  that looks like a script shell (``crawler.parsing.shell``: little text, a script bundle, an
  empty application root) is fetched again in the browser (``middleware.RenderMiddleware``);
  a page whose scripts' JSON already holds the article (``crawler.parsing.payload``) is an
  article after the cheap parse and is never rendered;
- ``always``: every article and listing page is rendered (feeds, sitemaps and robots.txt never).

A rendered page is a response like any other: it goes through the same downloader middlewares
(the address guard, the page limit, the WARC archive, the parse pool) and the same spider code.
The browser itself (``handler.RenderDownloadHandler``) is Debian's Chromium at
``NEWSCRAWL_RENDER_BROWSER`` (never a downloaded browser); every request it makes passes the
address guard (``guard.py``), images, fonts and media are never fetched, each render has a
time limit, at most ``NEWSCRAWL_RENDER_CONCURRENCY`` pages render at once, and browser
contexts are replaced every ``NEWSCRAWL_RENDER_CONTEXT_PAGES`` pages so memory stays bounded.

Needs the ``render`` extra (``pip install 'newscrawl[render]'``: scrapy-playwright and
Playwright's driver, no browser) and Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

RENDER_MODES = ("never", "auto", "always")
HANDLER = "crawler.render.download.RenderingDownloadHandler"  # Scrapy's HTTP/1.1, the browser for pages to render
CHROMIUM_ARGS = [  # no network of Chromium's own (updates, sync, prefetch), no GPU, no sandbox as root
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--dns-prefetch-disable",
    "--disable-features=NetworkPrediction,InterestFeedContentSuggestions,Translate,MediaRouter",
]  # fmt: skip


class RenderError(ValueError):
    """Rendering was asked for but cannot run here: the message says what is missing."""


def render_mode(settings: Any) -> str:
    """NEWSCRAWL_RENDER, checked."""
    mode = str(settings.get("NEWSCRAWL_RENDER") or "never").strip().lower()
    if mode not in RENDER_MODES:
        raise RenderError(f"NEWSCRAWL_RENDER must be one of {', '.join(RENDER_MODES)}, not {mode!r}")
    return mode


def missing_requirement(settings: Any) -> str | None:
    """What rendering lacks on this machine, or None when it can run."""
    if importlib.util.find_spec("scrapy_playwright") is None or importlib.util.find_spec("playwright") is None:
        return "rendering needs the render extra: pip install 'newscrawl[render]'"  # found, not imported: auto may never need it
    browser = Path(settings.get("NEWSCRAWL_RENDER_BROWSER"))
    if not browser.is_file():
        return f"rendering needs Chromium at {browser} (apt-get install chromium, or set NEWSCRAWL_RENDER_BROWSER)"
    return None


class RenderAddon:
    """Scrapy add-on: with render ``auto`` or ``always``, HTTP(S) downloads go through
    ``download.RenderingDownloadHandler`` (Scrapy's own HTTP/1.1 path, and the browser's
    ``handler.RenderDownloadHandler`` for pages marked to render)."""

    def update_settings(self, settings: Any) -> None:
        if render_mode(settings) == "never":
            return
        problem = missing_requirement(settings)
        if problem:
            raise RenderError(problem)
        handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
        handlers.update({"http": HANDLER, "https": HANDLER})
        # crawler/settings.py sets DOWNLOAD_HANDLERS at project priority, above the add-ons' own.
        settings.set("DOWNLOAD_HANDLERS", handlers, priority=settings.getpriority("DOWNLOAD_HANDLERS") or "addon")
        for name, value in playwright_settings(settings).items():
            settings.set(name, value, priority="addon")


def playwright_settings(settings: Any) -> dict[str, Any]:
    """scrapy-playwright's settings, derived from ours (they have no default of their own here)."""
    concurrency = max(1, settings.getint("NEWSCRAWL_RENDER_CONCURRENCY"))
    return {
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": settings.get("NEWSCRAWL_RENDER_BROWSER"), "headless": True,
                                      "args": CHROMIUM_ARGS},  # fmt: skip
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": concurrency,
        "PLAYWRIGHT_MAX_CONTEXTS": 2,  # the one in use and the one closing (handler.py recycles them)
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": settings.getfloat("NEWSCRAWL_RENDER_TIMEOUT") * 1000,
    }
