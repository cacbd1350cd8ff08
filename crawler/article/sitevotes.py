"""Votes for a site's template: which element path held each field on how many of its pages.

Every article page parsed with a template hint reports where each field was read
(``ParseResult.field_paths``); ``SiteVotes.observe`` counts them. A path becomes the site's
template for a field once it held the field on at least ``min_pages`` pages and on at least
``min_share`` of the pages where the field was found anywhere (``SiteVotes.template``). So a
site needs a few pages before anything is learned, and a template that changes (a redesign)
is followed once the new path wins the majority.

Memory stays small: per field, at most MAX_PATHS paths are kept; the rarest go first.
A crawl asks for the site's template for every page it fetches; it is made again only after
a page was observed since.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from crawler.parsing.template import TEMPLATE_FIELDS, SiteTemplate

MAX_PATHS = 24  # distinct paths kept per site and field


@dataclass(slots=True)
class SiteVotes:
    pages: int = 0  # article pages observed
    votes: dict[str, Counter[str]] = field(default_factory=dict)  # field -> path -> pages
    # (min_pages, min_share, template) as last made; observe() drops it
    _made: tuple[int, float, SiteTemplate] | None = field(default=None, repr=False, compare=False)

    def observe(self, field_paths: dict[str, str]) -> None:
        self._made = None
        self.pages += 1
        for name, path in field_paths.items():
            if name not in TEMPLATE_FIELDS:
                continue
            counter = self.votes.setdefault(name, Counter())
            counter[path] += 1
            if len(counter) > MAX_PATHS:
                rarest, _ = min(counter.items(), key=lambda item: item[1])
                del counter[rarest]

    def leader(self, name: str) -> tuple[str, int, int] | None:
        """(path, pages holding it, pages where the field was found) of the field's commonest path."""
        counter = self.votes.get(name)
        if not counter:
            return None
        path, count = counter.most_common(1)[0]
        return path, count, sum(counter.values())

    def template(self, *, min_pages: int, min_share: float) -> SiteTemplate:
        """The paths that hold a clear majority (see the module docstring)."""
        made = self._made
        if made is not None and made[:2] == (min_pages, min_share):
            return made[2]
        paths = {}
        for name in TEMPLATE_FIELDS:
            found = self.leader(name)
            if found is not None and found[1] >= min_pages and found[1] >= min_share * found[2]:
                paths[name] = found[0]
        template = SiteTemplate.from_paths(paths)
        self._made = (min_pages, min_share, template)
        return template
