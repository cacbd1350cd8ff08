"""The page as a flat list of text blocks, each with the chain of containers above it.

One read-only walk over the lxml tree (the shared ``Document`` tree is never modified).
A block is a paragraph-like run of text: a leaf block element (``p``, ``li``, ``h2``, ...),
or the loose text of a container between its block children; ``<br><br>`` splits a block.
Each container gets an id (pre-order, so a parent's id is smaller than its children's) and
what its markup says about it (``Flag``, content marker), for region.py to weigh; the small
box around an email or phone field (a sign-up box) and the small box around an image (its caption
and credit, in whatever markup) are flagged as furniture like a class would.

Streamed server rendering (React's out-of-order streaming, used by Next.js and others) sends the
page's later parts as hidden ``<div hidden id="S:x">`` segments at the end of the body, each
moved by a script into the place of its ``<template id="B:x">`` or ``<template id="P:x">``
placeholder (a "B" placeholder's loading fallback, up to its ``<!--/$-->`` comment, goes). The
walk reads each segment in its placeholder's place, as a browser shows it, and not where it was sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.parsing.body.patterns import (
    BLOCK_TAGS,
    CAMEL_CASE,
    CONTENT_ATTR,
    CONTENT_KEYS,
    DESCRIPTIVE_CLASS,
    DROP_TAGS,
    FALLBACK_END,
    FOLDED_ATTR,
    FURNITURE_ATTR,
    FURNITURE_TAGS,
    HIDDEN_CLASS,
    HIDDEN_KEYS,
    HIDDEN_STYLE,
    IMAGE_BOX_MAX_CHARS,
    IMAGE_BOX_NOT_IN,
    INLINE_TAGS,
    LEAF_BLOCK_TAGS,
    NAVIGATION_ATTR,
    NUMBERS,
    NEVER_FLAGGED_TAGS,
    PARAGRAPH_BREAK,
    PLACEHOLDER_PREFIXES,
    SEGMENT_PREFIX,
    SIGNUP_BOX_MAX_CHARS,
    SIGNUP_FIELD_TYPES,
    STRONG_ATTR,
    STRONG_KEYS,
    Flag,
    one_line,
)


@dataclass(slots=True)
class Block:
    text: str  # whitespace collapsed
    link_chars: int  # characters inside <a>
    tag: str  # the leaf element, or the container for loose text
    path: tuple[int, ...]  # container ids from the outermost down
    flag: int  # a Flag: the leaf element's own flag (containers' flags are in Page.flags)
    has_time: bool = False  # holds a <time> element (datelines do)


@dataclass(slots=True)
class Page:
    blocks: list[Block] = field(default_factory=list)
    parents: list[int] = field(default_factory=list)  # container id -> parent id (-1 for the root)
    flags: list[int] = field(default_factory=list)  # Flag per container
    content: list[bool] = field(default_factory=list)  # marked as the article's own content
    signatures: list[str] = field(default_factory=list)  # "tag.class" with numbers as "#", to find alike siblings
    elements: list[HtmlElement] = field(default_factory=list)  # container id -> its element


def _folded(element: HtmlElement) -> bool:
    """A collapsed panel the reader opens (accordion, collapsible): it or its parent says so."""
    parent = element.getparent()
    for node in (element, parent) if parent is not None else (element,):
        attrs = f"{node.get('class') or ''} {node.get('id') or ''}"
        if len(attrs) > 1 and FOLDED_ATTR.search(attrs.lower()):
            return True
    return False


def is_hidden(element: HtmlElement) -> bool:
    if element.tag in NEVER_FLAGGED_TAGS:
        return False
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return not _folded(element)
    style = element.get("style")
    return bool(style and HIDDEN_STYLE.search(style)) and not _folded(element)


class _Marker:
    """What an element's class and id words say, before its context is weighed (plain ints, as ``Flag``)."""

    NONE = 0
    CONTENT = 1
    STRONG = 2
    HIDDEN = 3
    FURNITURE = 4
    NAVIGATION = 5


