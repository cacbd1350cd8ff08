"""`newscrawl parse`: print what the parser reads from a stored page (or standard input), as JSON, text or Markdown."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from crawler.analysis.formats import FORMATS, as_markdown, as_text
from crawler.parsing import parse_page

_GZIP_MAGIC = b"\x1f\x8b"


def read_page(path: Path) -> bytes:
    """A stored page's bytes, gunzipped when the file is gzip (by content, not by name)."""
    data = path.read_bytes()
    return gzip.decompress(data) if data.startswith(_GZIP_MAGIC) else data


def _parse_file(path: Path, url: str) -> dict[str, Any]:
    return parse_page(read_page(path), url).to_dict()


def _check_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--url`` must be an absolute http(s) URL: relative links are resolved against it."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not an absolute http(s) URL, e.g. https://news.example/2025/09/11/a.html")
    return value.strip()


def parse_without_url(data: bytes, placeholder: str) -> dict[str, Any]:
    """The parse of a page whose URL was not given: read against the page's own canonical URL when it
    names an absolute one (so its relative links resolve), else against ``placeholder``, with a warning."""
    record = parse_page(data, placeholder).to_dict()
    canonical = record.get("canonical_url")
    if canonical:
        click.echo(f"No --url: links resolved against the page's canonical URL {canonical}", err=True)
        return parse_page(data, canonical).to_dict()
    click.echo(
        "No --url and the page names no canonical URL: relative links (previous/next article, images) cannot be"
        " resolved and are left out. Pass --url with the address the page came from.",
        err=True,
    )
    return record


def _batch(manifest: Path) -> int:
    """One JSON line per manifest line, in order; a bad line prints an error object, not a crash."""
    failures = 0
    base = manifest.parent
    with manifest.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                path = Path(entry["path"])
                path = path if path.is_absolute() else base / path
                url = entry.get("url") or path.resolve().as_uri()
                record = _parse_file(path, url)
            except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
                failures += 1
                record = {"line": number, "error": f"{type(exc).__name__}: {exc}"}
            click.echo(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return failures


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--url",
    callback=_check_url,
    help="The http(s) URL the page was fetched from (resolves relative links). Default: the page's canonical URL.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True, help="Output format.")
@click.option(
    "--batch",
    "manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON-lines manifest of {"path": ..., "url": ...}; prints one JSON line per page, in order.',
)
def parse(path: Path | None, url: str | None, fmt: str, manifest: Path | None) -> None:
    """Print the parse of a stored page (HTML, gzip accepted; - reads standard input).

    JSON by default; --format text or markdown prints the article for reading. Relative
    paths in a --batch manifest are read from the manifest's folder. Exits 1 when a page
    could not be read.

    \b
    Example:
      newscrawl parse page.html.gz --url https://news.example/2025/09/11/a.html
      newscrawl parse --format markdown - < page.html
      newscrawl parse --batch pages.jsonl > parsed.jsonl
    """
    if manifest is not None and path is None:
        sys.exit(1 if _batch(manifest) else 0)
    if path is None or manifest is not None:
        raise click.UsageError("give either PATH or --batch MANIFEST")
    try:
        data = _read_stdin() if str(path) == "-" else read_page(path)
    except (OSError, EOFError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from exc
    if url:
        record = parse_page(data, url).to_dict()
    else:
        record = parse_without_url(data, "file:///dev/stdin" if str(path) == "-" else path.resolve().as_uri())
    click.echo(render(record, fmt))


def _read_stdin() -> bytes:
    data = sys.stdin.buffer.read()
    return gzip.decompress(data) if data.startswith(_GZIP_MAGIC) else data


def render(record: dict[str, Any], fmt: str) -> str:
    if fmt == "text":
        return as_text(record)
    if fmt == "markdown":
        return as_markdown(record).rstrip("\n")
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
