"""Generated news sites whose previous/next labels are invented words, for chain tests and the bench.

Each ``Template`` renders one site: a chain of articles whose pager uses labels no word list
knows ("Vorblat artikul" / "artikul Quinnex"), in one of several layouts (a nav block, the
article's footer with labels beside the links, two thumbnail cards, labels hidden in spans,
arrows only, labels only), prev-first or next-first, with dated or slug-only URLs. Every page
also carries the traps a real page has: a related box of exactly two links under a heading, a
most-read list, comment pagination, tag links. The traps point at pages outside the chain,
which exist, so a crawler that follows one is seen doing it.

``ChainSite`` serves a rendered site on 127.0.0.1 (a free port) and records every path asked for.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from crawler.demo.localserver import LocalServer

LAYOUTS = ("nav", "footer", "cards", "hidden", "arrows", "labels")
_WORDS = ("harbour", "orchard", "library", "railway", "bakery", "observatory", "brewery", "stadium", "ferry", "museum")
_NOUNS = ("report", "plan", "budget", "vote", "study", "repair", "timetable", "festival")


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    layout: str  # one of LAYOUTS
    back: str  # the invented word for "previous"
    on: str  # ... for "next"
    noun: str  # an invented noun beside it ("" for a bare label)
    noun_first: bool = False  # "artikul Vorblat" rather than "Vorblat artikul"
    next_first: bool = False  # the newer article's link comes first (needs dated URLs to be ordered)
    dated: bool = True  # /2025/03/04/slug.html rather than /stories/slug

    def label(self, word: str) -> str:
        if not self.noun:
            return word
        return f"{self.noun} {word}" if self.noun_first else f"{word} {self.noun}"


TEMPLATES = (
    Template("nav-label-noun", "nav", "Vorblat", "Quinnex", "artikul"),
    Template("nav-noun-label", "nav", "Zembro", "Flitch", "pozt", noun_first=True),
    Template("footer-beside", "footer", "Drumvel", "Oskari", "nuvel", noun_first=True),
    Template("cards-thumbnails", "cards", "Plonk", "Wezzle", "storia"),
    Template("hidden-labels", "hidden", "Karvo", "Tessim", ""),
    Template("arrows-only", "arrows", "", "", ""),
    Template("labels-only", "labels", "Brindle", "Mossok", ""),
    Template("next-first-dated", "nav", "Yarrow", "Quelm", "beitragz", next_first=True),
    Template("slug-urls", "nav", "Hobbin", "Trask", "artikul", dated=False),
)


def article_path(template: Template, index: int) -> str:
    slug = f"{_WORDS[index % len(_WORDS)]}-{_NOUNS[index % len(_NOUNS)]}-news-{index}"
    if template.dated:
        return f"/{2025 + index // 28}/03/{index % 28 + 1:02d}/{slug}.html"
    return f"/stories/{slug}"


def headline(index: int, site: str = "") -> str:
    district = f"the {site} district" if site else "the district"
    return f"The {_WORDS[index % len(_WORDS)]} {_NOUNS[index % len(_NOUNS)]} changes for {district}, part {index}"


def _paragraphs(index: int, site: str) -> str:
    word, noun = _WORDS[index % len(_WORDS)], _NOUNS[index % len(_NOUNS)]
    sentences = (
        f"This is the {site} edition of the story numbered {index}, written for readers of that district alone.",
        f"The {word} committee presented its {noun} on Tuesday evening to a full hall of residents, who asked about costs and dates.",
        f"Officials said the {noun} for the {word} had been discussed for {index + 2} weeks and would be revised after the consultation.",
        f"Several residents welcomed the {noun} but asked for clearer information on how the {word} would work in the winter months.",
        f"A follow-up meeting is planned for day {index % 28 + 1} of next month, when the organisers will answer further questions in public.",
    )
    return "".join(f"<p>{html.escape(sentence)} {html.escape(sentence)}</p>" for sentence in sentences)


def _slot(template: Template, side: str, target: tuple[str, str] | None) -> str:
    """One side of the pager; an empty twin at a chain's end where the layout keeps one."""
    css = ("kk " if template.layout == "cards" else "") + ("xq-a" if side == "prev" else "xq-b")
    if target is None:
        return f'<div class="{css}"></div>' if template.layout in ("nav", "cards") else ""
    href, title = html.escape(target[0]), html.escape(target[1])
    label = html.escape(template.label(template.back if side == "prev" else template.on))
    match template.layout:
        case "nav":
            return f'<div class="{css}"><a href="{href}"><span>{label}</span> <span>{title}</span></a></div>'
        case "footer":
            return f'<p class="zz-row"><b>{label}:</b> <a href="{href}">{title}</a></p>'
        case "cards":
            return (f'<div class="{css}"><a href="{href}"><img src="/img/t.jpg" alt=""></a>'
                    f'<span class="kk-tag">{label}</span><a href="{href}"><h3>{title}</h3></a></div>')  # fmt: skip
        case "hidden":
            return f'<a href="{href}"><span class="vh" style="display:none">{label}</span> <strong>{title}</strong></a>'
        case "arrows":
            return f'<a href="{href}" class="{css}">{"‹" if side == "prev" else "›"}</a>'
        case _:  # labels only
            return f'<a href="{href}">{label}</a>'


