"""The article body: plain text, paragraphs separated by one blank line.

``extract_body(doc)`` reads the shared ``Document`` (never modifying its tree):
1. blocks.py flattens the page into text blocks, each with the containers above it and what
   their markup says (furniture words, hidden, content markers);
2. region.py weighs the blocks and picks the container holding the article, keeping its
   readable blocks (no links lists, no flagged furniture, no <h1> headline);
   a container whose text repeats an earlier one's (a responsive layout's second copy) goes;
3. lines.py drops what is still not the article's own text (call-outs, prev/next labels and
   the neighbour headlines after them, datelines, bylines, the headline again, furniture
   sections under headings like "Related articles", a closing note about an author);
4. structured.py cross-checks the result with the page's JSON-LD articleBody where it agrees
   (paragraphs it does not support go), or takes articleBody when the visible page gave nothing;
5. when the page shows no prose at all (a script-built page sending a loading shell), the
   article is read from its scripts: the field of their JSON payloads whose text tree reads most
   as prose (``crawler.parsing.payload``, which also gives the fields around it), else the string
   literal that reads most like an article (embedded.py, for carriers that are not JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from os.path import commonprefix

from lxml.html import HtmlElement

from crawler.parsing.body.blocks import Block, Page, read_blocks
from crawler.parsing.body.embedded import embedded_paragraphs, prose_chars as text_prose_chars
from crawler.parsing.body.lines import article_paragraphs, comparable, drop_author_notes, drop_copies
from crawler.parsing.body.region import main_region, prose_chars
from crawler.parsing.body.structured import RESCUE_MAX_CHARS, article_body, author_names, cross_check
from crawler.parsing.document import Document
# After the body modules: crawler.parsing.payload reads strings with embedded.py's rules.
from crawler.parsing.payload import Found, find_payload_body

PAYLOAD_TIE_SHARE = 0.1  # a payload body this close to the best string literal's prose is preferred (it has fields)

_HEADLINE_META = ("og:title", "twitter:title", "headline")


def _headlines(doc: Document) -> set[str]:
    """comparable() forms of the page's own title candidates: meta titles, JSON-LD headline, <h1>s."""
    found = [value for name in _HEADLINE_META for value in doc.meta.get(name, ())]
    found += [obj["headline"] for obj in doc.json_ld if isinstance(obj.get("headline"), str)]
    found += [h1.text_content() for h1 in doc.tree.iter("h1")]
    title = doc.tree.findtext(".//title")
    if title:
        found.append(title)
    return {key for key in map(comparable, found) if key}


@dataclass(slots=True)
class Body:
    text: str | None  # paragraphs separated by one blank line; None when the page holds none
    from_scripts: bool = False  # read from the page's scripts: its markup shows no prose
    payload: Found | None = None  # the script payload object holding the body, when it came from one
    blocks: Page | None = None  # the page's text blocks as read for the body (article detection reads its layout from them)
    region: HtmlElement | None = None  # the deepest container holding every block of the candidate body (a site's template learns it)


def _region(page: Page, blocks: list[Block]) -> HtmlElement | None:
    """The deepest container on every block's path (their paths' common start)."""
    common = commonprefix([block.path for block in blocks]) if blocks else ()
    return page.elements[common[-1]] if common else None


def read_body(doc: Document, *, root: HtmlElement | None = None) -> Body:
    """The article's own text and where it was found (see the module docstring). ``root``: read
    only that element's subtree (a site template's body container), with no fallback to the
    page's scripts."""
    headlines, authors = _headlines(doc), author_names(doc)
    page = read_blocks(doc.tree if root is None else root)
    region = main_region(page)
    paragraphs = article_paragraphs(drop_copies(region), headlines)
    paragraphs = cross_check(drop_author_notes(paragraphs, authors), article_body(doc))
    if root is None and sum(map(len, paragraphs)) < RESCUE_MAX_CHARS and prose_chars(page) < RESCUE_MAX_CHARS:
        body = _from_scripts(doc, headlines, authors) or Body("\n\n".join(paragraphs) or None)
    else:
        body = Body("\n\n".join(paragraphs) or None)
    body.blocks = page
    body.region = _region(page, region)
    return body


def _from_scripts(doc: Document, headlines: set[str], authors: set[str]) -> Body | None:
    """The body a script-built page's scripts hold: a JSON payload's, unless a string literal
    outside any payload reads clearly more as an article."""
    found = find_payload_body(doc, headlines)
    literal = embedded_paragraphs(doc, headlines)
    if found is not None and found.prose >= (1 - PAYLOAD_TIE_SHARE) * text_prose_chars(literal):
        paragraphs = drop_author_notes(found.paragraphs, authors)
        return Body("\n\n".join(paragraphs), from_scripts=True, payload=found) if paragraphs else None
    literal = drop_author_notes(literal, authors)
    return Body("\n\n".join(literal), from_scripts=True) if literal else None


def extract_body(doc: Document) -> str | None:
    """The article's own text, or None when the page holds none."""
    return read_body(doc).text
