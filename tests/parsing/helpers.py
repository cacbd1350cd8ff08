"""Build small inline pages for parser unit tests."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from lxml import html as lxml_html

from crawler.parsing import Document, load_document

URL = "https://news.example/2025/09/11/some-article.html"

FILLER = (
    "The council met on Tuesday evening to discuss the plan in detail. Residents asked many "
    "questions about the cost, the schedule and the effect on traffic in the old town. "
)


def html(body: str = "", *, head: str = "", lang: str = "en") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def article_body(paragraphs: int = 6) -> str:
    return "".join(f"<p>{FILLER}</p>" for _ in range(paragraphs))


def doc(body: str = "", *, head: str = "", url: str = URL, lang: str = "en") -> Document:
    return load_document(html(body, head=head, lang=lang), url)


def span_text_freed(read: Callable[[str], object], markup: str, expected: object) -> bool:
    """Whether ``read`` of the text of ``markup``'s ``<span>``, as lxml returns it (a string that
    holds its element, and so its whole page, alive), gives ``expected`` and then lets the element
    go: a per-process cache must key plain strings."""
    tree = lxml_html.fromstring(markup)
    found = tree.xpath("//span/text()")[0]
    span = found.getparent()
    assert type(found) is not str and span.tag == "span"
    assert read(found) == expected
    gone = weakref.ref(span)
    del tree, found, span
    gc.collect()
    return gone() is None
