"""Build small inline pages for parser unit tests."""

from __future__ import annotations

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
