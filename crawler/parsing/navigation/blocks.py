"""Candidate previous/next blocks, found by structure: which links sit together, and what is around them.

One pass over the page's ``<a>`` and ``<p>`` elements (document order) keeps the links that may
lead to another article of the site (``urls.article_link``, with the current article's URL
shape). Links are then grouped by their nearest ancestors:

- a **slot** is the highest ancestor of a link that holds no other candidate URL (a link, its
  card, its ``<li>``);
- a **pair** is the parent of a slot that holds exactly two candidate URLs: the usual
  "previous | next" block, but also a related box with two links, which the scoring tells apart;
- a **single** is a slot whose parent holds more URLs or none: a chain end, or a pager whose
  other link is far away; it is kept only when something names its direction (rel, a class,
  a label, an arrow).

For each block the features the scoring reads are collected here: text chunks per slot (label
and headline), text outside the slots (a box title, or labels beside the links), whether the
two slots mirror each other, and where the block sits relative to the article's prose.

The costly reading is done last and for the few blocks that can still count: a lone link
between the article's paragraphs without a rel is not read at all (it cannot reach the score
threshold, weights.py); a slot's hints are read first, and its label and headline only for a
block that is not excluded and whose URLs or hints make it worth scoring.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.parsing import selectors as sel
from crawler.parsing.document import Document
from crawler.parsing.navigation import labels, urls, weights
from crawler.parsing.navigation.slots import SKIP, Slot, named, read_hints, read_label, texts
from crawler.parsing.text import clean, inside, marker

MAX_DEPTH = 6  # ancestors looked at above a link when grouping links into blocks
MAX_BLOCK_TEXT = 700  # characters: more is a section of the page, not a pager
MAX_BLOCK_HREFS = 4  # distinct hrefs in a pair's block: the two, and their images or a way back
MAX_SLOT_TEXT = 350  # characters in one slot: a label and a headline, or a card's teaser
MAX_UNLINKED = 60  # characters of a slot's text outside its links: a label, not a sentence
PROSE_CHARS = 120  # a <p> with this much text is the article's prose
HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# A lone link between the article's paragraphs, without a rel attribute, stays under MIN_SCORE
# with every other piece of evidence at its best (weights.py): such links are not read closely.
IN_BODY_SINGLES_CAN_SCORE = weights.SINGLE_CEILING + weights.IN_BODY >= weights.MIN_SCORE


@dataclass(slots=True)
class Block:
    element: HtmlElement  # the pair's container, or the single slot
    slots: list[Slot]  # one or two, in document order
    order: int  # document position of its first link
    heading: bool = False  # a box title above the links ("Related", "Lesen Sie auch", invented)
    mirrored: float = 0.0  # weights.MIRRORED: two slots of one tag whose classes differ by one token; MIRRORED_ALIKE: same classes
    position: str = "elsewhere"  # "after-body", "in-body", "before-body" or "elsewhere"
    furniture: bool = False  # inside the page's header or footer
    twin: str | None = None  # a single's side by reading order beside an empty twin slot
    text_length: int = 0


@dataclass(slots=True)
class Scan:
    """What the one pass over the page found."""

    # candidate URL (trailing slash dropped) -> its links: (document position, <a>, absolute URL)
    links: dict[str, list[tuple[int, HtmlElement, str]]]
    body_span: tuple[int, int] | None  # document positions of the main prose's first and last <p>
    body_container: HtmlElement | None
    prose: set[HtmlElement]  # the <p> elements of running text
    page_key: tuple[int | None, int | None]  # urls.order_key of the page itself
    page_url: str
    parts: dict[str, tuple[str, str]]  # candidate URL -> its path and query, as the link rule split them
    shapes: dict[str, float] = field(default_factory=dict)  # candidate URL -> urls.shape_match, filled on demand
    page_shape: urls.PageShape | None = None

    def shape(self, url: str) -> float:
        """``urls.shape_match`` of a candidate URL, worked out only for the URLs that become slots."""
        found = self.shapes.get(url)
        if found is None:
            if self.page_shape is None:
                self.page_shape = urls.PageShape.of(self.page_url)
            found = self.shapes[url] = urls.shape_match(*self.parts[url], self.page_shape)
        return found


def _resolver(page_url: str) -> Callable[[str], tuple[str, str, str] | None]:
    """``LinkRule.resolve`` (URL, path, query) with a per-page cache."""
    cache: dict[str, tuple[str, str, str] | None] = {}
    rule = urls.LinkRule(page_url)
    page_host = rule.host

    def resolve(href: str) -> tuple[str, str, str] | None:
        found = cache.get(href, False)
        if found is not False:
            return found
        resolved = None
        if not (href.startswith(("http://", "https://", "//")) and page_host not in href.split("/", 3)[2].lower()):
            resolved = rule.resolve(href)
        cache[href] = resolved
        return resolved

    return resolve


def scan(doc: Document, *, exclude: frozenset[str] = frozenset(), within: HtmlElement | None = None) -> Scan:
    """Candidate links and the article's prose span, in one pass over ``<a>`` and ``<p>``;
    ``within``: only that element's links are candidates (the prose is the whole page's)."""
    body = doc.tree.find("body")
    root = body if body is not None else doc.tree
    resolve = _resolver(doc.url)
    links: dict[str, list[tuple[int, HtmlElement, str]]] = {}
    parts: dict[str, tuple[str, str]] = {}
    prose: list[tuple[int, HtmlElement]] = []
    kept = None if within is None else set(within.iter("a"))
    for order, element in enumerate(root.iter("a", "p")):
        if element.tag == "p":
            if (length := len(element.text_content())) >= PROSE_CHARS and not _mostly_linked(element, length):
                prose.append((order, element))
            continue
        if kept is not None and element not in kept:
            continue
        href = element.get("href")
        if href and (resolved := resolve(href.strip())) is not None and (url := resolved[0]) not in exclude:
            links.setdefault(url.rstrip("/"), []).append((order, element, url))
            parts[url] = resolved[1:]
    span, container = None, None
    if prose:
        parents = Counter(p.getparent() for _, p in prose)
        container = parents.most_common(1)[0][0]
        main = [order for order, p in prose if p.getparent() is container]
        span = (main[0], main[-1])
    return Scan(links, span, container, {p for _, p in prose}, urls.order_key(doc.url), doc.url, parts)


def _mostly_linked(paragraph: HtmlElement, length: int) -> bool:
    """A paragraph that is mostly one link's text ("NEXT STORY: <headline>") is no prose."""
    return any(len(link.text_content()) * 2 > length for link in paragraph.iter("a"))


