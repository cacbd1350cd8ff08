"""A generated site: its class-naming habit, its furniture (header, menus, sidebar, footer,
banners) and the <head> of its pages.

Each site draws one naming style (semantic words, BEM, utility classes, hashed CSS-in-JS
names, or no classes at all), one layout and the habits of its software (metadata on every page,
on articles only or nowhere; an <article> around every page; JSON-LD as a graph; ads between an
article's paragraphs; a row of teaser cards under every page; a footer site map), and keeps them
on every page, as real sites do: evidence that comes from the site's software, not from the page's
type, must not be learned as the page's type.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field

from bench.pagegen.text import Text

STYLES = ("semantic", "bem", "utility", "hashed", "bare")
# How often the site's header menu links the page itself, by page type. Sites put their sections,
# services and shop categories in their menu (a page the site built by hand to be reached from
# every page): half of them here. A story, a product, a chapter or a thread is reached from
# listings, not from the menu, but menus of news and shop sites list a few featured ones: 0.1,
# a little over the rate of aeb-dev and fundus-dev articles their own navigation links
# (7% and 5%, bench.quality.candidates.in_navigation). Drawn from a generator of the page's own (host and path), so adding the link
# leaves every other draw of the site as it was. Only with ``generate(..., menu_links=True)``.
IN_MENU = {"listing": 0.5, "collection": 0.5, "service": 0.5}
IN_MENU_OTHERS = 0.1
_UTILITY = "flex grid block items-center justify-between gap-2 gap-4 p-2 p-4 px-4 py-2 mt-4 mb-2 text-sm text-lg font-bold rounded shadow w-full max-w-3xl mx-auto border".split()


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class Site:
    rng: random.Random
    text: Text
    host: str
    style: str
    name: str
    lang: str
    sidebar: bool
    wrapper: str  # the element around the page's main content
    promos: bool = False  # a row of teaser cards (<article>s) under every page: "more from the site"
    sitemap: bool = False  # a footer of many link columns: the page's own text is a small part of it
    # Markup is a habit of the site's software more than a choice of the page: some CMSs mark every
    # page an article (og:type, JSON-LD, a published time, an <article> around the content), some
    # mark their articles fully and nothing else, some mark nothing. ``markup`` is one of
    # "everywhere", "articles", "none" or "mixed" (each page draws its own, as before).
    markup: str = "mixed"
    wrap_in_article: bool = False  # the theme puts every page's content in an <article>
    graph: bool = False  # JSON-LD as an @graph with the author as a Person node of its own (SEO plugins)
    ad_breaks: bool = False  # ads cut an article's paragraphs into chunks of a few
    _classes: dict[str, str] = field(default_factory=dict)

    def cls(self, role: str) -> str:
        """` class="..."` for a role on this site (the same role always gets the same class), or nothing."""
        if self.style == "bare":
            return ""
        if role not in self._classes:
            prefix = self.name.split()[0].lower()[:3]
            self._classes[role] = {
                "semantic": role,
                "bem": f"{prefix}-{role.split('-')[0]}__{role.split('-')[-1]}" if "-" in role else f"{prefix}-{role}",
                "utility": " ".join(self.rng.sample(_UTILITY, self.rng.randint(2, 5))),
                "hashed": f"css-{self.text.token(6)} {role[:2]}{self.text.token(4)}",
            }[self.style]
        return f' class="{self._classes[role]}"'

    def link(self, path: str, label: str, role: str | None = None) -> str:
        return f'<a href="{esc(path)}"{self.cls(role) if role else ""}>{esc(label)}</a>'

    def section_path(self) -> str:
        return "/" + self.text.word().lower() + "/"

    def menu(self, items: int, role: str = "menu") -> str:
        links = "".join(f"<li>{self.link(self.section_path(), self.text.label((1, 2)))}</li>" for _ in range(items))
        return f"<ul{self.cls(role)}>{links}</ul>"

    def mega_menu(self) -> str:
        """A header menu whose entries open lists of sub-sections (news and shop sites)."""
        entries = "".join(
            f"<li>{self.link(self.section_path(), self.text.label((1, 2)))}{self.menu(self.rng.randint(3, 12), 'submenu')}</li>"
            for _ in range(self.rng.randint(4, 10))
        )
        return f"<ul{self.cls('menu')}>{entries}</ul>"

    def header(self, path: str = "/", kind: str | None = None, title: str = "") -> str:
        rng = self.rng
        nav_tag = rng.choice(("nav", "div"))
        menu = self.mega_menu() if rng.random() < 0.3 else self.menu(rng.randint(4, 25))
        search = '<form action="/search"><input type="search" name="q"><button>Search</button></form>' if rng.random() < 0.5 else ""
        if kind and random.Random(f"{self.host}{path}").random() < IN_MENU.get(kind, IN_MENU_OTHERS):
            at = menu.index(">") + 1  # the page itself, as the menu's first entry
            menu = f"{menu[:at]}<li>{self.link(path, ' '.join(title.split()[:3]) or self.name)}</li>{menu[at:]}"
        top = f'<div{self.cls("topbar")}>{self.link("/login", "Sign in")} {self.link("/subscribe", "Subscribe")}</div>' if rng.random() < 0.3 else ""
        return (
            f'<header{self.cls("site-header")}>{top}<a href="/"{self.cls("logo")}>{esc(self.name)}</a>'
            f"<{nav_tag}{self.cls('main-nav')}>{menu}</{nav_tag}>{search}</header>"
        )

    def breadcrumb(self, title: str) -> str:
        if self.rng.random() < 0.5:
            return ""
        return f'<div{self.cls("breadcrumbs")}>{self.link("/", "Home")} › {self.link(self.section_path(), self.text.label())} › <span>{esc(title[:40])}</span></div>'

    def teaser_list(self, heading: str, count: int) -> str:
        items = "".join(f"<li>{self.link('/' + self.text.slug() + '/', self.text.headline())}</li>" for _ in range(count))
        return f"<div{self.cls('widget')}><h3>{esc(heading)}</h3><ul>{items}</ul></div>"

    def side(self, path: str) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.random()
            if kind < 0.5:
                teasers = self.teaser_list(rng.choice(("Popular", "Recent posts", "Most read", self.text.label())), rng.randint(3, 12))
                if rng.random() < 0.3:  # the latest pages, this one among them
                    teasers = teasers.replace("<ul>", f"<ul><li>{self.link(path, self.text.headline())}</li>", 1)
                parts.append(teasers)
            elif kind < 0.75:
                tags = " ".join(self.link(f"/tag/{self.text.word()}/", self.text.word()) for _ in range(rng.randint(5, 15)))
                parts.append(f"<div{self.cls('widget')}><h3>Tags</h3>{tags}</div>")
            else:
                parts.append(
                    f"<div{self.cls('widget')}><h3>{esc(self.text.label())}</h3><p>{esc(self.text.sentence((6, 14)))}</p>"
                    '<form><input type="email" name="email"><button>Sign up</button></form></div>'
                )
        return f'<aside{self.cls("sidebar")}>{"".join(parts)}</aside>'

    def promo_row(self) -> str:
        cards = "".join(
            f"<article{self.cls('promo')}><h3>{self.link('/' + self.text.slug() + '/', self.text.headline())}</h3>"
            + (f"<p>{esc(self.text.sentence((6, 16)))}</p>" if self.rng.random() < 0.5 else "") + "</article>"
            for _ in range(self.rng.randint(4, 8))
        )
        return f"<section{self.cls('promos')}><h2>{esc(self.text.label())}</h2>{cards}</section>"

    def footer(self) -> str:
        rng = self.rng
        columns = "".join(
            f"<div{self.cls('footer-col')}><h4>{esc(self.text.label())}</h4>{self.menu(rng.randint(15, 40) if self.sitemap else rng.randint(3, 12), 'footer-links')}</div>"
            for _ in range(rng.randint(4, 8) if self.sitemap else rng.randint(1, 6))
        )
        if rng.random() < 0.3:
            columns += f"<p>{esc(self.text.paragraph((2, 4)))}</p>"  # an imprint or a disclaimer
        return f'<footer{self.cls("site-footer")}>{columns}<p>© {rng.randint(2015, 2025)} {esc(self.name)}. All rights reserved.</p></footer>'

    def banner(self) -> str:
        if self.rng.random() < 0.3:
            return f'<div{self.cls("cookie-banner")}><p>{esc(self.text.sentence((10, 20)))}</p><button>Accept</button></div>'
        return ""

    def page(self, *, title: str, head: str, main: str, path: str = "/", kind: str | None = None) -> str:
        """The whole page at ``path`` around ``main`` (the type-specific content); with the
        page's ``kind`` (type), its header menu may link it (``IN_MENU``)."""
        side = self.side(path) if self.sidebar else ""
        promos = self.promo_row() if self.promos else ""
        if self.wrap_in_article and not main.startswith("<article"):
            main = f"<article{self.cls('entry')}>{main}</article>"
        body = f"{self.banner()}{self.header(path, kind, title)}<{self.wrapper}{self.cls('main')}>{main}</{self.wrapper}>{side}{promos}{self.footer()}"
        if self.rng.random() < 0.5:
            body = f"<div{self.cls('page')}>{body}</div>"
        return (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8"><title>{esc(title)} | {esc(self.name)}</title>'
            f'<meta name="viewport" content="width=device-width">{head}</head><body>{body}'
            '<script>window.dataLayer = window.dataLayer || [];</script></body></html>'
        )