def _words(attrs: str) -> str:
    """A raw class or id string as the patterns read it: camelCase split, lower case, "_" as "-",
    classes that describe the post ("tag-news", "has-comments") left out."""
    lowered = attrs.lower()
    if lowered != attrs:
        lowered = CAMEL_CASE.sub(r"\1-\2", attrs).lower()
    lowered = lowered.replace("_", "-")
    return DESCRIPTIVE_CLASS.sub(" ", lowered) if "-" in lowered else lowered  # every descriptive class holds a "-"


def _furniture_marker(words: str) -> int:
    if FURNITURE_ATTR.search(words):
        return _Marker.FURNITURE
    if NAVIGATION_ATTR.search(words):
        return _Marker.NAVIGATION
    return _Marker.NONE


def _attribute_marker(attrs: str) -> int:
    """The marker of a raw class or id string (the same string gives the same answer: cached per
    walk). Every pattern matches within one word, so a class and an id are read apart, and the
    element's marker is the first of theirs in the order of the checks (``_strongest``)."""
    words = _words(attrs)
    if _holds(words, CONTENT_KEYS) and CONTENT_ATTR.search(words):
        return _Marker.CONTENT
    if _holds(words, STRONG_KEYS) and STRONG_ATTR.search(words):
        return _Marker.STRONG
    if _holds(words, HIDDEN_KEYS) and HIDDEN_CLASS.search(words):
        return _Marker.HIDDEN
    return _furniture_marker(words)


def _holds(words: str, keys: tuple[str, ...]) -> bool:
    """Whether ``words`` holds one of a pattern's keys (``patterns.CONTENT_KEYS``...): a substring
    test is several times cheaper than the pattern's search, and most strings hold none."""
    for key in keys:
        if key in words:
            return True
    return False


_MARKERS: dict[str, int] = {}  # class or id string -> what it says, across pages (a site repeats its template)
MARKER_CACHE_SIZE = 50_000  # strings remembered; the cache starts over when full


def _marker(attrs: str) -> int:
    found = _MARKERS.get(attrs)
    if found is None:
        if len(_MARKERS) >= MARKER_CACHE_SIZE:
            _MARKERS.clear()
        found = _MARKERS[attrs] = _attribute_marker(attrs)
    return found


def classify(element: HtmlElement) -> tuple[int, bool]:
    """(flag, is marked as content) from the element's tag, attributes and inline style."""
    tag = element.tag
    if tag in NEVER_FLAGGED_TAGS:
        return Flag.NONE, False
    if is_hidden(element):
        return Flag.HIDDEN, False
    if element.get("itemprop") == "articleBody":
        return Flag.NONE, True
    flag = Flag.WEAK if tag in FURNITURE_TAGS else Flag.NONE
    if tag == "figure" and (element.find(".//table") is not None or element.find(".//blockquote") is not None):
        flag = Flag.NONE  # a figure holding a table or a quote is the article's text, not an illustration
    classes, ident = element.get("class"), element.get("id")
    if not classes and not ident:
        return flag, False
    marker = _Marker.NONE
    for attrs in (classes, ident):
        if attrs:
            found = _MARKERS.get(attrs)  # the cache read here: most strings repeat within a page
            if found is None:
                found = _marker(attrs)
            if found and (not marker or found < marker):
                marker = found
    if marker == _Marker.CONTENT:
        return Flag.NONE, True
    if marker == _Marker.STRONG:
        return Flag.STRONG, False
    if marker == _Marker.HIDDEN:
        if not _folded(element):
            return Flag.HIDDEN, False
        marker = _furniture_marker(_words(f"{classes or ''} {ident or ''}"))  # a folded panel: its other words still count
    if marker == _Marker.FURNITURE:
        flag = Flag.WEAK
    elif marker == _Marker.NAVIGATION and flag == Flag.NONE:
        flag = Flag.NAVIGATION
    return flag, False


