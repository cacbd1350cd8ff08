"""Generated pages of seven types, for fitting and testing article detection without real data.

``generate(pages, seed)`` draws sites (``site.py``: naming style, layout, furniture) and, on each,
a few pages of random types (``pages.py``: article, listing, forum, documentation, product,
collection, service, each with many variants; ``prose.py``: listings, forums, documentation and
service pages written as prose, a ``prose_share`` of those types: none by default, because
fitting on them made detection worse on real pages, docs/benchmarks.md says by how much); with
``menu_links``, a page's header menu may link the page itself, by its type (``site.IN_MENU``: off by
default, so each seed's pages stay the ones every figure so far was measured on). The same seed gives the same pages. Nothing is
copied from any dataset: structure, metadata and URLs are drawn from wide distributions, and the
text is made of a small generic vocabulary or invented words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.pagegen import prose
from bench.pagegen.pages import BUILDERS
from bench.pagegen.site import new_site

PAGE_TYPES = tuple(BUILDERS)
ARTICLE_SHARE = 0.4  # of the generated pages; the rest are split evenly over the six other types
PAGES_PER_SITE = (1, 6)


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    page_id: str
    url: str
    html: str
    page_type: str
    site: str


def _page_type(rng: random.Random) -> str:
    if rng.random() < ARTICLE_SHARE:
        return "article"
    return rng.choice(PAGE_TYPES[1:])


def generate(pages: int, seed: int = 1, prose_share: float = 0.0, menu_links: bool = False) -> list[GeneratedPage]:
    rng = random.Random(seed)
    out: list[GeneratedPage] = []
    number = 0
    while len(out) < pages:
        site = new_site(rng, number)
        number += 1
        for _ in range(min(rng.randint(*PAGES_PER_SITE), pages - len(out))):
            kind = _page_type(rng)
            build = prose.BUILDERS[kind] if prose_share and kind in prose.BUILDERS and rng.random() < prose_share else BUILDERS[kind]
            path, title, head, main = build(site)
            html = site.page(title=title, head=head, main=main, path=path, kind=kind if menu_links else None)
            out.append(GeneratedPage(f"gen-{seed}-{len(out)}", f"https://{site.host}{path}", html, kind, site.host))
    return out