def head(site: Site, *, title: str, og_type: str | None, ld_type: str | None, published: str | None = None,
         author: str | None = None, description: str | None = None) -> str:
    """Meta tags and JSON-LD for a page: each piece present or not as the caller drew it, unless
    the site's ``markup`` habit decides (see ``Site``)."""
    og_type, ld_type, published = _site_markup(site, og_type, ld_type, published)
    parts = [f'<meta name="description" content="{esc(description or title)}">']
    if og_type:
        parts.append(f'<meta property="og:type" content="{og_type}"><meta property="og:title" content="{esc(title)}">')
        parts.append(f'<meta property="og:site_name" content="{esc(site.name)}">')
    if published:
        parts.append(f'<meta property="article:published_time" content="{published}">')
    if author and site.rng.random() < 0.5:
        parts.append(f'<meta name="author" content="{esc(author)}">')
    if ld_type:
        data: dict[str, object] = {"@context": "https://schema.org", "@type": ld_type, "headline": title, "name": title}
        if published:
            data["datePublished"] = published
        if author:
            data["author"] = {"@type": "Person", "name": author}
        if author and site.graph:
            data = {"@context": "https://schema.org", "@graph": [data, {"@type": "Person", "name": author}]}
        parts.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    return "".join(parts)


_OWN_TYPES = frozenset(("Product", "CollectionPage", "ItemList", "QAPage", "DiscussionForumPosting", "Service", "Organization"))
_ARTICLE_TYPES = frozenset(("NewsArticle", "Article", "BlogPosting", "TechArticle"))


