"""Votes for a site's template: which element path held each field on how many of its pages.

Every article page parsed with a template hint reports where each field was read
(``ParseResult.field_paths``); ``SiteVotes.observe`` counts them. A path becomes the site's
template for a field once it held the field on at least ``min_pages`` pages and on at least
``min_share`` of the pages where the field was found anywhere (``SiteVotes.template``). So a
site needs a few pages before anything is learned, and a template that changes (a redesign)
is followed once the new path wins the majority.

The fast path's layouts (``crawler.parsing.fastpath``) are counted beside: per page, the whole
set of its located paths with its body region (``Layout``). A layout is confident once it held
``fast_min_pages`` pages and ``fast_min_share`` of the pages with its headline path (a clear
majority: the other fields sit where this layout says on nearly every page of that headline);
when the parser finds one page read wrong (``distrust``), the site's layouts start counting
again from zero. The layouts' counts are kept in the database with the votes (``stored`` reads
them back, ``layout_texts`` writes them), so a later run starts with what earlier runs earned.

Memory stays small: per field, at most MAX_PATHS paths are kept, and MAX_PATHS layouts; the rarest go first.
A crawl asks for the site's template for every page it fetches; it is made again only after
a page was observed since.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from crawler.parsing.template import TEMPLATE_FIELDS, Layout, SiteTemplate

logger = logging.getLogger(__name__)

MAX_PATHS = 24  # distinct paths kept per site and field


@dataclass(slots=True)
class SiteVotes:
    pages: int = 0  # article pages observed
    votes: dict[str, Counter[str]] = field(default_factory=dict)  # field -> path -> pages
    layouts: Counter[Layout] = field(default_factory=Counter)  # the fast path's layouts -> pages
    headlines: Counter[str] = field(default_factory=Counter)  # headline path -> pages with a layout
    # (min_pages, min_share, template) as last made; observe() drops it
    _made: tuple[int, float, SiteTemplate] | None = field(default=None, repr=False, compare=False)
    _confident: tuple[int, float, tuple[Layout, ...]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def stored(cls, site: str, pages: int, votes: dict[str, Counter[str]], layouts: dict[str, int]) -> SiteVotes:
        """A site's votes as the database keeps them, its layouts as ``Layout.dumps`` wrote them
        (one that cannot be read back is logged and left out: the site's next save drops it)."""
        found = cls(pages, votes)
        for text, count in layouts.items():
            try:
                layout = Layout.loads(text)
            except ValueError as exc:
                logger.warning("%s: a stored article layout is left out (%s)", site, exc)
                continue
            found.layouts[layout] += count
            found.headlines[layout.title] += count
        return found

    def layout_texts(self) -> Counter[str]:
        """The layouts' counts as the database keeps them (``stored`` reads them back)."""
        return Counter({layout.dumps(): count for layout, count in self.layouts.items()})

    def observe(self, field_paths: dict[str, str]) -> None:
        self._made = self._confident = None
        self.pages += 1
        layout = Layout.from_paths(field_paths)
        if layout is not None:
            self.layouts[layout] += 1
            self.headlines[layout.title] += 1
            if len(self.layouts) > MAX_PATHS:
                rarest, count = min(self.layouts.items(), key=lambda item: item[1])
                self._drop(rarest)
        for name, path in field_paths.items():
            if name not in TEMPLATE_FIELDS:
                continue
            counter = self.votes.setdefault(name, Counter())
            counter[path] += 1
            if len(counter) > MAX_PATHS:
                rarest, _ = min(counter.items(), key=lambda item: item[1])
                del counter[rarest]

    def forget(self, field_paths: dict[str, str]) -> None:
        """Take back one page's vote (``observe``'s paths), before the page votes again."""
        self._made = self._confident = None
        self.pages = max(0, self.pages - 1)
        layout = Layout.from_paths(field_paths)
        if layout is not None and layout in self.layouts:  # else dropped as one of the rarest, or distrusted
            self.layouts[layout] -= 1
            self.headlines[layout.title] -= 1
            if self.layouts[layout] <= 0:
                self._drop(layout)
        for name, path in field_paths.items():
            counter = self.votes.get(name)
            if counter is None or path not in counter:
                continue  # dropped as one of the rarest
            counter[path] -= 1
            if counter[path] <= 0:
                del counter[path]

    def drop(self, name: str, path: str) -> None:
        """Take back every vote for ``path`` as the field's place (a hint found stale:
        ``crawler.article.template``): the pages that follow decide the field again."""
        counter = self.votes.get(name)
        if counter is not None and counter.pop(path, None) is not None:
            self._made = None

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

    def confident_layouts(self, *, min_pages: int, min_share: float) -> tuple[Layout, ...]:
        """The layouts the fast path may use, the commonest first (see the module docstring)."""
        made = self._confident
        if made is not None and made[:2] == (min_pages, min_share):
            return made[2]
        found = tuple(
            layout for layout, count in self.layouts.most_common()
            if count >= min_pages and count >= min_share * self.headlines[layout.title]
        )
        self._confident = (min_pages, min_share, found)
        return found

    def distrust(self) -> None:
        """Forget every layout of the site (a fast read disagreed with its full parse): each must be
        earned again from the pages that follow."""
        self.layouts.clear()
        self.headlines.clear()
        self._confident = None

    def _drop(self, layout: Layout) -> None:
        self.headlines[layout.title] -= self.layouts.pop(layout)
        if self.headlines[layout.title] <= 0:
            del self.headlines[layout.title]
