"""`reparse` and `import` read a site's pages by the fast-path layouts its crawls kept, from their
first page (read both ways), through the same article pipeline as a crawl, and store what they
store without them.

Generated site seed 209 (bench/template/sites.py): eight pages, stored and archived as a crawl does;
five share one layout (three carry a trap), so NEWSCRAWL_FAST_PATH_MIN_PAGES is 3 and
NEWSCRAWL_FAST_PATH_MIN_SHARE 0.6 here, for eight pages to earn it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from crawler.archive import archive_folder
from crawler.archive.importer import ImportOptions, Importer
from crawler.archive.reparse import Reparser
from crawler.article.sitevotes import SiteVotes
from crawler.parsing import SiteTemplate, parse_page
from crawler.runner import build_settings
from crawler.storage import open_database
from crawler.storage.reparse import Selection
from crawler.storage.templates import SitePaths, TemplateStore
from tests.archive.test_reparse_template import ARGUMENTS, FETCHED, _stored_without_template

FAST = {"NEWSCRAWL_PARSE_PROCESSES": 1, "NEWSCRAWL_FAST_PATH_MIN_PAGES": 3, "NEWSCRAWL_FAST_PATH_MIN_SHARE": 0.6}
COLUMNS = "url, title, body, published_at, modified_at, authors, language, summary, prev_url, next_url, content_hash"


def _kept(db_path: Path, learned: SitePaths) -> None:
    TemplateStore(open_database(db_path)).save([learned], now=FETCHED.isoformat())


def _rows(db_path: Path) -> list[tuple]:
    return open_database(db_path).execute(f"SELECT {COLUMNS} FROM articles ORDER BY url").fetchall()


def _learned_with_layouts(tmp_path: Path) -> tuple[Path, SitePaths]:
    """The stored site, and what its pages teach: the template's votes and the layouts' counts."""
    db_path, pages, learned = _stored_without_template(tmp_path)
    votes = SiteVotes()
    for page in pages.values():  # each page alone, as a crawl's page before any template: where its fields sit
        votes.observe(parse_page(page.html, page.url, now=FETCHED, template=SiteTemplate()).field_paths)
    assert votes.confident_layouts(min_pages=3, min_share=0.6), votes.layouts
    return db_path, SitePaths(learned.site, learned.pages, learned.votes, layouts=votes.layout_texts())


def test_reparse_reads_by_the_kept_layouts_from_its_first_page_and_changes_the_same(tmp_path: Path) -> None:
    db_path, learned = _learned_with_layouts(tmp_path)
    unkept = tmp_path / "unkept" / "news.db"
    shutil.copytree(db_path.parent, unkept.parent)
    _kept(db_path, learned)
    _kept(unkept, SitePaths(learned.site, learned.pages, learned.votes))
    fast = Reparser(build_settings({"NEWSCRAWL_DB_PATH": str(db_path), **FAST}), Selection()).run(arguments=ARGUMENTS)
    slow = Reparser(build_settings({"NEWSCRAWL_DB_PATH": str(unkept), **FAST}), Selection()).run(arguments=ARGUMENTS)
    assert fast.parse_paths.get("verified") == 1 and fast.parse_paths.get("template", 0) >= 3, fast.parse_paths
    assert slow.parse_paths.get("template", 0) < fast.parse_paths["template"], slow.parse_paths
    assert fast.fields == slow.fields and _rows(db_path) == _rows(unkept)


def test_import_reads_by_the_layouts_the_database_kept_and_stores_the_same_rows(tmp_path: Path) -> None:
    crawled, learned = _learned_with_layouts(tmp_path)
    warc = archive_folder(crawled)
    stored: dict[str, dict] = {}
    for name, layouts in (("kept", True), ("unkept", False)):
        db_path = tmp_path / name / "news.db"
        db_path.parent.mkdir()
        _kept(db_path, learned if layouts else SitePaths(learned.site, learned.pages, learned.votes))
        settings = build_settings({"NEWSCRAWL_DB_PATH": str(db_path), "NEWSCRAWL_ARCHIVE": False, **FAST})
        report = Importer(settings, ImportOptions()).run([(str(path), str(path)) for path in sorted(warc.glob("*.warc.gz"))],
                                                         arguments={})
        stored[name] = {"paths": report.parse_paths, "rows": _rows(db_path), "new": report.counts.articles_new}
    assert stored["kept"]["paths"].get("verified") == 1 and stored["kept"]["paths"].get("template", 0) >= 3
    assert stored["unkept"]["paths"].get("template", 0) < stored["kept"]["paths"]["template"]
    assert stored["kept"]["new"] == 8 and stored["kept"]["rows"] == stored["unkept"]["rows"]
