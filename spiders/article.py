"""The article spider: fetch article pages and walk the site's own prev/next chain.

    scrapy crawl article -a url=URL[,URL2] -a direction=both -a max_articles=N -a allow_domain=D[,D2]

The spider only fetches and decides what to follow. Each page goes once through
``crawler.parsing.parse_page`` (which also decides the encoding); the spider reads the
parse result's ``prev_url`` / ``next_url`` and nothing else of the HTML. Every response
becomes a ``PageItem`` or a ``FailedPage`` with a reason, so nothing fetched is lost.

Verification: a followed prev/next link is a guess until its neighbour's page arrives; then
``crawler.chaincheck`` tells whether it links back from the mirrored slot with its date on the
right side. Outcomes are counted (``newscrawl/chain/confirmed``, ``.../no_link_back``, ...) and
handed to ``record_link_checks`` (the site spider stores them in the articles' prev_check /
next_check).

Direction: from a start page with ``both`` the spider follows ``prev`` and ``next``; each
side then keeps its own direction until its chain ends. ``max_articles`` counts pages
the parser calls articles (stored-article candidates); the spider never has more
requests in flight than the budget leaves, so it does not fetch pages it cannot keep.

Settings: NEWSCRAWL_DIRECTION, NEWSCRAWL_MAX_ARTICLES, NEWSCRAWL_STAY_ON_SITE,
NEWSCRAWL_ALLOWED_DOMAINS (spider arguments override the first two and add domains).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.python import binary_is_text
from twisted.python.failure import Failure

from crawler.chaincheck import CONFIRMED, ChainChecks, LinkCheck
from crawler.download_errors import describe_download_error
from crawler.items import FailedPage
from crawler.parse_pool import parsed_here, pooled_item, requested_url
from crawler.urls import canonical_url, is_http_url, site_key, url_problem

DIRECTIONS = ("both", "prev", "next")
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
BINARY_SNIFF_BYTES = 5000  # bytes looked at to tell text from binary when there is no Content-Type

def _as_list(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Spider arguments arrive as comma-separated strings from `-a`, as lists from code."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [entry.strip() for entry in value if entry and entry.strip()]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArticleSpider(scrapy.Spider):
    name = "article"

    def __init__(
        self,
        url: str | list[str] | None = None,
        direction: str | None = None,
        max_articles: str | int | None = None,
        allow_domain: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_page_urls = _as_list(url)
        self._direction_arg = direction
        self._max_articles_arg = max_articles
        self._allow_domain_arg = _as_list(allow_domain)
        self._seen: set[str] = set()  # canonical URLs requested or answered
        self._in_flight = 0  # article requests sent and not yet answered
        self._candidates = 0  # pages the parser called articles
        self.chain_checks = ChainChecks()  # followed prev/next links waiting for their neighbour

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure(crawler.settings)
        return spider

    def _configure(self, settings: Any) -> None:
        self.direction = (self._direction_arg or settings.get("NEWSCRAWL_DIRECTION")).strip().lower()
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {self.direction!r}")
        raw_max = self._max_articles_arg
        if raw_max in (None, ""):
            raw_max = settings.getint("NEWSCRAWL_MAX_ARTICLES")
        try:
            self.max_articles = int(raw_max)
        except (TypeError, ValueError):
            raise ValueError(f"max_articles must be a whole number, not {raw_max!r}") from None
        if self.max_articles < 0:
            raise ValueError("max_articles must be 0 (no limit) or more")
        if not self.start_page_urls:
            raise ValueError("give at least one start URL: -a url=https://news.example/article.html")
        problems = [problem for problem in map(url_problem, self.start_page_urls) if problem]
        if problems:
            raise ValueError("; ".join(problems))
        self.stay_on_site = settings.getbool("NEWSCRAWL_STAY_ON_SITE")
        self.sites = {site_key(url) for url in self.start_page_urls}
        domains = [*settings.getlist("NEWSCRAWL_ALLOWED_DOMAINS"), *self._allow_domain_arg]
        self.allowed_domains_extra = {domain.lower().removeprefix("www.").rstrip(".") for domain in domains}

    @property
    def run_arguments(self) -> dict[str, Any]:
        """What this crawl was asked to do, for the run record."""
        return {
            "start_urls": self.start_page_urls,
            "direction": self.direction,
            "max_articles": self.max_articles,
            "stay_on_site": self.stay_on_site,
            "sites": sorted(self.sites),
            "allowed_domains": sorted(self.allowed_domains_extra),
        }

    # --- what may be fetched ------------------------------------------------------------
    def on_site(self, url: str) -> bool:
        """A start URL's site, or a host under a domain the user allowed."""
        if not self.stay_on_site or site_key(url) in self.sites:
            return True
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.allowed_domains_extra)

    def _budget_left(self) -> bool:
        return not self.max_articles or self._candidates + self._in_flight < self.max_articles

    def _request(self, url: str, direction: str) -> scrapy.Request:
        self._seen.add(canonical_url(url))
        self._in_flight += 1
        # dont_filter: the spider keeps its own seen set (canonical URLs), so every request
        # it sends reaches the callback or the errback and the in-flight count stays true.
        return scrapy.Request(
            url, callback=self.parse, errback=self.on_error, meta={"direction": direction}, dont_filter=True
        )

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_page_urls:
            if canonical_url(url) in self._seen:
                continue
            if not self._budget_left():
                self.crawler.stats.inc_value("newscrawl/links/over_budget")
                break
            yield self._request(url, self.direction)

    def _follow(self, parsed: Any, direction: str) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        for side, url in (("prev", parsed.prev_url), ("next", parsed.next_url)):
            if not url or direction not in (side, "both"):
                continue
            if not is_http_url(url):
                stats.inc_value("newscrawl/links/bad_scheme")
            elif not self.on_site(url):
                stats.inc_value("newscrawl/links/offsite")
                self.logger.debug("not following off-site %s link %s", side, url)
            elif canonical_url(url) in self._seen:
                stats.inc_value("newscrawl/links/seen")
            elif not self._budget_left():
                stats.inc_value("newscrawl/links/over_budget")
            else:
                stats.inc_value(f"newscrawl/links/{side}")
                self.chain_checks.expect(parsed.url, side, url, parsed.published_at)
                yield self._request(url, side)

    def _check_links(self, fetched_url: str, parsed: Any) -> None:
        """Settle the followed links that pointed at this page (``crawler.chaincheck``)."""
        checks = self.chain_checks.verify(fetched_url, parsed)
        for check in checks:
            self.crawler.stats.inc_value(f"newscrawl/chain/{check.status}")
            if check.status != CONFIRMED:
                self.logger.debug("%s link of %s to %s: %s", check.side, check.url, check.neighbour, check.status)
        self.record_link_checks(checks)

    def record_link_checks(self, checks: list[LinkCheck]) -> None:
        """Where the checks go beyond the stats: nowhere for the bare chain walker (no database)."""

    # --- callbacks ------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        self._in_flight -= 1
        stats = self.crawler.stats
        stats.inc_value("newscrawl/pages_fetched")
        self._seen.add(canonical_url(response.url))
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        rejection = self._reject_response(response, content_type)
        if rejection is not None:
            yield rejection
            return
        try:
            item = pooled_item(response) or parsed_here(self.crawler, response.request, response)
        except Exception as exc:  # a parser bug must not end the crawl: record it and go on
            self.logger.warning("parser failed on %s: %r", response.url, exc)
            yield self._failed(response.url, "parse_error", f"{type(exc).__name__}: {exc}", response.status)
            return
        parsed = item.parsed
        if parsed.is_article:
            self._candidates += 1
            stats.inc_value("newscrawl/article_candidates")
            if self.max_articles and self._candidates >= self.max_articles:
                stats.set_value("newscrawl/max_articles_reached", 1)
        yield item
        self._check_links(item.fetched_url, parsed)
        yield from self._follow(parsed, response.meta.get("direction", self.direction))

    def _reject_response(self, response: Response, content_type: str | None) -> FailedPage | None:
        """A FailedPage when the response cannot hold an article page, else None.

        It is recorded under the URL the crawl asked for, whatever redirects led elsewhere
        (the crawl state tracks that URL: its attempts count, its state is settled).
        """
        asked = requested_url(response.request) if response.request else response.url
        where = f" at {response.url}" if asked != response.url else ""
        if not 200 <= response.status < 300:
            return self._failed(asked, f"http_{response.status}", f"HTTP status {response.status}{where}", response.status)
        if where and not self.on_site(response.url):
            return self._failed(asked, "offsite_redirect", f"redirected off the site{where}", response.status,
                                skipped=True)  # fmt: skip
        mime = (content_type or "").split(";")[0].strip().lower()
        if mime and mime not in HTML_CONTENT_TYPES:
            return self._failed(asked, "not_html", f"content type {mime}{where}", response.status, skipped=True)
        if not mime and not binary_is_text(response.body[:BINARY_SNIFF_BYTES]):
            return self._failed(
                asked, "not_html", f"binary content without a Content-Type{where}", response.status, skipped=True
            )
        if not response.body.strip():
            return self._failed(asked, "empty_page", f"the response body is empty{where}", response.status)
        return None

    def on_error(self, failure: Failure) -> Iterator[FailedPage]:
        """A request that got no usable response: recorded under the URL asked for, before any redirect."""
        self._in_flight -= 1
        request = failure.request  # type: ignore[attr-defined]
        asked = requested_url(request)
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            yield self._failed(asked, "robots_disallowed", "forbidden by robots.txt", None, skipped=True)
            return
        reason, detail = describe_download_error(failure)
        if asked != request.url:
            detail = f"{detail} (at {request.url})"
        self.logger.info("download of %s failed: %s (%s)", asked, reason, detail)
        yield self._failed(asked, reason, detail, None)

    def _failed(self, url: str, reason: str, detail: str, status: int | None, *, skipped: bool = False) -> FailedPage:
        return FailedPage(
            url=url, reason=reason, detail=detail, http_status=status, failed_at=_now(), site=site_key(url), skipped=skipped
        )


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
