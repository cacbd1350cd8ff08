"""Loading the two development sets from ../shared/datasets (read-only, never needed by the product)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
AEB = "aeb"
WCXB = "wcxb"


@dataclass(frozen=True, slots=True)
class Truth:
    body: str
    is_article: bool = True
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    dataset: str  # AEB or WCXB
    page_id: str
    url: str
    path: Path  # the gzipped HTML
    truth: Truth

    def html(self) -> str:
        """The page as text (both sets store UTF-8)."""
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


def available(data_dir: Path = DEFAULT_DATA_DIR) -> bool:
    return (data_dir / "aeb-dev" / "ground-truth.json").is_file() and (data_dir / "wcxb-dev" / "ground-truth").is_dir()
