"""Site templates across a distributed crawl: learned by the ingester, used by every worker.

A local crawl parses each page of a site with the site's template as learned so far
(``crawler.article.template``). In a distributed crawl the learning is a writer step (it
needs every page of a site, whichever worker fetched it, and the database), so it runs in
the ingester, while the workers parse; the template travels through Redis:

- ``TemplatePublisher`` (the ingester) writes each site's learned template to the hash
  ``<ns>:templates`` (site key -> JSON ``{field: element path}``), and its confident layouts of
  the template fast path to ``<ns>:layouts`` (site key -> JSON list of ``Layout.as_paths()``):
  when it starts, every site the database learned before; after each batch, each site of the
  batch whose template or layouts changed (a site whose template is lost again, after a
  redesign, or whose layouts a verified page disagreed with, is removed).
- ``SharedTemplates`` (each worker; ``crawler.parse_pool.template_for`` asks it) reads a site's
  entry when it parses the site's pages, at most every REFRESH_SECONDS per site, under the
  template the site's enqueued profile pins (``SiteConfig.template``). Before anything is
  learned the hint is an empty template, which asks the parser where each field was read: what
  the ingester counts. With the site's layouts (``for_page``) the worker reads the pages that
  confirm one the fast way; the first page it hands them to, then the pages the verification
  schedule picks (``crawler.article.verifying``: every NEWSCRAWL_FAST_PATH_VERIFY_EVERY-th, less
  often while they agree), are read both ways. A disagreement makes the worker leave
  those layouts until the published ones change, and the page's item tells the ingester
  (``parse_path``), which drops them (``crawler.article.template.note_parse_path``) and publishes
  that. An unreadable entry is logged and counted
  (``newscrawl/redis/bad_template``); with Redis unreachable the worker parses with what it
  last read (the scheduler and the item pipeline deal with the outage).

The end-of-run re-check of a site's earlier pages (``crawler.article.recheck``) reads them from
the WARC archive as in a local crawl: the workers write WARC files and the ingester indexes them
(``crawler.distributed.archive``), so the pages a worker parsed before the template was published
are corrected when the ingester stops, provided it can read the workers' files in its own
NEWSCRAWL_ARCHIVE_DIR (a page whose file it cannot read is counted in
``newscrawl/template/recheck/not_archived`` and keeps what it was stored with).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from collections.abc import Callable, Iterable
from typing import Any

from crawler.article.template import TemplateBook
from crawler.article.verifying import VerifySchedule
from crawler.parsing.fastpath import DISAGREED
from crawler.distributed.keys import REDIS_DOWN, RedisKeys
from crawler.parsing.template import TEMPLATE_FIELDS, Layout, SiteTemplate
from crawler.storage.templates import TemplateStore

logger = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0  # a worker reads a site's published template again at most this often


def checked_paths(raw: Any, what: str) -> dict[str, str]:
    """``raw`` (decoded JSON) as template paths, ``{field: CSS}``; else a ValueError naming ``what``."""
    if not isinstance(raw, dict) or not all(
        name in TEMPLATE_FIELDS and isinstance(path, str) and path for name, path in raw.items()
    ):
        raise ValueError(f"bad {what}: a table of {', '.join(TEMPLATE_FIELDS)} paths, not {raw!r:.200}")
    return dict(raw)


def dumps_template(template: SiteTemplate) -> str:
    return json.dumps(template.paths(), sort_keys=True, separators=(",", ":"))


def dumps_layouts(layouts: tuple[Layout, ...]) -> str:
    """A site's confident layouts, commonest first, each in its one serialized form (``Layout.as_paths``)."""
    return json.dumps([layout.as_paths() for layout in layouts], sort_keys=True, separators=(",", ":"))


def loads_layouts(data: bytes | str, what: str) -> tuple[Layout, ...]:
    """``dumps_layouts`` output back; else a ValueError naming ``what``."""
    raw = json.loads(data)
    if not isinstance(raw, list):
        raise ValueError(f"bad {what}: a list of layouts, not {raw!r:.200}")
    return tuple(Layout.loads(json.dumps(entry)) for entry in raw)