def _mirrored(first: HtmlElement, second: HtmlElement) -> float:
    if first.tag != second.tag:
        return 0.0
    a, b = set((first.get("class") or "").split()), set((second.get("class") or "").split())
    if a == b:
        return weights.MIRRORED_ALIKE
    return weights.MIRRORED if len(a ^ b) <= 2 and len(a) == len(b) else 0.0


def _position(block: HtmlElement, order: int, found: Scan) -> str:
    """Where the block sits: inside a paragraph of prose or between the article's paragraphs
    ("in-body"), after its last one, before its first, or elsewhere."""
    if any(node in found.prose for node in (block, *block.iterancestors("p"))):
        return "in-body"
    if found.body_span is None:
        return "elsewhere"
    first, last = found.body_span
    if order > last:
        return "after-body"
    if order < first:
        return "before-body"
    container = found.body_container
    if container is not None and any(ancestor is container for ancestor in block.iterancestors()):
        return "in-body"
    return "elsewhere"


def _outsidetexts(group: HtmlElement, slots: tuple[HtmlElement, HtmlElement]) -> tuple[list[str], list[str], list[str], bool]:
    """Text in a pair's container outside its two slots: before the first, between, after the
    second; and whether a heading element stands there."""
    before: list[str] = []
    between: list[str] = []
    after: list[str] = []
    heading = False
    current = before
    if group.text and group.text.strip():
        before.append(clean(group.text))
    for child in group:
        if child is slots[0]:
            current = between
        elif child is slots[1]:
            current = after
        elif isinstance(child.tag, str) and child.tag not in SKIP:
            heading = heading or child.tag in HEADINGS
            current.extend(texts(child))
        if child.tail and child.tail.strip():
            current.append(clean(child.tail))
    return before, between, after, heading


