"""`newscrawl fetch URL`: one page through the crawl's guards and parser, printed, never stored."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.parsing.helpers import article_body, html

ROOT = Path(__file__).resolve().parents[2]
PAGE = html("<h1>Harbour reopens</h1><p>By Jane Roe</p>" + article_body(8), head="<title>Harbour reopens</title>")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", "fetch", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_fetch_prints_the_parse_and_stores_nothing(site: str, tmp_path: Path) -> None:
    result = fetch(f"{site}/a.html", "--allow-network", "127.0.0.0/8", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert (article["title"], article["authors"]) == ("Harbour reopens", ["Jane Roe"])
    assert not list(tmp_path.rglob("*.db"))  # nothing stored anywhere
    markdown = fetch(f"{site}/a.html", "--allow-network", "127.0.0.0/8", "--format", "markdown", cwd=tmp_path)
    assert markdown.stdout.startswith("# Harbour reopens")


def test_fetch_goes_through_the_address_guard(site: str, tmp_path: Path) -> None:
    result = fetch(f"{site}/a.html", cwd=tmp_path)
    assert result.returncode == 1
    assert "blocked_address:loopback" in result.stderr and "--allow-network 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