def _segment_id(element: HtmlElement) -> str | None:
    """The x of a streamed segment ``<div hidden id="S:x">``."""
    if element.tag == "div" and element.get("hidden") is not None:
        ident = element.get("id") or ""
        if ident.startswith(SEGMENT_PREFIX):
            return ident[len(SEGMENT_PREFIX) :]
    return None


def _placeholder_id(element: HtmlElement) -> str | None:
    """The x of a streaming placeholder ``<template id="B:x">`` or ``<template id="P:x">``."""
    ident = element.get("id") or ""
    return ident[2:] if ident[:2] in PLACEHOLDER_PREFIXES else None


def _fallback_end(template: HtmlElement) -> HtmlElement | None:
    """The ``<!--/$-->`` comment closing a boundary placeholder's loading fallback, if any."""
    for sibling in template.itersiblings():
        if not isinstance(sibling.tag, str) and sibling.text == FALLBACK_END:
            return sibling
    return None


def _has_block_descendant(element: HtmlElement) -> bool:
    for child in element.iterdescendants():  # a loop, not any() over a generator: called for most elements
        if child.tag in BLOCK_TAGS:
            return True
    return False


def _is_inline(element: HtmlElement) -> bool:
    tag = element.tag
    if tag == "span":
        return not _has_block_descendant(element)
    return tag in INLINE_TAGS or (tag not in BLOCK_TAGS and not _has_block_descendant(element))


def _visible_chars(element: HtmlElement, limit: int, counted: dict[HtmlElement, int] | None = None) -> int:
    """The non-space characters of text a reader sees in ``element``, counted up to ``limit`` (past
    it: any larger number). ``counted`` keeps each container's count for later calls with the same
    limit (the images of one page climb through the same containers); a childless element is
    counted in place."""
    if counted is not None and (total := counted.get(element)) is not None:
        return total
    total = _non_space(text) if (text := element.text) else 0
    for child in element:
        if total > limit:
            break
        tag = child.tag
        if isinstance(tag, str) and tag not in DROP_TAGS:
            if len(child):
                total += _visible_chars(child, limit, counted)
            elif text := child.text:
                total += _non_space(text)
        if text := child.tail:
            total += _non_space(text)
    if counted is not None:
        counted[element] = total
    return total


def _non_space(text: str) -> int:
    """The characters of ``text`` other than " ", newlines, tabs and carriage returns (most texts
    between tags are only those: one strip tells)."""
    text = text.strip(" \n\t\r")
    if not text:
        return 0
    total = len(text)
    for space in " \n\t\r":
        if space in text:
            total -= text.count(space)
    return total


def signup_boxes(root: HtmlElement) -> set[HtmlElement]:
    """Sign-up boxes: for each email or phone field, its largest ancestor holding at most
    SIGNUP_BOX_MAX_CHARS characters of text, spaces aside: the field's form with its pitch, consent
    line and thank-you note. A newsletter or deal-alert box holds little else; an article far more."""
    boxes: set[HtmlElement] = set()
    chars: dict[HtmlElement, int] = {}  # text per element, counted once (past the limit: any larger number)
    for field in root.iter("input"):
        if (field.get("type") or "").lower() not in SIGNUP_FIELD_TYPES:
            continue
        box = None
        node = field.getparent()
        while node is not None and node.tag not in NEVER_FLAGGED_TAGS:
            if _visible_chars(node, SIGNUP_BOX_MAX_CHARS, chars) > SIGNUP_BOX_MAX_CHARS:
                break
            box, node = node, node.getparent()
        if box is not None:
            boxes.add(box)
    return boxes


def _repeated(element: HtmlElement) -> bool:
    """Whether a sibling next to ``element`` has its tag and class and holds an image too: an item
    of a run of alike pictured items (cards)."""
    tag, classes = element.tag, element.get("class")
    for sibling in (element.getprevious(), element.getnext()):
        if sibling is not None and sibling.tag == tag and sibling.get("class") == classes:
            if next(sibling.iter("img"), None) is not None:
                return True
    return False