def _pair(group: HtmlElement, first: Slot, second: Slot, order: int, found: Scan) -> Block | None:
    text_length = len(group.text_content())
    if text_length > MAX_BLOCK_TEXT:
        return None
    if len({a.get("href") for a in group.iter("a")}) > MAX_BLOCK_HREFS:
        return None  # a menu or a list with two article links among others
    if _unlinked_text(first.element) > MAX_UNLINKED or _unlinked_text(second.element) > MAX_UNLINKED:
        return None  # links inside sentences or teasers: prose, not a pager
    before, between, after, heading = _outsidetexts(group, (first.element, second.element))
    if sum(map(len, between)) > MAX_UNLINKED:
        return None
    text = [t for t in before + between + after if not labels.is_arrows(t)]
    if before and not between and not heading:
        # one text above both links and none between them: a box title, unless it names a direction
        heading = bool(text) and not any(labels.label_hint(t) for t in before)
    beside = bool(between) and not heading  # "Previous <a> | Next <a>": labels written beside the links
    read_hints(first, before if beside else [t for t in before if labels.is_arrows(t)])
    read_hints(second, between if beside else [t for t in after if labels.is_arrows(t)])
    block = Block(group, [first, second], order, heading=heading, text_length=text_length)
    block.mirrored = _mirrored(first.element, second.element)
    block.position = _position(group, order, found)
    block.furniture = _page_furniture(group)
    return block


def _unlinked_text(slot: HtmlElement) -> int:
    """Characters of a slot's text outside its links (a label at most, in a pager)."""
    if slot.tag == "a":
        return 0
    return len(slot.text_content()) - sum(len(link.text_content()) for link in slot.iter("a"))


def _page_furniture(element: HtmlElement) -> bool:
    """Inside the page's own header or footer (not an article's <footer>)."""
    furniture = False
    for ancestor in element.iterancestors():
        if ancestor.tag == "article":
            return False
        furniture = furniture or ancestor.tag in ("header", "footer")
    return furniture


def _single(slot: Slot, order: int, found: Scan) -> Block | None:
    """A lone link: its slot is climbed only while the text stays a label and a headline."""
    node = slot.link
    length = None  # len(node.text_content()), once measured
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or parent is found.body_container:
            break
        parent_length = len(parent.text_content())
        if parent_length > MAX_SLOT_TEXT or any(a is not slot.link and a.get("href") and a.get("href") != slot.link.get("href") for a in parent.iter("a")):
            break
        node, length = parent, parent_length
    slot.element = node
    if length is None:
        length = len(node.text_content())
    if length > MAX_SLOT_TEXT:
        return None
    read_hints(slot, _label_before(node) if node is slot.link else [])
    block = Block(node, [slot], order, text_length=length)
    element: HtmlElement | None = slot.link
    while element is not None and block.twin is None:  # an empty twin at any level from the link up to the slot
        block.twin = _empty_twin(element)
        element = None if element is node else element.getparent()
    block.mirrored = weights.MIRRORED if block.twin else 0.0
    if not slot.hints and slot.rel is None and not block.mirrored:
        return None
    block.position = _position(node, order, found)
    block.furniture = _page_furniture(node)
    return block


