"""Generated multi-page news sites whose pages trip single-page rules on some pages, with their truth.

Each site (``make_site(seed)``) has one template drawn from many choices: class and id words in
one of several naming styles (WordPress, BEM, camelCase, short), where the byline, the date line
and the body sit, whether the page declares its title and date in metadata (many small sites
declare nothing, and their ``<title>`` is the site's name alone), how the author is written.
About a third of the pages carry one trap that a page-at-a-time reader can fall into:

- ``teaser``: a flash banner's headline in an ``<h1>`` above the article's own;
- ``caption``: a photo caption under the headline that writes another day;
- ``byline``: the byline written another way ("Words and pictures: ...", "..., staff reporter");
- ``aside``: the author's box and a long prose bio beside the text;
- ``wrapper``: the body container's class differs (a legacy template): a hint must do no harm;
- ``related``: a related-stories box with dates and headlines after the text;
- ``responses``: a short story (two paragraphs) above long readers' letters.

Truth per page: title, published day, authors, body paragraphs. No rule may know these words:
the bench fits on one range of seeds and reports on another.

A site may change its template mid-crawl (``make_site(..., redesign_at=N)``, from its Nth page on;
``bench.template.change``), in one of two ways (``REDESIGNS``):

- ``split``: the story after its first third moves to a container of its own after an inline box,
  the first third staying in the body container: every path of the site's layouts still finds its
  element, so only the template fast path's verification can tell (its region holds a third of the story);
- ``renamed``: the body container's class is renamed: the pages no longer confirm the layout.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

TRAPS = ("teaser", "caption", "byline", "aside", "wrapper", "related", "responses")
REDESIGNS = ("split", "renamed")
_STYLES = {
    "wordpress": {"title": "entry-title", "body": "entry-content", "meta": "entry-meta", "date": "posted-on",
                  "author": "author vcard", "article": "post hentry", "aside": "widget-area"},
    "bem": {"title": "article__title", "body": "article__body", "meta": "article__meta", "date": "article__date",
            "author": "article__author", "article": "article", "aside": "article__aside"},
    "camel": {"title": "storyHeadline", "body": "storyBody", "meta": "storyMeta", "date": "storyDate",
              "author": "storyAuthor", "article": "storyContainer", "aside": "storyRail"},
    "short": {"title": "hl", "body": "txt", "meta": "bl", "date": "dt", "author": "au", "article": "art",
              "aside": "rail"},
    "prefixed": {"title": "c-headline", "body": "c-article-text", "meta": "c-byline", "date": "c-timestamp",
                 "author": "c-byline__name", "article": "c-article", "aside": "c-sidebar"},
}
_FIRST = ("Mira", "Tomas", "Ines", "Kwame", "Sofia", "Lars", "Aiko", "Pedro", "Nadia", "Oskar", "Leila", "Jonas")
_LAST = ("Vell", "Brandt", "Okafor", "Lindqvist", "Moreau", "Sato", "Quiroga", "Haddad", "Novak", "Eriksen")
_PLACES = ("harbour", "orchard", "library", "railway", "bakery", "observatory", "ferry", "museum", "market", "bridge")
_NOUNS = ("budget", "plan", "vote", "study", "repair", "timetable", "festival", "survey", "contract", "report")
_VERBS = ("approved", "delayed", "questioned", "revised", "welcomed", "rejected", "extended", "funded")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True, slots=True)
class Truth:
    title: str
    day: str  # YYYY-MM-DD
    authors: tuple[str, ...]
    body: str  # paragraphs separated by a blank line


@dataclass(slots=True)
class SitePage:
    url: str
    html: str
    truth: Truth
    trap: str | None


@dataclass(slots=True)
class Site:
    host: str
    style: str
    metadata: str  # "none", "og" (og:title and article:published_time), "jsonld"
    pages: list[SitePage] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Layout:
    classes: dict[str, str]
    metadata: str
    date_format: str  # "words", "digits", "iso-time"
    date_place: str  # "byline" (beside the author), "below" (its own line), "time" (<time datetime>)
    linked_authors: bool
    by_word: str


def _layout(rng: random.Random, style: str) -> _Layout:
    return _Layout(
        classes=_STYLES[style],
        metadata=rng.choice(("none", "none", "og", "jsonld")),
        date_format=rng.choice(("words", "digits", "iso-time")),
        date_place=rng.choice(("byline", "below", "time")),
        linked_authors=rng.random() < 0.5,
        by_word=rng.choice(("By", "by", "Von", "Par", "")),
    )


def _sentence(rng: random.Random) -> str:
    place, noun, verb = rng.choice(_PLACES), rng.choice(_NOUNS), rng.choice(_VERBS)
    return (f"The {place} committee {verb} the {noun} after a long evening meeting, and residents asked how the "
            f"{noun} would change the {rng.choice(_PLACES)} over the next {rng.randint(2, 30)} months.")


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(count)]


def _headline(rng: random.Random) -> str:
    return (f"{rng.choice(_PLACES).capitalize()} {rng.choice(_NOUNS)} {rng.choice(_VERBS)} as "
            f"{rng.choice(_PLACES)} {rng.choice(_NOUNS)} {rng.randint(2, 99)} goes ahead")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _shown_date(layout: _Layout, day: tuple[int, int, int]) -> str:
    year, month, dom = day
    if layout.date_format == "words":
        return f"{dom} {_MONTHS[month - 1]} {year}"
    if layout.date_format == "digits":
        return f"{dom:02d}.{month:02d}.{year}"
    return f"{year}-{month:02d}-{dom:02d} {9 + dom % 9:02d}:{(dom * 7) % 60:02d}"


def _authors_html(layout: _Layout, authors: tuple[str, ...], trap: str | None) -> str:
    c = layout.classes
    if layout.linked_authors:
        names = " and ".join(
            f'<a class="{c["author"]}" href="/staff/{n.lower().replace(" ", "-")}/">{html.escape(n)}</a>' for n in authors
        )
    else:
        names = f'<span class="{c["author"]}">{html.escape(" and ".join(authors))}</span>'
    if trap == "byline":
        return f"<span>Words and pictures: {names}, staff reporter in the city</span>"
    return f"<span>{layout.by_word} {names}</span>" if layout.by_word else names


def _date_html(layout: _Layout, day: tuple[int, int, int]) -> str:
    c = layout.classes
    shown = html.escape(_shown_date(layout, day))
    iso = f"{day[0]}-{day[1]:02d}-{day[2]:02d}"
    if layout.date_place == "time":
        return f'<time class="{c["date"]}" datetime="{iso}T08:00:00+01:00">{shown}</time>'
    return f'<span class="{c["date"]}">{shown}</span>'


def _other_day(rng: random.Random, day: tuple[int, int, int]) -> tuple[int, int, int]:
    return (day[0] - rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28))


def _page(rng: random.Random, site: str, layout: _Layout, index: int, trap: str | None,
          redesign: str | None = None) -> SitePage:
    c = layout.classes
    title = _headline(rng)
    day = (2024, rng.randint(1, 12), rng.randint(1, 28))
    authors = (_name(rng),) if rng.random() < 0.75 else (_name(rng), _name(rng))
    paragraphs = _paragraphs(rng, rng.randint(4, 8))
    url = f"https://{site}/{day[0]}/{day[1]:02d}/{index:03d}-{title.lower().split()[0]}.html"
    byline = _authors_html(layout, authors, trap)
    date = _date_html(layout, day)
    meta_line = f'<div class="{c["meta"]}">{byline} {date}</div>' if layout.date_place != "below" else (
        f'<div class="{c["meta"]}">{byline}</div><div class="{c["date"]}-line">{date}</div>')
    head = f"<title>{html.escape(site.split('.')[0].capitalize())} Gazette</title>"
    iso = f"{day[0]}-{day[1]:02d}-{day[2]:02d}"
    if layout.metadata in ("og", "jsonld"):
        head += (f'<meta property="og:title" content="{html.escape(title)}">'
                 f'<meta property="article:published_time" content="{iso}T08:00:00+01:00">')
    if layout.metadata == "jsonld":
        head += ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "%s", "datePublished": "%s", '
                 '"author": [%s]}</script>') % (title, iso, ", ".join('{"@type": "Person", "name": "%s"}' % a for a in authors))
    teaser = ""
    if trap == "teaser":  # a flash banner with a bigger headline of its own, unlinked
        teaser = f'<div class="flash"><h1>{html.escape(_headline(rng))}</h1><p>{html.escape(_sentence(rng))}</p></div>'
    caption = ""
    if trap == "caption":
        other = _other_day(rng, day)
        caption = (f'<figure><img src="/img/{index}.jpg" alt=""><figcaption>Archive photo, '
                   f"{html.escape(_shown_date(layout, other))}</figcaption></figure>")
    body_class = c["body"] + ("-legacy" if trap == "wrapper" else "") + ("-v2" if redesign == "renamed" else "")
    aside = ""
    if trap == "aside":
        bio = " ".join(_sentence(rng) for _ in range(6))
        aside = (f'<aside class="{c["aside"]}"><div class="bio"><h3>{html.escape(authors[0])}</h3>'
                 f"<p>{html.escape(bio)}</p><p>{html.escape(bio[::-1][:200])}</p></div></aside>")
    related = ""
    if trap == "related":
        items = "".join(
            f'<li><h2><a href="/{2023}/{n}/rel-{index}-{n}.html">{html.escape(_headline(rng))}</a></h2>'
            f"<span>{html.escape(_shown_date(layout, _other_day(rng, day)))}</span><p>{html.escape(_sentence(rng))}</p></li>"
            for n in range(1, 4)
        )
        related = f'<section class="more"><h3>More stories</h3><ul>{items}</ul></section>'
    responses = ""
    if trap == "responses":  # a short story under long readers' letters
        paragraphs = paragraphs[:2]
        letters = "".join(f"<p>{html.escape(' '.join(_sentence(rng) for _ in range(5)))}</p>" for _ in range(6))
        responses = f'<div class="responses"><h3>Letters</h3>{letters}</div>'
    body = f'<div class="{body_class}">' + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</div>"
    if redesign == "split":  # the story after its first third: after an inline box, in a container of its own
        cut = max(1, len(paragraphs) // 3)
        body = (f'<div class="{body_class}">' + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:cut])
                + '</div><div class="inline-box"><p>Advertisement</p></div><div class="story-continued">'
                + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[cut:]) + "</div>")
    article = (f'<article class="{c["article"]}">{teaser}<header><h1 class="{c["title"]}">{html.escape(title)}</h1>'
               f"{caption}{meta_line}</header>{body}{related}</article>{responses}{aside}")
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
            f'<header class="site"><a href="/">{site}</a><nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>'
            f'<main>{article}</main><footer><p>© {day[0]} {site}</p></footer></body></html>')
    truth = Truth(title, iso, authors, "\n\n".join(paragraphs))
    return SitePage(url, page, truth, trap)


def make_site(seed: int, *, pages: int = 8, trap_share: float = 0.35, redesign_at: int | None = None,
              redesign: str = "split") -> Site:
    """One generated site of ``pages`` article pages (its seed decides everything); from page
    ``redesign_at`` on, its template changed by ``redesign`` (one of ``REDESIGNS``)."""
    rng = random.Random(seed)
    style = rng.choice(sorted(_STYLES))
    host = f"{rng.choice(_PLACES)}{seed}.example"
    layout = _layout(rng, style)
    site = Site(host, style, layout.metadata)
    for index in range(pages):
        trap = rng.choice(TRAPS) if rng.random() < trap_share else None
        changed = redesign if redesign_at is not None and index >= redesign_at else None
        site.pages.append(_page(rng, host, layout, index, trap, changed))
    for index, page in enumerate(site.pages):  # the chain: older and newer story, rel-marked
        links = [f'<a rel="{rel}" href="{path_of(site.pages[other].url)}">{label}</a>'
                 for rel, other, label in (("prev", index - 1, "Older story"), ("next", index + 1, "Newer story"))
                 if 0 <= other < len(site.pages)]
        page.html = page.html.replace("</main>", f'<nav class="pager">{" ".join(links)}</nav></main>')
    return site


def path_of(url: str) -> str:
    """The page's path on its site (what a local test server serves it under)."""
    return "/" + url.split("/", 3)[3]


def make_sites(seeds: range, *, pages: int = 8) -> list[Site]:
    return [make_site(seed, pages=pages) for seed in seeds]


def seed_range(text: str) -> range:
    """``START:STOP`` on the command line: the generated sites' seeds."""
    start, _, stop = text.partition(":")
    return range(int(start), int(stop))
