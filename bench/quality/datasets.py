"""Loading the development sets from ../shared/datasets (read-only, never needed by the product).

- aeb-dev: 121 news pages with their article body (aeb metric).
- wcxb-dev: 1,497 pages of seven types, with title, author, day and body of the articles.
- fundus-dev: 129 real newsroom articles from 91 publishers, with title, authors, the published
  instant (time and offset as Fundus returns it) and body. Every page is an article.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
AEB = "aeb"
WCXB = "wcxb"
FUNDUS = "fundus"
DATASETS = (AEB, WCXB, FUNDUS)
_FOLDERS = {AEB: "aeb-dev", WCXB: "wcxb-dev", FUNDUS: "fundus-dev"}
_MARKERS = {AEB: "ground-truth.json", WCXB: "ground-truth", FUNDUS: "ground-truth.jsonl"}

# Truths the dataset's own README documents as wrong, corrected here rather than fitted to.
# fundus-dev README: "One page's truth has day and month swapped (AnadoluAjansi: the page says
# 05.04.2025)"; the truth says 2025-05-04.
FUNDUS_PUBLISHED_CORRECTIONS = {"tr/AnadoluAjansi_2025_04_05": "2025-04-05T00:00:00"}


@dataclass(frozen=True, slots=True)
class Truth:
    body: str
    is_article: bool = True
    title: str | None = None
    # YYYY-MM-DD on aeb and wcxb; ISO 8601 with the time (and offset where Fundus gives one) on fundus.
    published: str | None = None
    author: str | tuple[str, ...] | None = None  # one string (wcxb) or a list of names (fundus)
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    dataset: str  # AEB, WCXB or FUNDUS
    page_id: str
    url: str
    path: Path  # the gzipped HTML
    truth: Truth

    def html(self) -> str:
        """The page as text (every set stores UTF-8, whatever the page's own meta charset says)."""
        return gzip.decompress(self.path.read_bytes()).decode("utf-8", errors="replace")


def aeb_pages(data_dir: Path = DEFAULT_DATA_DIR) -> Iterator[Page]:
    root = data_dir / "aeb-dev"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        yield Page(AEB, page_id, entry["url"], root / "html" / f"{page_id}.html.gz", Truth(body=entry["articleBody"]))


def wcxb_pages(data_dir: Path = DEFAULT_DATA_DIR) -> Iterator[Page]:
    root = data_dir / "wcxb-dev"
    for path in sorted((root / "ground-truth").glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        facts = entry["ground_truth"]
        truth = Truth(
            body=facts.get("main_content") or "",
            is_article=entry["_internal"]["page_type"]["primary"] == "article",
            title=facts.get("title"),
            published=facts.get("publish_date"),
            author=facts.get("author"),
        )
        # A few entries carry no URL; the parsers then get a placeholder on an unknown host.
        url = entry.get("url") or f"https://unknown.invalid/{path.stem}"
        yield Page(WCXB, path.stem, url, root / "html" / f"{path.stem}.html.gz", truth)


def fundus_pages(data_dir: Path = DEFAULT_DATA_DIR) -> Iterator[Page]:
    root = data_dir / "fundus-dev"
    lines = (root / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines()
    entries = sorted((json.loads(line) for line in lines if line.strip()), key=lambda entry: entry["id"])
    for entry in entries:
        truth = Truth(
            body=entry.get("body") or "",
            title=entry.get("title"),
            published=FUNDUS_PUBLISHED_CORRECTIONS.get(entry["id"], entry.get("published")),
            author=tuple(entry.get("authors") or ()) or None,
            language=entry.get("language"),
        )
        yield Page(FUNDUS, entry["id"], entry["url"], root / entry["file"], truth)


LOADERS = {AEB: aeb_pages, WCXB: wcxb_pages, FUNDUS: fundus_pages}


def present(data_dir: Path = DEFAULT_DATA_DIR) -> list[str]:
    """The datasets found under ``data_dir``."""
    return [name for name in DATASETS if (data_dir / _FOLDERS[name] / _MARKERS[name]).exists()]


def available(data_dir: Path = DEFAULT_DATA_DIR) -> bool:
    """True when the two anchor sets (aeb-dev, wcxb-dev) are there."""
    return {AEB, WCXB} <= set(present(data_dir))
