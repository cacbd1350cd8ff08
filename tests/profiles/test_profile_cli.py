"""`newscrawl crawl --site/--all-sites` with a profiles file: errors at start, and a real crawl."""

from __future__ import annotations

import pytest

from crawler.exitcodes import ExitCode
from crawler.urls import site_key
from tests.incremental.helpers import crawl, rows
from tests.incremental.newssite import Entry, NewsSite

pytestmark = pytest.mark.slow


def test_bad_profiles_file_is_rejected_at_start_with_file_line_and_reason(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.gazette]\nstart_urls = ["http://127.0.0.1:9/"]\nfeed = []\n', encoding="utf-8")
    result = crawl(tmp_path / "news.db", "--sites", str(sites), "--all-sites")
    assert result.returncode == ExitCode.COULD_NOT_RUN
    assert f"{sites}:3: unknown key 'feed'" in result.stderr
    assert not (tmp_path / "news.db").exists() or rows(tmp_path / "news.db", "SELECT * FROM runs") == []


def test_unknown_site_and_missing_file(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.gazette]\nstart_urls = ["http://127.0.0.1:9/"]\n', encoding="utf-8")
    unknown = crawl(tmp_path / "news.db", "--sites", str(sites), "--site", "herald")
    assert unknown.returncode == ExitCode.COULD_NOT_RUN and "no site 'herald'" in unknown.stderr
    missing = crawl(tmp_path / "news.db", "--sites", str(tmp_path / "absent.toml"), "--all-sites")
    assert missing.returncode == ExitCode.COULD_NOT_RUN and "profiles file not found" in missing.stderr
    both = crawl(tmp_path / "news.db", "http://127.0.0.1:9/", "--site", "gazette")
    assert both.returncode == ExitCode.USAGE


def test_all_sites_crawls_each_profile_with_its_own_run_record(tmp_path):
    sites = tmp_path / "sites.toml"
    with NewsSite([Entry(0, "feed", "2025-03-01T08:00:00+00:00"), Entry(1, "feed", "2025-03-02T08:00:00+00:00")],
                  broken_sitemaps=False) as first, \
         NewsSite([Entry(5, "home", "2025-03-06T08:00:00+00:00")], broken_sitemaps=False) as second:  # fmt: skip
        sites.write_text(
            '[vars]\nfirst = "http://127.0.0.1:1"\n\n'
            '[sites.gazette]\nfeeds = ["${first}/feed.xml"]\n\n'
            '[sites.herald]\nstart_urls = ["${second}/"]\nlimits = { since = "2025-01-01" }\n'
            '[sites.herald.selectors]\ntitle = "p.byline"\n',
            encoding="utf-8",
        )
        result = crawl(tmp_path / "news.db", "--sites", str(sites), "--all-sites",
                       "--var", f"first={first.base_url}", "--var", f"second={second.base_url}")  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "site gazette: exit code 0" in result.stdout and "site herald: exit code 0" in result.stdout
    runs = rows(tmp_path / "news.db", "SELECT site, articles_new, outcome FROM runs ORDER BY id")
    assert runs == [
        {"site": "gazette", "articles_new": 2, "outcome": "success"},
        {"site": "herald", "articles_new": 1, "outcome": "success"},
    ]
    [herald] = rows(tmp_path / "news.db", "SELECT title FROM articles WHERE url LIKE ?", [second.base_url + "%"])
    assert herald["title"].startswith("By ")  # the profile's selector override won over the parser
    sites_of_state = {row["site"] for row in rows(tmp_path / "news.db", "SELECT DISTINCT site FROM crawl_state")}
    # one key everywhere: the pages' own sites, as an ad hoc crawl of them records them
    assert sites_of_state == {site_key(first.base_url), site_key(second.base_url)}