def image_boxes(root: HtmlElement) -> set[HtmlElement]:
    """Caption boxes: for each image, its largest ancestor holding at most IMAGE_BOX_MAX_CHARS
    characters of text, spaces aside (the image with its caption and credit line, in whatever
    markup: a <figure> is flagged by its tag already, a <div> is not), unless that box is a
    paragraph (an image inline in the text), holds a heading (a card: headline, picture, summary)
    or a quote (a reader's quote beside their photo is text, as a figure holding one is), or it
    or an ancestor on the way up sits in a run of alike pictured siblings (cards of a list or a
    grid, which the teaser rule weighs; a listicle's items are the article)."""
    boxes: set[HtmlElement] = set()
    chars: dict[HtmlElement, int] = {}  # text per element, counted once (past the limit: any larger number)
    outcome: dict[HtmlElement, HtmlElement | None] = {}  # a container on a finished climb -> that climb's box
    for image in root.iter("img"):
        box, node, path = None, image.getparent(), []
        while node is not None and node.tag not in NEVER_FLAGGED_TAGS:
            if node in outcome:  # the rest of this climb was climbed from another image
                box = outcome[node]
                break
            if _repeated(node):
                box = None
                break
            if _visible_chars(node, IMAGE_BOX_MAX_CHARS, chars) > IMAGE_BOX_MAX_CHARS:
                break
            box, node = node, node.getparent()
            path.append(box)
        for container in path:
            outcome[container] = box
        if box is not None and box.tag != "p" and next(box.iter(*IMAGE_BOX_NOT_IN), None) is None:
            boxes.add(box)
    return boxes


