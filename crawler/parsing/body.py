"""The article body: plain text, paragraphs separated by one blank line.

Fallback order:
1. trafilatura's extraction on the already-parsed tree (fast mode, comments off);
2. JSON-LD ``articleBody`` when trafilatura found nothing and the text is visible on the page.
Afterwards, paragraphs that are reader furniture (call-outs, share prompts, prev/next blocks)
are dropped.
"""

from __future__ import annotations

import logging
import re

import trafilatura

from crawler.parsing.document import Document

logger = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")
# Paragraphs that are site furniture wherever they appear (whole paragraph, case-insensitive).
_FURNITURE_PARAGRAPH = re.compile(
    r"^(?:no time to read\??|get a summary|previous article|next article|share( this)?( article)?"
    r"|advertisement|read more|related articles?|most read|subscribe( to our newsletter)?)$",
    re.I,
)


def _normalise(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _trafilatura_paragraphs(doc: Document) -> list[str]:
    result = trafilatura.bare_extraction(doc.tree, url=doc.url, fast=True, include_comments=False)
    if result is None or result.body is None:
        return []
    paragraphs = []
    for element in result.body:
        text = _normalise(" ".join(element.itertext()))
        if text:
            paragraphs.append(text)
    return paragraphs


def _jsonld_paragraphs(doc: Document) -> list[str]:
    for obj in doc.json_ld:
        body = obj.get("articleBody")
        if isinstance(body, str) and body.strip():
            parts = [_normalise(part) for part in re.split(r"\n\s*\n|\r\n\r\n", body)]
            return [part for part in parts if part]
    return []


def extract_body(doc: Document) -> str | None:
    """The article's own text, or None when the page holds none."""
    paragraphs = _trafilatura_paragraphs(doc) or _jsonld_paragraphs(doc)
    kept = [p for p in paragraphs if not _FURNITURE_PARAGRAPH.match(p)]
    return "\n\n".join(kept) or None