def _pager(template: Template, prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    slots = [_slot(template, "prev", prev), _slot(template, "next", nxt)]
    if template.next_first:
        slots.reverse()
    tag = "footer" if template.layout == "footer" else "nav" if template.layout == "nav" else "div"
    return f'<{tag} class="qq-pager">{"".join(slots)}</{tag}>'


def _traps(index: int) -> str:
    related = "".join(
        f'<div class="mm-card"><a href="/extra/related-{index}-{n}.html"><img src="/img/r.jpg" alt=""><h4>{html.escape(headline(500 + n, "other"))}</h4></a></div>'
        for n in (1, 2)
    )
    popular = "".join(f'<li><a href="/extra/popular-{n}.html">{html.escape(headline(600 + n, "other"))}</a></li>' for n in range(5))
    return (
        f'<section class="mm-box"><h3>Grimbol flosk</h3>{related}</section>'
        f'<div class="pg"><a href="?cpage=2#comments">2</a> <a href="/extra/comments-{index}/page/2/">›</a></div>'
        '<div class="tg"><a href="/tag/harbour/">harbour</a> <a href="/topics/ferries/">ferries</a></div>'
        f'<aside class="tt"><h3>Vumble</h3><ol>{popular}</ol></aside>'
    )


def render(template: Template, count: int) -> dict[str, bytes]:
    """path -> page: ``count`` chained articles (oldest first) and the trap pages."""
    pages = {}
    for index in range(count):
        prev = (article_path(template, index - 1), headline(index - 1, template.name)) if index else None
        nxt = (article_path(template, index + 1), headline(index + 1, template.name)) if index + 1 < count else None
        if template.layout in ("arrows", "labels"):
            prev = (prev[0], "") if prev else None
            nxt = (nxt[0], "") if nxt else None
        pages[article_path(template, index)] = _page(template, index, _pager(template, prev, nxt) + _traps(index))
    for extra in [f"/extra/related-{i}-{n}.html" for i in range(count) for n in (1, 2)] + [f"/extra/popular-{n}.html" for n in range(5)]:
        pages[extra] = _page(template, 900 + len(pages), "")
    return pages


def _page(template: Template, index: int, after: str) -> bytes:
    title = html.escape(headline(index, template.name))
    day = f"{2025 + index // 28}-03-{index % 28 + 1:02d}T09:00:00+01:00"
    return (
        f'<!doctype html><html lang="xx"><head><meta charset="utf-8"><title>{title} | Gazeta Frum</title>'
        f'<meta property="og:type" content="article"><meta property="article:published_time" content="{day}"></head><body>'
        '<header><a href="/">Gazeta Frum</a><nav class="menu"><a href="/sekzion/lokal/">Lokal</a> <a href="/sekzion/sport/">Sport</a></nav></header>'
        f'<main><article><h1>{title}</h1><p class="by">Mira Vell, <time datetime="{day}">{day[:10]}</time></p>'
        f'<div class="tekst">{_paragraphs(index, template.name)}</div></article>{after}</main>'
        '<footer><a href="/about/">Uber</a></footer></body></html>'
    ).encode("utf-8")


class ChainSite(LocalServer):
    """A rendered site on 127.0.0.1 (a free port); ``hits`` lists the paths asked for."""

    def __init__(self, pages: dict[str, bytes]) -> None:
        self.pages = pages
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                site.hits.append(self.path)
                body = site.pages.get(self.path.split("#")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                body = body if body is not None else b"<html><body>not found</body></html>"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        super().__init__(Handler)
