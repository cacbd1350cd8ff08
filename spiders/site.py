"""The site spider: the article spider plus discovery, incremental re-runs and resume.

    scrapy crawl site -a url=https://news.example/ -a feeds=URL -a sitemaps=URL -a site=KEY
                      -a since=2025-09-01 -a until=2025-09-30 -a refresh=1 -a selectors='{"title": "h1"}'

What it adds to ``spiders.article.ArticleSpider`` (which still walks prev/next chains):
- Discovery (``spiders.discovery.DiscoveryMixin``, shared with the distributed worker):
  listings, feeds, sitemaps, robots.txt, the date window and selector overrides.
- Incremental runs. A URL whose article is stored (or which was done or skipped for
  good) is not fetched again, except with NEWSCRAWL_REFRESH or when its feed or
  sitemap date is newer than what is known; then the request is conditional
  (If-None-Match / If-Modified-Since) and a 304 is not parsed. Instead of fetching a
  stored article, the spider walks the stored chain to its first unstored neighbour.
- Crawl state (``crawl_state`` table). Every URL the spider decides to fetch is
  recorded as pending, then in flight; it becomes done, failed or skipped only after
  the store pipeline committed its outcome (``crawler.signals.pages_stored``), and the
  marks still buffered are written before each commit of the store (``pages_storing``),
  so no article is stored before its URL is in the state table. A new
  run of the same site first requests what the last run left pending or in flight, and
  failed URLs until they failed NEWSCRAWL_MAX_ATTEMPTS times.
- Site profiles: ``site`` names the profile key used for state and the run record;
  ``selectors`` are the profile's CSS overrides (``crawler.parsing.overrides``).

Settings: NEWSCRAWL_REFRESH, NEWSCRAWL_MAX_ATTEMPTS, NEWSCRAWL_DB_PATH, and those of the
discovery mixin and the article spider.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response
from twisted.internet.task import LoopingCall

from crawler.chaincheck import LinkCheck
from crawler.discovery import ListingLinks
from crawler.discovery.dates import isoformat, parse_source_date
from crawler.parse_pool import requested_url
from crawler.signals import pages_stored, pages_storing
from crawler.storage import open_database
from crawler.storage.state import CrawlState, Known, StateChange
from crawler.urls import canonical_url, is_http_url, site_key
from spiders.article import ArticleSpider, _header
from spiders.discovery import DiscoveryMixin

STATE_FLUSH_SECONDS = 1.0  # pending / in-flight marks are written at least this often
STATE_BATCH = 200  # ... or when this many wait


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class SiteSpider(DiscoveryMixin, ArticleSpider):
    name = "site"

    def __init__(self, url: str | list[str] | None = None, refresh: str | bool | None = None, **kwargs: Any) -> None:
        super().__init__(url=url, **kwargs)
        self._refresh_arg = refresh
        self.state: CrawlState | None = None
        self._changes: list[StateChange] = []
        self._tracked: set[str] = set()  # canonical URLs this run put into the state table
        self._walked: set[str] = set()  # stored articles passed through in the database
        self._timer: LoopingCall | None = None
        self._discovered = 0
        self._not_modified_count = 0
        self._link_checks: list[tuple[str, str, str]] = []  # (canonical URL, side, status) not written yet

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._flush_state, signal=pages_storing)
        crawler.signals.connect(spider._on_stored, signal=pages_stored)
        crawler.signals.connect(spider._on_closed, signal=signals.spider_closed)
        return spider

    def _configure(self, settings: Any) -> None:
        super()._configure(settings)
        self.refresh = _truthy(self._refresh_arg) if self._refresh_arg is not None else settings.getbool("NEWSCRAWL_REFRESH")
        self.max_attempts = settings.getint("NEWSCRAWL_MAX_ATTEMPTS")
        self.db_path = settings.get("NEWSCRAWL_DB_PATH")

    @property
    def run_arguments(self) -> dict[str, Any]:
        arguments = super().run_arguments
        arguments.update(refresh=self.refresh)
        if self.profile_key:  # the run is the profile's (`newscrawl runs --site KEY`)
            arguments.update(site=self.profile_key, sites=[self.profile_key], selectors=self.selectors)
        return arguments

    def state_site(self, url: str) -> str:
        """One key everywhere: the page's site (a profile's crawl and an ad hoc one share their state)."""
        return site_key(url)

    def _state_sites(self) -> set[str]:
        """The crawl-state sites a run picks up: its entry URLs' sites, the known sites under a
        domain the user allowed, and the profile's key (older databases recorded a profile's
        state under it)."""
        assert self.state is not None
        sites = set(self.sites) | ({self.profile_key} if self.profile_key else set())
        if self.stay_on_site and self.allowed_domains_extra:
            sites |= {known for known in self.state.sites() if self.on_site(f"http://{known}/")}
        return sites

    # --- crawl state ---------------------------------------------------------------------
    def _mark(self, url: str, state: str, **fields: Any) -> None:
        self._changes.append(StateChange(url=canonical_url(url), site=self.state_site(url), state=state, **fields))
        if len(self._changes) >= STATE_BATCH:
            self._flush_state()

    def _flush_state(self) -> None:
        if self.state is not None and self._changes:
            changes, self._changes = self._changes, []
            self.state.record(changes, run_id=self.crawler.stats.get_value("newscrawl/run_id"))

    def record_link_checks(self, checks: list[LinkCheck]) -> None:
        """Checks wait for their article's row; written after each stored batch and at the end."""
        self._link_checks += [(canonical_url(check.url), check.side, check.status) for check in checks]

    def _flush_link_checks(self) -> None:
        if self.state is not None and self._link_checks:
            self._link_checks = self.state.record_link_checks(self._link_checks)

    def _on_stored(self, articles: list[Any], failures: list[dict[str, Any]]) -> None:
        """The store pipeline committed a batch: now those URLs are done, failed or skipped."""
        for row in articles:
            self._mark(row.fetched_url or row.url, "done", reason="stored")
        for failure in failures:
            if canonical_url(failure["url"]) not in self._tracked:
                continue  # a feed, sitemap or robots.txt: its failure is recorded, it has no state
            if failure.get("skipped"):
                self._mark(failure["url"], "skipped", reason=failure["reason"])
            else:
                self._mark(failure["url"], "failed", reason=failure["reason"], failed_attempt=True)
        self._flush_state()
        self._flush_link_checks()

    def _on_closed(self, spider: Any, reason: str) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.state is None:
            return
        self._flush_state()
        self._flush_link_checks()  # what still waits belongs to pages never stored as articles
        run_id = self.crawler.stats.get_value("newscrawl/run_id")
        if run_id is not None:
            self.state.finish_run(run_id, urls_discovered=self._discovered, not_modified=self._not_modified_count)
        self.state.db.conn.close()
        self.state = None

    # --- start -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        self.state = CrawlState(open_database(self.db_path))
        self._timer = LoopingCall(self._flush_state)
        self._timer.start(STATE_FLUSH_SECONDS, now=False)
        for request in self._resume_requests():
            yield request
        async for request in super().start():
            yield request

    def _resume_requests(self) -> Iterator[scrapy.Request]:
        assert self.state is not None
        sites = self._state_sites()
        # A start page left pending is fetched by the start loop, as a start page: resumed, it
        # would be read as an article and its links never followed.
        starts = {canonical_url(url) for url in self.start_page_urls}
        for site in sorted(sites):
            for row in self.state.resumable(site, max_attempts=self.max_attempts):
                if not self.on_site(row.url) or row.url in self._seen or row.url in starts:
                    continue
                if not self._budget_left():
                    break
                self.crawler.stats.inc_value("newscrawl/resumed")
                request = self._request(row.url, self.direction)
                request.meta["kind"] = "article"
                yield from self._schedule(request, origin=f"resume:{row.state}", force=True,
                                          source_date=parse_source_date(row.source_date))  # fmt: skip

    # --- deciding whether to fetch ----------------------------------------------------------------
    def _schedule(
        self, request: scrapy.Request, *, origin: str, force: bool = False, source_date: datetime | None = None
    ) -> Iterator[scrapy.Request]:
        """Send a page request made by ``_request``, unless the database already holds the page.

        ``force`` (start and resumed URLs) always fetches, conditionally when possible.
        """
        assert self.state is not None
        stats = self.crawler.stats
        key = canonical_url(request.url)
        known = self.state.lookup(key)
        if known is not None and known.given_up(self.max_attempts) and not force:
            self._in_flight -= 1  # _request counted it; it will not be sent
            stats.inc_value("newscrawl/incremental/given_up")
            return
        if known is not None and known.settled and not force and not self.refresh:
            if not self._changed_at_source(known, source_date):
                self._in_flight -= 1  # _request counted it; it will not be sent
                stats.inc_value("newscrawl/incremental/known")
                if known.stored:
                    yield from self._walk_stored(known, request.meta.get("direction", self.direction))
                return
            stats.inc_value("newscrawl/incremental/changed_at_source")
        if known is not None and known.stored:
            self._make_conditional(request, known)
        request.meta.setdefault("origin", origin)
        self._discovered += 1
        self._tracked.add(key)
        self._mark(key, "pending", discovered_from=origin, source_date=isoformat(source_date))
        yield request

    @staticmethod
    def _changed_at_source(known: Known, source_date: datetime | None) -> bool:
        if source_date is None:
            return False
        reference = parse_source_date(known.source_date) or parse_source_date(known.article_fetched_at)
        return reference is None or source_date > reference

    def _make_conditional(self, request: scrapy.Request, known: Known) -> None:
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        if known.etag or known.last_modified:
            request.meta["conditional"] = True
            self.crawler.stats.inc_value("newscrawl/incremental/conditional_requests")

    def _walk_stored(self, known: Known, direction: str) -> Iterator[scrapy.Request]:
        """Follow stored prev/next links through the database to the first neighbours not stored."""
        assert self.state is not None
        todo = [(known, direction)]
        while todo:
            current, heading = todo.pop()
            for side, url in (("prev", current.prev_url), ("next", current.next_url)):
                if not url or heading not in (side, "both") or not is_http_url(url) or not self.on_site(url):
                    continue
                key = canonical_url(url)
                if key in self._seen or key in self._walked:
                    continue
                neighbour = self.state.lookup(key)
                if neighbour is not None and neighbour.stored and not self.refresh:
                    # Walked, not seen: a feed or sitemap may still say it changed.
                    self._walked.add(key)
                    self.crawler.stats.inc_value("newscrawl/incremental/walked")
                    todo.append((neighbour, side))
                elif neighbour is not None and (neighbour.given_up(self.max_attempts)
                                                or neighbour.settled and not self.refresh):
                    continue
                elif self._budget_left():
                    request = self._request(url, side)
                    request.meta["kind"] = "article"
                    yield from self._schedule(request, origin=f"{side}:{current.url}", force=True)
                else:
                    self._mark(key, "pending", discovered_from=f"{side}:{current.url}")

    def _over_budget(self, key: str, *, origin: str, source_date: datetime | None) -> None:
        """Not fetched in this run: pending, so the next run takes it up."""
        known = self.state.lookup(key) if self.state else None
        if known is None or not known.settled:
            self._mark(key, "pending", discovered_from=origin, source_date=isoformat(source_date))

    # --- callbacks ------------------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.status == 304 and response.meta.get("conditional"):
            yield from self._not_modified(response)
            return
        kind = response.meta.get("kind", "article")
        if 200 <= response.status < 300 and kind != "listing":
            self._mark(
                requested_url(response.request) if response.request else response.url,
                "in_flight",
                etag=_header(response, b"ETag"),
                last_modified=_header(response, b"Last-Modified"),
            )
        yield from super().parse(response, **kwargs)

    def _not_modified(self, response: Response) -> Iterator[scrapy.Request]:
        """A 304: the stored copy is current. Nothing to parse; walk on from the stored article."""
        self._in_flight -= 1
        self._not_modified_count += 1
        stats = self.crawler.stats
        stats.inc_value("newscrawl/pages_fetched")
        stats.inc_value("newscrawl/not_modified")
        request_url = response.request.url if response.request else response.url
        self._mark(request_url, "done", reason="not_modified")
        known = self.state.lookup(canonical_url(request_url)) if self.state else None
        if known is not None and known.stored:
            yield from self._walk_stored(known, response.meta.get("direction", self.direction))

    def _listing(self, response: Response, kind: str, links: ListingLinks) -> Iterator[scrapy.Request]:
        """A start page that is a listing is done here: it is never stored."""
        if kind == "start":
            self._mark(response.request.url if response.request else response.url, "done", reason="listing")
        yield from super()._listing(response, kind, links)
