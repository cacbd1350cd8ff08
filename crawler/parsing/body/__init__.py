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
   (paragraphs it does not support go), or takes articleBody when the visible page gave nothing.
"""

from __future__ import annotations

from crawler.parsing.body.blocks import read_blocks
from crawler.parsing.body.lines import article_paragraphs, comparable, drop_author_notes, drop_copies
from crawler.parsing.body.region import main_region
from crawler.parsing.body.structured import article_body, author_names, cross_check
from crawler.parsing.document import Document

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


def extract_body(doc: Document) -> str | None:
    """The article's own text, or None when the page holds none."""
    paragraphs = article_paragraphs(drop_copies(main_region(read_blocks(doc.tree))), _headlines(doc))
    paragraphs = drop_author_notes(paragraphs, author_names(doc))
    paragraphs = cross_check(paragraphs, article_body(doc))
    return "\n\n".join(paragraphs) or None
