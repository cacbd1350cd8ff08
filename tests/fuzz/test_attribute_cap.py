"""The attribute cap against libxml2 itself: the same attributes, in the same order, up to the cap.

``crawler.parsing.attributes`` reads tags the way the HTML tokenizer does, so it must
never leave a tag with more than ``MAX_ATTRIBUTES`` attributes (whatever the quoting and
separators), and must not touch a tag that has no more. Hypothesis writes tags with up
to twice the cap, quoted, unquoted and bare values holding ``>``, ``<`` and the other
quote, separated by whitespace, slashes or nothing; lxml parses them with and without
the cap, and the capped element keeps exactly the first ``MAX_ATTRIBUTES`` of the other.
"""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.parsing.attributes import MAX_ATTRIBUTES, cap_attributes

VALUE_TEXT = st.text(alphabet="ab<>/='\"", max_size=6)  # no whitespace: a value split at it makes lone-quote names, which libxml2 folds as duplicates
SEPARATORS = st.sampled_from([" ", "\n", "\t ", "/", " / "])


@st.composite
def attribute(draw: st.DrawFn) -> tuple[str, str, str]:
    """An attribute pattern: name prefix, value style, value text."""
    prefix = draw(st.sampled_from(["a", "data-x", "=b", "c\"'"]))
    return prefix, draw(st.sampled_from(["bare", "double", "single", "unquoted"])), draw(VALUE_TEXT)


def _written(prefix: str, style: str, value: str, index: int) -> tuple[str, bool]:
    """The attribute as written (its name made unique by ``index``), and whether it ends with a closing quote."""
    name = f"{prefix}{index}"
    if style == "bare":
        return name, False
    if style == "double":
        return f'{name}="{value.replace(chr(34), "")}"', True
    if style == "single":
        return f"{name}='{value.replace(chr(39), '')}'", True
    unquoted = "".join(ch for ch in value if ch not in " \t\n\f\r>\"'") or "v"
    return f"{name}={unquoted}", False


@st.composite
def crowded_tag(draw: st.DrawFn) -> str:
    """A tag of 0 to twice the cap attributes, cycling through a few drawn patterns and separators."""
    count = draw(st.integers(min_value=0, max_value=2 * MAX_ATTRIBUTES))
    patterns = draw(st.lists(attribute(), min_size=1, max_size=8))
    separators = draw(st.lists(SEPARATORS, min_size=1, max_size=5))
    parts = ["<p"]
    after_quote = False
    for index in range(count):
        text, closes = _written(*patterns[index % len(patterns)], index)
        separator = separators[index % len(separators)]
        parts.append(separator.strip() if after_quote and index % 3 == 0 else separator)  # nothing after a quote, at times
        parts.append(text)
        after_quote = closes
    parts.append(">x</p>")
    return "".join(parts)


def _attributes(html: str) -> list[tuple[str, str]]:
    body = lxml.html.document_fromstring(f"<html><body>{html}</body></html>").body
    return list(body[0].attrib.items()) if len(body) else []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tag=crowded_tag())
def test_the_cap_keeps_the_first_attributes_libxml2_sees(tag: str) -> None:
    uncapped = _attributes(tag)
    capped = cap_attributes(tag)
    assert _attributes(capped) == uncapped[:MAX_ATTRIBUTES]
    if len(uncapped) <= MAX_ATTRIBUTES:
        assert capped == tag


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><p class='a' id=b>text</p><img src=\"x.png\" alt=\"a > b\"></body></html>",
        "<div " + " ".join(f"c{index}" for index in range(MAX_ATTRIBUTES)) + ">x</div>",
        "<script>for(i=0;i<n;i++){a[i]=b[i]}</script><p title='\"quoted\"'>x</p>",
    ],
    ids=["ordinary", "exactly-the-cap", "script"],
)
def test_a_page_without_a_crowded_tag_is_returned_as_it_is(page: str) -> None:
    assert cap_attributes(page) is page


def test_a_scripts_less_than_sign_does_not_hide_a_crowded_tag_after_it() -> None:
    """The scan never jumps past the first '>' after a tag it looked at, so a quote opened in a script cannot swallow a tag."""
    crowded = "<p " + " ".join(f"a{index}" for index in range(MAX_ATTRIBUTES + 50)) + ">x</p>"
    page = '<script>if (a<b) { s = "' + "y" * 600 + "</script>" + crowded + '<p>"</p>'
    assert len(_attributes(cap_attributes(page).split("</script>", 1)[1])) == MAX_ATTRIBUTES
