"""Site furniture makes a page's block keys and its content hash from one normalisation of its paragraphs:
both equal what ``block_key`` and ``content_hash`` give for the whole texts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.article.dedupe import content_hash, content_hash_of_parts
from crawler.article.furniture import keyed_paragraphs, normal_paragraphs

# Whitespace of every kind Python splits on (paragraph breaks among them), and letters whose case
# folding changes their length or depends on nothing around them in casefold (ß, final sigma, İ, ligatures).
PIECES = st.sampled_from(["\n\n", "\n \n", "\n", " ", "\t", "\u00a0", "\u2003", "\x1c", "\u3000", "\r\n\r\n", "ß",
                          "Σ", "ΑΣ", "İ", "ﬁ", "Straße", "KÖLN", "word", "Ǆ", "ﬀ", ".", "7"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(title=st.one_of(st.none(), TEXT), body=st.one_of(st.none(), TEXT))
def test_the_hash_from_the_paragraphs_equals_the_hash_of_the_whole(title: str | None, body: str | None) -> None:
    parts, normals = normal_paragraphs(body)
    assert parts == keyed_paragraphs(body)
    assert content_hash_of_parts(title, normals) == content_hash(title, body)


def test_a_body_of_several_paragraphs_and_an_empty_title() -> None:
    body = "Der Rat tagte.\n\n  STRASSE  gesperrt \n\n\n ΟΔΟΣ  κλειστή"
    _, normals = normal_paragraphs(body)
    assert normals == ["der rat tagte.", "strasse gesperrt", "οδοσ κλειστή"]
    for title in ("", None, "  Straße\tgesperrt "):
        assert content_hash_of_parts(title, normals) == content_hash(title, body)
