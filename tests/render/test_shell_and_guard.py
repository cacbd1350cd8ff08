"""The pure parts of rendering: which page is a script shell, which browser request is refused."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.middlewares.netguard import AddressPolicy, parse_networks
from crawler.parsing import load_document
from crawler.parsing.shell import script_shell
from crawler.profiles import ProfileError, load_profiles
from crawler.render.guard import BrowserGuard
from crawler.demo.scriptsite import _shell, paragraphs_of

URL = "https://news.example/a/1.html"


def test_a_loading_shell_is_a_script_shell() -> None:
    signs = script_shell(load_document(_shell("1"), URL))
    assert signs is not None and signs.root == "div#root" and signs.bundles == 1


def test_a_page_with_its_own_text_or_without_scripts_is_not() -> None:
    text = "".join(f"<p>{p}</p>" for p in paragraphs_of("1"))
    assert script_shell(load_document(_shell("1").replace('<div class="spinner"></div>', text), URL)) is None
    assert script_shell(load_document('<html><body><div id="root"></div></body></html>', URL)) is None


def _refusal(url: str, kind: str = "fetch", allowed: str = "127.0.0.1/32") -> str | None:
    async def resolve(host: str) -> list[str]:
        return {"public.example": ["93.184.216.34"], "inside.example": ["10.0.0.5"]}[host]

    guard = BrowserGuard(AddressPolicy(parse_networks([allowed])), resolve, frozenset({"image", "font", "media"}))
    return asyncio.run(guard.refusal(url, kind))


def test_the_guard_checks_every_browser_request() -> None:
    assert _refusal("http://127.0.0.1:8000/api/1.json") is None
    assert _refusal("https://public.example/app.js", "script") is None
    assert _refusal("data:text/plain,hello") is None
    assert _refusal("http://127.0.0.2:8000/x") == "address:loopback"
    assert _refusal("http://inside.example/x") == "address:private"
    assert _refusal("ws://[::1]:9/socket") == "address:loopback"
    assert _refusal("file:///etc/passwd") == "scheme"
    assert _refusal("https://public.example/photo.jpg", "image") == "type:image"


def test_rendering_without_chromium_is_a_clear_error_before_anything_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["crawl", "http://news.test/a.html", "--db", str(tmp_path / "news.db"), "--render", "always",
                                      "--set", "NEWSCRAWL_RENDER_BROWSER=/nonexistent/chromium"])  # fmt: skip
    assert result.exit_code == 4, result.output
    assert "rendering needs Chromium at /nonexistent/chromium (apt-get install chromium" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert not (tmp_path / "news.db").exists()


def test_a_profile_with_an_unknown_render_mode_is_refused(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[sites.harbour]\nstart_urls = ["https://news.example/a/1.html"]\nrender = "sometimes"\n')
    with pytest.raises(ProfileError, match="render must be one of never, auto, always, not 'sometimes'"):
        load_profiles(sites)
