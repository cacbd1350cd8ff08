"""Site templates across a distributed crawl: learned by the ingester, used by every worker.

A local crawl parses each page of a site with the site's template as learned so far
(``crawler.article.template``). In a distributed crawl the learning is a writer step (it
needs every page of a site, whichever worker fetched it, and the database), so it runs in
the ingester, while the workers parse; the template travels through Redis:

- ``TemplatePublisher`` (the ingester) writes each site's learned template to the hash
  ``<ns>:templates`` (site key -> JSON ``{field: element path}``): when it starts, every site
  the database learned before; after each batch, each site of the batch whose template changed
  (a site whose template is lost again, after a redesign, is removed).
- ``SharedTemplates`` (each worker; ``crawler.parse_pool.template_for`` asks it) reads a site's
  entry when it parses the site's pages, at most every REFRESH_SECONDS per site, under the
  template the site's enqueued profile pins (``SiteConfig.template``). Before anything is
  learned the hint is an empty template, which asks the parser where each field was read: what
  the ingester counts. An unreadable entry is logged and counted
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
from collections.abc import Callable, Iterable
from typing import Any

from crawler.article.sitevotes import SiteVotes
from crawler.article.template import TemplateBook
from crawler.distributed.keys import REDIS_DOWN, RedisKeys
from crawler.parsing.template import TEMPLATE_FIELDS, SiteTemplate
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


class SharedTemplates:
    """A worker's view of the published templates: ``for_site`` as ``TemplateBook.for_site``."""

    def __init__(self, server: Any, keys: RedisKeys, *, on_bad: Callable[[], None] | None = None) -> None:
        """``on_bad``: called for each unreadable entry (the worker counts it in its stats)."""
        self.server = server
        self.keys = keys
        self.on_bad = on_bad
        self._read: dict[str, tuple[float, SiteTemplate]] = {}  # site -> (when read, template)

    def for_site(self, site: str, pinned: SiteTemplate | None = None) -> SiteTemplate:
        """The hint for the site's next page: the pin, its open fields filled by what was learned."""
        return self._learned(site).pinned_by(pinned)

    # A worker hands out no fast-path layouts (they are counted in the ingester's memory only):
    # its pages get the full parse, and nothing is ever read the fast way to be distrusted.
    for_page = for_site

    def distrust(self, site: str) -> None:
        """Nothing to forget (see ``for_page``)."""

    def _learned(self, site: str) -> SiteTemplate:
        now = time.monotonic()
        cached = self._read.get(site)
        if cached is not None and now - cached[0] < REFRESH_SECONDS:
            return cached[1]
        template = cached[1] if cached is not None else SiteTemplate()
        try:
            data = self.server.hget(self.keys.templates, site)
        except REDIS_DOWN as exc:  # not asked again before REFRESH_SECONDS: a page never waits on it twice
            logger.debug("site template of %s not read (Redis unreachable: %s)", site, exc)
        else:
            template = self._decoded(site, data) if data is not None else SiteTemplate()
        self._read[site] = (now, template)
        return template

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

    def publish_stored(self, store: TemplateStore) -> None:
        """Every site the database learned a template for, as earlier runs left it."""
        learned = {}
        for site in store.sites():
            template = SiteVotes(site.pages, site.votes).template(min_pages=self.book.min_pages,
                                                                    min_share=self.book.min_share)
            if template:
                learned[site.site] = template
        self._write(learned)

    def publish(self, sites: Iterable[str]) -> None:
        """The sites' templates as learned now, where they changed since published."""
        changed = {site: template for site in set(sites)
                   if (template := self.book.learned(site)) != self._published.get(site, SiteTemplate())}
        self._write(changed)

    def _write(self, templates: dict[str, SiteTemplate]) -> None:
        if not templates:
            return
        with self.server.pipeline(transaction=False) as pipe:
            for site, template in templates.items():
                if template:
                    pipe.hset(self.keys.templates, site, dumps_template(template))
                else:
                    pipe.hdel(self.keys.templates, site)
            pipe.execute()
        self._published.update(templates)  # only once Redis took them: a failed write is tried again
