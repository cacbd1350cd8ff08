"""Build the demo news site: templates + content -> static HTML files.

``build_site(out_dir)`` renders every publisher of ``data/demo_site/content`` with its
own templates under ``out_dir/<publisher>/`` (one directory per site, served on its own
port) and returns the ground truth (see ``expected.json``). ``build_synthetic_site``
renders many generated articles from the same templates for the throughput benchmark.

Run ``python -m crawler.demo.generate`` after editing content or templates: it rewrites
``data/demo_site/site/``, ``data/demo_site/expected.json`` and ``data/demo_site/README.md``;
a test fails while the committed files differ from a fresh build.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2

from crawler.demo import synthetic
from crawler.demo.content import (
    CONTENT_DIR, DEMO_DIR, TEMPLATES_DIR, Article, Publisher, load_all,
)
from crawler.demo.feeds import render_feeds, robots_txt
from crawler.demo.render import RenderedPage, render_publisher

SITE_DIR = DEMO_DIR / "site"  # the committed build, base mode
EXPECTED_PATH = DEMO_DIR / "expected.json"
README_PATH = DEMO_DIR / "README.md"
ROBOTS_TXT = robots_txt(sitemap=False)  # synthetic sites have no sitemaps


def environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def file_for(path: str) -> str:
    """The file that serves a root-relative URL path ("/a/b/" -> "a/b/index.html")."""
    path = path.split("?", 1)[0].lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def _write_pages(root: Path, pages: list[RenderedPage]) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for page in pages:
        if "?" in page.path:
            continue  # same file as the path without its query: the server ignores queries
        target = root / file_for(page.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.content)


def build_site(
    out_dir: Path | str,
    *,
    extra: bool = False,
    content_dir: Path = CONTENT_DIR,
    templates_dir: Path = TEMPLATES_DIR,
    expected_path: Path | str | None = None,
) -> dict[str, Any]:
    """Render every publisher under out_dir/<key>/ and return the ground truth.

    extra publishes the articles marked ``extra`` as well (the site "gained articles").
    The ground truth is written to expected_path (default out_dir/expected.json).
    """
    out_dir = Path(out_dir)
    env = environment(templates_dir)
    expected: dict[str, Any] = {"extra": extra, "publishers": [], "articles": [], "traps": []}
    for publisher, articles in load_all(extra=extra, content_dir=content_dir):
        pages = render_publisher(env, publisher, articles) + render_feeds(env, publisher, articles)
        _write_pages(out_dir / publisher.key, pages)
        _record(expected, publisher, articles, pages)
    target = Path(expected_path) if expected_path is not None else out_dir / "expected.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return expected


def _record(expected: dict[str, Any], publisher: Publisher, articles: list[Article],
            pages: list[RenderedPage]) -> None:
    chain = [a.path for a in articles]
    expected["publishers"].append({
        "key": publisher.key,
        "name": publisher.name,
        "language": publisher.language,
        "template": publisher.key,
        "chain": chain,
        "middle": chain[len(chain) // 2],
        "home": "/",
        "feed": publisher.feed,
        "sitemap": "/sitemap.xml",
        "news_sitemap": publisher.news_sitemap,
    })
    for page in pages:
        if page.truth is None:
            continue
        bucket = "articles" if page.kind == "article" else "traps"
        expected[bucket].append({"path": page.path, "publisher": publisher.key,
                                 "kind": page.kind, **page.truth})


@dataclass(slots=True)
class SyntheticSite:
    """A generated site for benchmarks: one static root, chains under /<publisher>/cNNN/."""

    out_dir: Path
    chains: list[list[str]] = field(default_factory=list)  # root-relative article paths

    @property
    def middles(self) -> list[str]:
        return [chain[len(chain) // 2] for chain in self.chains]

    @property
    def article_count(self) -> int:
        return sum(len(chain) for chain in self.chains)


def build_synthetic_site(
    out_dir: Path | str,
    n_articles: int,
    *,
    chain_length: int = 1000,
    seed: int = 0,
    content_dir: Path = CONTENT_DIR,
    templates_dir: Path = TEMPLATES_DIR,
) -> SyntheticSite:
    """Render n_articles generated articles in prev/next chains of chain_length pages.

    Chains take turns over the demo publishers' templates; text, titles, authors and
    dates come from a seeded generator, so the same arguments give the same bytes.
    Everything lives under one root (serve out_dir with any static server); a chain's
    pages link with root-relative URLs under /<publisher>/cNNN/. Writes
    out_dir/manifest.json with every chain.
    """
    out_dir = Path(out_dir)
    if n_articles < 1 or chain_length < 1:
        raise ValueError("n_articles and chain_length must be positive")
    env = environment(templates_dir)
    publishers = [publisher for publisher, _ in load_all(content_dir=content_dir)]
    if out_dir.exists():
        shutil.rmtree(out_dir)
    site = SyntheticSite(out_dir=out_dir)
    remaining, number = n_articles, 0
    while remaining > 0:
        publisher = publishers[number % len(publishers)]
        articles = _synthetic_chain(publisher, number, min(chain_length, remaining), seed)
        prefix = f"/{publisher.key}/c{number:03d}"
        pages = render_publisher(env, publisher, articles, prefix=prefix, articles_only=True)
        for page in pages:
            if "?" in page.path:
                continue
            target = out_dir / file_for(page.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
        site.chains.append([prefix + a.path for a in articles])
        remaining -= len(articles)
        number += 1
    (out_dir / "robots.txt").write_text(ROBOTS_TXT, encoding="utf-8")
    manifest = {"n_articles": n_articles, "chain_length": chain_length, "seed": seed,
                "chains": site.chains, "middles": site.middles}
    (out_dir / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return site


def _synthetic_chain(publisher: Publisher, number: int, length: int, seed: int) -> list[Article]:
    start = datetime(2024, 1, 1, 6, 0) + timedelta(days=number)
    sections = list(publisher.sections)
    articles = []
    for index in range(length):
        text = synthetic.article_text(publisher.language, seed=seed, chain=number, index=index)
        moment = (start + timedelta(hours=5 * index)).replace(tzinfo=synthetic.zone(publisher))
        published: datetime | date = moment if index % 4 else moment.date()
        slug = f"{text.slug}-{index}"
        day = moment.date()
        article = Article(
            publisher=publisher.key, slug=slug, section=sections[index % len(sections)],
            title=text.title, description=text.description, authors=text.authors,
            published=published, modified=None, paragraphs=text.paragraphs,
            path=publisher.article_path.format(
                yyyy=f"{day.year:04d}", mm=f"{day.month:02d}", dd=f"{day.day:02d}",
                section=sections[index % len(sections)], slug=slug),
        )
        articles.append(article)
    return articles


def main() -> None:
    """Rebuild the committed demo site, its ground truth and its README."""
    from crawler.demo.readme import write_readme

    expected = build_site(SITE_DIR, expected_path=EXPECTED_PATH)
    write_readme(expected, README_PATH)
    print(f"{len(expected['articles'])} articles, {len(expected['traps'])} trap pages -> {SITE_DIR}")


if __name__ == "__main__":
    main()
