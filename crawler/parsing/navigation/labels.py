"""What the words, arrows and class names around a link say about its direction.

Each reader returns a ``Hint``: a direction and how much it is worth. None of them is needed:
a block whose labels are words no list knows is found by its structure (blocks.py) and ordered
by its URLs and position (``crawler.parsing.navigation``); these are extra signals.

- ``label_hint``: a short text chunk with a known direction word at either end, in either word
  order ("Previous article", "Artículo anterior", "Older dispatches"), or a known label phrase
  opening a longer text ("« Previous article: <headline>");
- ``arrow_hint``: a chunk that is, opens or closes with an arrow (←, «, ‹, →, », ›, ...);
- ``class_hint``: class/id parts such as ``nav-previous``, ``next_post``, ``arrow-left``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawler.parsing import selectors as sel

PREV, NEXT = "prev", "next"
MAX_LABEL_WORDS = 4  # a label chunk has at most this many words ("Read the previous article")
MAX_LABEL_CHARS = 40

ARROWS_PREV = frozenset("←«‹⟵◀◄❮〈⇐<⬅↩")
ARROWS_NEXT = frozenset("→»›⟶▶►❯〉⇒>➡↪")
_EDGE = "".join(ARROWS_PREV | ARROWS_NEXT) + "|:·•-–—/ \t\r\n\xa0"
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CLASS_PARTS = re.compile(r"[-_\s]+")
_LEFT, _RIGHT = frozenset(("left",)), frozenset(("right",))


# What a hint is worth (the block score adds them up; see crawler.parsing.navigation).
STRONG = 3.0  # names an article: "Next article", "Artículo anterior", class nav-previous
PLAIN = 2.0  # a direction in a class name: "post-prev-link", "older"
WEAK = 1.5  # a bare direction word or an arrow
FAINT = 0.5  # left / right in a class name: arrow icons, pager sides, also layout
STRONGEST = STRONG  # no hint is worth more
REL = 3.0  # a rel="prev" / rel="next" attribute on the link
# Texts and class strings whose answer is remembered: a page asks about its menus' links and
# classes again and again, and a site's pages repeat them.
HINT_CACHE_SIZE = 8192


@dataclass(slots=True, frozen=True)
class Hint:
    direction: str  # PREV or NEXT
    weight: float  # STRONG, PLAIN, WEAK or FAINT
    kind: str  # "label", "arrow" or "class": the evidence name it gives


def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted({label.lower() for label in labels}, key=len, reverse=True)
    edge = re.escape(_EDGE)
    alternatives = "|".join(re.escape(label) for label in ordered)
    return re.compile(rf"^[{edge}]*({alternatives})(?![\w])[{edge}]*(.*)$", re.I | re.S)


_PREV_PHRASE = _label_pattern(sel.PREV_LABELS)
_NEXT_PHRASE = _label_pattern(sel.NEXT_LABELS)
_FIRST_WORDS = frozenset(label.split()[0].strip(_EDGE) for label in (*sel.PREV_LABELS, *sel.NEXT_LABELS))


def _word_direction(word: str) -> str | None:
    if word in sel.PREV_WORDS:
        return PREV
    if word in sel.NEXT_WORDS:
        return NEXT
    return None


@lru_cache(maxsize=HINT_CACHE_SIZE)
def label_hint(text: str) -> Hint | None:
    """The direction a label chunk names, in any word order; None for other text."""
    text = text.strip(_EDGE)
    if not text or len(text) > 300:
        return None
    words = _WORDS.findall(text.lower())
    if words and len(words) <= MAX_LABEL_WORDS and len(text) <= MAX_LABEL_CHARS:
        for word in (words[0], words[-1]):
            if direction := _word_direction(word):
                return Hint(direction, STRONG if len(words) > 1 else WEAK, "label")
    if words and words[0] in _FIRST_WORDS:
        for direction, pattern in ((PREV, _PREV_PHRASE), (NEXT, _NEXT_PHRASE)):
            if (match := pattern.match(text)) and match.group(2).strip():
                return Hint(direction, STRONG, "label")
    return None


def strip_label(text: str) -> str:
    """The text without a known label phrase opening it ("Next article: X" -> "X")."""
    stripped = text.strip(_EDGE)
    for pattern in (_PREV_PHRASE, _NEXT_PHRASE):
        if match := pattern.match(stripped):
            return match.group(2).strip(_EDGE)
    return stripped


@lru_cache(maxsize=HINT_CACHE_SIZE)
def arrow_hint(text: str) -> Hint | None:
    """An arrow alone, or opening (prev) / closing (next) a short chunk."""
    text = text.strip()
    if not text or (not is_arrows(text) and len(text.split()) > MAX_LABEL_WORDS):
        return None  # "«" and "»" also close a quoted headline
    first, last = text[0], text[-1]
    if first in ARROWS_PREV and (len(text) == 1 or last not in ARROWS_NEXT):
        return Hint(PREV, WEAK, "arrow")
    if last in ARROWS_NEXT and (len(text) == 1 or first not in ARROWS_PREV):
        return Hint(NEXT, WEAK, "arrow")
    return None


@lru_cache(maxsize=HINT_CACHE_SIZE)
def class_hint(marker: str) -> Hint | None:
    """Direction named by class/id parts: prev/next words (strong for the post-navigation
    classes themes use), left/right (weak: arrow icons, pager sides)."""
    if not marker.strip():
        return None
    tokens = marker.split()
    if not sel.POST_NAV_PREV_CLASSES.isdisjoint(tokens):
        return Hint(PREV, STRONG, "class")
    if not sel.POST_NAV_NEXT_CLASSES.isdisjoint(tokens):
        return Hint(NEXT, STRONG, "class")
    parts = set(_CLASS_PARTS.split(marker))
    prev, nxt = not sel.PREV_CLASS_PARTS.isdisjoint(parts), not sel.NEXT_CLASS_PARTS.isdisjoint(parts)
    left, right = not _LEFT.isdisjoint(parts), not _RIGHT.isdisjoint(parts)
    if (prev and right) or (nxt and left):
        return None  # "next-left": the words disagree
    if prev != nxt:
        return Hint(PREV if prev else NEXT, PLAIN, "class")
    if left != right:
        return Hint(PREV if left else NEXT, FAINT, "class")
    return None


def is_arrows(text: str) -> bool:
    """Only arrows and separators."""
    return not text.strip(_EDGE)


def edge_strip(text: str) -> str:
    return text.strip(_EDGE)
