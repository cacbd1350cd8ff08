"""The article as the page's scripts carry it, for pages whose markup holds none of it.

Script-built pages (React, Next.js, Nuxt, Vue) often send a loading shell as HTML and the
article in a hydration payload: a JSON string value holding the article's HTML or its text,
inside a state object (``window.__STATE__ = {...}``, React Query's dehydrated state,
``__NEXT_DATA__``, ``__NUXT__``) or inside a streamed string (``self.__next_f.push([1, "..."])``).
No key name is needed: every long string literal of the page's inline scripts is decoded, and
the one whose text reads most like an article wins: HTML is read with the same block rules as
the page (paragraphs kept, furniture flagged), plain text is split at blank lines; only prose
counts (long blocks or finished sentences). A string inside a decoded string (JSON in a JSON
string) is read as well, one level down.

Used only when the visible page yields (almost) no text, so its cost falls on those pages alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from crawler.parsing.body.blocks import read_blocks
from crawler.parsing.body.lines import article_paragraphs, drop_copies
from crawler.parsing.body.patterns import PARAGRAPH_BREAK, PROSE_MIN_CHARS, SENTENCE_END, SENTENCE_MIN_CHARS
from crawler.parsing.body.region import main_region
from crawler.parsing.document import Document

MIN_LITERAL_CHARS = 400  # a shorter string holds no article
MIN_PROSE_CHARS = 400  # the winner must hold this much prose, else there is no embedded article
MAX_SCRIPT_CHARS = 4_000_000  # script text read per page, in all
MAX_LITERALS = 200  # long literals decoded per page (a page of many data blobs stops here)
PROSE_LETTER_SHARE = 0.8  # letters and spaces in a paragraph of prose, at least
WORD_MAX_CHARS = 25  # prose breaks at least this often (a space, or CJK punctuation)
CODE_CHAR_RARITY = 100  # prose has at most one code character ({}[]<>=|_\\;#@) in this many
SENTENCE_MAX_CHARS = 400  # prose ends a sentence at least this often
NESTED_DEPTH = 1  # strings inside decoded strings, read this many levels down
_STRING_LITERAL = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # the unrolled loop: no backtracking
_TAG = re.compile(r"<(?:p|div|br|h[1-6]|li|span|strong|em|a)\b", re.I)
_PLACEHOLDER = re.compile(r"^[^\w\s]{1,3}\w+[^\w\s]{1,3}$")  # a template's slot left in the text: "$$AD$$", "{{ad}}"
_CODE_CHARS = "{}[]<>=|_\\;#@"
_SENTENCE_BREAK = re.compile(r"[.!?。！？](?:\s|$)")
_DATA_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "application/json", "module")


def _script_texts(doc: Document) -> Iterator[str]:
    budget = MAX_SCRIPT_CHARS
    for script in doc.tree.iter("script"):
        if script.get("src") or (script.get("type") or "").strip().lower() not in _DATA_SCRIPT_TYPES:
            continue
        text = script.text or ""
        if len(text) < MIN_LITERAL_CHARS:
            continue
        yield text[:budget]
        budget -= len(text)
        if budget <= 0:
            return


def _literals(text: str, depth: int) -> Iterator[str]:
    """The decoded long string literals of ``text``, and (``depth`` levels) the ones inside them."""
    for match in _STRING_LITERAL.finditer(text):
        if match.end() - match.start() < MIN_LITERAL_CHARS:
            continue
        try:
            value = json.loads(match.group())
        except ValueError:
            continue
        if not isinstance(value, str):
            continue
        yield value
        if depth > 0 and '\\"' in match.group():
            yield from _literals(value, depth - 1)


def _is_prose(text: str) -> bool:
    """A paragraph of running text: long or a finished sentence; letters and spaces nearly
    throughout, few code characters (not code, CSS, JSON or a query); broken into words by spaces
    or CJK punctuation (not a token or encoded data); sentences that end (not a list of class names
    or labels)."""
    n = len(text)
    if n < PROSE_MIN_CHARS and not (n >= SENTENCE_MIN_CHARS and SENTENCE_END.search(text)):
        return False
    wordy = sum(1 for char in text if char.isalpha() or char == " ")
    code = sum(map(text.count, _CODE_CHARS))
    breaks = text.count(" ") + sum(map(text.count, "，。、！？；"))
    sentences = len(_SENTENCE_BREAK.findall(text)) + 1
    return (
        wordy >= PROSE_LETTER_SHARE * n
        and code * CODE_CHAR_RARITY <= n
        and breaks * WORD_MAX_CHARS >= n
        and sentences * SENTENCE_MAX_CHARS >= n
    )


def prose_chars(paragraphs: list[str]) -> int:
    """Characters of the paragraphs that read as prose (``_is_prose``)."""
    return sum(len(text) for text in paragraphs if _is_prose(text))


def string_paragraphs(value: str, headlines: set[str]) -> list[str]:
    """The article paragraphs a decoded string holds: read as HTML when it has tags, else as text."""
    if _TAG.search(value):
        try:
            root = lxml.html.fragment_fromstring(value, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return []
        paragraphs = article_paragraphs(drop_copies(main_region(read_blocks(root))), headlines)
    else:
        paragraphs = [" ".join(part.split()) for part in PARAGRAPH_BREAK.split(value)]
    return [text for text in paragraphs if text and not _PLACEHOLDER.match(text)]


def embedded_paragraphs(doc: Document, headlines: set[str]) -> list[str]:
    """The paragraphs of the most article-like string in the page's inline scripts, or []."""
    best: list[str] = []
    best_prose = MIN_PROSE_CHARS - 1
    seen: set[int] = set()
    decoded = 0
    for text in _script_texts(doc):
        for value in _literals(text, NESTED_DEPTH):
            key = hash(value)
            if key in seen:
                continue
            seen.add(key)
            decoded += 1
            paragraphs = string_paragraphs(value, headlines)
            prose = prose_chars(paragraphs)
            if prose > best_prose:
                best, best_prose = paragraphs, prose
            if decoded >= MAX_LITERALS:
                return best
    return best