class SharedTemplates:
    """A worker's view of the published templates: ``for_site`` as ``TemplateBook.for_site``."""

    def __init__(self, server: Any, keys: RedisKeys, *, on_bad: Callable[[], None] | None = None,
                 verify_every: int = 0, verify_most: int = 0) -> None:
        """``on_bad``: called for each unreadable entry (the worker counts it in its stats);
        ``verify_every``: NEWSCRAWL_FAST_PATH_VERIFY_EVERY (0: the fast path off, no layouts read);
        ``verify_most``: NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY."""
        self.server = server
        self.keys = keys
        self.on_bad = on_bad
        self.verify_every = verify_every
        self.verify_most = verify_most
        self._read: dict[str, tuple[float, SiteTemplate, tuple[Layout, ...]]] = {}  # site -> (when read, template, layouts)
        self._schedules: dict[str, VerifySchedule] = {}  # site -> which pages handed its layouts are read both ways
        self._distrusted: dict[str, tuple[Layout, ...]] = {}  # site -> the layouts a disagreement made it leave

    def for_site(self, site: str, pinned: SiteTemplate | None = None) -> SiteTemplate:
        """The hint for the site's next page: the pin, its open fields filled by what was learned."""
        return self._learned(site)[0].pinned_by(pinned)

    def for_page(self, site: str, pinned: SiteTemplate | None = None) -> SiteTemplate:
        """``for_site`` with the site's published layouts (the first page handed them, then the pages
        the schedule picks, marked to be read both ways), as ``TemplateBook.for_page``."""
        learned, layouts = self._learned(site)
        template = learned.pinned_by(pinned)
        if not layouts or self._distrusted.get(site) == layouts:
            return template
        schedule = self._schedules.get(site)
        if schedule is None:
            schedule = self._schedules[site] = VerifySchedule.checked_at_once(self.verify_every, self.verify_most)
        return replace(template, layouts=layouts, verify=schedule.next_page())

    def read(self, site: str, path: str) -> None:
        """A page of the site was parsed (``ParseResult.parse_path``): its schedule hears how, and a
        disagreement makes the worker leave the site's layouts (``distrust``)."""
        schedule = self._schedules.get(site)
        if schedule is not None:
            schedule.read(path)
        if path == DISAGREED:
            self.distrust(site)

    def distrust(self, site: str) -> None:
        """A page read the fast way disagreed with its full parse: the site's layouts as published
        now are left until the ingester publishes others (it drops them when the page's item arrives)."""
        self._distrusted[site] = self._learned(site)[1]
        self._schedules.pop(site, None)

    def _learned(self, site: str) -> tuple[SiteTemplate, tuple[Layout, ...]]:
        now = time.monotonic()
        cached = self._read.get(site)
        if cached is not None and now - cached[0] < REFRESH_SECONDS:
            return cached[1], cached[2]
        template, layouts = (cached[1], cached[2]) if cached is not None else (SiteTemplate(), ())
        try:
            data = self.server.hget(self.keys.templates, site)
            found = self.server.hget(self.keys.layouts, site) if self.verify_every > 0 else None
        except REDIS_DOWN as exc:  # not asked again before REFRESH_SECONDS: a page never waits on it twice
            logger.debug("site template of %s not read (Redis unreachable: %s)", site, exc)
        else:
            template = self._decoded(site, data) if data is not None else SiteTemplate()
            layouts = self._decoded_layouts(site, found) if found is not None else ()
        self._read[site] = (now, template, layouts)
        return template, layouts

    def _decoded_layouts(self, site: str, data: bytes) -> tuple[Layout, ...]:
        try:
            return loads_layouts(data, f"layouts of {site} in Redis")
        except ValueError as exc:  # not written by an ingester: say so, parse the site in full
            logger.error("ignoring the unreadable fast-path layouts of %s in Redis: %s", site, exc)
            if self.on_bad is not None:
                self.on_bad()
            return ()

    def _decoded(self, site: str, data: bytes) -> SiteTemplate:
        try:
            return SiteTemplate.from_paths(checked_paths(json.loads(data), f"template of {site} in Redis"))
        except ValueError as exc:  # not written by an ingester: say so, parse the site unhinted
            logger.error("ignoring the unreadable site template of %s in Redis: %s", site, exc)
            if self.on_bad is not None:
                self.on_bad()
            return SiteTemplate()


class TemplatePublisher:
    """The ingester's side: what its template step learned, published for the workers."""

    def __init__(self, server: Any, keys: RedisKeys, book: TemplateBook) -> None:
        self.server = server
        self.keys = keys
        self.book = book
        self._published: dict[str, SiteTemplate] = {}
        self._published_layouts: dict[str, tuple[Layout, ...]] = {}

    def publish_stored(self, store: TemplateStore) -> None:
        """Every site the database learned a template or confident layouts for, as earlier runs left them."""
        self.publish(site.site for site in store.sites())

    def publish(self, sites: Iterable[str]) -> None:
        """The sites' templates and confident layouts as learned now, where they changed since published."""
        sites = set(sites) | self.book.distrusted
        changed = {site: template for site in sites
                   if (template := self.book.learned(site)) != self._published.get(site, SiteTemplate())}
        layouts = {site: found for site in sites
                   if (found := self.book.confident(site)) != self._published_layouts.get(site, ())}
        self._write(changed, layouts)

    def _write(self, templates: dict[str, SiteTemplate], layouts: dict[str, tuple[Layout, ...]]) -> None:
        if not templates and not layouts:
            return
        with self.server.pipeline(transaction=False) as pipe:
            for site, template in templates.items():
                if template:
                    pipe.hset(self.keys.templates, site, dumps_template(template))
                else:
                    pipe.hdel(self.keys.templates, site)
            for site, found in layouts.items():
                if found:
                    pipe.hset(self.keys.layouts, site, dumps_layouts(found))
                else:
                    pipe.hdel(self.keys.layouts, site)
            pipe.execute()
        self._published.update(templates)  # only once Redis took them: a failed write is tried again
        self._published_layouts.update(layouts)
