"""One slot of a pager: the label beside a neighbour's link, its headline, and the hints that name its direction.

A slot is the highest ancestor of a link holding no other candidate URL (blocks.py). Its text
pieces are split into a label (the piece a known word names, else the short piece beside a longer
one, else the part before a colon) and the neighbour's headline (a heading in the link, else the
link's own longest text); its hints come from those pieces, the link's aria-label/title, the
class names from the link up to the slot, icons inside the link, and rel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

from crawler.parsing.navigation import labels
from crawler.parsing.navigation.labels import Hint
from crawler.parsing.text import clean, marker

MAX_HEADLINE = 300
SKIP = frozenset(("script", "style", "noscript", "template", "svg", "select", "option"))
_TITLE_CHILD = etree.XPath(  # compiled once: element.xpath(str) compiles the expression on every call
    ".//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::strong or contains(@class, 'title')]"
)


@dataclass(slots=True)
class Slot:
    element: HtmlElement  # the slot (see the module docstring)
    link: HtmlElement  # its first <a> to the URL
    url: str
    shape: float = 0.0  # urls.shape_match: 1.0 when the URL has the current article's shape
    chunks: list[str] = field(default_factory=list)  # visible text pieces, document order
    label: str | None = None  # the short piece that is not the headline ("Previous", "Blorvak")
    headline: str | None = None  # the neighbour's headline as the slot shows it
    hints: list[Hint] = field(default_factory=list)  # rel, class, label words, arrows
    rel: str | None = None  # "prev" / "next" from a rel attribute


def texts(element: HtmlElement) -> list[str]:
    """Visible text pieces of an element's subtree, document order."""
    pieces = []
    for node in element.iter():  # each .tag, .text and .tail read once: lxml builds a new object on every read
        tag = node.tag
        if isinstance(tag, str) and tag not in SKIP and (text := node.text) and text.strip():
            pieces.append(text)
        if node is not element and (tail := node.tail) and tail.strip():
            pieces.append(tail)
    return [text for text in map(clean, pieces) if text]


def _split_label(chunk: str) -> tuple[str, str] | None:
    """"Blorvak: The headline" -> ("Blorvak", "The headline") when the part before the colon is short."""
    for separator in (": ", " | ", " – ", " — ", " - "):
        head, found, rest = chunk.partition(separator)
        if found and rest and len(head.split()) <= labels.MAX_LABEL_WORDS and len(head) <= labels.MAX_LABEL_CHARS:
            return head, rest
    return None


def _is_label(chunk: str) -> bool:
    words = chunk.split()
    return (
        0 < len(words) <= labels.MAX_LABEL_WORDS
        and len(chunk) <= labels.MAX_LABEL_CHARS
        and not labels.is_arrows(chunk)
        and sum(ch.isdigit() for ch in chunk) < 3  # dates, counts, times
    )


def _headline_text(text: str | None) -> str | None:
    text = labels.edge_strip(clean(text))
    if not text or len(text) > MAX_HEADLINE or labels.is_arrows(text):
        return None
    return text


def read_hints(slot: Slot, outside: list[str]) -> None:
    """A slot's text pieces (labels written beside it first, then its own text) and the hints
    they and its markup give: what decides whether the slot is worth reading further."""
    slot.chunks = outside + texts(slot.element)
    _read_hints(slot)


def named(slot: Slot) -> bool:
    """Enough words for a URL not in the article's shape: a rel, a label, an arrow or a
    direction class, and for a URL shaped like a section page a rel or a strong label."""
    weight = (labels.REL if slot.rel else 0.0) + max((hint.weight for hint in slot.hints), default=0.0)
    return weight >= (labels.WEAK if slot.shape else labels.STRONG)


def read_label(slot: Slot) -> None:
    """Label and headline of a slot whose hints were read (``read_hints``).

    The label is the piece a known word names, else the short piece beside a longer one
    ("Blorvak" beside the headline), else the short part before a colon; the headline is a
    heading inside the link, else the longest other piece, else the link's title attribute."""
    pieces = [piece for piece in map(labels.edge_strip, slot.chunks) if piece]
    rest: list[str] = []
    for piece in pieces:
        if slot.label is None and labels.label_hint(piece):
            slot.label = piece
            if (after := labels.strip_label(piece)) and after != piece:
                slot.label = piece[: len(piece) - len(after)].strip()
                rest.append(after)
        else:
            rest.append(piece)
    if slot.label is None:
        if len(rest) == 1 and (split := _split_label(rest[0])):
            slot.label, rest = split[0], [split[1]]
        elif len(rest) >= 2:
            shortest = min(rest, key=len)
            if _is_label(shortest) and len(shortest) < len(max(rest, key=len)):
                slot.label = shortest
                rest.remove(shortest)
        elif len(rest) == 1 and len(rest[0].split()) <= 2 and _is_label(rest[0]):
            slot.label, rest = rest[0], []
    for element in _TITLE_CHILD(slot.link):
        if (headline := _headline_text(element.text_content())) and headline != slot.label:
            slot.headline = headline
            break
    else:
        slot.headline = _headline_text(_headline_piece(slot, rest)) if rest else None
        if slot.headline is None:
            slot.headline = _headline_text(labels.strip_label(slot.link.get("title") or ""))


def _headline_piece(slot: Slot, rest: list[str]) -> str:
    """The link's own longest text, unless only its card shows a headline (3+ words) beside it."""
    own_pieces = _own_pieces(slot)
    longest = max(rest, key=len)
    own = [piece for piece in rest if piece in own_pieces]
    if not own:
        return longest
    best = max(own, key=len)
    return longest if len(best.split()) < 3 <= len(longest.split()) else best


def _own_pieces(slot: Slot) -> set[str]:
    if slot.link is slot.element:
        return set(slot.chunks)
    own = set(map(labels.edge_strip, texts(slot.link)))
    return own | {labels.strip_label(piece) for piece in own}


def _read_hints(slot: Slot) -> None:
    hints = slot.hints
    for chunk in slot.chunks:
        if hint := labels.label_hint(chunk) or labels.arrow_hint(chunk):
            hints.append(hint)
    for attribute in ("aria-label", "title"):
        if (value := slot.link.get(attribute)) and (hint := labels.label_hint(value)):
            hints.append(hint)
    node: HtmlElement | None = slot.link
    for _ in range(4):  # the link, and its wrappers up to the slot and one above
        if node is None:
            break
        if hint := labels.class_hint(marker(node)):
            hints.append(hint)
        if node is slot.element:
            break
        node = node.getparent()
    for element in slot.link.iter():  # icons inside the link: <i class="arrow-left">
        if element is not slot.link and (hint := labels.class_hint(marker(element))):
            hints.append(hint)
            break
    rel = (slot.link.get("rel") or "").lower().split()
    slot.rel = labels.PREV if "prev" in rel or "previous" in rel else labels.NEXT if "next" in rel else None