def _empty_twin(slot: HtmlElement) -> str | None:
    """The reading-order side of a slot whose sibling mirrors it with no link in it: the other
    side of a pager at a chain's end ("<div class=pn-a></div><div class=pn-b><a>...</a></div>"
    gives "next")."""
    parent = slot.getparent()
    if parent is None or len(parent) > 3:
        return None
    seen_slot = False
    for sibling in parent:
        if sibling is slot:
            seen_slot = True
        elif isinstance(sibling.tag, str) and _mirrored(slot, sibling) == weights.MIRRORED and next(sibling.iter("a"), None) is None:
            return "next" if not seen_slot else "prev"  # the empty side comes first: we are the second
    return None


def _cheap_hint(link: HtmlElement) -> bool:
    """Whether a lone link is worth reading closely: a rel, a direction class, an arrow or a
    label in or right beside it."""
    if _has_rel(link):
        return True
    if any(labels.label_hint(value) for attribute in ("aria-label", "title") if (value := link.get(attribute))):
        return True
    parent = link.getparent()
    for node in (link, parent):
        if node is not None and labels.class_hint(marker(node)):
            return True
    text = link.text_content() if len(link) else link.text or ""  # a link without children: its text is all
    if len(text) < MAX_SLOT_TEXT and (labels.arrow_hint(text) or labels.label_hint(text) or ("\n" in text and _any_label(text))):
        return True
    if parent is not None and len(parent) <= 4:
        outside = len(parent.text_content()) - len(text)
        if 0 < outside < MAX_UNLINKED or (parent.getparent() is not None and _empty_twin(parent) is not None):
            return True
    return any(labels.label_hint(piece) for piece in _label_before(link))


def _label_before(link: HtmlElement) -> list[str]:
    """Short text right before a link among its siblings: "<b>Next article:</b> <a>"."""
    previous = link.getprevious()
    while previous is not None and not isinstance(previous.tag, str):  # comments, processing instructions
        if previous.tail and previous.tail.strip():
            break
        previous = previous.getprevious()
    if previous is None:
        parent = link.getparent()
        text = parent.text if parent is not None else None
    else:
        text = previous.tail if previous.tail and previous.tail.strip() else "".join(previous.itertext())
    text = clean(text)
    return [text] if text and len(text) <= labels.MAX_LABEL_CHARS else []


def _any_label(text: str) -> bool:
    return any(labels.label_hint(part) for part in text.split("\n") if part.strip())


def _slot(element: HtmlElement, link: HtmlElement, url: str, found: Scan) -> Slot:
    return Slot(element, link, url, shape=found.shape(url))


_Climb = tuple[str, int, HtmlElement, str, list[HtmlElement]]  # URL key, position, <a>, URL, ancestors


def _climbs(found: Scan) -> tuple[list[_Climb], dict[HtmlElement, set[str]]]:
    """Each candidate link with its nearest ancestors, and the URL keys under each ancestor."""
    under: dict[HtmlElement, set[str]] = {}
    climbs: list[_Climb] = []
    for url, occurrences in found.links.items():
        for order, link, absolute in occurrences:
            ancestors = []
            node = link.getparent()
            depth = 0
            while node is not None and depth < MAX_DEPTH and node.tag not in ("body", "html"):
                depth += 1
                ancestors.append(node)
                if (urls_under := under.get(node)) is None:  # not setdefault: that builds a set every time
                    under[node] = {url}
                else:
                    urls_under.add(url)
                node = node.getparent()
            climbs.append((url, order, link, absolute, ancestors))
    return climbs, under


def _group(climb: _Climb, under: dict[HtmlElement, set[str]]) -> tuple[HtmlElement, HtmlElement | None]:
    """(slot, the slot's parent when it holds other candidate URLs)."""
    slot = climb[2]
    for ancestor in climb[4]:
        if len(under[ancestor]) > 1:
            return slot, ancestor
        slot = ancestor
    return slot, None


