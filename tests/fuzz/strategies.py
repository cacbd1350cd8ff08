"""Hypothesis strategies for hostile HTML: tag soup built from the markup parsers look at.

The generated pages mix what the extractors read (JSON-LD, OpenGraph, ``<time>``,
``rel=prev/next``, bylines, tables) with what breaks parsers (unclosed and misnested
tags, control characters, NUL, absurd attribute values, broken JSON, truncation).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

TAGS = (
    "html head body title meta link script style article main section div p span a h1 h2 time "
    "table tr td th ul li nav header footer aside br img noscript template svg iframe figure "
    "figcaption blockquote pre code form input button select option textarea b i em strong"
).split()
ATTRIBUTES = (
    "class id href rel content property name itemprop datetime colspan rowspan lang charset "
    "http-equiv type src aria-label title itemtype itemscope"
).split()
INTERESTING_VALUES = [
    "next", "prev", "previous", "article", "post-navigation", "og:title", "og:type", "article:published_time",
    "NewsArticle", "application/ld+json", "refresh", "0;url=file:///etc/passwd", "author", "byline",
    "2025-09-11T08:30:00+02:00", "3 hours ago", "31/02/2025", "0000-00-00", "9999-99-99T99:99:99",
    "999999999", "-1", "2147483648", "javascript:alert(1)", "//evil.example/x", "../../../a",
    "https://[::1/", "http://%zz", "http://news.example:99999/a", "data:text/html,<p>", "utf-7", "x-bogus",
    "Previous Article", "Next Article", "Предыдущая статья", "次の記事", "\u202e", "\x00", "",
]  # fmt: skip
CHARSETS = ["utf-8", "windows-1251", "shift_jis", "iso-8859-1", "utf-16", "gb18030", "koi8-r", "cp1252"]
CONTENT_TYPES = [
    None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1251", "text/html; charset=shift_jis",
    "text/html; charset=x-nonsense", "text/html; charset=", "application/xhtml+xml", "text/plain", "application/octet-stream",
    "image/png", ";;;", "text/html; charset=\"utf-16\"",
]  # fmt: skip
URLS = [
    "https://news.example/2025/09/11/story.html", "http://127.0.0.1:8000/a", "https://news.example/",
    "https://news.example/a?page=2#frag", "https://xn--80ak6aa92e.example/статья", "http://[::1]:80/x",
    "https://news.example/" + "a/" * 500, "not a url", "", "file:///etc/passwd",
]  # fmt: skip

texts = st.one_of(st.text(max_size=80), st.sampled_from(INTERESTING_VALUES), st.just("word " * 40))
attribute_values = st.one_of(st.sampled_from(INTERESTING_VALUES), st.text(max_size=40))
attributes = st.dictionaries(st.sampled_from(ATTRIBUTES), attribute_values, max_size=4)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(INTERESTING_VALUES),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "@graph", "headline", "author", "name", "datePublished", "dateModified",
                         "articleBody", "url", "mainEntityOfPage", "publisher", "image"]) | st.text(max_size=10),
        children, max_size=5,
    ),
    max_leaves=20,
)  # fmt: skip


def _start_tag(tag: str, attrs: dict[str, str]) -> str:
    rendered = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs.items())
    return f"<{tag}{rendered}>"


@st.composite
def jsonld_blocks(draw: Any) -> str:
    value = draw(json_values)
    text = json.dumps(value) if draw(st.booleans()) else draw(st.text(max_size=60))
    return f'<script type="application/ld+json">{text}</script>'


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: Any) -> str:
        tag = draw(st.sampled_from(TAGS))
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", f"</{draw(st.sampled_from(TAGS))}>"]))
        return _start_tag(tag, draw(attributes)) + inner + close

    return build()


nodes = st.recursive(texts | jsonld_blocks(), _element, max_leaves=40)


@st.composite
def html_documents(draw: Any) -> str:
    """A page: maybe a doctype, a head of meta tags, a body of tag soup; maybe cut short."""
    head = "".join(draw(st.lists(nodes, max_size=4)))
    body = "".join(draw(st.lists(nodes, max_size=8)))
    page = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>", "\ufeff"]))
    page += f"<html><head>{head}</head><body>{body}</body></html>"
    if draw(st.booleans()):
        page = page[: draw(st.integers(min_value=0, max_value=len(page)))]
    return page


@st.composite
def encoded_documents(draw: Any) -> tuple[bytes, str | None]:
    """(bytes, Content-Type): a page in some charset, labelled truly, falsely or not at all."""
    page = draw(html_documents())
    charset = draw(st.sampled_from(CHARSETS))
    body = page.encode(charset, errors="replace")
    if draw(st.integers(0, 4)) == 0:
        body = draw(st.binary(max_size=200)) + body
    return body, draw(st.sampled_from(CONTENT_TYPES))
