"""The address guard for every request the browser makes while rendering a page.

Scrapy's ``NetGuardMiddleware`` checks the page's own URL before the browser is asked for it;
what the page's scripts, styles and frames then fetch is checked here, request by request,
with the same ``AddressPolicy`` and the same resolver (the crawl's ``GuardedResolver``, so a
name answers the same for both). Only ``http(s)`` and ``ws(s)`` URLs may leave the browser
(``data:`` and ``blob:`` never touch the network); anything else is refused.

The browser fetches nothing by itself: ``handler.py`` fetches each allowed request without
following redirects and hands the answer to the page, so a redirect is a new request that is
checked again here (Playwright's routing alone sees only the first URL of a redirect chain).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crawler.middlewares.netguard import AddressPolicy, BlockedAddressError, addresses_of

LOCAL_SCHEMES = ("data", "blob", "about")  # never reach the network
NETWORK_SCHEMES = ("http", "https", "ws", "wss")


@dataclass(slots=True)
class BrowserGuard:
    """Decides each browser request: None to let it go, else the reason it is refused."""

    policy: AddressPolicy
    resolve: Any  # async (host) -> list[str]: the crawl's resolver (NetGuardMiddleware.resolve)
    blocked_types: frozenset[str] = frozenset()

    async def refusal(self, url: str, resource_type: str) -> str | None:
        if resource_type in self.blocked_types:
            return f"type:{resource_type}"
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            return None
        if parts.scheme not in NETWORK_SCHEMES:
            return "scheme"
        host = parts.hostname or ""
        if not host:
            return "no_host"
        try:
            addresses = await addresses_of(host, self.resolve)
        except BlockedAddressError as exc:
            return f"address:{exc.why}"
        except Exception:  # noqa: BLE001 - a name that does not resolve is not fetched
            return "dns_error"
        for address in addresses:
            reason = self.policy.refusal(address)
            if reason is not None:
                return f"address:{reason}"
        return None
