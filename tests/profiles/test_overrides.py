"""Profile selector overrides over a parse result: what each field reads, and what a miss leaves."""

import pytest

from crawler.parsing import load_document
from crawler.parsing.overrides import apply_selectors
from crawler.parsing.result import ParseResult

PAGE = """<html lang="en"><head><title>Site | Wrong title</title></head><body>
<h2 class="kicker">Harbour</h2><h1 class="story">Ferry timetable changes</h1>
<span class="who">Ada Reporter</span><span class="who">Ben Writer</span><span class="who">Ada Reporter</span>
<span class="when" data-x="1">11 September 2025</span><time class="upd" datetime="2025-09-12T08:00:00+02:00">yesterday</time>
<div class="text"><p>First paragraph.</p><p>  Second
 paragraph. </p></div><a class="older" href="/2025/09/10/older.html">Older</a></body></html>"""


def test_each_field_reads_its_matches():
    doc = load_document(PAGE, "https://n.example/2025/09/11/ferry.html")
    base = ParseResult(url=doc.url, title="Wrong title", body="wrong", language="en")
    result = apply_selectors(base, doc, {
        "title": "h1.story", "body": "div.text p", "authors": "span.who", "published_at": "span.when",
        "modified_at": "time.upd", "prev_url": "a.older", "description": "p.absent",
    })  # fmt: skip
    assert result.title == "Ferry timetable changes"
    assert result.body == "First paragraph.\n\nSecond paragraph."
    assert result.authors == ["Ada Reporter", "Ben Writer"]
    assert result.published_at == "2025-09-11"
    assert result.modified_at == "2025-09-12T08:00:00+02:00"
    assert result.prev_url == "https://n.example/2025/09/10/older.html"
    assert result.description is None  # nothing matched: the parser's value stays
    assert base.title == "Wrong title"  # the input is not changed


def test_unknown_field_is_an_error():
    doc = load_document(PAGE, "https://n.example/a.html")
    with pytest.raises(ValueError, match="no selector override"):
        apply_selectors(ParseResult(url=doc.url), doc, {"photo": "img"})


def test_a_selected_date_replaces_a_relative_one_and_its_flag():
    doc = load_document(PAGE, "https://n.example/2025/09/11/ferry.html")
    base = ParseResult(url=doc.url, published_at="2025-09-13T10:00:00+00:00", published_relative=True)
    result = apply_selectors(base, doc, {"published_at": "span.when"})
    assert (result.published_at, result.published_relative) == ("2025-09-11", False)
