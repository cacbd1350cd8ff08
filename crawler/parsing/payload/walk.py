"""Find the article in a decoded script payload: the field whose text tree reads most as prose.

No framework or key name is needed for the body. Every value of every object is a candidate:

- a long string: read as HTML when it holds tags, else as text split at blank lines (the page's
  own block rules, ``crawler.parsing.body.embedded``);
- an array: a rich-text tree (Portable Text, Contentful and Storyblok documents, Arc XP
  ``content_elements``, Draft.js blocks, WordPress blocks), one paragraph per entry made of the
  text leaves beneath it (strings under ``text``, ``value``, ``content``, ``html``... and bare
  strings). An array whose entries mostly carry a headline of their own is a list of records
  (related articles, a feed), never a body.

The candidate with the most prose wins when it holds at least ``MIN_PROSE_CHARS``; the object
holding it is the article node, and its ancestors (nearest first) are where the other fields
are looked for (``fields.py``). A string value that is itself JSON (a state serialised twice)
is decoded and walked as part of the tree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.parsing.body.embedded import MIN_PROSE_CHARS, prose_chars, string_paragraphs
from crawler.parsing.payload.decode import loads

MIN_STRING_CHARS = 200  # a shorter string holds no article body
MAX_NODES = 300_000  # objects and arrays visited per page
MAX_CANDIDATES = 300  # candidate values read as text per page
MAX_NESTED = 20  # strings decoded as JSON per page
BLOCK_DEPTH = 6  # levels read below an array entry for its text leaves
RECORD_SHARE = 0.5  # entries with a headline key of their own, above which an array is a list of records
TEXT_LEAF_KEYS = frozenset(("text", "value", "content", "html", "body", "plaintext", "markup", "rendered", "children", "data"))
TIE_SHARE = 0.1  # two candidates whose prose differs by less than this share hold the same text
RECORD_KEYS = frozenset(("headline", "title", "headlines"))
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Found:
    """The body a payload holds and where: ``path`` is the object holding it, then its ancestors."""

    paragraphs: list[str]
    prose: int
    path: tuple[dict[str, Any], ...] = ()
    root: Any = None  # the whole payload (Apollo-style references are looked up in it)
    key: str = ""  # the body's key in path[0]


@dataclass(slots=True)
class _Walk:
    headlines: set[str]
    root: Any
    best: Found | None = None
    nodes: int = 0
    candidates: int = 0
    nested: int = 0
    seen: set[int] = field(default_factory=set)

    def offer(self, value: Any, key: str, path: tuple[dict[str, Any], ...]) -> None:
        if self.candidates >= MAX_CANDIDATES:
            return
        if isinstance(value, str):
            if len(value) < MIN_STRING_CHARS:
                return
            paragraphs = string_paragraphs(value, self.headlines)
        else:
            if _is_record_list(value):
                return
            paragraphs = block_paragraphs(value)
        self.candidates += 1
        prose = prose_chars(paragraphs)
        if prose >= MIN_PROSE_CHARS and (self.best is None or _better(prose, paragraphs, self.best)):
            self.best = Found(paragraphs, prose, path, self.root, key)

    def nested_json(self, value: str) -> Any:
        if self.nested >= MAX_NESTED or len(value) < MIN_STRING_CHARS or value.lstrip()[:1] not in ("{", "["):
            return None
        self.nested += 1
        decoded = loads(value)
        return decoded if isinstance(decoded, (dict, list)) else None

    def run(self, payload: Any) -> None:
        stack: list[tuple[Any, tuple[dict[str, Any], ...]]] = [(payload, ())]
        while stack and self.nodes < MAX_NODES:
            value, path = stack.pop()
            if id(value) in self.seen:
                continue  # a shared or cyclic node (rebuilt tables share objects)
            self.seen.add(id(value))
            self.nodes += 1
            if isinstance(value, dict):
                inner = (value, *path)
                for key, child in value.items():
                    self._visit(child, str(key), inner, stack)
            else:
                for child in value:
                    self._visit(child, "", path, stack)

    def _visit(self, child: Any, key: str, path: tuple[dict[str, Any], ...], stack: list[Any]) -> None:
        if isinstance(child, str):
            decoded = self.nested_json(child)
            if decoded is not None:
                stack.append((decoded, path))
            elif path and key:
                self.offer(child, key, path)
        elif isinstance(child, (dict, list)):
            if isinstance(child, list) and path and key:
                self.offer(child, key, path)
            stack.append((child, path))


def _better(prose: int, paragraphs: list[str], best: Found) -> bool:
    """More prose wins; within ``TIE_SHARE`` of each other, the finer split wins (a block array
    over the one entry of an array around it, which reads as a single long paragraph)."""
    if abs(prose - best.prose) <= TIE_SHARE * max(prose, best.prose):
        return len(paragraphs) > len(best.paragraphs)
    return prose > best.prose


def _is_record_list(value: list[Any]) -> bool:
    records = [entry for entry in value if isinstance(entry, dict)]
    if not records:
        return False
    titled = sum(1 for entry in records if RECORD_KEYS & {key.lower() for key in entry})
    return titled > RECORD_SHARE * len(records)


def _leaves(value: Any, depth: int) -> Iterator[str]:
    if depth < 0:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, depth - 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if key.lower() in TEXT_LEAF_KEYS:
                    yield item
            elif isinstance(item, (list, dict)):
                yield from _leaves(item, depth - 1)


def block_paragraphs(blocks: list[Any]) -> list[str]:
    """One paragraph per array entry: its text leaves joined, markup stripped."""
    paragraphs = []
    for entry in blocks:
        text = "".join(_leaves(entry, BLOCK_DEPTH)) if isinstance(entry, (dict, list)) else entry
        if isinstance(text, str):
            text = _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", text))).strip()
            if text:
                paragraphs.append(text)
    return paragraphs


def find_body(payloads: list[Any], headlines: set[str]) -> Found | None:
    """The most prose-like body over all payloads, or None when none holds MIN_PROSE_CHARS."""
    best: Found | None = None
    for payload in payloads:
        walk = _Walk(headlines, payload)
        walk.run(payload)
        if walk.best is not None and (best is None or walk.best.prose > best.prose):
            best = walk.best
    return best