def _site_markup(site: Site, og_type: str | None, ld_type: str | None, published: str | None) -> tuple[str | None, str | None, str | None]:
    """The page's og:type, JSON-LD type and published time after the site's markup habit: a type
    of its own (a product, a thread) is kept; the rest follows the site."""
    if site.markup == "mixed" or ld_type in _OWN_TYPES:
        return og_type, ld_type, published
    is_article = ld_type in _ARTICLE_TYPES or og_type == "article"
    if site.markup == "none":
        return (None if og_type == "article" else og_type), (None if is_article else ld_type), None
    if site.markup == "everywhere":
        return "article", "Article" if ld_type in (None, "WebPage") else ld_type, published or site.text.moment().isoformat()
    return ("article", ld_type or "Article", published) if is_article else ("website", "WebPage", None)  # "articles"


def new_site(rng: random.Random, number: int) -> Site:
    invented = rng.random() < 0.2
    text = Text(rng, invented=invented)
    name = f"{text.word().capitalize()} {rng.choice(('News', 'Journal', 'Hub', 'Works', 'Studio', 'Labs', 'Shop', 'Forum', 'Post', 'Daily', 'Guide'))}"
    host = f"{text.word().lower()}{number}.{rng.choice(('example', 'test', 'invalid'))}"
    return Site(
        rng=rng,
        text=text,
        host=host,
        style=rng.choice(STYLES),
        name=name,
        lang="xx" if invented else rng.choice(("en", "en", "en-GB", "en-US")),
        sidebar=rng.random() < 0.5,
        wrapper=rng.choice(("main", "div", "div", "section")),
        promos=rng.random() < 0.3,
        sitemap=rng.random() < 0.4,
        markup=rng.choice(("mixed", "mixed", "articles", "articles", "none", "everywhere")),
        wrap_in_article=rng.random() < 0.2,
        graph=rng.random() < 0.3,
        ad_breaks=rng.random() < 0.25,
    )
