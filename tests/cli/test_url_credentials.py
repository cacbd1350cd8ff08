"""A user name or password in a URL is refused with exit 2 and never printed, stored or logged (issue 15, item 2).

`newscrawl crawl "http://alice:S3cretPW@127.0.0.1:P/a/3.html"` used to exit 1 (Scrapy rejects
the host) with the password in runs.arguments, failures.url and three log lines, which
`newscrawl serve` would publish.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.profiles import ProfileError, load_profiles
from crawler.urls import is_http_url, redacted

ROOT = Path(__file__).resolve().parents[2]
SECRET = "S3cretPW"
URL = f"http://alice:{SECRET}@127.0.0.1:9/a/3.html"


def newscrawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("args", [
    ["crawl", URL, "--allow-network", "127.0.0.0/8"],
    ["enqueue", "--feed", URL],
    ["enqueue", URL],
])
def test_a_url_with_credentials_is_refused_without_showing_them(args: list[str], tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    result = newscrawl(*args, *(["--db", str(db)] if args[0] == "crawl" else ["--redis", "redis://127.0.0.1:9/0"]))
    assert result.returncode == 2, result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "user name or password" in result.stderr and "alice:***@127.0.0.1:9" in result.stderr
    assert not db.exists()  # nothing ran, nothing recorded


def test_a_profile_with_credentials_in_a_url_is_refused(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites.harbour]\nstart_urls = ["{URL}"]\n')
    with pytest.raises(ProfileError) as caught:
        load_profiles(sites)
    assert SECRET not in str(caught.value) and "user name or password" in str(caught.value)


def test_links_with_credentials_are_not_followed() -> None:
    assert not is_http_url(URL) and not is_http_url("https://user@news.example/a.html")
    assert is_http_url("https://news.example/a@b.html")
    assert redacted(URL) == "http://alice:***@127.0.0.1:9/a/3.html"
    assert redacted("https://news.example/a.html") == "https://news.example/a.html"
