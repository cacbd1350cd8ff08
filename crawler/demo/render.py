"""Render one publisher's pages from its templates, with the ground truth of each page.

Templates live in ``data/demo_site/templates/<publisher>/``: ``article.html``,
``listing.html`` (home and section pages), ``page.html`` (about/contact) and, for a
publisher with galleries, ``gallery.html``. Every link is root-relative (ports are
random), including canonical links, so pages resolve against whatever origin serves them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import escape

from crawler.demo import dates
from crawler.demo.content import Article, Publisher

FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
HOME_SIZE = 8  # teasers on a home page
RELATED_OFFSETS = (3, -3, 5, -5, 6, -6)  # chain positions offered as related articles
MOST_READ_POSITIONS = (1, 4, 7, 10, 12, 2)  # base-chain positions in the most-read list


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    href: str


@dataclass(slots=True)
class RenderedPage:
    path: str  # root-relative URL path, prefix included
    kind: str  # article, home, section, page, comment-page, gallery
    content: bytes
    truth: dict[str, Any] | None = None  # expected.json entry (None: not listed)


def _distinctive_sentence(article: Article) -> str:
    """The longest sentence of the second paragraph: unique per article, checked at build."""
    paragraph = article.paragraphs[1] if len(article.paragraphs) > 1 else article.paragraphs[0]
    sentences = [s.strip() for s in paragraph.replace("? ", "?|").replace(". ", ".|").split("|")]
    return max(sentences, key=len)


class _PublisherRenderer:
    def __init__(self, env: jinja2.Environment, publisher: Publisher, articles: list[Article],
                 prefix: str) -> None:
        self.env = env
        self.publisher = publisher
        self.articles = articles
        self.base = [a for a in articles if not a.extra]  # related lists stay put when extras arrive
        self.base_position = {a.path: i for i, a in enumerate(self.base)}
        self.prefix = prefix
        self.pages: list[RenderedPage] = []

    def url(self, path: str) -> str:
        return self.prefix + path

    def link(self, article: Article) -> Link:
        return Link(article.title, self.url(article.path))

    def render(self, template: str, **context: Any) -> bytes:
        site = {
            "name": self.publisher.name,
            "tagline": self.publisher.tagline,
            "language": self.publisher.language,
            "locale": self.publisher.locale,
            "home": self.url("/"),
            "sections": [Link(label, self.section_url(key, 1))
                         for key, label in self.publisher.sections.items()],
            "pages": [Link(p.title, self.url(p.path)) for p in self.publisher.pages],
            "most_read": self.most_read(None),
            "feed": self.url(self.publisher.feed),
            "feed_type": FEED_TYPES[self.publisher.feed_format],
        }
        html = self.env.get_template(f"{self.publisher.key}/{template}").render(
            site=site, url=self.url, **context)
        return html.encode("utf-8")

    # --- URLs -------------------------------------------------------------------------------
    def section_url(self, section: str, number: int) -> str:
        pattern = self.publisher.urls["section" if number == 1 else "section_page"]
        return self.url(pattern.format(section=section, n=number))

    def comment_page_url(self, article: Article, number: int) -> str:
        """Page 1 of the comments is the article itself."""
        if number == 1:
            return self.url(article.path)
        return self.url(self.comment_page_path(article, number))

    def gallery_url(self, article: Article, number: int, *, image: bool = False) -> str:
        pattern = self.publisher.urls["gallery_image" if image else "gallery"]
        return self.url(pattern.format(gallery=article.gallery_slug, n=number))

    # --- Lists of other articles -----------------------------------------------------------
    def related(self, article: Article) -> list[Link]:
        """Three base-chain articles a few places away (never the neighbours)."""
        index, count = self.base_position.get(article.path), len(self.base)
        if index is None:  # an extra article
            return [self.link(a) for a in self.base[-3:]]
        chosen: list[int] = []
        for offset in RELATED_OFFSETS:
            other = (index + offset) % count
            if abs(other - index) > 1 and other not in chosen:
                chosen.append(other)
        return [self.link(self.base[i]) for i in chosen[:3]]

    def most_read(self, article: Article | None) -> list[Link]:
        picks = dict.fromkeys(p % len(self.base) for p in MOST_READ_POSITIONS)
        own = self.base_position.get(article.path) if article else None
        return [self.link(self.base[i]) for i in picks if i != own][:5]

    # --- Pages ----------------------------------------------------------------------------------
    def article_pages(self, index: int) -> None:
        article = self.articles[index]
        prev = self.link(self.articles[index - 1]) if index > 0 else None
        next_ = self.link(self.articles[index + 1]) if index + 1 < len(self.articles) else None
        per_page = self.publisher.comments_per_page
        comment_pages = max(1, math.ceil(len(article.comments) / per_page))
        related, most_read = self.related(article), self.most_read(article)
        for number in range(1, comment_pages + 1):
            own_path = article.path if number == 1 else self.comment_page_path(article, number)
            context = {
                "a": article,
                "canonical": self.url(own_path) if "?" not in own_path else self.url(article.path),
                "published_iso": dates.iso(article.published),
                "published_words": dates.words(article.published, self.publisher.language),
                "modified_iso": dates.iso(article.modified) if article.modified else None,
                "modified_words": (dates.words(article.modified, self.publisher.language)
                                   if article.modified else None),
                "prev": prev, "next": next_, "related": related, "most_read": most_read,
                "section": Link(self.publisher.sections[article.section],
                                self.section_url(article.section, 1)),
                "comments": article.comments[(number - 1) * per_page: number * per_page],
                "comment_count": len(article.comments),
                "comment_page": number,
                "comment_prev": self.comment_page_url(article, number - 1) if number > 1 else None,
                "comment_next": (self.comment_page_url(article, number + 1)
                                 if number < comment_pages else None),
                "gallery_next": self.gallery_url(article, 2) if len(article.photos) > 1 else None,
                "gallery_image": self.gallery_url(article, 1, image=True) if article.photos else None,
            }
            content = self.render("article.html", **context)
            if number == 1:
                truth = self.article_truth(article, prev, next_, context)
                self.pages.append(RenderedPage(self.url(article.path), "article", content, truth))
            else:
                self.pages.append(RenderedPage(self.url(own_path), "comment-page", content, {
                    "reason": "page %d of the comments under %s: the same article again, reached "
                              "by a comment 'next' link; not an article of its own and not the "
                              "next article" % (number, self.url(article.path)),
                    "linked_from": [self.url(article.path)],
                }))

    def comment_page_path(self, article: Article, number: int) -> str:
        return self.publisher.urls["comment_page"].format(path=article.path, n=number)

    def article_truth(self, article: Article, prev: Link | None, next_: Link | None,
                      context: dict[str, Any]) -> dict[str, Any]:
        traps = []
        if context["comment_next"]:
            traps.append({"href": context["comment_next"], "kind": "comment paging"})
        if context["gallery_next"]:
            traps.append({"href": context["gallery_next"], "kind": "gallery next"})
        return {
            "title": article.title,
            "published_at": context["published_iso"],
            "modified_at": context["modified_iso"],
            "authors": list(article.authors),
            "language": self.publisher.language,
            "site_name": self.publisher.name,
            "description": article.description,
            "canonical_path": self.url(article.path),
            "prev_path": prev.href if prev else None,
            "prev_title": prev.title if prev else None,
            "next_path": next_.href if next_ else None,
            "next_title": next_.title if next_ else None,
            "section": article.section,
            "extra": article.extra,
            "sentence": _distinctive_sentence(article),
            "body": "\n\n".join(article.paragraphs),
            "word_count": sum(len(p.split()) for p in article.paragraphs),
            "trap_links": traps,
        }

    def gallery_pages(self, article: Article) -> None:
        count = len(article.photos)
        for number, photo in enumerate(article.photos, start=1):
            content = self.render(
                "gallery.html", a=article, photo=photo, number=number, count=count,
                image=self.gallery_url(article, number, image=True),
                canonical=self.gallery_url(article, number),
                prev=self.gallery_url(article, number - 1) if number > 1 else None,
                next=self.gallery_url(article, number + 1) if number < count else None,
                article_url=self.url(article.path),
            )
            self.pages.append(RenderedPage(self.gallery_url(article, number), "gallery", content, {
                "reason": "photo %d of %d in the gallery of %s: its 'next' link goes to the next "
                          "photo, not to the next article" % (number, count, self.url(article.path)),
                "linked_from": [self.url(article.path)] if number == 2 else [],
            }))
            svg = _photo_svg(number, count, photo.caption)
            self.pages.append(RenderedPage(self.gallery_url(article, number, image=True),
                                           "image", svg))

    def listing_pages(self) -> None:
        newest = list(reversed(self.articles))
        content = self.render("listing.html", heading=None, teasers=self.teasers(newest[:HOME_SIZE]),
                              canonical=self.url("/"), page_prev=None, page_next=None, number=1)
        self.pages.append(RenderedPage(self.url("/"), "home", content, {
            "reason": "home page: a list of teasers linking to articles; follow its links, "
                      "never store it as an article",
            "linked_from": [],
        }))
        size = self.publisher.listing_size
        for key, label in self.publisher.sections.items():
            members = [a for a in newest if a.section == key]
            total = max(1, math.ceil(len(members) / size))
            for number in range(1, total + 1):
                chunk = members[(number - 1) * size: number * size]
                content = self.render(
                    "listing.html", heading=label, teasers=self.teasers(chunk),
                    canonical=self.section_url(key, number), number=number,
                    page_prev=self.section_url(key, number - 1) if number > 1 else None,
                    page_next=self.section_url(key, number + 1) if number < total else None,
                )
                self.pages.append(RenderedPage(self.section_url(key, number), "section", content, {
                    "reason": "section page %d of %d for %r: a listing with pagination whose "
                              "'next' link is the next listing page, not an article"
                              % (number, total, label),
                    "linked_from": [],
                }))

    def teasers(self, articles: list[Article]) -> list[dict[str, Any]]:
        return [{"link": self.link(a), "description": a.description,
                 "authors": a.authors, "iso": dates.iso(a.published),
                 "words": dates.day_words(a.published, self.publisher.language)}
                for a in articles]

    def static_pages(self) -> None:
        for page in self.publisher.pages:
            content = self.render("page.html", page=page, canonical=self.url(page.path))
            self.pages.append(RenderedPage(self.url(page.path), "page", content, {
                "reason": "static page %r: about the publisher, not a news article" % page.title,
                "linked_from": [],
            }))


def _photo_svg(number: int, count: int, caption: str) -> bytes:
    shade = 40 + 40 * number
    text = escape(f"{number}/{count}")
    label = escape(caption[:40])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">'
        f'<rect width="320" height="200" fill="rgb({shade},{120 + number * 10},90)"/>'
        f'<text x="16" y="40" font-size="28" fill="#fff">{text}</text>'
        f'<text x="16" y="180" font-size="12" fill="#fff">{label}</text></svg>\n'
    ).encode("utf-8")


def render_publisher(env: jinja2.Environment, publisher: Publisher, articles: list[Article], *,
                     prefix: str = "", articles_only: bool = False) -> list[RenderedPage]:
    """Every page of one publisher (articles only for synthetic sites)."""
    renderer = _PublisherRenderer(env, publisher, articles, prefix)
    for index, article in enumerate(articles):
        renderer.article_pages(index)
        if article.photos and not articles_only:
            renderer.gallery_pages(article)
    if not articles_only:
        renderer.listing_pages()
        renderer.static_pages()
        _check_sentences(renderer.pages)
    return renderer.pages


def _check_sentences(pages: list[RenderedPage]) -> None:
    sentences = [p.truth["sentence"] for p in pages if p.kind == "article" and p.truth]
    if len(set(sentences)) != len(sentences):
        raise ValueError("two articles share their distinctive sentence")
