"""`newscrawl parse`: print what the parser reads from stored pages, as JSON."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from typing import Any

import click

from crawler.parsing import parse_page

_GZIP_MAGIC = b"\x1f\x8b"


def read_page(path: Path) -> bytes:
    """A stored page's bytes, gunzipped when the file is gzip (by content, not by name)."""
    data = path.read_bytes()
    return gzip.decompress(data) if data.startswith(_GZIP_MAGIC) else data


def _parse_file(path: Path, url: str) -> dict[str, Any]:
    return parse_page(read_page(path), url).to_dict()


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
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The URL the page was fetched from (resolves relative links). Default: the file's URI.")
@click.option(
    "--batch",
    "manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON-lines manifest of {"path": ..., "url": ...}; prints one JSON line per page, in order.',
)
def parse(path: Path | None, url: str | None, manifest: Path | None) -> None:
    """Print the parse of a stored page (HTML, gzip accepted) as JSON.

    Relative paths in a --batch manifest are read from the manifest's folder. Exits 1 when a
    page could not be read.

    \b
    Example:
      newscrawl parse page.html.gz --url https://news.example/2025/09/11/a.html
      newscrawl parse --batch pages.jsonl > parsed.jsonl
    """
    if manifest is not None and path is None:
        sys.exit(1 if _batch(manifest) else 0)
    if path is None or manifest is not None:
        raise click.UsageError("give either PATH or --batch MANIFEST")
    try:
        record = _parse_file(path, url or path.resolve().as_uri())
    except (OSError, EOFError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from exc
    click.echo(json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True))
