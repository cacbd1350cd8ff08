"""Small text helpers: the cleaning every field reader uses."""

from __future__ import annotations

import random

from crawler.parsing import text

from .helpers import span_text_freed


def test_a_remembered_clean_text_is_the_text_cleaned():
    # Short texts are remembered per process (a site repeats its labels and bylines): the same
    # answer as cleaning them, entities and every kind of whitespace included, asked once or twice.
    rng = random.Random(5)
    pieces = ["a", "B", " ", "\n", "\t", "\u00a0", "&amp;", "&lt;", "&nbsp;", "&#8217;", "&", "é", "·", "\u2028"]
    text._clean.cache_clear()
    for _ in range(3000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert text.clean(raw) == (text._clean.__wrapped__(raw) if raw else "")
    assert text._clean.cache_info().hits > 0
    long = "word " * text.MAX_REMEMBERED_TEXT
    before = text._clean.cache_info().currsize
    assert text.clean(long) == long.strip()
    assert text._clean.cache_info().currsize == before  # a paragraph is cleaned each time, not kept
    assert text.clean(None) == "" and text.clean("") == ""


def test_the_remembered_texts_hold_no_page_alive():
    # lxml's string results keep their element (and its whole page) alive: the cache keys plain strings.
    text._clean.cache_clear()
    assert span_text_freed(text.clean, '<div><span class="label">Next  article</span></div>', "Next article")


def test_clean_collapses_every_kind_of_whitespace_as_the_whitespace_pattern_does():
    # clean() joins a text's words: the same as collapsing each run of \s (str.isspace(), every
    # Unicode space) to one space and stripping the ends.
    import re

    spaces = [chr(code) for code in range(0x3100) if chr(code).isspace()] + ["\u200b", "\ufeff"]
    rng = random.Random(8)
    for _ in range(3000):
        raw = "".join(rng.choice(["a", "é", "字", *spaces]) for _ in range(rng.randint(1, 14)))
        assert text._clean(raw) == re.sub(r"\s+", " ", raw).strip()
