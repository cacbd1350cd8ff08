"""The page's own statement of its text: JSON-LD ``articleBody``, used only as a cross-check,
and its author names (for the author notes lines.py drops).

``articleBody`` is often exactly the article (and nothing else), but it can be a teaser, a
truncated paywall stub, another article's text or HTML. So it never replaces the visible text
when the two disagree; it is used in two ways:
- agreement: when it covers the extracted text well (word F1 >= STRUCTURED_AGREEMENT), the
  extracted paragraphs it does not support (mostly words it lacks) are dropped as furniture;
- rescue: when the visible page yields (almost) nothing, as on script-rendered pages, its
  paragraphs are the body.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from crawler.parsing.document import Document
from crawler.parsing.jsonld import as_list

STRUCTURED_MIN_CHARS = 200  # a shorter articleBody is a teaser
STRUCTURED_AGREEMENT = 0.8  # word F1 between it and the extracted text to use it as a filter
PARAGRAPH_SUPPORT = 0.8  # share of a paragraph's words it must hold for the paragraph to stay
RESCUE_MAX_CHARS = 200  # an extraction shorter than this is replaced by articleBody
AUTHOR_NAME_MIN_CHARS = 4
AUTHOR_NAME_MAX_CHARS = 60
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]+>")
_BREAKS = re.compile(r"\s*\n\s*\n\s*|\s*</?(?:p|div|br|h[1-6]|li)\b[^>]*>\s*", re.I)
_SPACE = re.compile(r"\s+")


def article_body(doc: Document) -> list[str]:
    """The paragraphs of the page's JSON-LD articleBody (HTML in it stripped), or []."""
    for obj in doc.json_ld:
        text = obj.get("articleBody")
        if isinstance(text, str) and len(text.strip()) >= STRUCTURED_MIN_CHARS:
            parts = (_SPACE.sub(" ", html.unescape(_TAG.sub(" ", part))).strip() for part in _BREAKS.split(text))
            return [part for part in parts if part]
    return []


def author_names(doc: Document) -> set[str]:
    """The page's own author names of two words or more (meta author, JSON-LD author)."""
    found = list(doc.meta.get("author", ()))
    for obj in doc.json_ld:
        for author in as_list(obj.get("author")):
            if isinstance(author, dict):
                author = author.get("name")
            if isinstance(author, str):
                found.append(author)
    names = (_SPACE.sub(" ", name).strip() for name in found)
    return {name for name in names if AUTHOR_NAME_MIN_CHARS <= len(name) <= AUTHOR_NAME_MAX_CHARS and " " in name}


def _words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def _agreement(a: Counter[str], b: Counter[str]) -> float:
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def cross_check(paragraphs: list[str], structured: list[str]) -> list[str]:
    """The extracted paragraphs, checked against articleBody (see the module docstring)."""
    if not structured:
        return paragraphs
    if sum(map(len, paragraphs)) < RESCUE_MAX_CHARS:
        return structured
    reference = Counter(_words(" ".join(structured)))
    if _agreement(Counter(_words(" ".join(paragraphs))), reference) < STRUCTURED_AGREEMENT:
        return paragraphs
    kept = []
    for paragraph in paragraphs:
        words = _words(paragraph)
        if words and sum(word in reference for word in words) >= PARAGRAPH_SUPPORT * len(words):
            kept.append(paragraph)
    return kept
