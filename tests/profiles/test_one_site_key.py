"""One site key everywhere: a profile printed by `newscrawl templates --toml` is the site that
the crawls, the crawl state, the runs and the templates name (``127.0.0.1:8103``); `newscrawl
sites` and a crawl from the profile find what earlier crawls of the site left, and profiles and
databases written before (keyed ``127-0-0-1-8103``) are still read."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.profiles import load_profiles
from crawler.storage import ArticleStore, open_database
from crawler.storage.state import CrawlState, StateChange
from crawler.storage.store import ArticleRow
from crawler.storage.templates import SitePaths, TemplateStore
from tests.incremental.helpers import crawl, stored_urls
from tests.incremental.newssite import Entry, NewsSite

NOW = "2026-01-01T00:00:00+00:00"


def _crawled(path: Path, site: str, *, state_site: str | None = None, run_site: str | None = None) -> Path:
    """A database as an ad hoc crawl of ``site`` leaves it: one stored article, one URL pending, one run."""
    db = open_database(path)
    store = ArticleStore(db)
    run_id = store.start_run(spider="article", started_at=NOW, arguments={"sites": [site]}, site=run_site or site)
    store.finish_run(run_id, finished_at=NOW, outcome="success", finish_reason="finished", counts={"articles_new": 1})
    url = f"http://{site}/news/a/"
    store.upsert_articles([ArticleRow(url=url, site=site, title="A", body="body", content_hash="h", fetched_at=NOW)])
    CrawlState(db).record([StateChange(url=url, site=state_site or site, state="done", reason="stored"),
                           StateChange(url=f"http://{site}/news/b/", site=state_site or site, state="pending")],
                          run_id=run_id)  # fmt: skip
    TemplateStore(db).save([SitePaths(site, 13, {"title": Counter({"article h1.headline": 13})})], now=NOW)
    db.conn.close()
    return path


def _sites_output(db: Path, profiles: Path) -> str:
    result = CliRunner().invoke(cli, ["sites", "--sites", str(profiles), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_printed_profile_is_keyed_by_the_site_and_sees_its_crawls(tmp_path: Path) -> None:
    """It was keyed 127-0-0-1-8103: `newscrawl sites` said 0 articles stored, never crawled."""
    db = _crawled(tmp_path / "news.db", "127.0.0.1:8103")
    printed = CliRunner().invoke(cli, ["templates", "--toml", "--db", str(db)])
    assert printed.exit_code == 0, printed.output
    profiles = tmp_path / "sites.toml"
    profiles.write_text(printed.output, encoding="utf-8")
    assert list(load_profiles(profiles)) == ["127.0.0.1:8103"]
    shown = _sites_output(db, profiles)
    assert "127.0.0.1:8103" in shown.splitlines()[0]
    assert "1 article stored, 1 URL pending, 0 failed" in shown
    assert "last run 1:" in shown and "never crawled" not in shown


@pytest.mark.parametrize(("key", "written_under"), [
    ("127-0-0-1-8103", None),  # a profile printed before: it names the same site through its start URL
    ("harbour", "harbour"),  # a database whose profile crawls recorded the state and the run under the profile's key
])
def test_old_profiles_and_databases_are_still_read(tmp_path: Path, key: str, written_under: str | None) -> None:
    db = _crawled(tmp_path / "news.db", "127.0.0.1:8103", state_site=written_under, run_site=written_under)
    profiles = tmp_path / "sites.toml"
    profiles.write_text(f'[sites.{key}]\nstart_urls = ["http://127.0.0.1:8103/"]\n', encoding="utf-8")
    shown = _sites_output(db, profiles)
    assert "1 article stored, 1 URL pending, 0 failed" in shown
    assert "last run 1:" in shown


def test_a_profile_crawl_resumes_what_an_earlier_crawl_of_the_site_left(tmp_path: Path) -> None:
    """A URL an ad hoc crawl left pending (state under the site key) is fetched by the profile's
    crawl, under whatever key the profile has."""
    entries = [Entry(0, "home", "2025-03-01T08:00:00+00:00"), Entry(1, "none", "2025-03-02T08:00:00+00:00")]
    db = tmp_path / "news.db"
    with NewsSite(entries, broken_sitemaps=False) as site:
        state = CrawlState(open_database(db))
        orphan = site.url(1)  # linked from nowhere: only the crawl state knows it
        state.record([StateChange(url=orphan, site=site.base_url.split("//", 1)[1], state="pending")], run_id=None)
        state.db.conn.close()
        profiles = tmp_path / "sites.toml"
        profiles.write_text(f'[sites.my-site]\nstart_urls = ["{site.base_url}/"]\n', encoding="utf-8")
        done = crawl(db, "--site", "my-site", "--sites", str(profiles))
        assert done.returncode == 0, done.stderr[-3000:]
    assert stored_urls(db) == sorted([site.url(0), orphan])
    shown = _sites_output(db, profiles)
    assert "2 articles stored, 0 URLs pending, 0 failed" in shown


def test_a_key_is_a_name_or_a_site_key() -> None:
    from crawler.profiles import ProfileError

    for key in ("news.example", "127.0.0.1:8103", "[::1]:8000", "harbour", "my_site-2"):
        assert list(load_profiles_text(f'[sites.{json_key(key)}]\nstart_urls = ["http://x.example/"]\n')) == [key]
    for key in ("a b", "News.Example", "news.example:", "http://news.example", "news.example/x"):
        with pytest.raises(ProfileError, match="bad site key"):
            load_profiles_text(f'[sites.{json_key(key)}]\nstart_urls = ["http://x.example/"]\n')


def json_key(key: str) -> str:
    import json

    return json.dumps(key)


def load_profiles_text(text: str) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.toml"
        path.write_text(text, encoding="utf-8")
        return load_profiles(path)
