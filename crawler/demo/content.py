"""The demo site's content: publishers and articles read from TOML, in chain order.

One file per publisher under ``data/demo_site/content/``: a ``[publisher]`` table
(name, language, time zone, URL pattern, sections, static pages) and one
``[[article]]`` table per article. An article's ``published`` value is local time
("2025-03-24 07:45", turned into an aware datetime in the publisher's time zone) or
a day alone ("2025-03-24"). Articles marked ``extra = true`` are published only in
the "site gained articles" mode. Each publisher's articles form one prev/next chain,
oldest first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo_site"
CONTENT_DIR = DEMO_DIR / "content"
TEMPLATES_DIR = DEMO_DIR / "templates"


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class Photo:
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class StaticPage:
    path: str  # root-relative URL path
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Publisher:
    key: str
    name: str
    language: str  # BCP 47 primary tag
    locale: str  # og:locale form, "fr_FR"
    timezone: str
    tagline: str
    article_path: str  # str.format pattern over yyyy, mm, dd, section, slug
    sections: dict[str, str]  # key -> label, in menu order
    pages: tuple[StaticPage, ...]
    urls: dict[str, str]  # str.format patterns: section, section_page, comment_page, gallery
    listing_size: int  # teasers per section page
    comments_per_page: int
    feed: str  # root-relative path of the publisher's feed
    feed_format: str  # "rss" or "atom"
    news_sitemap: str | None  # path of a Google News sitemap, if the publisher has one


@dataclass(frozen=True, slots=True)
class Article:
    publisher: str
    slug: str
    section: str
    title: str
    description: str
    authors: tuple[str, ...]
    published: datetime | date  # aware datetime when the page gives a time
    modified: datetime | date | None
    paragraphs: tuple[str, ...]
    comments: tuple[Comment, ...] = ()
    photos: tuple[Photo, ...] = ()  # a gallery with its own pages
    gallery_slug: str | None = None
    extra: bool = False  # published only when the site "gains articles"
    path: str = field(default="")  # root-relative, filled by load_publisher

    @property
    def day(self) -> date:
        return self.published.date() if isinstance(self.published, datetime) else self.published


def _parse_when(value: str | None, zone: ZoneInfo) -> datetime | date | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).replace(tzinfo=zone)


def _paragraphs(text: str) -> tuple[str, ...]:
    blocks = (" ".join(block.split()) for block in text.strip().split("\n\n"))
    return tuple(block for block in blocks if block)


def _publisher(table: dict) -> Publisher:
    pages = tuple(
        StaticPage(path=p["path"], title=p["title"], paragraphs=_paragraphs(p["body"]))
        for p in table.get("page", ())
    )
    return Publisher(
        key=table["key"],
        name=table["name"],
        language=table["language"],
        locale=table["locale"],
        timezone=table["timezone"],
        tagline=table["tagline"],
        article_path=table["article_path"],
        sections=dict(table["sections"]),
        pages=pages,
        urls=dict(table["urls"]),
        listing_size=table["listing_size"],
        comments_per_page=table["comments_per_page"],
        feed=table["feed"],
        feed_format=table["feed_format"],
        news_sitemap=table.get("news_sitemap"),
    )


def _article(table: dict, publisher: Publisher) -> Article:
    zone = ZoneInfo(publisher.timezone)
    article = Article(
        publisher=publisher.key,
        slug=table["slug"],
        section=table["section"],
        title=table["title"],
        description=table["description"],
        authors=tuple(table["authors"]),
        published=_parse_when(table["published"], zone),
        modified=_parse_when(table.get("modified"), zone),
        paragraphs=_paragraphs(table["body"]),
        comments=tuple(Comment(author=a, text=t) for a, t in table.get("comments", ())),
        photos=tuple(Photo(caption=c, credit=r) for c, r in table.get("photos", ())),
        gallery_slug=table.get("gallery"),
        extra=table.get("extra", False),
    )
    if article.section not in publisher.sections:
        raise ValueError(f"{publisher.key}/{article.slug}: unknown section {article.section!r}")
    day = article.day
    path = publisher.article_path.format(
        yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}",
        section=article.section, slug=article.slug,
    )
    return Article(**{**_fields(article), "path": path})


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in Article.__slots__}


def load_publisher(path: Path, *, extra: bool = False) -> tuple[Publisher, list[Article]]:
    """One publisher and its chain, oldest article first (extra articles only when asked)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    publisher = _publisher(data["publisher"])
    articles = [_article(table, publisher) for table in data.get("article", ())]
    articles = [a for a in articles if extra or not a.extra]
    articles.sort(key=lambda a: a.day)  # stable: same-day articles keep their file order
    _check_unique(publisher, articles)
    return publisher, articles


def _check_unique(publisher: Publisher, articles: list[Article]) -> None:
    paths = [a.path for a in articles] + [p.path for p in publisher.pages]
    duplicates = {p for p in paths if paths.count(p) > 1}
    if duplicates:
        raise ValueError(f"{publisher.key}: duplicate paths {sorted(duplicates)}")


def load_all(*, extra: bool = False, content_dir: Path = CONTENT_DIR) -> list[tuple[Publisher, list[Article]]]:
    """Every publisher under content_dir, in file-name order."""
    return [load_publisher(p, extra=extra) for p in sorted(content_dir.glob("*.toml"))]
