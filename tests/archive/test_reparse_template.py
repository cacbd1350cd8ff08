"""reparse parses each page with its site's template, as a crawl's later pages are: what the site's
crawls learned (kept in the database) or what a site profile pins (``--sites``).

Generated site seed 209 (bench/template/sites.py, also the crawl's template tests): its two oldest
pages carry a photo caption under the headline that writes another day, which a page read alone
takes for the date. The site's pages are stored as a crawl without the template would have stored
them (wrong day on those two) and archived; the template is what the same pages teach.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from bench.template.sites import make_site
from crawler.archive.reparse import Reparser
from crawler.article import ArticleConfig, ArticlePipeline, Tally
from crawler.cli import cli
from crawler.runner import build_settings
from crawler.storage import ArticleStore, open_database
from crawler.storage.reparse import Selection, rows_by_url
from crawler.storage.templates import SitePaths, TemplateStore
from crawler.urls import site_key
from tests.pipelines.helpers import archive_and_store

FETCHED = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
ARGUMENTS = {"site": None, "since": None, "run": None}


def _stored_without_template(tmp_path: Path) -> tuple[Path, dict, SitePaths]:
    """The site's pages archived and stored oldest first, each parsed with the site's template as it
    stood (as a crawl does: the two caption pages come before it is learned); returns the database,
    the pages by URL and what the template step learned of them (not saved)."""
    db_path = tmp_path / "news.db"
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path)})
    store = ArticleStore(open_database(db_path))
    pipeline = ArticlePipeline(ArticleConfig.from_settings(settings), stats=Tally())
    pipeline.open(store)
    site = make_site(209)
    archive_and_store(store, pipeline, db_path, site.pages, FETCHED)
    book = pipeline.step("template").book  # type: ignore[union-attr]
    votes = book.votes(site_key(site.pages[0].url))
    learned = SitePaths(site_key(site.pages[0].url), votes.pages, votes.votes)
    store.db.conn.close()  # the steps are not closed: nothing learned is kept, no row re-checked
    return db_path, {page.url: page for page in site.pages}, learned


def _wrong_days(db_path: Path, pages: dict) -> set[str]:
    rows = rows_by_url(open_database(db_path), list(pages))
    return {url for url, page in pages.items() if rows[url]["published_at"][:10] != page.truth.day}


def _wrong_authors(db_path: Path, pages: dict) -> set[str]:
    rows = rows_by_url(open_database(db_path), list(pages))
    return {url for url, page in pages.items() if tuple(json.loads(rows[url]["authors"])) != page.truth.authors}


def test_reparse_uses_the_template_the_sites_crawls_learned(tmp_path: Path) -> None:
    db_path, pages, learned = _stored_without_template(tmp_path)
    trapped = {url for url, page in pages.items() if page.trap == "caption"}
    assert len(trapped) == 2 and _wrong_days(db_path, pages) == trapped
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path), "NEWSCRAWL_PARSE_PROCESSES": 1})
    unlearned = build_settings({**settings.copy_to_dict(), "NEWSCRAWL_TEMPLATE_MIN_PAGES": 0})
    report = Reparser(unlearned, Selection()).run(arguments=ARGUMENTS)  # each page alone, as reparse did before
    assert "dates changed" not in report.fields and _wrong_days(db_path, pages) == trapped
    assert _wrong_authors(db_path, pages)  # the template had corrected them in the crawl

    TemplateStore(open_database(db_path)).save([learned], now=FETCHED.isoformat())
    report = Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    assert report.fields["dates changed"] == 2  # in the re-parse itself, not the template step's re-check at close
    assert _wrong_days(db_path, pages) == set() and _wrong_authors(db_path, pages) == set()


def test_reparse_uses_the_template_a_site_profile_pins(tmp_path: Path) -> None:
    db_path, pages, learned = _stored_without_template(tmp_path)
    template = {name: counter.most_common(1)[0][0] for name, counter in learned.votes.items()}
    url = next(iter(pages))
    profiles = tmp_path / "sites.toml"
    profiles.write_text(f'[sites.trapped]\nstart_urls = ["{url}"]\n[sites.trapped.template]\n'
                        + "".join(f"{name} = {json.dumps(path)}\n" for name, path in sorted(template.items())))
    # learning off: only the pin can correct the caption pages
    result = CliRunner().invoke(cli, ["reparse", "--db", str(db_path), "--json", "--sites", str(profiles),
                                      "-s", "NEWSCRAWL_PARSE_PROCESSES=1", "-s", "NEWSCRAWL_TEMPLATE_MIN_PAGES=0"])
    assert result.exit_code == 0, result.output
    summary = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert summary["changes"].get("dates changed") == 2
    assert _wrong_days(db_path, pages) == set()


def test_reparse_twice_leaves_the_templates_and_rows_as_the_first_left_them(tmp_path: Path) -> None:
    """Reparse counted every page it re-read into its site's votes again, pages the crawl had
    counted when it stored them: each reparse doubled the site's pages (13 -> 26 on each demo site)."""
    db_path, pages, learned = _stored_without_template(tmp_path)
    TemplateStore(open_database(db_path)).save([learned], now=FETCHED.isoformat())
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path), "NEWSCRAWL_PARSE_PROCESSES": 1})

    def kept() -> tuple[int, dict]:
        found = TemplateStore(open_database(db_path)).load(learned.site)
        return found.pages, found.votes

    def stored() -> list[tuple]:
        return open_database(db_path).execute("SELECT url, title, body, published_at, authors FROM articles"
                                              " ORDER BY url").fetchall()  # fmt: skip

    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    after_one = kept(), stored()
    assert after_one[0] == (learned.pages, learned.votes)
    second = Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    assert (kept(), stored()) == after_one and second.counts.articles_updated == 0


def test_a_site_with_no_kept_template_learns_it_from_one_reparse_only(tmp_path: Path) -> None:
    db_path, pages, learned = _stored_without_template(tmp_path)  # nothing kept: the steps were not closed
    settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path), "NEWSCRAWL_PARSE_PROCESSES": 1})
    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    first = TemplateStore(open_database(db_path)).load(learned.site)
    assert first is not None and first.pages == len(pages)
    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    again = TemplateStore(open_database(db_path)).load(learned.site)
    assert again.pages == first.pages  # each page's vote replaced, never added
    assert {name: sum(c.values()) for name, c in again.votes.items()} == {name: sum(c.values()) for name, c in first.votes.items()}
    # the pages the first reparse met before the template was learned vote where it reads them now
    assert all(again.votes[name][path] >= count for name, counter in first.votes.items()
               for path, count in counter.most_common(1))
    Reparser(settings, Selection()).run(arguments=ARGUMENTS)
    third = TemplateStore(open_database(db_path)).load(learned.site)
    assert (third.pages, third.votes) == (again.pages, again.votes)