class _Walker:
    def __init__(self, root: HtmlElement) -> None:
        self.page = Page()
        self.root = root
        self.segments: dict[str, HtmlElement] | None = None  # streamed segments by id, found on first placeholder
        self.has_templates = next(root.iter("template"), None) is not None
        self.boxes = signup_boxes(root) | image_boxes(root)  # flagged as furniture
        self.signatures: dict[str, str] = {}  # class string -> its numbers as "#"

    def _segment(self, template: HtmlElement) -> HtmlElement | None:
        ident = _placeholder_id(template)
        if ident is None:
            return None
        if self.segments is None:
            self.segments = {}
            for div in self.root.iter("div"):
                segment = _segment_id(div)
                if segment is not None:
                    self.segments[segment] = div
        return self.segments.get(ident)

    def children_of(self, element: HtmlElement) -> Iterable[HtmlElement | str]:
        """children(), or the element itself to iterate where no streaming is in play (the fast path)."""
        return self.children(element) if self.has_templates else element

    def children(self, element: HtmlElement) -> Iterator[HtmlElement | str]:
        """The element's children as a browser shows them once streaming is done: a placeholder
        replaced by its segment's text and children (its own tail kept), a boundary's loading
        fallback left out, and the segments themselves not read where they were sent."""
        skip_to: HtmlElement | None = None
        for child in element:
            if skip_to is not None:
                if child is not skip_to:
                    continue
                skip_to = None
            tag = child.tag
            if tag == "template":
                segment = self._segment(child)
                if segment is not None:
                    if segment.text:
                        yield segment.text
                    yield from self.children(segment)
                    if child.get("id", "").startswith("B:"):
                        skip_to = _fallback_end(child)
            elif tag == "div" and self.segments is not None and _segment_id(child) in self.segments:
                continue
            yield child

    def inline_text(self, element: HtmlElement, parts: list[str], counts: list[int], in_link: bool) -> None:
        """Append the text of an inline subtree (or a leaf block); <br> becomes a line break.

        ``counts`` holds the characters inside <a> at [0] and the <time> elements met at [1]."""
        if text := element.text:  # lxml builds a new str on every read of .text or .tail: read each once
            parts.append(text)
            if in_link:
                counts[0] += len(text)
        for child in self.children_of(element):
            if isinstance(child, str):
                parts.append(child)
                continue
            tag = child.tag
            if isinstance(tag, str) and tag not in DROP_TAGS and not is_hidden(child):
                if tag == "br":
                    parts.append("\n")
                else:
                    if tag == "time":
                        counts[1] += 1
                    self.inline_text(child, parts, counts, in_link or tag == "a")
                    if tag in LEAF_BLOCK_TAGS or tag == "div":
                        parts.append("\n\n")
            if tail := child.tail:
                parts.append(tail)
                if in_link:
                    counts[0] += len(tail)

    def emit(self, parts: list[str], counts: list[int], tag: str, path: tuple[int, ...], flag: int) -> None:
        raw = "".join(parts)
        if not raw or raw.isspace():
            return
        if "\n" not in raw:  # one piece holding all the link characters (most blocks)
            text = one_line(raw)
            if text:
                self.page.blocks.append(Block(text, counts[0], tag, path, flag, counts[1] > 0))
            return
        pieces = PARAGRAPH_BREAK.split(raw)
        total = sum(len(piece) for piece in pieces)
        link_chars, has_time = counts[0], counts[1] > 0
        for piece in pieces:
            text = one_line(piece.replace("\n", " "))
            if text:
                share = link_chars * len(piece) // total if len(pieces) > 1 else link_chars
                self.page.blocks.append(Block(text, share, tag, path, flag, has_time))

    def table_row(self, row: HtmlElement, path: tuple[int, ...], flag: int) -> None:
        """A table row as one block, its cells separated by tabs."""
        cells = []
        counts = [0, 0]
        for cell in row:
            if cell.tag in ("td", "th") and not is_hidden(cell):
                parts: list[str] = []
                self.inline_text(cell, parts, counts, False)
                text = one_line("".join(parts).replace("\n", " "))
                if text:
                    cells.append(text)
        if cells:
            self.page.blocks.append(Block("\t".join(cells), counts[0], "tr", path, flag, counts[1] > 0))

    def walk(self, element: HtmlElement, path: tuple[int, ...]) -> None:
        tag = element.tag
        flag, content = classify(element)
        if flag == Flag.NONE and element in self.boxes:
            flag = Flag.WEAK
        if tag == "tr" and element.find(".//table") is None:
            self.table_row(element, path, flag)
            return
        if tag in LEAF_BLOCK_TAGS and not _has_block_descendant(element):
            parts: list[str] = []
            counts = [0, 0]
            self.inline_text(element, parts, counts, False)
            self.emit(parts, counts, tag, path, flag)
            return
        page = self.page
        node = len(page.parents)
        page.parents.append(path[-1] if path else -1)
        page.flags.append(flag)
        page.content.append(content)
        page.elements.append(element)
        classes = element.get("class") or ""
        if (signature := self.signatures.get(classes)) is None:
            signature = self.signatures[classes] = NUMBERS.sub("#", classes)
        page.signatures.append(f"{tag}.{signature}")
        path = (*path, node)
        parts = [text] if (text := element.text) else []
        counts = [0, 0]
        for child in self.children_of(element):
            if isinstance(child, str):
                parts.append(child)
                continue
            child_tag = child.tag
            if not isinstance(child_tag, str) or child_tag in DROP_TAGS:
                pass
            elif child_tag == "br":
                parts.append("\n")
            elif _is_inline(child):
                if not is_hidden(child):
                    if child_tag == "time":
                        counts[1] += 1
                    self.inline_text(child, parts, counts, child_tag == "a")
            else:
                if parts:
                    self.emit(parts, counts, tag, path, Flag.NONE)
                    parts, counts = [], [0, 0]
                self.walk(child, path)
            if tail := child.tail:
                parts.append(tail)
        if parts:
            self.emit(parts, counts, tag, path, Flag.NONE)


def read_blocks(tree: HtmlElement) -> Page:
    """Every text block of the page's <body> (the whole tree when there is none), in document order."""
    body = tree.find("body")
    walker = _Walker(tree)
    walker.walk(body if body is not None else tree, ())
    return walker.page