def _pair_of(group: HtmlElement, members: list[tuple[_Climb, HtmlElement]], found: Scan) -> Block | None:
    first_of: dict[str, tuple[_Climb, HtmlElement]] = {}
    for climb, slot in members:
        first_of.setdefault(climb[0], (climb, slot))
    if len(first_of) != 2:
        return None  # the other URL's own links group lower down: not one block
    (a, slot_a), (b, slot_b) = sorted(first_of.values(), key=lambda member: member[0][1])
    if slot_a is slot_b or slot_a.getparent() is not group or slot_b.getparent() is not group:
        return None
    return _pair(group, _slot(slot_a, a[2], a[3], found), _slot(slot_b, b[2], b[3], found), a[1], found)


@dataclass(slots=True)
class Candidates:
    """The pairs worth scoring, and the links left for singles (read only when asked)."""

    found: Scan
    pairs: list[Block]
    lone: list[_Climb]

    def single_ceiling(self) -> float:
        """The most any single of the page can score: the strongest hint (with a rel when a
        lone link has one), its URL in order, label shape, an empty twin, after the body. A
        pair scoring this much is never outranked by a single."""
        rel = weights.REL if any(_has_rel(climb[2]) for climb in self.lone) else 0.0
        return weights.SINGLE_CEILING + rel + weights.AFTER_BODY

    def singles(self) -> list[Block]:
        """The lone links worth scoring as singles, their slots read."""
        found, blocks = self.found, []
        for _, order, link, absolute, _ in self.lone:
            if not IN_BODY_SINGLES_CAN_SCORE and _between_paragraphs(order, link, found) and not _has_rel(link):
                continue
            if _cheap_hint(link) and (block := _single(_slot(link, link, absolute, found), order, found)):
                blocks.append(block)
        return _worth(blocks)


def candidate_pairs(doc: Document, *, exclude: frozenset[str] = frozenset(), within: HtmlElement | None = None) -> Candidates:
    """Pairs worth scoring, their slots read, and the lone links (a link of a pair that is no
    pager may still be a single); ``within``: of that element's links only (``scan``)."""
    found = scan(doc, exclude=exclude, within=within)
    climbs, under = _climbs(found)
    pairs: dict[HtmlElement, list[tuple[_Climb, HtmlElement]]] = {}
    lone: list[_Climb] = []
    for climb in climbs:
        slot, group = _group(climb, under)
        if group is not None and len(under[group]) == 2 and group is not found.body_container:
            pairs.setdefault(group, []).append((climb, slot))
        else:
            lone.append(climb)
    blocks = []
    for group, members in pairs.items():
        if block := _pair_of(group, members, found):
            blocks.append(block)
        else:
            lone += [climb for climb, _ in members]
    return Candidates(found, _worth(blocks), lone)


def _worth(blocks: list[Block]) -> list[Block]:
    """The blocks worth scoring (not inside an excluded container, and either every URL in the
    article's shape or a slot that names its direction), their labels and headlines read."""
    worth = [block for block in blocks if _worth_scoring(block) and not inside(block.slots[0].link, sel.NAV_EXCLUDED_WORDS)]
    for block in worth:
        for slot in block.slots:
            read_label(slot)
    return worth


def _worth_scoring(block: Block) -> bool:
    """Structure alone needs every URL in the article's own shape; else a slot must name its direction."""
    return min(slot.shape for slot in block.slots) >= 1.0 or any(named(slot) for slot in block.slots)


def _between_paragraphs(order: int, link: HtmlElement, found: Scan) -> bool:
    """Between the article's first and last paragraph, inside their container: whatever slot
    the link climbs to is "in-body" (``_position``)."""
    if found.body_span is None or not found.body_span[0] <= order <= found.body_span[1]:
        return False
    return any(ancestor is found.body_container for ancestor in link.iterancestors())


def _has_rel(link: HtmlElement) -> bool:
    rel = (link.get("rel") or "").lower()
    return "prev" in rel or "next" in rel
